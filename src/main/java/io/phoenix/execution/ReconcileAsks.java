package io.phoenix.execution;

import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The gateway's asks for a reconciliation run, at most one per {@code
 * phoenix.gateway.reconcile-request-interval}: the first at once, every later one within the
 * interval merged into one at its end. Not simply dropped: a report arriving while a run is under
 * way may describe what that run's snapshot of the exchange already missed.
 *
 * @param <C> the gateway's command type; {@code due} comes back when a merged ask is due
 */
final class ReconcileAsks<C> {
  private static final String TIMER = "reconcile-ask";

  private final ReconciliationRequests requests;
  private final long intervalNanos;
  private final TimerScheduler<C> timers;
  private final C due;
  private final GatewayMetrics metrics;
  private final Logger log;
  private long lastNanos;
  private boolean askedBefore;
  private boolean merged;

  ReconcileAsks(
      ReconciliationRequests requests,
      Duration interval,
      TimerScheduler<C> timers,
      C due,
      GatewayMetrics metrics,
      Logger log) {
    this.requests = requests;
    this.intervalNanos = interval.toNanos();
    this.timers = timers;
    this.due = due;
    this.metrics = metrics;
    this.log = log;
  }

  /**
   * @param reason a bounded tag for the counter ({@code restart}, {@code unknown_report})
   * @param detail for the log line
   */
  void ask(String reason, Object detail) {
    long now = System.nanoTime();
    if (askedBefore && now - lastNanos < intervalNanos) {
      if (!merged) {
        merged = true;
        timers.startSingleTimer(TIMER, due, Duration.ofNanos(intervalNanos - (now - lastNanos)));
      }
      log.debug("Reconciliation ask merged into the next one: {} {}", reason, detail);
      return;
    }
    send(now, reason, detail);
  }

  /** The merged ask's time has come. */
  void onDue() {
    if (merged) {
      merged = false;
      send(System.nanoTime(), "merged", "asks within the interval");
    }
  }

  private void send(long now, String reason, Object detail) {
    askedBefore = true;
    lastNanos = now;
    metrics.reconcileAsk(reason);
    log.info("Asking for a reconciliation run: {} {}", reason, detail);
    requests.request();
  }
}
