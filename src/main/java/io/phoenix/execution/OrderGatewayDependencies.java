package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.ops.LatencyRecorder;
import java.util.List;

/**
 * Everything the {@link OrderGateway} is built from; {@link
 * #OrderGatewayDependencies(ExchangeTransport, List, GatewaySettings, ServerClock, ActorRef,
 * MeterRegistry)} gives the defaults of the optional parts, the {@code with} methods set them.
 *
 * @param transport {@code ExchangeTransport.of(restClient)} in production
 * @param instruments the tradable symbols; intents name them by {@link Instrument#id()}
 * @param clock shared with {@link TimeSync}, which keeps it in step
 * @param timeSync told to {@link TimeSync.Resync} after {@code -1021} or while the clock is invalid
 * @param stages where the hot-path stages ending here go: risk-to-write, frame-to-write (when the
 *     request is handed to the transport) and write-to-ack (when its answer is back)
 * @param budget the account's one request budget, shared with every background caller; the gateway
 *     charges each send to it and stops while anyone's 429/418 pause lasts
 * @param reconciliation asked for a run when the table may be incomplete: after a restart's
 *     recovery, and on a report of an order of ours it does not know
 * @param lease the trading unit's fencing epoch and its right to send new orders
 */
public record OrderGatewayDependencies(
    ExchangeTransport transport,
    List<Instrument> instruments,
    GatewaySettings settings,
    ServerClock clock,
    ActorRef<TimeSync.Command> timeSync,
    MeterRegistry registry,
    LatencyRecorder stages,
    SharedRateBudget budget,
    ReconciliationRequests reconciliation,
    EpochLease lease) {

  /** No latency stages; a budget of the settings' default limits, not shared; no reconciliation. */
  public OrderGatewayDependencies(
      ExchangeTransport transport,
      List<Instrument> instruments,
      GatewaySettings settings,
      ServerClock clock,
      ActorRef<TimeSync.Command> timeSync,
      MeterRegistry registry) {
    this(
        transport,
        instruments,
        settings,
        clock,
        timeSync,
        registry,
        LatencyRecorder.NONE,
        defaultBudget(settings),
        ReconciliationRequests.NONE,
        EpochLease.UNFENCED);
  }

  public OrderGatewayDependencies withStages(LatencyRecorder stages) {
    return new OrderGatewayDependencies(
        transport,
        instruments,
        settings,
        clock,
        timeSync,
        registry,
        stages,
        budget,
        reconciliation,
        lease);
  }

  public OrderGatewayDependencies withBudget(SharedRateBudget budget) {
    return new OrderGatewayDependencies(
        transport,
        instruments,
        settings,
        clock,
        timeSync,
        registry,
        stages,
        budget,
        reconciliation,
        lease);
  }

  public OrderGatewayDependencies withLease(EpochLease lease) {
    return new OrderGatewayDependencies(
        transport,
        instruments,
        settings,
        clock,
        timeSync,
        registry,
        stages,
        budget,
        reconciliation,
        lease);
  }

  public OrderGatewayDependencies withReconciliation(ReconciliationRequests reconciliation) {
    return new OrderGatewayDependencies(
        transport,
        instruments,
        settings,
        clock,
        timeSync,
        registry,
        stages,
        budget,
        reconciliation,
        lease);
  }

  /**
   * A budget with the settings' default limits ({@code phoenix.gateway.default-limits}), for a node
   * to share until exchangeInfo's {@code rateLimits} replace them, or for a gateway used alone.
   */
  public static SharedRateBudget defaultBudget(GatewaySettings settings) {
    return new SharedRateBudget(
        List.of(
            new RateBudget.Limit(
                RateBudget.Scope.REQUEST_WEIGHT, 60_000, settings.weightPerMinute()),
            new RateBudget.Limit(RateBudget.Scope.ORDERS, 10_000, settings.ordersPer10s()),
            new RateBudget.Limit(RateBudget.Scope.ORDERS, 60_000, settings.ordersPerMinute())),
        settings.safetyMargin(),
        settings.backgroundWeightReserve());
  }
}
