package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VolatilityEstimatorTest {
  private static final long MS = 1_000_000L;

  @Test
  void constantMidHasZeroVolatility() {
    VolatilityEstimator v = new VolatilityEstimator(0.1, 100 * MS);
    for (int i = 0; i < 10; i++) {
      v.onMid(i * 200 * MS, 100.0);
    }
    assertEquals(0.0, v.sigmaPerSqrtSecond());
    assertEquals(9, v.samples());
  }

  @Test
  void samplesWithinTheIntervalAreIgnoredAndReturnsScalePerSecond() {
    VolatilityEstimator v = new VolatilityEstimator(1.0, 100 * MS);
    v.onMid(0, 100.0);
    assertFalse(v.onMid(50 * MS, 200.0), "too soon");
    assertTrue(v.onMid(250 * MS, 101.0));
    double r = Math.log(101.0 / 100.0);
    assertEquals(Math.sqrt(r * r / 0.25), v.sigmaPerSqrtSecond(), 1e-12);
  }
}
