package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlgoTriggerTest {
  @Test
  void stopsFireThroughTheTriggerTakeProfitsTowardIt() {
    assertTrue(AlgoTrigger.wouldTriggerImmediately(AlgoType.STOP_MARKET, Side.SELL, 100, 100));
    assertFalse(AlgoTrigger.wouldTriggerImmediately(AlgoType.STOP_MARKET, Side.SELL, 100, 101));
    assertTrue(AlgoTrigger.wouldTriggerImmediately(AlgoType.STOP, Side.BUY, 100, 100));
    assertFalse(AlgoTrigger.wouldTriggerImmediately(AlgoType.STOP, Side.BUY, 100, 99));
    assertTrue(
        AlgoTrigger.wouldTriggerImmediately(AlgoType.TAKE_PROFIT_MARKET, Side.SELL, 100, 100));
    assertFalse(
        AlgoTrigger.wouldTriggerImmediately(AlgoType.TAKE_PROFIT_MARKET, Side.SELL, 100, 99));
    assertTrue(AlgoTrigger.wouldTriggerImmediately(AlgoType.TAKE_PROFIT, Side.BUY, 100, 99));

    AlgoTrigger sellStop = new AlgoTrigger(AlgoType.STOP_MARKET, Side.SELL, 100, 0, 0);
    sellStop.start(105);
    assertFalse(sellStop.update(101, 106, 103));
    assertTrue(sellStop.update(99, 103, 102), "a dip through the trigger inside the step fires it");
  }

  @Test
  void trailingSellFollowsTheHighAndFiresOnTheCallback() {
    AlgoTrigger t = new AlgoTrigger(AlgoType.TRAILING_STOP_MARKET, Side.SELL, 0, 0, 1.0);
    t.start(1000);
    assertTrue(t.active());
    assertFalse(t.update(995, 1000, 995));
    assertFalse(t.update(1000, 1100, 1100));
    assertFalse(t.update(1090, 1100, 1090), "1 % below 1100 is 1089");
    assertTrue(t.update(1089, 1090, 1089));
  }

  @Test
  void trailingBuyWaitsForItsActivationPrice() {
    AlgoTrigger t = new AlgoTrigger(AlgoType.TRAILING_STOP_MARKET, Side.BUY, 0, 900, 2.0);
    t.start(1000);
    assertFalse(t.active());
    assertFalse(t.update(950, 1000, 1000), "not active before the price reaches 900");
    assertFalse(t.update(880, 950, 890));
    assertTrue(t.active());
    assertFalse(t.update(880, 897, 897), "2 % above the low of 880 is 897.6");
    assertTrue(t.update(890, 898, 898));
  }
}
