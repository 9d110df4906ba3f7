package io.phoenix.journal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.phoenix.config.JournalSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Append-only journal of order events, fills and funding payments.
 *
 * <p>Role: takes {@link Append} from the gateway and the user data feed without ever blocking
 * them; entries are buffered and written by {@link JournalStore} in one transaction per batch on
 * the blocking dispatcher ({@code phoenix.journal.dispatcher}). A batch starts when
 * {@code batch-size} entries are buffered or on the {@code flush-interval} timer; one batch is in
 * flight at a time, so entries are written in arrival order.
 *
 * <p>Commands: {@link Append}; {@link Flush} replies {@link Flushed} once everything received
 * before it is written (or the write failed: {@code pending > 0}). Timers: the flush tick. A failed
 * batch stays at the head of the buffer and is retried on the next tick (counted, logged).
 * PostStop and PreRestart write whatever is left synchronously, so a restart or shutdown loses
 * nothing that reached the actor. The store belongs to the caller, who closes it after the
 * actor stops.
 */
public final class Journal extends AbstractBehavior<Journal.Command> {

  public sealed interface Command {}

  /** Journal one entry. Fire and forget. */
  public record Append(JournalEntry entry) implements Command {}

  /** Write everything buffered now; reply when done. */
  public record Flush(ActorRef<Flushed> replyTo) implements Command {}

  /** Reply to {@link Flush}: entries written since start and entries still waiting (0 on success). */
  public record Flushed(long written, int pending) {}

  private enum Tick implements Command { INSTANCE }

  private record BatchWritten(int size, int inserted, long nanos, Throwable failure) implements Command {}

  private final ActorContext<Command> context;
  private final JournalStore store;
  private final JournalSettings settings;
  private final Executor blocking;
  private final Meters meters;
  private List<JournalEntry> buffer = new ArrayList<>();
  private List<JournalEntry> inFlight = List.of();
  private final List<ActorRef<Flushed>> waiting = new ArrayList<>();
  private long written;

  private Journal(ActorContext<Command> context, TimerScheduler<Command> timers, JournalStore store,
      JournalSettings settings, Meters meters) {
    super(context);
    this.context = context;
    this.store = store;
    this.settings = settings;
    this.meters = meters;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(settings.dispatcher()));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.flushInterval());
  }

  /** The journal over an opened store; {@code registry} receives the phoenix_journal_* meters. */
  public static Behavior<Command> create(JournalStore store, JournalSettings settings, MeterRegistry registry) {
    Meters meters = new Meters(registry); // outside setup: survives restarts, registered once
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Journal(ctx, timers, store, settings, meters)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Append.class, this::onAppend)
        .onMessage(Flush.class, this::onFlush)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(BatchWritten.class, this::onBatchWritten)
        .onSignal(PreRestart.class, s -> onStop())
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onAppend(Append a) {
    buffer.add(a.entry());
    meters.pending.incrementAndGet();
    if (buffer.size() >= settings.batchSize()) {
      startBatch();
    }
    return this;
  }

  private Behavior<Command> onFlush(Flush f) {
    waiting.add(f.replyTo());
    if (inFlight.isEmpty()) {
      if (buffer.isEmpty()) {
        answerWaiting();
      } else {
        startBatch();
      }
    }
    return this;
  }

  private Behavior<Command> onTick() {
    startBatch();
    return this;
  }

  private void startBatch() {
    if (!inFlight.isEmpty() || buffer.isEmpty()) {
      return;
    }
    List<JournalEntry> batch = buffer;
    buffer = new ArrayList<>();
    inFlight = batch;
    CompletableFuture<BatchWritten> write = CompletableFuture.supplyAsync(() -> {
      long t0 = System.nanoTime();
      try {
        int inserted = store.append(batch);
        return new BatchWritten(batch.size(), inserted, System.nanoTime() - t0, null);
      } catch (Exception e) {
        return new BatchWritten(batch.size(), 0, System.nanoTime() - t0, e);
      }
    }, blocking);
    context.pipeToSelf(write, (ok, err) -> ok != null ? ok : new BatchWritten(batch.size(), 0, 0, err));
  }

  private Behavior<Command> onBatchWritten(BatchWritten w) {
    List<JournalEntry> batch = inFlight;
    inFlight = List.of();
    if (w.failure() == null) {
      written += w.size();
      meters.pending.addAndGet(-w.size());
      meters.written.increment(w.size());
      meters.flush.record(w.nanos(), TimeUnit.NANOSECONDS);
      if (buffer.size() >= settings.batchSize() || (!waiting.isEmpty() && !buffer.isEmpty())) {
        startBatch();
      } else if (buffer.isEmpty()) {
        answerWaiting();
      }
    } else {
      meters.failures.increment();
      context.getLog().error("journal write of {} entries to {} failed, will retry: {}",
          w.size(), store.url(), w.failure().toString());
      batch.addAll(buffer); // keep order: the failed batch goes first
      buffer = new ArrayList<>(batch);
      answerWaiting(); // a waiting shutdown must not hang on a dead database
    }
    return this;
  }

  private void answerWaiting() {
    Flushed reply = new Flushed(written, buffer.size() + inFlight.size());
    waiting.forEach(r -> r.tell(reply));
    waiting.clear();
  }

  private Behavior<Command> onStop() {
    List<JournalEntry> rest = new ArrayList<>(buffer);
    if (!rest.isEmpty()) {
      try {
        // Blocking here is deliberate: the actor is going away and this is the last chance.
        store.append(rest);
        written += rest.size();
        meters.written.increment(rest.size());
        meters.pending.addAndGet(-rest.size());
        buffer.clear();
      } catch (Exception e) {
        meters.failures.increment();
        context.getLog().error("journal lost {} entries at stop: write to {} failed: {}",
            rest.size(), store.url(), e.toString());
      }
    }
    answerWaiting();
    return this;
  }

  /** phoenix_journal_* meters. */
  private static final class Meters {
    final AtomicInteger pending = new AtomicInteger();
    final Counter written;
    final Counter failures;
    final Timer flush;

    Meters(MeterRegistry registry) {
      Gauge.builder("phoenix.journal.pending", pending, AtomicInteger::get)
          .description("Journal entries buffered, not yet written").strongReference(true).register(registry);
      written = Counter.builder("phoenix.journal.written").description("Journal entries written").register(registry);
      failures = Counter.builder("phoenix.journal.failures").description("Failed journal writes").register(registry);
      flush = Timer.builder("phoenix.journal.flush").description("Time to write one batch").register(registry);
    }
  }
}
