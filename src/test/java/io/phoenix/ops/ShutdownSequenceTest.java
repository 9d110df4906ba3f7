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

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void stepsRunInOrderAndAStuckCancelIsBounded() throws Exception {
    List<String> steps = new CopyOnWriteArrayList<>();
    Supplier<CompletionStage<Done>> stuck = () -> {
      steps.add("cancel");
      return new CompletableFuture<>(); // the exchange never confirms
    };
    ShutdownSequence.register(testKit.system(), new ShutdownSequence.Hooks(
        record(steps, "stop-quoting"),
        stuck,
        () -> {
          throw new IllegalStateException("journal hook broke");
        },
        record(steps, "close-feeds")), Duration.ofMillis(300));
    long t0 = System.nanoTime();
    CoordinatedShutdown.get(testKit.system()).runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("stop-quoting", "cancel", "close-feeds"), steps);
    assertTrue(ms >= 300 && ms < 5_000, "cancel wait should be bounded by the step timeout, took " + ms + " ms");
  }

  private static Supplier<CompletionStage<Done>> record(List<String> steps, String name) {
    return () -> {
      steps.add(name);
      return CompletableFuture.completedFuture(Done.getInstance());
    };
  }
}
