package io.phoenix.sim.engine;

/** Either an order or a Binance error: exactly one of order/error is non-null. */
public record OrderResult(SimOrder order, SimError error) {

  public static OrderResult ok(SimOrder order) {
    return new OrderResult(order, null);
  }

  public static OrderResult fail(SimError error) {
    return new OrderResult(null, error);
  }

  public boolean isOk() {
    return error == null;
  }
}
