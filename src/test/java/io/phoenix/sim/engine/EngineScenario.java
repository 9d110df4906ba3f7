package io.phoenix.sim.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A quiet exchange (no market model) recording every event, on BTCUSDT at a fixed start time: the
 * common ground of the engine's scenario tests. Prices in USD and quantities in BTC convert to the
 * symbol's ticks (0.1) and steps (0.001).
 */
abstract class EngineScenario {
  static final String BTC = "BTCUSDT";
  static final long T0 = 1_767_225_600_000L;

  RecordingListener rec;
  SimExchange ex;
  long now = T0;

  @BeforeEach
  void setUp() {
    rec = new RecordingListener();
    ex = new SimExchange(SimEngineConfig.quiet(), rec, T0);
    now = T0;
  }

  @AfterEach
  void engineInvariantsHold() {
    ex.checkInvariants();
  }

  static long px(double usd) {
    return Math.round(usd * 10);
  }

  static long q(double btc) {
    return Math.round(btc * 1000);
  }

  /** Moves BTC's fair value (mark and index) and lets the engine run a couple of steps on it. */
  void markTo(double usd) {
    ex.setFairValue(BTC, px(usd));
    now += 200;
    ex.advanceTo(now);
  }
}
