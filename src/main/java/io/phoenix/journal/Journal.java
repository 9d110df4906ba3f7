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
 * <p>Role: takes {@link Append} from the gateway and the user data feed without ever blocking them;
 * entries are buffered and written by {@link JournalStore} in one transaction per batch on the
 * blocking dispatcher ({@code phoenix.journal.dispatcher}). A batch starts when {@code batch-size}
 * entries are buffered or on the {@code flush-interval} timer; one batch is in flight at a time, so
 * entries are written in arrival order. An entry the database refuses as invalid (too long,
 * constraint) is dropped with an error line and a counter instead of blocking the journal.
 *
 * <p>Commands: {@link Append}; {@link Flush} replies {@link Flushed} once everything received
 * before it is written (or the write failed: {@code pending > 0}). Timers: the flush tick. A failed
 * batch stays at the head of the buffer and is retried on the next tick (counted, logged). PostStop
 * and PreRestart write whatever is left synchronously, so a restart or shutdown loses nothing that
 * reached the actor. The store belongs to the caller, who closes it after the actor stops.
 */
public final class Journal extends AbstractBehavior<Journal.Command> {

  public sealed interface Command {}

  /** Journal one entry. Fire and forget. */
  public record Append(JournalEntry entry) implements Command {}

  /** Write everything buffered now; reply when done. */
  public record Flush(ActorRef<Flushed> replyTo) implements Command {}

  /**
   * Reply to {@link Flush}: entries written since start and entries still waiting (0 on success).
   */
  public record Flushed(long written, int pending) {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record BatchWritten(JournalStore.AppendResult result, int size, long nanos)
      implements Command {}

  private final ActorContext<Command> context;
  private final JournalStore store;
  private final JournalSettings settings;
  private final Executor blocking;
  private final Meters meters;
  private List<JournalEntry> buffer = new ArrayList<>();
  private List<JournalEntry> inFlight = List.of();
  private final List<ActorRef<Flushed>> waiting = new ArrayList<>();
  private long written;

  private Journal(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      JournalStore store,
      JournalSettings settings,
      Meters meters) {
    super(context);
    this.context = context;
    this.store = store;
    this.settings = settings;
    this.meters = meters;
    this.blocking =
        context
            .getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.dispatcher()));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.flushInterval());
  }

  /** The journal over an opened store; {@code registry} receives the phoenix_journal_* meters. */
  public static Behavior<Command> create(
      JournalStore store, JournalSettings settings, MeterRegistry registry) {
    Meters meters = new Meters(registry); // outside setup: survives restarts, registered once
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new Journal(ctx, timers, store, settings, meters)));
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
    if (a.entry() == null) {
      meters.rejected.increment();
      context.getLog().error("journal ignored an Append without an entry");
      return this;
    }
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
    CompletableFuture<BatchWritten> write =
        CompletableFuture.supplyAsync(
            () -> {
              long t0 = System.nanoTime();
              JournalStore.AppendResult r = store.appendIsolating(batch);
              return new BatchWritten(r, batch.size(), System.nanoTime() - t0);
            },
            blocking);
    context.pipeToSelf(
        write,
        (ok, err) ->
            ok != null
                ? ok
                : new BatchWritten(
                    new JournalStore.AppendResult(
                        0,
                        List.of(),
                        batch,
                        err instanceof Exception e ? e : new RuntimeException(err)),
                    batch.size(),
                    0));
  }

  private Behavior<Command> onBatchWritten(BatchWritten w) {
    inFlight = List.of();
    JournalStore.AppendResult r = w.result();
    int done = w.size() - r.retry().size();
    written += done - r.rejected().size();
    meters.pending.addAndGet(-done);
    meters.written.increment(done - r.rejected().size());
    meters.flush.record(w.nanos(), TimeUnit.NANOSECONDS);
    for (JournalEntry bad : r.rejected()) {
      meters.rejected.increment();
      context
          .getLog()
          .error(
              "journal dropped an entry the database refused ({}): {}",
              r.failure() == null ? "?" : r.failure().getMessage(),
              bad);
    }
    if (!r.retry().isEmpty()) {
      meters.failures.increment();
      context
          .getLog()
          .error(
              "journal write of {} entries to {} failed, will retry: {}",
              r.retry().size(),
              store.url(),
              String.valueOf(r.failure()));
      List<JournalEntry> again =
          new ArrayList<>(r.retry()); // keep order: the failed entries go first
      again.addAll(buffer);
      buffer = again;
      answerWaiting(); // a waiting shutdown must not hang on a dead database
    } else if (buffer.size() >= settings.batchSize() || (!waiting.isEmpty() && !buffer.isEmpty())) {
      startBatch();
    } else if (buffer.isEmpty()) {
      answerWaiting();
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
      // Blocking here is deliberate: the actor is going away and this is the last chance.
      JournalStore.AppendResult r = store.appendIsolating(rest);
      int ok = rest.size() - r.retry().size() - r.rejected().size();
      written += ok;
      meters.written.increment(ok);
      meters.pending.addAndGet(-(rest.size() - r.retry().size()));
      meters.rejected.increment(r.rejected().size());
      buffer = new ArrayList<>(r.retry());
      if (!r.retry().isEmpty()) {
        meters.failures.increment();
        context
            .getLog()
            .error(
                "journal lost {} entries at stop: write to {} failed: {}",
                r.retry().size(),
                store.url(),
                String.valueOf(r.failure()));
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
    final Counter rejected;
    final Timer flush;

    Meters(MeterRegistry registry) {
      Gauge.builder("phoenix.journal.pending", pending, AtomicInteger::get)
          .description("Journal entries buffered, not yet written")
          .strongReference(true)
          .register(registry);
      written =
          Counter.builder("phoenix.journal.written")
              .description("Journal entries written")
              .register(registry);
      failures =
          Counter.builder("phoenix.journal.failures")
              .description("Failed journal writes")
              .register(registry);
      rejected =
          Counter.builder("phoenix.journal.rejected")
              .description("Entries dropped because the database refused them as invalid")
              .register(registry);
      flush =
          Timer.builder("phoenix.journal.flush")
              .description("Time to write one batch")
              .register(registry);
    }
  }
}
