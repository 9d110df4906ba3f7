package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkoutTrackerTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private record Mark(int horizon, boolean buy, double bps, long at) {}

  private final List<Mark> marks = new ArrayList<>();
  private final MarkoutTracker t =
      MarkoutTracker.standard((h, buy, bps, at) -> marks.add(new Mark(h, buy, bps, at)));

  @Test
  void aBuyMarksOutAtTheMidInForceAtEachHorizonSignedInOurFavour() {
    t.onMid(0, 100_000);
    t.onFill(0, true, 100_000, 2);
    t.onMid(500 * MS, 100_010); // +1 bps for the buy
    t.onMid(1500 * MS, 99_990); // after the 1 s horizon: the 1 s markout uses 100 010
    t.validateInvariants();
    assertEquals(1, t.count(MarkoutTracker.SHORT));
    assertEquals(1.0, t.meanBps(MarkoutTracker.SHORT), 1e-9);
    assertEquals(0, t.count(MarkoutTracker.LONG));
    assertEquals(Double.NaN, t.meanBps(MarkoutTracker.LONG));
    t.advance(10 * S);
    assertEquals(1, t.count(MarkoutTracker.LONG));
    assertEquals(-1.0, t.meanBps(MarkoutTracker.LONG), 1e-9);
    assertEquals(
        List.of(
            new Mark(MarkoutTracker.SHORT, true, 1.0, 1500 * MS),
            new Mark(MarkoutTracker.LONG, true, -1.0, 10 * S)),
        marks.stream()
            .map(m -> new Mark(m.horizon, m.buy, Math.round(m.bps * 1e9) / 1e9, m.at))
            .toList());
    t.validateInvariants();
  }

  @Test
  void aSellGainsWhenTheMidFallsAndTheMeanIsWeightedByQuantity() {
    t.onMid(0, 200_000);
    t.onFill(0, false, 200_000, 1); // sell at 200 000
    t.onFill(100 * MS, true, 199_980, 3); // buy at 199 980 (1 bps below mid)
    t.onMid(200 * MS, 199_960); // sell: +2 bps; buy: (199 960 - 199 980) / 199 980 = -1.0001 bps
    t.advance(2 * S);
    double sell = 40.0 / 200_000 * 1e4;
    double buy = -20.0 / 199_980 * 1e4;
    assertEquals(2, t.count(MarkoutTracker.SHORT));
    assertEquals((sell * 1 + buy * 3) / 4, t.meanBps(MarkoutTracker.SHORT), 1e-9);
    assertEquals(buy, t.lastBps(MarkoutTracker.SHORT), 1e-9);
    assertEquals(2, t.pending(MarkoutTracker.LONG));
    assertTrue(
        t.meanBps(MarkoutTracker.SHORT) < 0, "the larger buy at a loss outweighs the small sell");
  }

  @Test
  void aFillIsNotMarkedBeforeItsHorizonNorBeforeAnyMidIsKnown() {
    t.onFill(0, true, 100, 1);
    t.advance(20 * S);
    assertEquals(0, t.count(MarkoutTracker.SHORT), "no mid yet: nothing to mark at");
    t.onMid(20 * S, 101);
    t.advance(20 * S);
    assertEquals(1, t.count(MarkoutTracker.SHORT));
    assertEquals(1, t.count(MarkoutTracker.LONG));
    t.onFill(21 * S, true, 101, 1);
    t.advance(21 * S + 999 * MS);
    assertEquals(1, t.count(MarkoutTracker.SHORT), "999 ms is not 1 s");
    t.advance(22 * S);
    assertEquals(2, t.count(MarkoutTracker.SHORT));
    t.validateInvariants();
  }

  @Test
  void zeroQuantityOrPriceIsIgnored() {
    t.onMid(0, 100);
    t.onFill(0, true, 0, 1);
    t.onFill(0, true, 100, 0);
    t.advance(20 * S);
    assertEquals(0, t.count(MarkoutTracker.SHORT));
    assertEquals(0, t.count(MarkoutTracker.LONG));
  }

  @Test
  void aFullBufferDropsTheOldestFillUncountedAndStaysConsistent() {
    MarkoutTracker small = new MarkoutTracker(S, 10 * S, 4, null);
    small.onMid(0, 1000);
    for (int i = 0; i < 10; i++) {
      small.onFill(i * 2 * S, i % 2 == 0, 1000, 1);
      small.validateInvariants();
    }
    // each fill's 1 s horizon passed before the next; only 4 still wait for their 10 s one
    assertEquals(9, small.count(MarkoutTracker.SHORT));
    assertEquals(4, small.pending(MarkoutTracker.LONG));
    assertTrue(small.dropped() > 0);
    small.advance(100 * S);
    assertEquals(10, small.count(MarkoutTracker.SHORT));
    assertEquals(10 - small.dropped(), small.count(MarkoutTracker.LONG));
    small.validateInvariants();
  }

  @Test
  void rejectsNonsenseHorizons() {
    assertThrows(IllegalArgumentException.class, () -> new MarkoutTracker(0, S, 4, null));
    assertThrows(IllegalArgumentException.class, () -> new MarkoutTracker(2 * S, S, 4, null));
    assertThrows(IllegalArgumentException.class, () -> new MarkoutTracker(S, 2 * S, 0, null));
  }
}
