package io.phoenix.chaos;

import io.phoenix.sim.SimServer;
import io.phoenix.sim.SimServer.SimControl;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The simulator the node trades against, across restarts: the current incarnation (null while it is
 * down), our account's fills over every incarnation, and the refusal counts summed over them.
 */
final class Venue {
  private final String apiKey;
  private final ExchangeLedger ledger;
  private volatile SimServer current;
  private SimServer stopped;
  private SimControl.RateLimitCounts past = SimControl.RateLimitCounts.NONE;

  Venue(SimServer first, String apiKey, ExchangeLedger ledger) {
    this.current = first;
    this.apiKey = apiKey;
    this.ledger = ledger;
  }

  SimServer current() {
    return current;
  }

  String apiKey() {
    return apiKey;
  }

  ExchangeLedger ledger() {
    return ledger;
  }

  /** Stops the current incarnation; its last fills go to the ledger, its counts to the totals. */
  CompletionStage<SimControl.Stopped> stop() {
    SimServer s = current;
    if (s == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the venue is already down"));
    }
    current = null;
    return s.control()
        .stop(apiKey, ledger.after())
        .thenApply(
            st -> {
              ledger.add(st.last().newFills());
              synchronized (this) {
                past = past.plus(st.limits());
                stopped = s;
              }
              return st;
            });
  }

  /** A fresh incarnation on the stopped one's port. */
  CompletionStage<SimServer> startSuccessor() {
    SimServer s;
    synchronized (this) {
      s = stopped;
    }
    if (s == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the venue was not stopped"));
    }
    return s.control()
        .startSuccessor()
        .thenApply(
            next -> {
              synchronized (this) {
                // the stopped incarnation (its engine, markets and histograms) is garbage now;
                // kept, it would sit in the heap the soak measures
                stopped = null;
              }
              current = next;
              return next;
            });
  }

  synchronized SimControl.RateLimitCounts rateLimits() {
    SimServer s = current;
    return s == null ? past : past.plus(s.control().rateLimits());
  }

  /** Stops the current incarnation for good (end of the run). */
  CompletionStage<Void> close() {
    SimServer s = current;
    current = null;
    return s == null ? CompletableFuture.completedFuture(null) : s.stop();
  }
}
