package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.phoenix.core.Instrument;
import io.phoenix.market.InvalidReason;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class QuoterTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final AtomicInteger IDS = new AtomicInteger();
  static final String CFG =
      "phoenix.quoter { spread-unit = ticks, base-spread = 4, level-spacing = 2, fair-value = mid, levels = 2,"
          + " level-notional = 99, min-quote-life = 0ms, stale-book-after = 400ms, refresh-tolerance-bps = 0, require-mark-price = false,"
          // these tests place in ticks around a 1-tick book: no fee floor (FeeFloorTest has it)
          + " fees { maker-rate = 0, min-edge-bps = 0, read-from-exchange = false } }";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /**
   * The next message to risk as single checks: a requote of several intents arrives as one {@link
   * Risk.CheckAll}, answered intent by intent like {@link Risk.Check}s.
   */
  static List<Risk.Check> nextChecks(TestProbe<Risk.Command> risk) {
    Risk.Command m = risk.receiveMessage(Duration.ofSeconds(3));
    if (m instanceof Risk.Check c) {
      return List.of(c);
    }
    if (m instanceof Risk.CheckAll all) {
      assertTrue(all.intents().size() > 1, "a CheckAll of one intent: " + all.intents());
      return all.intents().stream().map(i -> new Risk.Check(i, all.replyTo())).toList();
    }
    throw new AssertionError("expected a check, got " + m);
  }

  /** A quoter wired to a risk probe; the registration and the start-up cancel-all are consumed. */
  record Rig(Instrument instrument, ActorRef<Quoter.Command> quoter, TestProbe<Risk.Command> risk) {
    void book(long bid, long ask) {
      quoter.tell(
          new Quoter.Market(
              new MarketEvent.BookUpdated(
                  instrument.id(), 1, bid, 10, ask, 10, Double.NaN, 0, 0, System.nanoTime())));
    }

    /** Receives {@code n} checks and answers each like risk would (approve). */
    List<OrderIntent> checks(int n) {
      List<OrderIntent> out = new ArrayList<>();
      List<Risk.Check> pending = new ArrayList<>();
      while (out.size() < n) {
        if (pending.isEmpty()) {
          pending.addAll(nextChecks(risk));
        }
        Risk.Check c = pending.remove(0);
        out.add(c.intent());
        c.replyTo()
            .tell(
                new Risk.Decision(
                    c.intent(),
                    io.phoenix.risk.PreTradeResult.Verdict.APPROVE,
                    io.phoenix.risk.RiskReason.NONE,
                    qty(c.intent()),
                    1));
      }
      assertTrue(pending.isEmpty(), "more intents than expected in one requote: " + pending);
      return out;
    }

    void acceptAll(List<OrderIntent> intents) {
      for (OrderIntent i : intents) {
        if (i instanceof OrderIntent.Place p) {
          quoter.tell(accepted(p));
        }
      }
    }

    QuoterStatus status() {
      TestProbe<QuoterStatus> probe = testKit.createTestProbe();
      quoter.tell(new Quoter.GetStatus(probe.ref()));
      return probe.receiveMessage();
    }
  }

  static Quoter.Order accepted(OrderIntent.Place p) {
    return new Quoter.Order(
        new OrderEvent.OrderAccepted(
            p.symbolId(), p.clientOrderId(), 1, OrderState.NEW, p.priceTicks(), p.qtySteps(), 0));
  }

  static boolean buy(OrderIntent i) {
    return ((OrderIntent.Place) i).side() == Side.BUY;
  }

  static long qty(OrderIntent i) {
    return i instanceof OrderIntent.Place p ? p.qtySteps() : 0;
  }

  static Rig rig(String extra) {
    int n = IDS.incrementAndGet();
    Instrument ins = Fixtures.btc(n);
    TestProbe<Risk.Command> risk = testKit.createTestProbe();
    ActorRef<Quoter.Command> q =
        testKit.spawn(
            Quoter.create(
                new Quoter.Dependencies(
                    ins,
                    Fixtures.quoter(CFG + "\n" + extra),
                    risk.ref(),
                    Quoter::defaultIds,
                    true)),
            "quoter-" + n);
    risk.expectMessageClass(Risk.RegisterQuoter.class);
    Risk.Check cancelAll = risk.expectMessageClass(Risk.Check.class);
    assertInstanceOf(OrderIntent.CancelAll.class, cancelAll.intent());
    return new Rig(ins, q, risk);
  }

  private static void assertAllCancels(List<OrderIntent> intents) {
    for (OrderIntent i : intents) {
      assertInstanceOf(OrderIntent.Cancel.class, i);
    }
  }

  @Test
  void quotesBothSidesOnAValidBook() {
    Rig r = rig("");
    r.book(500_000, 500_001);
    List<OrderIntent> placed = r.checks(4);
    long bids = placed.stream().filter(QuoterTest::buy).count();
    assertEquals(2, bids);
    for (OrderIntent i : placed) {
      assertEquals(TimeInForce.GTX, ((OrderIntent.Place) i).timeInForce(), "quotes are post-only");
    }
  }

  @Test
  void aBurstOfBookUpdatesLeadsToFewRequotes() {
    Rig r = rig("phoenix.quoter.stale-book-after = 5s");
    for (int i = 0; i < 2000; i++) {
      r.book(500_000, 500_001);
    }
    QuoterStatus s = r.status();
    assertTrue(s.requotes() < 1000, "coalesced: " + s.requotes() + " requotes for 2000 updates");
    r.checks(4);
  }

  /**
   * Every frame that changes the quotes is answered by that frame, not by the periodic tick: with a
   * tick of 1 s (stale-book-after 1 h, min-quote-life 5 s) and the market moving through our ask
   * five times, each move is answered within 250 ms. A quoter that requoted on its timer would pass
   * each step with a chance of a quarter, all five with one in a thousand.
   */
  @Test
  void aFrameThatMovesTheMarketThroughAQuoteIsAnsweredByThatFrameNotByTheTimer() {
    Rig r = rig("phoenix.quoter { stale-book-after = 1h, min-quote-life = 5s }");
    assertEquals(
        Duration.ofSeconds(1),
        Quoter.tickInterval(
            Fixtures.quoter(
                CFG + "\nphoenix.quoter { stale-book-after = 1h, min-quote-life = 5s }")));
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    long bid = 500_000;
    for (int move = 1; move <= 5; move++) {
      bid += 50;
      long frame = System.nanoTime();
      r.quoter()
          .tell(
              new Quoter.Market(
                  new MarketEvent.BookUpdated(
                      r.instrument().id(),
                      1 + move,
                      bid,
                      10,
                      bid + 1,
                      10,
                      Double.NaN,
                      0,
                      0,
                      frame)));
      Risk.Command answer = r.risk().receiveMessage(Duration.ofMillis(250));
      List<OrderIntent> intents =
          answer instanceof Risk.CheckAll all
              ? all.intents()
              : List.of(((Risk.Check) answer).intent());
      List<OrderIntent> places =
          intents.stream().filter(i -> i instanceof OrderIntent.Place).toList();
      assertTrue(
          intents.stream().anyMatch(i -> i instanceof OrderIntent.Cancel),
          "move " + move + ": the asks the market went through are pulled: " + intents);
      for (OrderIntent p : places) {
        assertEquals(
            frame,
            ((OrderIntent.Place) p).frameNanos(),
            "move " + move + ": the new quotes carry the frame that caused them");
      }
      List<Risk.Check> checks =
          answer instanceof Risk.CheckAll all
              ? all.intents().stream().map(i -> new Risk.Check(i, all.replyTo())).toList()
              : List.of((Risk.Check) answer);
      for (Risk.Check c : checks) {
        c.replyTo()
            .tell(
                new Risk.Decision(
                    c.intent(),
                    io.phoenix.risk.PreTradeResult.Verdict.APPROVE,
                    io.phoenix.risk.RiskReason.NONE,
                    qty(c.intent()),
                    1));
      }
      r.acceptAll(places);
    }
  }

  @Test
  void pullsQuotesWhenTheBookIsInvalid() {
    Rig r = rig("");
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    r.quoter()
        .tell(
            new Quoter.Market(
                new MarketEvent.BookInvalidated(r.instrument().id(), InvalidReason.SEQUENCE_GAP)));
    assertAllCancels(r.checks(4));
    r.risk().expectNoMessage(Duration.ofMillis(200));
    assertEquals(QuoterCore.Halt.BOOK_INVALID, r.status().halt());
  }

  @Test
  void pullsQuotesWhenTheBookGoesStale() {
    Rig r = rig("");
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    // no further updates: after stale-book-after (400 ms) the periodic tick pulls
    assertAllCancels(r.checks(4));
    assertEquals(QuoterCore.Halt.BOOK_STALE, r.status().halt());
    // a fresh update resumes quoting
    r.book(500_000, 500_001);
    List<OrderIntent> again = r.checks(4);
    assertInstanceOf(OrderIntent.Place.class, again.get(0));
  }

  @Test
  void pullsQuotesWhenTheFeedReportsStale() {
    Rig r = rig("phoenix.quoter.stale-book-after = 5s");
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    r.quoter().tell(new Quoter.Market(new MarketEvent.BookStale(r.instrument().id(), 5000)));
    assertAllCancels(r.checks(4));
  }

  @Test
  void pullsQuotesWhenTheUserStreamIsDownAndWhenRiskSaysStop() {
    Rig r = rig("phoenix.quoter.stale-book-after = 5s");
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    r.quoter().tell(new Quoter.Account(new AccountEvent.UserStreamDown("test", 0)));
    assertAllCancels(r.checks(4));
    r.quoter().tell(new Quoter.Account(new AccountEvent.UserStreamUp(0)));
    r.book(500_000, 500_001);
    List<OrderIntent> placed = r.checks(4);
    r.acceptAll(placed);
    r.quoter().tell(new Quoter.RiskStop("DAILY_LOSS"));
    List<OrderIntent> pulled = r.checks(4);
    assertAllCancels(pulled);
    r.book(500_000, 500_001);
    r.risk().expectNoMessage(Duration.ofMillis(300));
    r.quoter().tell(Quoter.RiskResume.INSTANCE);
    r.book(500_000, 500_001);
    assertInstanceOf(OrderIntent.Place.class, r.checks(4).get(0));
  }

  @Test
  void postOnlyRejectBacksTheSideOffOneTick() {
    // a one-tick spread puts the best bid right under the best ask, where a back-off binds
    Rig r = rig("phoenix.quoter { stale-book-after = 5s, base-spread = 1 }");
    r.book(500_000, 500_001);
    List<OrderIntent> placed = r.checks(4);
    OrderIntent.Place bestBid = null;
    for (OrderIntent i : placed) {
      OrderIntent.Place p = (OrderIntent.Place) i;
      if (buy(p) && (bestBid == null || p.priceTicks() > bestBid.priceTicks())) {
        bestBid = p;
      }
    }
    for (OrderIntent i : placed) {
      if (i != bestBid) {
        r.quoter().tell(accepted((OrderIntent.Place) i));
      }
    }
    r.quoter()
        .tell(
            new Quoter.Order(
                new OrderEvent.OrderRejected(
                    bestBid.symbolId(),
                    bestBid.clientOrderId(),
                    OrderEvent.RequestKind.PLACE,
                    -5022,
                    "post only")));
    // this cycle is skipped for the bid side; the next book update places it one tick further back
    r.risk().expectNoMessage(Duration.ofMillis(200));
    r.book(500_000, 500_001);
    OrderIntent.Place replacement = (OrderIntent.Place) r.checks(1).get(0);
    assertTrue(buy(replacement));
    assertEquals(500_000, bestBid.priceTicks());
    assertEquals(499_999, replacement.priceTicks(), "one tick further from the best ask");
    assertEquals(1, r.status().postOnlyRejects());
  }

  @Test
  void fillsFromTheUserStreamMoveThePosition() {
    Rig r = rig("phoenix.quoter.stale-book-after = 5s");
    r.book(500_000, 500_001);
    List<OrderIntent> placed = r.checks(4);
    r.acceptAll(placed);
    OrderIntent.Place bid =
        (OrderIntent.Place) placed.stream().filter(QuoterTest::buy).findFirst().orElseThrow();
    r.quoter()
        .tell(
            new Quoter.Account(
                new AccountEvent.OrderUpdate(
                    r.instrument().id(),
                    bid.clientOrderId(),
                    1,
                    Side.BUY,
                    AccountEvent.ExecutionType.TRADE,
                    OrderState.FILLED,
                    bid.priceTicks(),
                    bid.qtySteps(),
                    bid.qtySteps(),
                    bid.qtySteps(),
                    bid.priceTicks(),
                    99,
                    0.01,
                    0,
                    true,
                    0,
                    0,
                    "LIMIT",
                    "GTX",
                    0,
                    "USDT",
                    false,
                    AccountEvent.PositionSide.BOTH,
                    0)));
    QuoterStatus s = r.status();
    assertEquals(bid.qtySteps(), s.positionSteps());
    assertEquals(1, s.fills());
  }

  @Test
  void theStatusShowsTheBookAndOurQuotesOfOneMoment() {
    Rig r = rig("phoenix.quoter.stale-book-after = 5s");
    r.book(500_000, 500_001);
    r.acceptAll(r.checks(4));
    QuoterStatus s = r.status();
    assertEquals(500_000, s.bookBid());
    assertEquals(500_001, s.bookAsk());
    assertEquals(10, s.bookBidQty());
    assertEquals(499_998, s.bidPrice());
    assertEquals(2, s.bidQty(), "our best bid's size");
    assertEquals(500_003, s.askPrice());
    assertEquals(2, s.askQty());
    // the market falls through both bids: whether the status comes before or after the requote
    // that replaces them, no bid it shows is at or above the best ask it shows
    r.book(499_990, 499_991);
    QuoterStatus moved = r.status();
    assertEquals(499_991, moved.bookAsk());
    assertTrue(
        moved.bidPrice() < moved.bookAsk(),
        "our bid " + moved.bidPrice() + " vs the book's ask " + moved.bookAsk());
  }
}
