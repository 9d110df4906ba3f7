package io.phoenix.sim.engine;

/** Position side: BOTH in one-way mode, LONG/SHORT in hedge mode. */
public enum PositionSide {
  BOTH,
  LONG,
  SHORT
}
