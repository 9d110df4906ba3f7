package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandlesTest {
  /** 2026-01-01T00:00:00Z, a Thursday. */
  static final long T0 = 1_767_225_600_000L;

  @Test
  void intervalsOpenWhereBinanceOpensThem() {
    long t = T0 + 5 * 86_400_000L + 3_723_456L; // Tue 2026-01-06 01:02:03.456
    assertEquals(T0 + 5 * 86_400_000L + 3_720_000L, KlineInterval.M1.openTime(t));
    assertEquals(T0 + 5 * 86_400_000L + 3_600_000L, KlineInterval.H1.openTime(t));
    assertEquals(T0 + 5 * 86_400_000L, KlineInterval.D1.openTime(t));
    assertEquals(T0 + 4 * 86_400_000L, KlineInterval.W1.openTime(t), "weeks open on Monday");
    assertEquals(T0, KlineInterval.MONTH.openTime(t));
    assertEquals(T0 + 31 * 86_400_000L, KlineInterval.MONTH.next(T0), "January has 31 days");
    assertEquals(KlineInterval.H4, KlineInterval.of("4h"));
    assertNull(KlineInterval.of("2m"));
  }

  @Test
  void tradesAggregateIntoEveryIntervalAndGapsCarryTheClose() {
    Candles c = new Candles(10_000);
    c.trade(T0 + 1_000, 100, 2, 200.0, true, 1);
    c.trade(T0 + 30_000, 110, 1, 110.0, false, 2);
    c.trade(T0 + 59_999, 90, 3, 270.0, true, 3);
    c.trade(T0 + 180_000, 95, 1, 95.0, false, 4); // minute 3; minutes 1 and 2 are empty
    c.validateInvariants();
    List<Kline> m1 = c.klines(KlineInterval.M1, -1, -1, 500, T0 + 200_000);
    assertEquals(4, m1.size());
    Kline first = m1.get(0);
    assertEquals(T0, first.openTime());
    assertEquals(T0 + 59_999, first.closeTime());
    assertEquals(100, first.open());
    assertEquals(110, first.high());
    assertEquals(90, first.low());
    assertEquals(90, first.close());
    assertEquals(6, first.volumeSteps());
    assertEquals(580.0, first.quoteVolume(), 1e-9);
    assertEquals(3, first.count());
    assertEquals(5, first.takerBuyVolumeSteps());
    assertEquals(1, first.firstTradeId());
    assertEquals(3, first.lastTradeId());
    Kline gap = m1.get(1);
    assertEquals(90, gap.open());
    assertEquals(90, gap.close());
    assertEquals(0, gap.volumeSteps());
    assertEquals(0, gap.count());
    List<Kline> m5 = c.klines(KlineInterval.M5, -1, -1, 500, T0 + 200_000);
    assertEquals(1, m5.size());
    assertEquals(7, m5.get(0).volumeSteps());
    assertEquals(95, m5.get(0).close());
    assertEquals(4, m5.get(0).lastTradeId());
  }

  @Test
  void startTimeAndLimitPickTheWindow() {
    Candles c = new Candles(10_000);
    for (int i = 0; i < 10; i++) {
      c.sample(T0 + i * 60_000L, 100 + i);
    }
    List<Kline> last3 = c.klines(KlineInterval.M1, -1, -1, 3, T0 + 9 * 60_000L);
    assertEquals(T0 + 7 * 60_000L, last3.get(0).openTime());
    List<Kline> from = c.klines(KlineInterval.M1, T0 + 2 * 60_000L + 1, -1, 2, T0 + 9 * 60_000L);
    assertEquals(T0 + 3 * 60_000L, from.get(0).openTime(), "open time at or after startTime");
    assertEquals(2, from.size());
    List<Kline> until = c.klines(KlineInterval.M1, -1, T0 + 4 * 60_000L, 500, T0 + 9 * 60_000L);
    assertEquals(5, until.size());
    assertTrue(until.stream().allMatch(k -> k.count() == 1 && k.volumeSteps() == 0));
  }

  @Test
  void theRingForgetsTheOldestMinutesAndGrowsOnDemand() {
    Candles c = new Candles(300);
    for (int i = 0; i < 1000; i++) {
      c.sample(T0 + i * 60_000L, 1000 + i);
      c.validateInvariants();
    }
    List<Kline> all = c.klines(KlineInterval.M1, -1, -1, 1500, T0 + 999 * 60_000L);
    assertEquals(300, all.size());
    assertEquals(1700, all.get(0).open());
  }
}
