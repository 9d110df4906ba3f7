package io.phoenix.exchangemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.TimeInForce;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeModelTest {
  // BTCUSDT's filters: tick 0.10, step 0.001, min notional 100
  static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          5568,
          45297640,
          1,
          1_000_000,
          100,
          200,
          1.05,
          0.95);
  static final long MS = 1_000_000L;
  static final long BID = 600_000; // 60000.0
  static final long ASK = 600_001; // 60000.1

  private final TestBook book =
      new TestBook()
          .set(true, BID, 10)
          .set(false, ASK, 8)
          .set(true, BID - 1, 50)
          .set(false, ASK + 1, 40);

  private ExchangeModel model(QueueModel queue, long entryMs, long responseMs) {
    return new ExchangeModel(
        BTC,
        ExchangeModelSettings.binanceDefaults(queue),
        Latency.constant(entryMs * MS, responseMs * MS),
        book);
  }

  /** Every answer due by {@code now}. */
  private static List<Response> drain(ExchangeModel m, long now) {
    List<Response> out = new ArrayList<>();
    Response r;
    while ((r = m.pollResponse(now)) != null) {
      out.add(r);
    }
    return out;
  }

  private static List<Response.Fill> fills(List<Response> responses) {
    return responses.stream()
        .filter(Response.Fill.class::isInstance)
        .map(Response.Fill.class::cast)
        .toList();
  }

  /** Changes a level of the book and tells the model, as the host does for each level of a diff. */
  private void level(ExchangeModel m, long now, boolean bid, long price, long qty) {
    m.advanceTo(now);
    book.set(bid, price, qty);
    m.onLevel(now, bid, price, qty);
    m.afterDepth(now);
  }

  @Test
  void conservativeQueueShrinksOnlyByTrades() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    m.place(0, "b1", true, BID, 2, TimeInForce.GTX);
    m.advanceTo(0);
    assertEquals(10, m.queueAhead("b1"), 1e-9, "joins behind the displayed 10");
    level(m, 1, true, BID, 16); // more joins behind us
    assertEquals(10, m.queueAhead("b1"), 1e-9);
    level(m, 2, true, BID, 12); // 4 cancelled: somewhere, maybe behind us
    assertEquals(10, m.queueAhead("b1"), 1e-9, "cancellations do not move a conservative queue");
    m.onTrade(3, BID, 3, true, true);
    assertEquals(7, m.queueAhead("b1"), 1e-9, "a trade at our price does");
    m.onTrade(4, ASK, 1, false, true);
    assertEquals(7, m.queueAhead("b1"), 1e-9, "a buyer taking the ask does not... ");
    assertTrue(fills(drain(m, 4)).isEmpty());
    level(m, 5, true, BID, 5);
    assertEquals(
        5, m.queueAhead("b1"), 1e-9, "...and the queue ahead is never more than the level shows");
  }

  @Test
  void probabilisticQueueAlsoMovesOnCancellationsButNotTwiceForTrades() {
    ExchangeModel m = model(QueueModel.PROBABILISTIC, 0, 0);
    m.place(0, "b1", true, BID, 2, TimeInForce.GTX);
    m.advanceTo(0);
    level(m, 1, true, BID, 20); // 10 ahead, 10 behind
    level(m, 2, true, BID, 16); // 4 cancelled, equal weights: half ahead
    assertEquals(8, m.queueAhead("b1"), 1e-9);
    m.onTrade(3, BID, 3, true, true);
    assertEquals(5, m.queueAhead("b1"), 1e-9);
    level(m, 4, true, BID, 13); // exactly the trade: no cancellation to share out
    assertEquals(5, m.queueAhead("b1"), 1e-9);
    level(
        m, 5, true, BID,
        3); // 10 gone, more than could have left behind us (8 behind, weight 8^3 vs 5^3)
    assertTrue(m.queueAhead("b1") <= 3 + 1e-9, "capped at the level: " + m.queueAhead("b1"));
  }

  @Test
  void tradesThatReachIntoTheOrderFillItPartially() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    book.set(true, BID, 5);
    m.place(0, "b1", true, BID, 3, TimeInForce.GTX);
    m.advanceTo(0);
    m.onTrade(1, BID, 6, true, true); // 5 ahead, 1 reaches us
    List<Response.Fill> first = fills(drain(m, 1));
    assertEquals(1, first.size());
    assertEquals(1, first.get(0).qtySteps());
    assertEquals(1, first.get(0).cumQtySteps());
    assertTrue(first.get(0).open(), "2 steps still rest");
    assertTrue(first.get(0).maker());
    m.onTrade(2, BID, 7, true, true);
    List<Response.Fill> second = fills(drain(m, 2));
    assertEquals(2, second.get(0).qtySteps(), "only what is left fills");
    assertFalse(second.get(0).open());
    assertEquals(0, m.openOrders());
    assertEquals(3, m.positionSteps());
  }

  @Test
  void aTradeThroughOurPriceOrAnOppositeBestReachingItFillsEverything() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    m.place(0, "b1", true, BID, 2, TimeInForce.GTX);
    m.place(0, "s1", false, ASK + 1, 2, TimeInForce.GTX);
    m.advanceTo(0);
    m.onTrade(1, BID - 1, 1, true, true); // a seller went below our bid
    List<Response.Fill> f = fills(drain(m, 1));
    assertEquals(1, f.size());
    assertEquals(2, f.get(0).qtySteps());
    assertEquals(BID, f.get(0).priceTicks(), "at our price");
    level(m, 2, true, ASK + 1, 3); // someone bids at our ask
    assertEquals(2, fills(drain(m, 2)).get(0).qtySteps());
    assertEquals(0, m.positionSteps());
  }

  @Test
  void aCancelArrivingAfterTheFillLosesTheRace() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 5, 5);
    book.set(true, BID, 0).set(true, BID - 1, 50); // our price is empty: nothing ahead
    m.place(0, "b1", true, BID, 2, TimeInForce.GTX);
    m.advanceTo(5 * MS);
    m.cancel(10 * MS, "b1"); // reaches the engine at 15 ms
    m.onTrade(12 * MS, BID, 4, true, true); // fills it at 12 ms
    m.advanceTo(15 * MS);
    List<Response> seen = drain(m, 20 * MS);
    assertInstanceOf(Response.Accepted.class, seen.get(0));
    Response.Fill fill = (Response.Fill) seen.get(1);
    assertEquals(17 * MS, fill.atNanos(), "the fill is seen 5 ms after it happened");
    Response.Rejected rejected = (Response.Rejected) seen.get(2);
    assertEquals(Response.Kind.CANCEL, rejected.kind());
    assertEquals(-2011, rejected.code());
    assertEquals(2, m.positionSteps());

    // the same race the other way round: the cancel is there first and the trade fills nothing
    ExchangeModel won = model(QueueModel.CONSERVATIVE, 5, 5);
    won.place(0, "b2", true, BID, 2, TimeInForce.GTX);
    won.cancel(5 * MS, "b2"); // at 10 ms
    won.onTrade(12 * MS, BID, 4, true, true);
    List<Response> answers = drain(won, 20 * MS);
    assertInstanceOf(Response.Canceled.class, answers.get(1));
    assertTrue(fills(answers).isEmpty());
    assertEquals(0, won.positionSteps());
  }

  @Test
  void aPostOnlyOrderThatWouldCrossIsRejectedAndAGtcOneTakesAtTheTakerFee() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    m.place(0, "x1", true, ASK, 2, TimeInForce.GTX);
    m.advanceTo(0);
    Response.Rejected r = (Response.Rejected) drain(m, 0).get(0);
    assertEquals(-5022, r.code());
    assertEquals(0, m.openOrders());
    assertEquals(1, m.postOnlyRejects());

    m.place(1, "t1", true, ASK + 1, 10, TimeInForce.GTC); // 8 at ASK, 2 of the 40 at ASK + 1
    m.advanceTo(1);
    List<Response.Fill> f = fills(drain(m, 1));
    assertEquals(2, f.size());
    assertEquals(ASK, f.get(0).priceTicks());
    assertEquals(8, f.get(0).qtySteps());
    assertEquals(ASK + 1, f.get(1).priceTicks());
    assertEquals(2, f.get(1).qtySteps());
    assertFalse(f.get(0).maker());
    assertEquals(60000.1 * 0.008 * 0.0005, f.get(0).commission(), 1e-12);
    assertEquals(0, m.openOrders(), "filled completely: nothing rests");

    m.place(2, "i1", false, BID - 1, 70, TimeInForce.IOC); // 10 + 50 displayed, the rest expires
    m.advanceTo(2);
    List<Response> answers = drain(m, 2);
    assertEquals(60, fills(answers).stream().mapToLong(Response.Fill::qtySteps).sum());
    assertInstanceOf(Response.Canceled.class, answers.get(answers.size() - 1));
    assertEquals(0, m.openOrders());
  }

  @Test
  void feesAndFundingAddUp() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    book.set(true, BID, 0).set(true, BID - 1, 50);
    m.place(0, "b1", true, BID, 10, TimeInForce.GTX);
    m.advanceTo(0);
    m.onTrade(1, BID, 10, true, true); // maker buy of 0.010 at 60000.0
    m.place(2, "t1", false, BID - 1, 4, TimeInForce.IOC); // taker sell of 0.004 at 59999.9
    m.advanceTo(2);
    double makerFee = 60000.0 * 0.010 * 0.0002;
    double takerFee = 59999.9 * 0.004 * 0.0005;
    assertEquals(makerFee + takerFee, m.fees(), 1e-9);
    assertEquals(6, m.positionSteps());
    assertEquals(-600.0 + 239.9996, m.cash(), 1e-9);
    assertEquals(600.0 + 239.9996, m.volume(), 1e-9);
    assertEquals(2, m.fills());
    assertEquals(1, m.makerFills());

    // funding: announced for t = 1000 ms at +0.01 %; settles when a mark event reaches it
    m.onMark(3, 900, 600_010, 0.0001, 1000);
    assertEquals(0, m.funding());
    m.onMark(4, 1000, 600_020, 0.0002, 29_801_000);
    double paid = 0.006 * 60002.0 * 0.0001; // long pays at the rate that was announced
    assertEquals(-paid, m.funding(), 1e-12);
    Response.Funding f =
        (Response.Funding)
            drain(m, 4).stream()
                .filter(Response.Funding.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertEquals(-paid, f.amount(), 1e-12);
    double mid = 600_005;
    assertEquals(m.cash() + 0.006 * 60000.5, m.grossPnl(mid), 1e-9);
    assertEquals(m.grossPnl(mid) - m.fees() - paid, m.netPnl(mid), 1e-9);
    // a short receives at a positive rate
    assertEquals(
        0.006 * 60000.0 * 0.0001, shortPosition().settleFunding(5, 600_000, 0.0001), 1e-12);
  }

  private ExchangeModel shortPosition() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    m.place(0, "s1", false, BID - 1, 6, TimeInForce.IOC);
    m.advanceTo(0);
    assertEquals(-6, m.positionSteps());
    return m;
  }

  @Test
  void anOrderPlacedAtTActsOnlyFromTPlusTheEntryLatency() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 5, 3);
    book.set(true, BID, 0).set(true, BID - 1, 50); // nothing ahead at our price once we are there
    m.place(10 * MS, "b1", true, BID, 2, TimeInForce.GTX);
    assertEquals(15 * MS, m.nextArrivalNanos());
    m.onTrade(14 * MS, BID, 5, true, true);
    assertEquals(0, m.positionSteps(), "not on the book yet at 14 ms");
    assertNull(m.pollResponse(14 * MS));
    m.onTrade(16 * MS, BID, 5, true, true);
    assertEquals(2, m.positionSteps(), "on the book from 15 ms");
    assertNull(m.pollResponse(17 * MS), "the acknowledgement is seen 3 ms after 15 ms");
    assertEquals(18 * MS, m.nextResponseNanos());
    assertInstanceOf(Response.Accepted.class, m.pollResponse(18 * MS));
    assertEquals(19 * MS, m.nextResponseNanos(), "the fill at 16 ms is seen at 19 ms");

    // requests keep their order: a later one never overtakes an earlier one
    ExchangeModel fifo =
        new ExchangeModel(
            BTC,
            ExchangeModelSettings.binanceDefaults(QueueModel.CONSERVATIVE),
            new Latency() {
              private long next = 9 * MS;

              @Override
              public long entryNanos() {
                long l = next;
                next = MS;
                return l;
              }

              @Override
              public long responseNanos() {
                return 0;
              }
            },
            book);
    fifo.place(0, "a", true, BID - 2, 2, TimeInForce.GTX); // at 9 ms
    fifo.cancel(1 * MS, "a"); // would be there at 2 ms, waits for the place
    fifo.advanceTo(9 * MS);
    List<Response> seen = drain(fifo, 9 * MS);
    assertInstanceOf(Response.Accepted.class, seen.get(0));
    assertInstanceOf(Response.Canceled.class, seen.get(1));
  }

  @Test
  void ordersBeyondBinancesTenSecondLimitAreRefusedAndCounted() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    for (int i = 0; i < 301; i++) {
      m.place(i * MS, "o" + i, true, BID - 5, 2, TimeInForce.GTX);
      m.advanceTo(i * MS);
      m.cancel(i * MS, "o" + i);
      m.advanceTo(i * MS);
    }
    assertEquals(1, m.rateLimited());
    assertEquals(300, m.maxOrdersIn10s());
    Response.Rejected last =
        (Response.Rejected)
            drain(m, 400 * MS).stream()
                .filter(r -> r instanceof Response.Rejected rj && rj.kind() == Response.Kind.PLACE)
                .findFirst()
                .orElseThrow();
    assertEquals(-1015, last.code());
    m.place(10_001 * MS, "late", true, BID - 5, 2, TimeInForce.GTX);
    m.advanceTo(10_001 * MS);
    assertEquals(1, m.openOrders(), "the window has moved on");
  }

  @Test
  void filtersRefuseWhatBinanceWould() {
    ExchangeModel m = model(QueueModel.CONSERVATIVE, 0, 0);
    m.place(0, "small", true, BID - 5, 1, TimeInForce.GTX); // 60 USDT < 100
    m.place(0, "dup", true, BID - 5, 2, TimeInForce.GTX);
    m.place(0, "dup", true, BID - 6, 2, TimeInForce.GTX);
    m.advanceTo(0);
    List<Response> answers = drain(m, 0);
    assertEquals(-4164, ((Response.Rejected) answers.get(0)).code());
    assertInstanceOf(Response.Accepted.class, answers.get(1));
    assertEquals(-4015, ((Response.Rejected) answers.get(2)).code());
    assertEquals(2, m.filterRejects());
  }
}
