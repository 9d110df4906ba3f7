package io.phoenix.sim.engine;

/** Order types the simulator supports. */
public enum OrderType {
  LIMIT,
  MARKET,
  /** The exchange's own order closing a liquidated position; never rests in a book. */
  LIQUIDATION
}
