package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuoterCoreTest {
  private static final long MS = 1_000_000L;
  private static final String CFG =
      "phoenix.quoter { spread-unit = ticks, base-spread = 4, level-spacing = 2, fair-value = mid, levels = 2,"
          + " level-notional = 99, min-quote-life = 0ms, stale-book-after = 1s, post-only-max-backoff-ticks = 3, refresh-tolerance-bps = 0, require-mark-price = false, order-rate-pause = 100ms,"
          + " fees { maker-rate = 0, min-edge-bps = 0 } }";
  private int seq;
  private final QuoterCore core =
      new QuoterCore(Fixtures.quoter(CFG), Fixtures.btc(0), () -> "id" + seq++, true);

  private void acceptAll() {
    for (int i = 0; i < core.actionCount(); i++) {
      if (core.actionKind(i) == OrderDiff.Kind.PLACE) {
        core.onAccepted(core.actionClientId(i));
      }
    }
  }

  @Test
  void quotesBothSidesOnAValidBookAndThenHoldsSteady() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    assertEquals(4, core.requote(0));
    acceptAll();
    assertEquals(0, core.requote(10 * MS), "unchanged book: nothing to do");
    assertEquals(4, core.working().size());
  }

  @Test
  void pullsEverythingWhenTheBookIsInvalidAndResumesWhenValidAgain() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    acceptAll();
    core.onBookInvalid();
    assertEquals(QuoterCore.Halt.BOOK_INVALID, core.halt(MS));
    assertEquals(4, core.requote(MS));
    for (int i = 0; i < 4; i++) {
      assertEquals(OrderDiff.Kind.CANCEL, core.actionKind(i));
    }
    assertEquals(0, core.requote(2 * MS), "pending cancels are not cancelled twice");
    core.onTopOfBook(500_000, 10, 500_001, 10, 3 * MS);
    // the four pending cancels do not count as live levels, so four new orders go out
    assertEquals(4, core.requote(3 * MS));
  }

  @Test
  void pullsOnStaleBookUserStreamDownAndRiskStop() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    assertEquals(QuoterCore.Halt.BOOK_STALE, core.halt(1001 * MS));
    core.onUserStream(false);
    assertEquals(QuoterCore.Halt.USER_STREAM_DOWN, core.halt(0));
    core.onUserStream(true);
    core.stop();
    assertEquals(QuoterCore.Halt.RISK_STOP, core.halt(0));
    assertEquals(0, core.requote(0));
    core.resume();
    assertEquals(QuoterCore.Halt.NONE, core.halt(0));
  }

  @Test
  void postOnlyRejectBacksOffOneTickAndSkipsTheSideForOneCycle() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    String bid = null;
    for (int i = 0; i < core.actionCount(); i++) {
      if (core.actionBuy(i) && core.actionPrice(i) == 499_998) {
        bid = core.actionClientId(i);
      } else {
        core.onAccepted(core.actionClientId(i));
      }
    }
    assertTrue(core.onRejected(bid, -5022));
    assertEquals(1, core.backoffTicks(true));
    assertEquals(0, core.requote(MS), "bid side sits this cycle out");
    int placed = core.requote(2 * MS);
    assertEquals(1, placed);
    assertTrue(core.actionBuy(0));
    core.onAccepted(core.actionClientId(0));
    assertEquals(0, core.backoffTicks(true), "an accept earns the tick back");
  }

  @Test
  void anOrderRateRefusalHoldsNewOrdersForThePauseWhileCancelsStillGo() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    String refused = core.actionClientId(0);
    for (int i = 1; i < core.actionCount(); i++) {
      core.onAccepted(core.actionClientId(i));
    }
    core.onRejected(refused, 0);
    core.onOrderRateRefused(MS);
    assertEquals(0, core.requote(2 * MS), "the refused level is not placed again at once");
    assertTrue(core.rateHoldSkips() > 0);
    core.onBookInvalid();
    assertEquals(3, core.requote(3 * MS), "pulling quotes is never held");
    for (int i = 0; i < 3; i++) {
      assertEquals(OrderDiff.Kind.CANCEL, core.actionKind(i));
    }
    core.onTopOfBook(500_000, 10, 500_001, 10, 50 * MS);
    assertEquals(0, core.requote(50 * MS), "still within the 100 ms pause");
    assertEquals(4, core.requote(102 * MS), "the pause is over: all four levels again");
  }

  @Test
  void fillsMovePositionOnceEvenWhenRepeated() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    String id = core.actionClientId(0);
    core.onAccepted(id);
    assertEquals(1, core.onOrderUpdate(id, true, true, 1, 1, 499_998, 0.01));
    assertEquals(0, core.onOrderUpdate(id, true, true, 1, 1, 499_998, 0.01), "duplicate event");
    assertEquals(1, core.onOrderUpdate(id, true, false, 2, 1, 499_998, 0.01));
    assertEquals(2, core.positionSteps());
    assertEquals(2, core.fills());
    assertEquals(-1, core.working().slotOf(id), "filled orders leave the table");
  }

  @Test
  void waitsForTheFirstMarkPriceWhenRequired() {
    QuoterCore strict =
        new QuoterCore(
            Fixtures.quoter(CFG + "\nphoenix.quoter.require-mark-price = true"),
            Fixtures.btc(0),
            () -> "s" + seq++,
            true);
    strict.onTopOfBook(500_000, 10, 500_001, 10, 0);
    assertEquals(QuoterCore.Halt.NO_MARK_PRICE, strict.halt(0));
    assertEquals(0, strict.requote(0));
    strict.onMark(500_000, 0.0001);
    assertEquals(4, strict.requote(0));
  }

  @Test
  void doesNotPlaceThroughItsOwnOrdersWhileTheirCancelIsInFlight() {
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    acceptAll();
    // the market jumps up through our asks (499998/499996 bids, 500003/500005 asks)
    core.onTopOfBook(500_010, 10, 500_011, 10, MS);
    int n = core.requote(MS);
    int bidPlaces = 0;
    for (int i = 0; i < n; i++) {
      if (core.actionKind(i) == OrderDiff.Kind.PLACE && core.actionBuy(i)) {
        bidPlaces++;
      }
    }
    assertEquals(0, bidPlaces, "new bids would cross our own asks still pending cancel");
    assertTrue(core.selfCrossSkips() > 0);
  }
}
