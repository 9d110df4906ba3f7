package io.phoenix.quoting;

/**
 * The strategy's desired quotes: a reusable buffer of levels per side, best first. Arrays are
 * allocated once per quoter so a requote allocates nothing. Also carries the intermediate values
 * (fair, reservation, half-spread, skew) for status and tests.
 */
public final class Quotes {
  public final long[] bidPrice;
  public final long[] bidQty;
  public final long[] askPrice;
  public final long[] askQty;
  public int bidCount;
  public int askCount;
  public double fairTicks;
  public double reservationTicks;
  public double halfSpreadTicks;
  public double skewTicks;

  /** The soft position limit in steps at this fair value. */
  public long maxPositionSteps;

  public Quotes(int maxLevels) {
    bidPrice = new long[maxLevels];
    bidQty = new long[maxLevels];
    askPrice = new long[maxLevels];
    askQty = new long[maxLevels];
  }

  public void clear() {
    bidCount = 0;
    askCount = 0;
    maxPositionSteps = 0;
  }

  public int count(boolean buy) {
    return buy ? bidCount : askCount;
  }

  public long price(boolean buy, int level) {
    return buy ? bidPrice[level] : askPrice[level];
  }

  public long qty(boolean buy, int level) {
    return buy ? bidQty[level] : askQty[level];
  }
}
