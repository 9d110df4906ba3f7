package io.phoenix.binance.ws;

import io.phoenix.core.Instrument;

/** A {@code bookTicker} event, reused by the decoder for every frame. */
public final class BookTickerFrame {
  Instrument instrument;
  long updateId;
  long eventTime;
  long transactionTime;
  long bidPrice;
  long bidQuantity;
  long askPrice;
  long askQuantity;

  public Instrument instrument() {
    return instrument;
  }

  public int symbolId() {
    return instrument.id();
  }

  /** {@code u}: order-book update id, comparable with depth ids. */
  public long updateId() {
    return updateId;
  }

  public long eventTime() {
    return eventTime;
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
    instrument = null;
    updateId = eventTime = transactionTime = 0;
    bidPrice = bidQuantity = askPrice = askQuantity = 0;
  }
}
