package io.phoenix.model;

/** Binance's time-in-force values the model knows. */
public enum TimeInForce {
  /** Post-only: refused with -5022 when it would take. */
  GTX,
  /** Takes what it crosses, rests the remainder. */
  GTC,
  /** Takes what it crosses, expires the remainder. */
  IOC
}
