package io.phoenix.binance.ws;

/** A {@code bookTicker} event, reused by the decoder for every frame. */
public final class BookTickerFrame extends MarketFrame {
  long updateId;
  long transactionTime;
  long bidPrice;
  long bidQuantity;
  long askPrice;
  long askQuantity;

  /** {@code u}: order-book update id, comparable with depth ids. */
  public long updateId() {
    return updateId;
  }

  public long transactionTime() {
    return transactionTime;
  }

  public long bidPrice() {
    return bidPrice;
  }

  public long bidQuantity() {
    return bidQuantity;
  }

  public long askPrice() {
    return askPrice;
  }

  public long askQuantity() {
    return askQuantity;
  }

  void reset() {
    resetCommon();
    updateId = transactionTime = 0;
    bidPrice = bidQuantity = askPrice = askQuantity = 0;
  }
}
