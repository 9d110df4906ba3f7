package io.phoenix.sim.engine;

/** Binance order status. */
public enum OrderStatus {
  NEW,
  PARTIALLY_FILLED,
  FILLED,
  CANCELED,
  EXPIRED,
  EXPIRED_IN_MATCH
}
