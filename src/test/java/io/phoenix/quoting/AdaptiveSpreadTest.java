package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveSpreadTest {
  private static final long S = 1_000_000_000L;

  // target 2 bps, gain 0.5, cap 4 bps, half-life 30 s
  private final AdaptiveSpread a = new AdaptiveSpread(true, 0.3, 2.0, 0.5, 4.0, 30 * S);

  @Test
  void widensOnlyTheSideWhoseFillsMarkOutBadly() {
    assertEquals(0, a.extraBps(true, 0));
    assertEquals(0, a.extraBps(false, 0));
    a.onMarkout(true, -4, S); // a buy 6 bps below target: m = 2 + 0.3 * (-6) = 0.2
    assertEquals(0.5 * 1.8, a.extraBps(true, S), 1e-9);
    assertEquals(0, a.extraBps(false, S), "the ask sold to nobody toxic");
    a.validateInvariants();
  }

  @Test
  void theWideningIsBoundedWhateverTheMarkouts() {
    for (int i = 0; i < 1000; i++) {
      a.onMarkout(false, -1e6, i * 1_000_000L);
      assertTrue(a.extraBps(false, i * 1_000_000L) <= 4.0 + 1e-12);
      a.validateInvariants();
    }
    assertEquals(4.0, a.extraBps(false, S), 1e-9);
    a.onMarkout(false, Double.NaN, S);
    a.onMarkout(false, Double.NEGATIVE_INFINITY, S);
    assertEquals(4.0, a.extraBps(false, S), 1e-6, "non-numbers are ignored");
  }

  @Test
  void itRevertsByItselfWithTheHalfLifeAndFasterWithGoodMarkouts() {
    for (int i = 0; i < 50; i++) {
      a.onMarkout(true, -100, 0);
    }
    assertEquals(4.0, a.extraBps(true, 0), 1e-9);
    // the average sits at the floor target - 2 * cap / gain = -14 bps: the shortfall 16 halves
    // every 30 s
    assertEquals(Math.min(4, 0.5 * 8), a.extraBps(true, 30 * S), 1e-6);
    assertEquals(0.5 * 4, a.extraBps(true, 60 * S), 1e-6);
    assertEquals(0.5 * 2, a.extraBps(true, 90 * S), 1e-6);
    assertTrue(a.extraBps(true, 600 * S) < 1e-4, "gone after 20 half-lives");
    for (int i = 0; i < 50; i++) {
      a.onMarkout(true, -100, 600 * S);
    }
    for (int i = 0; i < 30; i++) {
      a.onMarkout(true, 5, 600 * S); // fills that pay again
    }
    assertEquals(0, a.extraBps(true, 600 * S), 1e-3);
    a.validateInvariants();
  }

  @Test
  void goodMarkoutsBankNoCredit() {
    for (int i = 0; i < 20; i++) {
      a.onMarkout(true, 50, 0);
    }
    assertEquals(2.0, a.averageBps(true), 1e-12);
    a.onMarkout(true, -4, 0);
    assertEquals(
        0.9, a.extraBps(true, 0), 1e-9, "the first bad fill after good ones widens at once");
  }

  @Test
  void disabledNeverWidensButStillValidatesItsInputs() {
    AdaptiveSpread off = new AdaptiveSpread(false, 0.3, 2.0, 0.5, 4.0, 30 * S);
    off.onMarkout(true, -100, 0);
    assertEquals(0, off.extraBps(true, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSpread(true, 0, 2, 0.5, 4, S));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSpread(true, 0.3, 2, -1, 4, S));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSpread(true, 0.3, 2, 0.5, 4, 0));
  }
}
