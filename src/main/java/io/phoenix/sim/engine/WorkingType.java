package io.phoenix.sim.engine;

/** Which price a conditional order watches. */
public enum WorkingType {
  MARK_PRICE,
  CONTRACT_PRICE
}
