package io.phoenix.ops;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import io.phoenix.journal.Journal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orderly stop on SIGTERM / {@code CoordinatedShutdown}: first stop quoting (phase {@code
 * service-requests-done}), then cancel every order and wait a bounded time for the confirmations
 * ({@code service-stop}), then flush the journal and close the feeds ({@code
 * before-actor-system-terminate}). Each step is a callback the lead supplies. A step that throws,
 * fails or overruns is logged and the sequence moves on: a stuck exchange must not keep the process
 * alive (the exchange-side dead-man switch, {@code countdownCancelAll}, covers orders whose cancel
 * was not confirmed).
 */
public final class ShutdownSequence {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

  /** The callbacks; each completes when its step is done. */
  public record Hooks(
      Supplier<CompletionStage<Done>> stopQuoting,
      Supplier<CompletionStage<Done>> cancelAllAndAwaitConfirmations,
      Supplier<CompletionStage<Done>> flushJournal,
      Supplier<CompletionStage<Done>> closeFeeds) {}

  private ShutdownSequence() {}

  /**
   * Registers the four steps. {@code stepTimeout} bounds each step; keep it below the phase
   * timeouts ({@code akka.coordinated-shutdown.phases.*.timeout}, 5 s by default for these phases).
   */
  public static void register(ActorSystem<?> system, Hooks hooks, Duration stepTimeout) {
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    cs.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "phoenix-stop-quoting",
        () -> bounded("stop quoting", hooks.stopQuoting(), stepTimeout));
    cs.addTask(
        CoordinatedShutdown.PhaseServiceStop(),
        "phoenix-cancel-all",
        () -> bounded("cancel all orders", hooks.cancelAllAndAwaitConfirmations(), stepTimeout));
    cs.addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "phoenix-flush-journal",
        () -> bounded("flush journal", hooks.flushJournal(), stepTimeout));
    cs.addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "phoenix-close-feeds",
        () -> bounded("close feeds", hooks.closeFeeds(), stepTimeout));
  }

  /** A flush-journal hook that asks the journal and logs anything left unwritten. */
  public static Supplier<CompletionStage<Done>> journalFlush(
      ActorSystem<?> system, ActorRef<Journal.Command> journal, Duration timeout) {
    return () ->
        AskPattern.<Journal.Command, Journal.Flushed>ask(
                journal, Journal.Flush::new, timeout, system.scheduler())
            .thenApply(
                f -> {
                  if (f.pending() > 0) {
                    log.error("shutdown: journal could not write {} entries", f.pending());
                  } else {
                    log.info(
                        "shutdown: journal flushed ({} entries written in this run)", f.written());
                  }
                  return Done.getInstance();
                });
  }

  /**
   * Completes with true once {@code condition} holds, checked every {@code every} (first after one
   * interval), or with false once {@code within} has passed. A check that fails or throws counts as
   * not holding: a shutdown step waits for its condition, it does not fail on it.
   */
  public static CompletionStage<Boolean> awaitCondition(
      ActorSystem<?> system,
      Supplier<CompletionStage<Boolean>> condition,
      Duration every,
      Duration within) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + within.toNanos();
    system
        .scheduler()
        .scheduleOnce(
            every,
            () -> check(system, condition, every, deadline, result),
            system.executionContext());
    return result;
  }

  private static void check(
      ActorSystem<?> system,
      Supplier<CompletionStage<Boolean>> condition,
      Duration every,
      long deadline,
      CompletableFuture<Boolean> result) {
    CompletionStage<Boolean> holds;
    try {
      holds = condition.get();
    } catch (RuntimeException e) {
      holds = CompletableFuture.completedFuture(false);
    }
    holds
        .handle((ok, failure) -> failure == null && Boolean.TRUE.equals(ok))
        .thenAccept(
            ok -> {
              if (ok) {
                result.complete(true);
              } else if (System.nanoTime() - deadline >= 0) {
                result.complete(false);
              } else {
                system
                    .scheduler()
                    .scheduleOnce(
                        every,
                        () -> check(system, condition, every, deadline, result),
                        system.executionContext());
              }
            });
  }

  /** A hook that does nothing (for steps a deployment does not have). */
  public static Supplier<CompletionStage<Done>> none() {
    return () -> CompletableFuture.completedFuture(Done.getInstance());
  }

  static CompletionStage<Done> bounded(
      String step, Supplier<CompletionStage<Done>> hook, Duration timeout) {
    long t0 = System.nanoTime();
    log.info("shutdown: {}", step);
    CompletableFuture<Done> running;
    try {
      running = hook.get().toCompletableFuture();
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    return running
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (done, failure) -> {
              long ms = (System.nanoTime() - t0) / 1_000_000;
              if (failure == null) {
                log.info("shutdown: {} done in {} ms", step, ms);
              } else if (failure instanceof java.util.concurrent.TimeoutException
                  || failure.getCause() instanceof java.util.concurrent.TimeoutException) {
                log.warn("shutdown: {} not finished after {} ms, moving on", step, ms);
              } else {
                log.error(
                    "shutdown: {} failed after {} ms, moving on: {}", step, ms, failure.toString());
              }
              return Done.getInstance();
            });
  }
}
