package io.phoenix.quoting;

/** Fair value estimates from the top of book, in (fractional) ticks. */
public final class FairValue {
  private FairValue() {}

  public static double mid(long bidTicks, long askTicks) {
    return (bidTicks + askTicks) * 0.5;
  }

  /**
   * Size-weighted mid: with much more size on the bid the next trade is likelier up, so the fair
   * value leans toward the ask. Falls back to the mid when either side has no size.
   */
  public static double microprice(long bidTicks, long bidQty, long askTicks, long askQty) {
    if (bidQty <= 0 || askQty <= 0) {
      return mid(bidTicks, askTicks);
    }
    double total = (double) bidQty + (double) askQty;
    return (bidTicks * (double) askQty + askTicks * (double) bidQty) / total;
  }
}
