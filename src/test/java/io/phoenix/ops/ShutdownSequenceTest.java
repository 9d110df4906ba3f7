package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ShutdownSequenceTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  // the sequence test runs CoordinatedShutdown on the other one
  private static final ActorTestKit waiting = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    waiting.shutdownTestKit();
  }

  @Test
  void awaitConditionCompletesOnceTheConditionHoldsAndChecksAgainAfterAFailedCheck()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger checks =
        new java.util.concurrent.atomic.AtomicInteger();
    Supplier<CompletionStage<Boolean>> thirdTimeLucky =
        () ->
            switch (checks.incrementAndGet()) {
              case 1 ->
                  CompletableFuture.failedFuture(
                      new IllegalStateException("gateway did not answer"));
              case 2 -> CompletableFuture.completedFuture(false);
              default -> CompletableFuture.completedFuture(true);
            };
    boolean held =
        ShutdownSequence.awaitCondition(
                waiting.system(), thirdTimeLucky, Duration.ofMillis(20), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertTrue(held);
    assertEquals(3, checks.get());
  }

  @Test
  void awaitConditionGivesUpAfterItsBound() throws Exception {
    long t0 = System.nanoTime();
    boolean held =
        ShutdownSequence.awaitCondition(
                waiting.system(),
                () -> CompletableFuture.completedFuture(false),
                Duration.ofMillis(20),
                Duration.ofMillis(200))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(false, held);
    assertTrue(ms >= 200 && ms < 5_000, "gave up after " + ms + " ms");
  }

  @Test
  void stepsRunInOrderAndAStuckCancelIsBounded() throws Exception {
    List<String> steps = new CopyOnWriteArrayList<>();
    Supplier<CompletionStage<Done>> stuck =
        () -> {
          steps.add("cancel");
          return new CompletableFuture<>(); // the exchange never confirms
        };
    ShutdownSequence.register(
        testKit.system(),
        new ShutdownSequence.Hooks(
            record(steps, "stop-quoting"),
            stuck,
            () -> {
              throw new IllegalStateException("journal hook broke");
            },
            record(steps, "close-feeds")),
        Duration.ofMillis(300));
    long t0 = System.nanoTime();
    CoordinatedShutdown.get(testKit.system())
        .runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("stop-quoting", "cancel", "close-feeds"), steps);
    assertTrue(
        ms >= 300 && ms < 5_000,
        "cancel wait should be bounded by the step timeout, took " + ms + " ms");
  }

  private static Supplier<CompletionStage<Done>> record(List<String> steps, String name) {
    return () -> {
      steps.add(name);
      return CompletableFuture.completedFuture(Done.getInstance());
    };
  }
}
