package io.phoenix.exchangemodel;

/**
 * The recorded book as the exchange sees it at the model's current time: everyone else's liquidity
 * (our orders are not in it). Prices in ticks, quantities in steps; level 0 is the best.
 */
public interface BookView {
  /** Quantity resting at exactly {@code price} on the bid ({@code bid}) or ask side, 0 if none. */
  long qtyAt(boolean bid, long price);

  int levels(boolean bid);

  /** Price of the {@code level}-th best level of a side; only for {@code level < levels(bid)}. */
  long price(boolean bid, int level);

  long qty(boolean bid, int level);
}
