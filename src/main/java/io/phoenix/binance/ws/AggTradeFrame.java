package io.phoenix.binance.ws;

/**
 * An {@code aggTrade} event, or a raw {@code trade} event ({@link #single()}: one trade, its id in
 * {@link #aggregateId()} and both trade ids), reused by the decoder for every frame.
 */
public final class AggTradeFrame extends MarketFrame {
  long aggregateId;
  long price;
  long quantity;
  long nonRpiQuantity;
  long firstTradeId;
  long lastTradeId;
  long tradeTime;
  boolean buyerMaker;
  boolean single;
  boolean marketTrade;

  /** {@code a}. */
  public long aggregateId() {
    return aggregateId;
  }

  /** {@code p} in ticks. */
  public long price() {
    return price;
  }

  /** {@code q} in steps, RPI fills included. */
  public long quantity() {
    return quantity;
  }

  /** {@code nq} in steps, RPI fills excluded; equals {@link #quantity()} when absent. */
  public long nonRpiQuantity() {
    return nonRpiQuantity;
  }

  public long firstTradeId() {
    return firstTradeId;
  }

  public long lastTradeId() {
    return lastTradeId;
  }

  /** {@code T}. */
  public long tradeTime() {
    return tradeTime;
  }

  /** {@code m}: the buyer was the maker, so the taker sold. */
  public boolean buyerMaker() {
    return buyerMaker;
  }

  /** True for a raw {@code trade} event rather than an aggregate. */
  public boolean single() {
    return single;
  }

  /**
   * False when a raw trade's {@code X} says it was not matched on the book (insurance fund, ADL):
   * such a trade consumed no resting order. True for aggregates, which hold only book trades.
   */
  public boolean marketTrade() {
    return marketTrade;
  }

  void reset() {
    resetCommon();
    aggregateId = price = quantity = firstTradeId = lastTradeId = tradeTime = 0;
    nonRpiQuantity = Long.MIN_VALUE;
    buyerMaker = false;
    single = false;
    marketTrade = true;
  }
}
