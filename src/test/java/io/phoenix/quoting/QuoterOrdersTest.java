package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.model.OrderState;
import org.junit.jupiter.api.Test;

class QuoterOrdersTest {
  private final QuoterOrders w = new QuoterOrders(8);

  @Test
  void aBidTheBookHasTradedThroughIsNotShownAsOurBestBid() {
    w.setState(w.add("b1", true, 100, 2, 0), OrderState.NEW);
    w.setState(w.add("b2", true, 98, 3, 0), OrderState.NEW);
    w.setState(w.add("b3", true, 98, 1, 0), OrderState.NEW);
    w.setState(w.add("a1", false, 103, 2, 0), OrderState.NEW);
    assertEquals(100, w.bestPriceInside(true, 101));
    assertEquals(98, w.bestPriceInside(true, 100), "a bid at the best ask has matched");
    assertEquals(0, w.bestPriceInside(true, 97));
    assertEquals(103, w.bestPriceInside(false, 99));
    assertEquals(0, w.bestPriceInside(false, 103));
    assertEquals(4, w.liveQtyAt(true, 98), "both bids at the price");
    w.setState(w.slotOf("b3"), OrderState.PENDING_CANCEL);
    assertEquals(3, w.liveQtyAt(true, 98), "a pending cancel is not a quote");
    w.validateInvariants();
  }

  @Test
  void aSettlingOrderCountsOnlyItsUnreportedFillsAndLeavesAtItsDeadline() {
    int s = w.add("b1", true, 100, 5, 0);
    w.setState(s, OrderState.NEW);
    w.fillTo(s, 1);
    assertEquals(4, w.exposure(true));
    w.settle(s, 3, 1_000);
    assertTrue(w.settling(s));
    assertEquals(2, w.exposure(true), "filled 3 on the exchange, 1 reported");
    assertFalse(w.wouldSelfCross(false, 100), "a settling order is off the book");
    assertEquals(0, w.bestPrice(true));
    w.validateInvariants();
    assertEquals(0, w.expireSettled(999));
    assertEquals(1, w.expireSettled(1_000));
    assertEquals(0, w.size());
    int t = w.add("b2", true, 100, 5, 0);
    w.fillTo(t, 2);
    w.settle(t, 2, 1_000);
    assertEquals(-1, w.slotOf("b2"), "nothing left to report: gone at once");
    w.validateInvariants();
  }
}
