package io.phoenix.sim.engine;

/** Self-trade prevention mode. */
public enum StpMode {
  NONE,
  EXPIRE_TAKER,
  EXPIRE_MAKER,
  EXPIRE_BOTH
}
