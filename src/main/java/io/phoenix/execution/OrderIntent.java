package io.phoenix.execution;

/**
 * What a quoter wants done with its orders; travels quoter -> risk -> {@link OrderGateway} (inside
 * {@link OrderGateway.Submit}, which names who gets the {@link OrderEvent} replies). Prices and
 * quantities are counts of the instrument's tick and step; the gateway converts them to text only
 * when it encodes the request. Every intent names its order by client order id.
 */
public sealed interface OrderIntent {
  int symbolId();

  /** Order side. */
  enum Side {
    BUY,
    SELL
  }

  /** Time in force the bot uses: GTX (post-only) for quotes, GTC, IOC for hedges. */
  enum TimeInForce {
    GTX,
    GTC,
    IOC
  }

  /**
   * A new limit order.
   *
   * @param createdNanos {@code System.nanoTime()} when the quoter decided; the gateway measures
   *     intent-to-wire latency from it
   */
  record Place(int symbolId, String clientOrderId, Side side, long priceTicks, long qtySteps,
      TimeInForce timeInForce, boolean reduceOnly, long createdNanos) implements OrderIntent {}

  /** Cancel one order. */
  record Cancel(int symbolId, String clientOrderId) implements OrderIntent {}

  /**
   * Change price and/or quantity in place ({@code PUT /fapi/v1/order}); the order keeps its id but
   * loses queue priority. The exchange cancels it instead when the new quantity is at or below
   * the filled quantity, or when a post-only order's new price would cross.
   */
  record Amend(int symbolId, String clientOrderId, long newPriceTicks, long newQtySteps) implements OrderIntent {}

  /** Cancel every open order of the symbol ({@code DELETE /fapi/v1/allOpenOrders}). */
  record CancelAll(int symbolId) implements OrderIntent {}
}
