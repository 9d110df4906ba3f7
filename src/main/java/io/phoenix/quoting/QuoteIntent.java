package io.phoenix.quoting;

/**
 * What a quoter asks risk to send, in domain units (ticks, steps). An interim protocol until it is
 * mapped onto the gateway's order intent: risk checks these and forwards the approved ones.
 */
public sealed interface QuoteIntent {
  int symbolId();

  /** {@link System#nanoTime()} when the quoter created the intent (latency accounting). */
  long createdNanos();

  /** A new post-only (GTX) limit order. */
  record Place(String clientOrderId, int symbolId, boolean buy, long priceTicks, long qtySteps, boolean postOnly, long createdNanos)
      implements QuoteIntent {
    public Place withQty(long qty) {
      return new Place(clientOrderId, symbolId, buy, priceTicks, qty, postOnly, createdNanos);
    }
  }

  /** Cancel one order by client order id. */
  record Cancel(String clientOrderId, int symbolId, boolean buy, long createdNanos) implements QuoteIntent {}

  /** Move a resting order (Binance modify: price and/or quantity). */
  record Amend(String clientOrderId, int symbolId, boolean buy, long priceTicks, long qtySteps, long createdNanos)
      implements QuoteIntent {}

  /** Cancel every open order of the symbol (start-up after a restart, kill switch). */
  record CancelAll(int symbolId, long createdNanos) implements QuoteIntent {}
}
