package io.phoenix.sim.engine;

/** Binance's algo order states (ALGO_UPDATE {@code X}, {@code algoStatus}). */
public enum AlgoStatus {
  NEW,
  CANCELED,
  TRIGGERING,
  TRIGGERED,
  FINISHED,
  REJECTED,
  EXPIRED;

  public boolean open() {
    return this == NEW || this == TRIGGERING;
  }
}
