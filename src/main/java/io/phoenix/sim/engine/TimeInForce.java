package io.phoenix.sim.engine;

/** Time in force; GTX is post-only. */
public enum TimeInForce {
  GTC,
  IOC,
  FOK,
  GTX
}
