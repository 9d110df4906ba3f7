package io.phoenix.market;

/**
 * The best price and quantity of each side, in ticks and steps ({@link OrderBook#NO_PRICE} and 0
 * for an empty side): all the quoter prices from.
 */
public interface TopOfBook {
  long bestBidPrice();

  long bestBidQty();

  long bestAskPrice();

  long bestAskQty();

  /**
   * Size-weighted mid in ticks: leans toward the side with less quantity, since that side is the
   * likelier to be consumed. NaN while a side is empty.
   */
  default double microprice() {
    long bid = bestBidPrice();
    long ask = bestAskPrice();
    if (bid == OrderBook.NO_PRICE || ask == OrderBook.NO_PRICE) {
      return Double.NaN;
    }
    double bidQty = bestBidQty();
    double askQty = bestAskQty();
    return (bid * askQty + ask * bidQty) / (bidQty + askQty);
  }
}
