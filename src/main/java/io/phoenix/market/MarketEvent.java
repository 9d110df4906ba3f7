package io.phoenix.market;

/**
 * The normalized market events a consumer (a quoter, risk, a test probe) receives for the symbols
 * it subscribed to on a {@link MarketFeed}. Prices are ticks and quantities steps of the symbol's
 * instrument; times are epoch milliseconds from the exchange unless named {@code ...Nanos}, which
 * are local {@link System#nanoTime()} stamps.
 */
public sealed interface MarketEvent {

  /**
   * The local book changed and is valid (synchronised with the stream). Carries the top of book and
   * the values a strategy reads most, so that most consumers never need the full depth.
   *
   * @param lastUpdateId {@code u} of the last applied diff
   * @param bidPrice best bid, {@link OrderBook#NO_PRICE} if the side is empty
   * @param askPrice best ask, {@link OrderBook#NO_PRICE} if the side is empty
   * @param microprice size-weighted mid in ticks (NaN if a side is empty)
   * @param imbalance top-5-level quantity imbalance in [-1, 1]
   * @param eventTime the diff's {@code E}
   * @param receiveNanos when the frame arrived locally
   */
  record BookUpdated(
      int symbolId,
      long lastUpdateId,
      long bidPrice,
      long bidQty,
      long askPrice,
      long askQty,
      double microprice,
      double imbalance,
      long eventTime,
      long receiveNanos)
      implements MarketEvent {

    /**
     * The synced book's top as the quoter sees it (a newer {@code bookTicker}'s, if any); the
     * imbalance from the book's levels.
     */
    public static BookUpdated of(SyncedBook synced, long eventTime, long receiveNanos) {
      OrderBook book = synced.book();
      return new BookUpdated(
          book.symbolId(),
          synced.lastUpdateId(),
          synced.bestBidPrice(),
          synced.bestBidQty(),
          synced.bestAskPrice(),
          synced.bestAskQty(),
          synced.microprice(),
          book.imbalance(5),
          eventTime,
          receiveNanos);
    }

    /** The top of {@code book} as it is now. */
    public static BookUpdated of(
        OrderBook book, long lastUpdateId, long eventTime, long receiveNanos) {
      return new BookUpdated(
          book.symbolId(),
          lastUpdateId,
          book.bestBidPrice(),
          book.bestBidQty(),
          book.bestAskPrice(),
          book.bestAskQty(),
          book.microprice(),
          book.imbalance(5),
          eventTime,
          receiveNanos);
    }
  }

  /** The local book can no longer be trusted (pull quotes); a resync is under way. */
  record BookInvalidated(int symbolId, InvalidReason reason) implements MarketEvent {}

  /** No event for this symbol for the configured stale-after time (pull quotes). */
  record BookStale(int symbolId, long silentMillis) implements MarketEvent {}

  /** An aggregate trade; {@code buyerMaker} true means the taker sold. */
  record Trade(
      int symbolId,
      long aggregateId,
      long priceTicks,
      long qtySteps,
      boolean buyerMaker,
      long tradeTime,
      long receiveNanos)
      implements MarketEvent {}

  /**
   * Mark price and funding.
   *
   * @param fundingRate current funding rate as a fraction (0.0001 = 1 bp per interval)
   * @param nextFundingTime epoch ms
   */
  record MarkPrice(
      int symbolId, long markTicks, double fundingRate, long nextFundingTime, long eventTime)
      implements MarketEvent {}

  /** The feed's WebSocket is up; books will resync from fresh snapshots. */
  record FeedConnected(String feed) implements MarketEvent {}

  /** The feed's WebSocket is down; every book it carried is invalid until it reconnects. */
  record FeedDisconnected(String feed, String reason) implements MarketEvent {}
}
