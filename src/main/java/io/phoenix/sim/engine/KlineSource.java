package io.phoenix.sim.engine;

/** Which price series a kline request reads: trades, the mark price or the index price. */
public enum KlineSource {
  TRADE,
  MARK,
  INDEX
}
