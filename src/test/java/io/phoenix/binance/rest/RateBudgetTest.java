package io.phoenix.binance.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.binance.rest.RateBudget.Limit;
import io.phoenix.binance.rest.RateBudget.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
  // 2026-01-01T00:00:00Z: aligned to every window
  private static final long T0 = 1_767_225_600_000L;

  @Test
  void safetyMarginCutsEachLimit() {
    RateBudget b = new RateBudget(RateBudget.binanceDefaults(), 0.1);
    assertEquals(2160, b.effectiveLimit(0));
    assertEquals(270, b.effectiveLimit(1));
    assertEquals(1080, b.effectiveLimit(2));
  }

  @Test
  void ordersStopAtTheTenSecondLimitAndResumeAtTheNextWindow() {
    RateBudget b = new RateBudget(List.of(new Limit(Scope.ORDERS, 10_000, 10)), 0.0);
    long now = T0 + 2_500;
    for (int i = 0; i < 10; i++) {
      assertTrue(b.canSend(now, Cost.SINGLE_ORDER), "order " + i);
      b.record(now, Cost.SINGLE_ORDER);
    }
    assertEquals(7_500, b.waitMillis(now, Cost.SINGLE_ORDER));
    // queries do not use the order counters
    assertEquals(0, b.waitMillis(now, Cost.QUERY));
    assertTrue(b.canSend(T0 + 10_000, Cost.SINGLE_ORDER));
  }

  @Test
  void batchCostsFiveOnShortWindowsAndOneOnTheMinute() {
    RateBudget b = new RateBudget(RateBudget.binanceDefaults(), 0.0);
    b.record(T0, Cost.BATCH_ORDERS);
    assertEquals(5, b.used(0, T0));
    assertEquals(5, b.used(1, T0));
    assertEquals(1, b.used(2, T0));
  }

  @Test
  void weightWindowBlocksHeavyRequests() {
    RateBudget b = new RateBudget(List.of(new Limit(Scope.REQUEST_WEIGHT, 60_000, 100)), 0.0);
    b.record(T0 + 1_000, new Cost(95, 0, 0));
    assertEquals(0, b.waitMillis(T0 + 1_000, new Cost(5, 0, 0)));
    assertEquals(59_000, b.waitMillis(T0 + 1_000, new Cost(6, 0, 0)));
  }

  @Test
  void exchangeHeadersRaiseButNeverLowerTheCount() {
    RateBudget b = new RateBudget(RateBudget.binanceDefaults(), 0.0);
    b.record(T0, Cost.SINGLE_ORDER);
    b.observe(T0, 2000, 250, 400);
    assertEquals(2000, b.used(0, T0));
    assertEquals(250, b.used(1, T0));
    assertEquals(400, b.used(2, T0));
    b.observe(T0, 10, 1, 1);
    assertEquals(250, b.used(1, T0));
    b.observe(T0, -1, -1, -1);
    assertEquals(2000, b.used(0, T0));
    // the ten-second window rolls over; the minute window does not
    assertEquals(0, b.used(1, T0 + 10_000));
    assertEquals(400, b.used(2, T0 + 10_000));
  }

  @Test
  void pauseBlocksEverythingUntilItsEnd() {
    RateBudget b = new RateBudget(RateBudget.binanceDefaults(), 0.0);
    b.pauseUntil(T0 + 7_000);
    assertEquals(7_000, b.waitMillis(T0, Cost.QUERY));
    assertFalse(b.canSend(T0 + 6_999, Cost.CANCEL));
    assertTrue(b.canSend(T0 + 7_000, Cost.CANCEL));
  }

  @Test
  void aCostAboveTheWholeAllowanceStillGoesInAFreshWindow() {
    RateBudget b = new RateBudget(List.of(new Limit(Scope.ORDERS, 10_000, 3)), 0.0);
    assertTrue(b.canSend(T0, Cost.BATCH_ORDERS));
  }

  /**
   * Order entry leaves the background reserve of the weight window alone: after it has used all it
   * may, a listenKey or a snapshot (background) still fits this minute, and order entry itself
   * waits for the next window.
   */
  @Test
  void orderEntryLeavesTheBackgroundReserveOfTheWeightWindow() {
    SharedRateBudget shared =
        new SharedRateBudget(List.of(new Limit(Scope.REQUEST_WEIGHT, 60_000, 100)), 0.0, 0.2);
    long now = 120_000; // the start of a minute window
    int sent = 0;
    while (shared.acquireForOrderEntry(now, Cost.CANCEL) == 0) {
      sent++;
    }
    assertEquals(80, sent, "order entry stops at 80 of 100");
    assertEquals(
        60_000,
        shared.acquireForOrderEntry(now, Cost.CANCEL),
        "order entry waits for the next window");
    assertEquals(
        0, shared.acquire(now, new Cost(20, 0, 0)), "a background request of weight 20 still fits");
    assertTrue(shared.acquire(now, Cost.QUERY) > 0, "and then the window is full for everyone");
    assertEquals(
        0,
        shared.acquireForOrderEntry(now + 60_000, Cost.CANCEL),
        "a new window serves order entry again");
  }

  @Test
  void noReserveMeansOrderEntryMayUseTheWholeWindow() {
    SharedRateBudget shared =
        new SharedRateBudget(List.of(new Limit(Scope.REQUEST_WEIGHT, 60_000, 100)), 0.0);
    int sent = 0;
    while (shared.acquireForOrderEntry(0, Cost.CANCEL) == 0) {
      sent++;
    }
    assertEquals(100, sent);
  }

  /**
   * An answer that arrives after a minute began, to a request sent in the minute before, carries
   * the old minute's count: it must not fill the new minute (background requests then waited up to
   * a minute in a soak), while an answer to a request of this minute raises the count as before.
   */
  @Test
  void aCounterOfARequestSentInTheLastWindowDoesNotFillThisOne() {
    RateBudget budget = new RateBudget(List.of(new Limit(Scope.REQUEST_WEIGHT, 60_000, 2400)), 0.1);
    budget.observe(120_010, 119_990, 2300, -1, -1);
    assertEquals(0, budget.used(0, 120_010), "the old minute's 2300 stays in the old minute");
    assertEquals(0, budget.waitMillis(120_010, new Cost(20, 0, 0)));
    budget.observe(120_050, 120_020, 2300, -1, -1);
    assertEquals(
        2300, budget.used(0, 120_050), "a request of this minute raises this minute's count");
    assertTrue(budget.waitMillis(120_050, new Cost(20, 0, 0)) > 0);
  }
}
