package io.phoenix.model;

/**
 * What the {@link io.phoenix.execution.OrderGateway} tells the actor that submitted an intent (and,
 * for {@link GatewayHalted}, every registered alert listener). Exchange-side updates from the user
 * data stream travel separately ({@code io.phoenix.account}).
 *
 * <p>Rule: {@link OrderRejected} only on definitive exchange evidence; anything uncertain is {@link
 * OrderUnknown} followed later by exactly one {@link OrderResolved}.
 */
public sealed interface OrderEvent {

  /** Which request an event answers. */
  enum RequestKind {
    PLACE,
    CANCEL,
    AMEND,
    CANCEL_ALL
  }

  /**
   * The exchange accepted a new order.
   *
   * @param state NEW normally; PARTIALLY_FILLED/FILLED/EXPIRED for orders that matched on entry
   */
  record OrderAccepted(
      int symbolId,
      String clientOrderId,
      long orderId,
      OrderState state,
      long priceTicks,
      long origQtySteps,
      long cumQtySteps)
      implements OrderEvent {}

  /**
   * Definitive refusal of a request; for PLACE the order does not exist. {@code code} is Binance's
   * (e.g. -5022 post-only would take) or 0 for a local refusal (unknown symbol, order not ours).
   */
  record OrderRejected(
      int symbolId, String clientOrderId, RequestKind kind, int code, String reason)
      implements OrderEvent {}

  /** The order is cancelled; {@code cumQtySteps} is what filled before. */
  record OrderCanceled(int symbolId, String clientOrderId, long cumQtySteps)
      implements OrderEvent {}

  /** The amendment took effect. */
  record OrderAmended(
      int symbolId, String clientOrderId, long priceTicks, long origQtySteps, long cumQtySteps)
      implements OrderEvent {}

  /** A request's outcome is unknown; treat the order as live until {@link OrderResolved}. */
  record OrderUnknown(int symbolId, String clientOrderId, RequestKind kind, String reason)
      implements OrderEvent {}

  /**
   * An unknown outcome is settled by a query. {@code state} REJECTED means the exchange never
   * placed the order (not found after the resolution bound).
   */
  record OrderResolved(
      int symbolId,
      String clientOrderId,
      OrderState state,
      long orderId,
      long priceTicks,
      long origQtySteps,
      long cumQtySteps)
      implements OrderEvent {}

  /** All open orders of the symbol were cancelled. */
  record AllCanceled(int symbolId) implements OrderEvent {}

  /**
   * The gateway stopped sending: 418 (IP ban) or repeated 429s. Sent to alert listeners and to the
   * requesters of affected intents.
   */
  record GatewayHalted(String reason, long untilEpochMillis, boolean banned)
      implements OrderEvent {}
}
