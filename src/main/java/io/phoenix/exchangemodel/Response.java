package io.phoenix.exchangemodel;

/**
 * What the exchange tells us, stamped with when it happened on the exchange ({@code exchNanos}) and
 * when we see it ({@code atNanos}, after the response latency). Acknowledgements answer our
 * requests (REST); {@link Fill} and {@link Funding} are what the user stream reports.
 */
public sealed interface Response {
  long atNanos();

  long exchNanos();

  /** Which request an answer is about. */
  enum Kind {
    PLACE,
    CANCEL,
    AMEND,
    CANCEL_ALL
  }

  record Accepted(long atNanos, long exchNanos, String clientId, long orderId)
      implements Response {}

  /**
   * Definitive refusal with Binance's error code (-5022 post-only would take, -2011 unknown order,
   * -1015 too many orders).
   */
  record Rejected(long atNanos, long exchNanos, String clientId, Kind kind, int code)
      implements Response {}

  /** The order is gone without filling further: cancelled, or an IOC remainder expired. */
  record Canceled(long atNanos, long exchNanos, String clientId, long cumQtySteps)
      implements Response {}

  record Amended(long atNanos, long exchNanos, String clientId, long priceTicks, long qtySteps)
      implements Response {}

  /**
   * One execution of our order.
   *
   * @param open whether the order still rests afterwards
   * @param commission fee paid in the quote currency (negative = rebate)
   */
  record Fill(
      long atNanos,
      long exchNanos,
      String clientId,
      boolean buy,
      long priceTicks,
      long qtySteps,
      long cumQtySteps,
      boolean open,
      boolean maker,
      double commission)
      implements Response {}

  /**
   * A funding settlement: {@code amount} received (negative = paid) at {@code rate} and {@code
   * markTicks}.
   */
  record Funding(
      long atNanos, long exchNanos, double amount, double rate, long markTicks, long positionSteps)
      implements Response {}
}
