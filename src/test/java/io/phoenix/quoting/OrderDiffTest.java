package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.model.OrderState;
import org.junit.jupiter.api.Test;

class OrderDiffTest {
  private static final long MS = 1_000_000L;
  private final Quotes q = new Quotes(2);
  private final QuoterOrders w = new QuoterOrders(16);
  private final OrderDiff diff = new OrderDiff(2, 16, 1, 250 * MS, false);

  private void desire(long bid0, long bid1, long ask0, long ask1) {
    q.clear();
    q.bidPrice[0] = bid0;
    q.bidPrice[1] = bid1;
    q.askPrice[0] = ask0;
    q.askPrice[1] = ask1;
    q.bidQty[0] = q.bidQty[1] = q.askQty[0] = q.askQty[1] = 5;
    q.bidCount = 2;
    q.askCount = 2;
  }

  private int live(String id, boolean buy, long price, long createdNanos) {
    int s = w.add(id, buy, price, 5, createdNanos);
    w.setState(s, OrderState.NEW);
    return s;
  }

  @Test
  void placesEveryLevelWhenNothingWorks() {
    desire(99, 97, 101, 103);
    assertEquals(4, diff.compute(q, w, 0));
    for (int i = 0; i < 4; i++) {
      assertEquals(OrderDiff.Kind.PLACE, diff.kind(i));
    }
    assertEquals(99, diff.price(0));
    assertEquals(97, diff.price(1));
    assertEquals(101, diff.price(2));
  }

  @Test
  void ordersWithinToleranceAreKept() {
    live("b0", true, 98, 0); // 1 tick from 99: kept
    live("b1", true, 97, 0);
    live("a0", false, 101, 0);
    live("a1", false, 104, 0); // 1 tick from 103: kept
    desire(99, 97, 101, 103);
    assertEquals(0, diff.compute(q, w, 10_000 * MS));
  }

  @Test
  void oldOrdersOutsideToleranceAreCancelledBeforeReplacementsArePlaced() {
    int b0 = live("b0", true, 95, 0);
    live("b1", true, 97, 0);
    desire(99, 97, 0, 0);
    q.askCount = 0;
    assertEquals(2, diff.compute(q, w, 1000 * MS));
    assertEquals(OrderDiff.Kind.CANCEL, diff.kind(0));
    assertEquals(b0, diff.slot(0));
    assertEquals(OrderDiff.Kind.PLACE, diff.kind(1));
    assertEquals(99, diff.price(1));
  }

  @Test
  void youngOrdersAreNotReplacedAndTheSideKeepsItsLevelCount() {
    live("b0", true, 95, 900 * MS);
    live("b1", true, 97, 0);
    desire(99, 97, 101, 103);
    q.askCount = 0;
    // b0 is 100 ms old: kept although off target; b1 matches level 1; level 0 is not placed (2
    // live)
    assertEquals(0, diff.compute(q, w, 1000 * MS));
    // once old enough it is replaced
    assertEquals(2, diff.compute(q, w, 1200 * MS));
  }

  @Test
  void youngOrdersAreCancelledWhenTheirSideIsNoLongerQuoted() {
    live("b0", true, 99, 990 * MS);
    desire(99, 97, 101, 103);
    q.bidCount = 0;
    q.askCount = 0;
    assertEquals(1, diff.compute(q, w, 1000 * MS));
    assertEquals(OrderDiff.Kind.CANCEL, diff.kind(0));
  }

  @Test
  void youngOrdersThatWouldCrossTheNewQuotesAreCancelled() {
    live("b0", true, 101, 990 * MS);
    desire(99, 97, 101, 103);
    diff.compute(q, w, 1000 * MS);
    assertEquals(OrderDiff.Kind.CANCEL, diff.kind(0));
    assertEquals(101, diff.price(0));
  }

  @Test
  void aYoungQuoteTheMarketMovedThroughIsPulledOnTheSameRequoteWhateverItsAge() {
    // the market fell: our 1 ms old bid at 100 now sits above fair value 98.5
    int stale = live("b0", true, 100, 999 * MS);
    live("a0", false, 104, 999 * MS);
    desire(97, 95, 100, 102);
    q.fairTicks = 98.5;
    int n = diff.compute(q, w, 1000 * MS);
    assertEquals(OrderDiff.Kind.CANCEL, diff.kind(0), "first action");
    assertEquals(stale, diff.slot(0));
    for (int i = 1; i < n; i++) {
      assertTrue(
          diff.kind(i) != OrderDiff.Kind.CANCEL || diff.slot(i) != live0(),
          "the young ask above fair is kept");
    }
  }

  @Test
  void aYoungQuoteStillOnTheRightSideOfFairValueIsKept() {
    live("b0", true, 95, 999 * MS);
    live("b1", true, 93, 999 * MS);
    desire(98, 96, 100, 102);
    q.fairTicks = 99;
    q.askCount = 0;
    // off their levels but young and below fair value: a cosmetic change, deferred
    assertEquals(0, diff.compute(q, w, 1000 * MS));
    // the same orders once old enough are replaced
    assertTrue(diff.compute(q, w, 2000 * MS) > 0);
  }

  private int live0() {
    return w.slotOf("a0");
  }

  @Test
  void pullCancelsEverythingLiveIgnoringAge() {
    live("b0", true, 99, 999 * MS);
    int a = live("a0", false, 101, 999 * MS);
    int p = w.add("p", true, 98, 5, 999 * MS); // pending new is cancelled too
    live("c", false, 103, 0);
    w.setState(w.slotOf("c"), OrderState.PENDING_CANCEL);
    assertEquals(3, diff.pullAll(w));
    assertEquals(a, diff.slot(1));
    assertEquals(p, diff.slot(2));
  }

  @Test
  void pendingCancelsDoNotCountAsLiveLevels() {
    live("b0", true, 99, 0);
    w.setState(w.slotOf("b0"), OrderState.PENDING_CANCEL);
    desire(99, 97, 101, 103);
    q.askCount = 0;
    assertEquals(2, diff.compute(q, w, 1000 * MS));
    assertEquals(OrderDiff.Kind.PLACE, diff.kind(0));
  }

  @Test
  void amendModeMovesOrdersInsteadOfCancelling() {
    OrderDiff amending = new OrderDiff(2, 16, 1, 0, true);
    int b0 = live("b0", true, 90, 0);
    desire(99, 97, 101, 103);
    q.askCount = 0;
    int n = amending.compute(q, w, 1000 * MS);
    assertEquals(2, n);
    assertEquals(OrderDiff.Kind.AMEND, amending.kind(0));
    assertEquals(b0, amending.slot(0));
    assertEquals(99, amending.price(0));
    assertEquals(OrderDiff.Kind.PLACE, amending.kind(1));
    assertEquals(97, amending.price(1));
  }

  @Test
  void anOrderExactlyOnALevelIsNotClaimedByANeighbouringLevel() {
    live("b1", true, 98, 0);
    desire(99, 98, 101, 103);
    q.askCount = 0;
    assertEquals(1, diff.compute(q, w, 1000 * MS));
    assertEquals(OrderDiff.Kind.PLACE, diff.kind(0));
    assertEquals(99, diff.price(0));
  }
}
