package io.phoenix.backtest;

import io.phoenix.exchangemodel.BookView;
import io.phoenix.market.OrderBook;

/**
 * A recorded book as the exchange model reads it: the backtester's exchange-side book and the
 * replaying simulator's book both hand the model their {@link OrderBook} through this.
 */
public record OrderBookView(OrderBook book) implements BookView {
  @Override
  public long qtyAt(boolean bid, long price) {
    return bid ? book.bidQtyAt(price) : book.askQtyAt(price);
  }

  @Override
  public int levels(boolean bid) {
    return bid ? book.bidLevels() : book.askLevels();
  }

  @Override
  public long price(boolean bid, int level) {
    return bid ? book.bidPrice(level) : book.askPrice(level);
  }

  @Override
  public long qty(boolean bid, int level) {
    return bid ? book.bidQty(level) : book.askQty(level);
  }
}
