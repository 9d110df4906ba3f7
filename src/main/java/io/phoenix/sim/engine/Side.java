package io.phoenix.sim.engine;

/** Order side. */
public enum Side {
  BUY,
  SELL
}
