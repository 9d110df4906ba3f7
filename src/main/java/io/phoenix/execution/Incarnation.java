package io.phoenix.execution;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One life of a supervised actor, from start to its failure or stop. Answers to requests sent in it
 * that complete after it ended must not reach the next incarnation, which starts from the
 * exchange's current word: they are dropped here, on the thread that completes them.
 */
final class Incarnation {
  private volatile boolean live = true;

  boolean live() {
    return live;
  }

  /** Failed or stopped: from now on, answers to its requests go nowhere. */
  void end() {
    live = false;
  }

  /**
   * {@code sent}'s outcome, unless this incarnation has ended by the time it completes (then
   * never).
   */
  <T> CompletionStage<T> unlessEnded(CompletionStage<T> sent) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    sent.whenComplete(
        (result, error) -> {
          if (live) {
            if (error != null) {
              answer.completeExceptionally(error);
            } else {
              answer.complete(result);
            }
          }
        });
    return answer;
  }
}
