package io.phoenix.model;

/**
 * What a quoter wants done with its orders; travels quoter -> risk -> {@link
 * io.phoenix.execution.OrderGateway} (inside {@link io.phoenix.execution.OrderGateway.Submit},
 * which names who gets the {@link OrderEvent} replies). Prices and quantities are counts of the
 * instrument's tick and step; the gateway converts them to text only when it encodes the request.
 * Every intent names its order by client order id.
 */
public sealed interface OrderIntent {
  int symbolId();

  /**
   * A new limit order.
   *
   * @param createdNanos {@code System.nanoTime()} when the quoter decided; the gateway measures
   *     intent-to-wire latency from it
   * @param frameNanos {@code System.nanoTime()} when the market-data frame that led to this order
   *     arrived, 0 when no frame did (a timer or fill requote): every hot-path stage of the order
   *     is measured from this one stamp, so the stages of one order add up
   */
  record Place(
      int symbolId,
      String clientOrderId,
      Side side,
      long priceTicks,
      long qtySteps,
      TimeInForce timeInForce,
      boolean reduceOnly,
      long createdNanos,
      long frameNanos)
      implements OrderIntent {

    /** An order not caused by a market-data frame (tests, tools, hedges). */
    public Place(
        int symbolId,
        String clientOrderId,
        Side side,
        long priceTicks,
        long qtySteps,
        TimeInForce timeInForce,
        boolean reduceOnly,
        long createdNanos) {
      this(
          symbolId,
          clientOrderId,
          side,
          priceTicks,
          qtySteps,
          timeInForce,
          reduceOnly,
          createdNanos,
          0);
    }

    /** The same order with another quantity (risk's clamp), keeping its stamps. */
    public Place withQty(long newQtySteps) {
      return new Place(
          symbolId,
          clientOrderId,
          side,
          priceTicks,
          newQtySteps,
          timeInForce,
          reduceOnly,
          createdNanos,
          frameNanos);
    }
  }

  /** Cancel one order. */
  record Cancel(int symbolId, String clientOrderId) implements OrderIntent {}

  /**
   * Change price and/or quantity in place ({@code PUT /fapi/v1/order}); the order keeps its id but
   * loses queue priority. The exchange cancels it instead when the new quantity is at or below the
   * filled quantity, or when a post-only order's new price would cross.
   */
  record Amend(int symbolId, String clientOrderId, long newPriceTicks, long newQtySteps)
      implements OrderIntent {}

  /** Cancel every open order of the symbol ({@code DELETE /fapi/v1/allOpenOrders}). */
  record CancelAll(int symbolId) implements OrderIntent {}
}
