package io.phoenix.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's counters, registered once; tag values are bounded (request kinds, error codes).
 * Used only from the gateway's thread.
 */
final class GatewayMetrics {
  private final MeterRegistry registry;
  // every request passes here: a registry lookup (tags sorted, id built) per send is avoidable work
  private final Map<String, Counter> requests = new HashMap<>();
  private final Map<String, Counter> reports = new HashMap<>();
  private final Counter unknown;
  private final Counter rateLimited;
  private final Counter banned;
  private final Counter illegal;
  private final Counter badResponse;
  private final Counter localReject;
  private final Counter fencedPlace;
  private final Counter budgetWait;
  private final Counter budgetHeldOrders;
  private final Counter timestampRetry;

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    unknown = registry.counter("phoenix.gateway.unknown.outcomes");
    rateLimited = registry.counter("phoenix.gateway.rate.limited");
    banned = registry.counter("phoenix.gateway.banned");
    illegal = registry.counter("phoenix.gateway.illegal.transitions");
    badResponse = registry.counter("phoenix.gateway.bad.responses");
    localReject = registry.counter("phoenix.gateway.local.rejects");
    fencedPlace =
        Counter.builder("phoenix.gateway.fenced.places")
            .description("new orders refused: the unit's epoch lease lapsed or was superseded")
            .register(registry);
    budgetWait = registry.counter("phoenix.gateway.budget.waits");
    budgetHeldOrders = registry.counter("phoenix.gateway.budget.held.orders");
    timestampRetry = registry.counter("phoenix.gateway.timestamp.retries");
  }

  void request(String kind) {
    requests
        .computeIfAbsent(kind, k -> registry.counter("phoenix.gateway.requests", "kind", k))
        .increment();
  }

  void rejected(int code) {
    registry.counter("phoenix.gateway.rejects", "code", Integer.toString(code)).increment();
  }

  void unknown() {
    unknown.increment();
  }

  void rateLimited() {
    rateLimited.increment();
  }

  void banned() {
    banned.increment();
  }

  void illegalTransition() {
    illegal.increment();
  }

  void badResponse() {
    badResponse.increment();
  }

  void localReject() {
    localReject.increment();
  }

  void fencedPlace() {
    fencedPlace.increment();
  }

  void budgetWait() {
    budgetWait.increment();
  }

  /** A new order the rate budget held back (counted once per order). */
  void budgetHeldOrder() {
    budgetHeldOrders.increment();
  }

  void timestampRetry() {
    timestampRetry.increment();
  }

  /**
   * One user-stream or reconciliation report applied to the table; {@code outcome} is a
   * ReportOutcome.
   */
  void report(String outcome) {
    reports
        .computeIfAbsent(outcome, o -> registry.counter("phoenix.gateway.reports", "outcome", o))
        .increment();
  }

  /** One order settled by start-up recovery; {@code outcome} is adopted|orphan|queried|not_sent. */
  void recovered(String outcome) {
    registry.counter("phoenix.gateway.recovered", "outcome", outcome).increment();
  }

  /** A recovery phase ended by its timeout rather than by reading every symbol. */
  void recoveryTimeout() {
    registry.counter("phoenix.gateway.recovery.timeouts").increment();
  }

  /** One ask for a reconciliation run; {@code reason} is restart|unknown_report|merged. */
  void reconcileAsk(String reason) {
    registry.counter("phoenix.gateway.reconcile.asks", "reason", reason).increment();
  }
}
