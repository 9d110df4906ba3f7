package io.phoenix.sim.engine;

/** Conditional order types of the Algo Order API. */
public enum AlgoType {
  STOP,
  STOP_MARKET,
  TAKE_PROFIT,
  TAKE_PROFIT_MARKET,
  TRAILING_STOP_MARKET;

  /** True when the triggered order is a MARKET order (otherwise a LIMIT at the algo's price). */
  public boolean market() {
    return this != STOP && this != TAKE_PROFIT;
  }
}
