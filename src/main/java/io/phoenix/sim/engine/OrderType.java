package io.phoenix.sim.engine;

/** Order types the simulator supports. */
public enum OrderType {
  LIMIT,
  MARKET
}
