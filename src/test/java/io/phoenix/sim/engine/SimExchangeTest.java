package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Scale;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimExchangeTest extends EngineScenario {
  @AfterEach
  void bookStaysConsistent() {
    ex.checkInvariants();
    BookTop top = ex.bookTop(BTC);
    if (top.bidQtySteps() > 0 && top.askQtySteps() > 0) {
      assertTrue(top.bidPriceTicks() < top.askPriceTicks(), "book crossed");
    }
    for (Level l : ex.depth(BTC, 1000).bids()) {
      assertTrue(l.qtySteps() > 0);
    }
    for (Level l : ex.depth(BTC, 1000).asks()) {
      assertTrue(l.qtySteps() > 0);
    }
  }

  OrderResult limit(String account, Side side, double qty, double price, TimeInForce tif) {
    return ex.place(
        account,
        new NewOrder(
            BTC, side, null, OrderType.LIMIT, tif, q(qty), px(price), false, null, StpMode.NONE),
        ++now);
  }

  OrderResult limit(String account, Side side, double qty, double price, StpMode stp) {
    return ex.place(
        account,
        new NewOrder(
            BTC, side, null, OrderType.LIMIT, TimeInForce.GTC, q(qty), px(price), false, null, stp),
        ++now);
  }

  OrderResult market(String account, Side side, double qty) {
    return ex.place(
        account,
        new NewOrder(BTC, side, null, OrderType.MARKET, null, q(qty), 0, false, null, StpMode.NONE),
        ++now);
  }

  OrderResult reduceOnly(String account, Side side, double qty, double price, TimeInForce tif) {
    return ex.place(
        account,
        new NewOrder(
            BTC, side, null, OrderType.LIMIT, tif, q(qty), px(price), true, null, StpMode.NONE),
        ++now);
  }

  static SimOrder ok(OrderResult r) {
    assertNull(r.error(), () -> "unexpected error " + r.error());
    return r.order();
  }

  static void fails(int code, OrderResult r) {
    assertNotNull(r.error(), () -> "expected " + code + " but got " + r.order());
    assertEquals(code, r.error().code(), r.error().msg());
    assertNull(r.order());
  }

  SimPosition position(String account) {
    return ex.positions(account, BTC).get(0);
  }

  double wallet(String account) {
    return ex.balances(account).get(0).walletBalance();
  }

  // ------------------------------------------------------------ matching

  @Test
  void crossingLimitTradesAtMakerPriceAndReportsBothSides() {
    SimOrder ask = ok(limit("a", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    rec.clear();
    SimOrder bid = ok(limit("b", Side.BUY, 0.4, 95010.0, TimeInForce.GTC));

    assertEquals(OrderStatus.FILLED, bid.status());
    assertEquals(q(0.4), bid.executedQtySteps());
    assertEquals(95000.0, bid.avgPrice(), 1e-9);
    assertEquals(1, rec.trades.size());
    PublicTrade t = rec.trades.get(0);
    assertEquals(px(95000.0), t.priceTicks());
    assertEquals(q(0.4), t.qtySteps());
    assertFalse(t.buyerMaker());
    SimOrder makerNow = ok(ex.query("a", BTC, ask.orderId(), null));
    assertEquals(OrderStatus.PARTIALLY_FILLED, makerNow.status());
    assertEquals(q(0.6), ex.bookTop(BTC).askQtySteps());

    List<String> kinds =
        rec.log.stream()
            .map(
                s ->
                    s.split(" ")[0]
                        + (s.startsWith("O") || s.startsWith("A")
                            ? s.split(" ")[1] + s.split(" ")[2]
                            : ""))
            .toList();
    // taker NEW, then depth + trade, then maker TRADE + ACCOUNT_UPDATE, then taker TRADE +
    // ACCOUNT_UPDATE
    assertEquals(List.of("ObNEW", "L", "T", "OaTRADE", "AaORDER", "ObTRADE", "AbORDER"), kinds);
    RecordingListener.OrderUpdate makerFill = rec.ordersOf("a").get(0);
    assertTrue(makerFill.fill().maker());
    assertFalse(rec.ordersOf("b").get(1).fill().maker());
    assertEquals(makerFill.fill().tradeId(), t.tradeId());
  }

  @Test
  void partialFillRestsTheRemainder() {
    ok(limit("a", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    SimOrder bid = ok(limit("b", Side.BUY, 1.5, 95000.0, TimeInForce.GTC));
    assertEquals(OrderStatus.PARTIALLY_FILLED, bid.status());
    BookTop top = ex.bookTop(BTC);
    assertEquals(px(95000.0), top.bidPriceTicks());
    assertEquals(q(0.5), top.bidQtySteps());
    assertEquals(0, top.askQtySteps());
    assertEquals(1, ex.openOrders("b", BTC).size());
    assertEquals(0, ex.openOrders("a", BTC).size());
  }

  @Test
  void pricePriorityThenTimePriority() {
    SimOrder first = ok(limit("a", Side.SELL, 0.1, 95000.0, TimeInForce.GTC));
    SimOrder second = ok(limit("c", Side.SELL, 0.1, 95000.0, TimeInForce.GTC));
    SimOrder better = ok(limit("a", Side.SELL, 0.1, 94990.0, TimeInForce.GTC));
    SimOrder taker = ok(market("b", Side.BUY, 0.25));

    assertEquals(OrderStatus.FILLED, taker.status());
    List<Long> makerIds =
        rec.orders.stream()
            .filter(u -> u.fill() != null && u.fill().maker())
            .map(u -> u.order().orderId())
            .toList();
    assertEquals(List.of(better.orderId(), first.orderId(), second.orderId()), makerIds);
    assertEquals(
        OrderStatus.PARTIALLY_FILLED, ok(ex.query("c", BTC, second.orderId(), null)).status());
    assertEquals(q(0.05), ex.bookTop(BTC).askQtySteps());
    assertTrue(second.orderId() > first.orderId() && better.orderId() > second.orderId());
  }

  @Test
  void marketOrderOnEmptySideExpires() {
    SimOrder m = ok(market("b", Side.BUY, 0.01));
    assertEquals(OrderStatus.EXPIRED, m.status());
    assertEquals(0, m.executedQtySteps());
  }

  @Test
  void postOnlyThatWouldTakeIsRejectedSilently() {
    ok(limit("a", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    rec.clear();
    OrderResult r =
        ex.place(
            "b",
            new NewOrder(
                BTC,
                Side.BUY,
                null,
                OrderType.LIMIT,
                TimeInForce.GTX,
                q(0.1),
                px(95000.0),
                false,
                "po-1",
                StpMode.NONE),
            ++now);
    fails(-5022, r);
    assertTrue(rec.log.isEmpty(), "no event for a rejected post-only");
    fails(-2013, ex.query("b", BTC, 0, "po-1"));
    SimOrder resting = ok(limit("b", Side.BUY, 0.1, 94999.9, TimeInForce.GTX));
    assertEquals(OrderStatus.NEW, resting.status());
  }

  @Test
  void fokFillsFullyOrIsRejected() {
    ok(limit("a", Side.SELL, 0.3, 95000.0, TimeInForce.GTC));
    ok(limit("a", Side.SELL, 0.3, 95001.0, TimeInForce.GTC));
    rec.clear();
    fails(-5021, limit("b", Side.BUY, 0.7, 95001.0, TimeInForce.FOK));
    fails(-5021, limit("b", Side.BUY, 0.5, 95000.0, TimeInForce.FOK));
    assertTrue(rec.log.isEmpty());
    SimOrder fok = ok(limit("b", Side.BUY, 0.5, 95001.0, TimeInForce.FOK));
    assertEquals(OrderStatus.FILLED, fok.status());
  }

  @Test
  void iocFillsWhatItCanAndExpiresTheRest() {
    ok(limit("a", Side.SELL, 0.3, 95000.0, TimeInForce.GTC));
    SimOrder ioc = ok(limit("b", Side.BUY, 0.5, 95000.0, TimeInForce.IOC));
    assertEquals(OrderStatus.EXPIRED, ioc.status());
    assertEquals(q(0.3), ioc.executedQtySteps());
    assertEquals(0, ex.bookTop(BTC).bidQtySteps());
    assertEquals("EXPIRED", rec.ordersOf("b").get(rec.ordersOf("b").size() - 1).executionType());
  }

  @Test
  void reduceOnlyCannotOpenOrGrowAndStopsAtFlat() {
    ok(limit("c", Side.SELL, 5.0, 95000.0, TimeInForce.GTC));
    fails(-2022, reduceOnly("b", Side.SELL, 0.1, 96000.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 0.5));
    fails(-2022, reduceOnly("b", Side.BUY, 0.1, 90000.0, TimeInForce.GTC));
    ok(limit("d", Side.BUY, 5.0, 94000.0, TimeInForce.GTC));
    SimOrder ro = ok(reduceOnly("b", Side.SELL, 1.0, 94000.0, TimeInForce.GTC));
    assertEquals(q(0.5), ro.executedQtySteps());
    assertEquals(OrderStatus.EXPIRED, ro.status());
    assertEquals(0, position("b").amountSteps());
    // reduce-only is exempt from MIN_NOTIONAL: 0.001 BTC is far below 100 USDT
    ok(market("b", Side.BUY, 0.5));
    SimOrder tiny = ok(reduceOnly("b", Side.SELL, 0.001, 96000.0, TimeInForce.GTC));
    assertEquals(OrderStatus.NEW, tiny.status());
  }

  @Test
  void restingReduceOnlyMakerIsExpiredWhenPositionIsGone() {
    ok(limit("c", Side.SELL, 5.0, 95000.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 0.2));
    SimOrder ro = ok(reduceOnly("b", Side.SELL, 0.2, 96000.0, TimeInForce.GTC));
    ok(limit("d", Side.BUY, 5.0, 94000.0, TimeInForce.GTC));
    ok(market("b", Side.SELL, 0.2)); // flat via another order
    ok(market("e", Side.BUY, 1.0)); // sweeps c's ask at 95000 first
    ok(limit("e", Side.BUY, 5.0, 96000.0, TimeInForce.GTC));
    SimOrder after = ok(ex.query("b", BTC, ro.orderId(), null));
    assertEquals(OrderStatus.EXPIRED, after.status());
    assertEquals(0, after.executedQtySteps());
    assertEquals(0, position("b").amountSteps());
  }

  // ------------------------------------------------------------ self-trade prevention

  @Test
  void stpExpireTakerLeavesMaker() {
    SimOrder maker = ok(limit("a", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    SimOrder taker = ok(limit("a", Side.BUY, 0.1, 95000.0, StpMode.EXPIRE_TAKER));
    assertEquals(OrderStatus.EXPIRED_IN_MATCH, taker.status());
    assertEquals(OrderStatus.NEW, ok(ex.query("a", BTC, maker.orderId(), null)).status());
    assertTrue(rec.trades.isEmpty());
  }

  @Test
  void stpExpireMakerRemovesMakerAndContinues() {
    SimOrder own = ok(limit("a", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    ok(limit("c", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    SimOrder taker = ok(limit("a", Side.BUY, 0.1, 95000.0, StpMode.EXPIRE_MAKER));
    assertEquals(OrderStatus.FILLED, taker.status());
    assertEquals(
        OrderStatus.EXPIRED_IN_MATCH, ok(ex.query("a", BTC, own.orderId(), null)).status());
    assertEquals(q(0.1), ex.bookTop(BTC).askQtySteps());
  }

  @Test
  void stpExpireBothExpiresBoth() {
    SimOrder own = ok(limit("a", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    SimOrder taker = ok(limit("a", Side.BUY, 0.1, 95000.0, StpMode.EXPIRE_BOTH));
    assertEquals(OrderStatus.EXPIRED_IN_MATCH, taker.status());
    assertEquals(
        OrderStatus.EXPIRED_IN_MATCH, ok(ex.query("a", BTC, own.orderId(), null)).status());
    assertEquals(0, ex.bookTop(BTC).askQtySteps());
    assertEquals(0, ex.bookTop(BTC).bidQtySteps());
  }

  @Test
  void stpDoesNotApplyToFokOrNone() {
    ok(limit("a", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    SimOrder self = ok(limit("a", Side.BUY, 0.1, 95000.0, StpMode.NONE));
    assertEquals(OrderStatus.FILLED, self.status());
    SimOrder fok =
        ok(
            ex.place(
                "a",
                new NewOrder(
                    BTC,
                    Side.BUY,
                    null,
                    OrderType.LIMIT,
                    TimeInForce.FOK,
                    q(0.1),
                    px(95000.0),
                    false,
                    null,
                    StpMode.EXPIRE_TAKER),
                ++now));
    assertEquals(OrderStatus.FILLED, fok.status());
    assertEquals(0, position("a").amountSteps());
  }

  // ------------------------------------------------------------ filters and ids

  @Test
  void filtersAnswerWithBinanceCodes() {
    fails(
        -4014,
        ex.place(
            "b",
            new NewOrder(
                BTC,
                Side.BUY,
                null,
                OrderType.LIMIT,
                TimeInForce.GTC,
                q(0.01),
                Scale.INVALID,
                false,
                null,
                StpMode.NONE),
            ++now));
    fails(
        -4023,
        ex.place(
            "b",
            new NewOrder(
                BTC,
                Side.BUY,
                null,
                OrderType.LIMIT,
                TimeInForce.GTC,
                Scale.INVALID,
                px(95000),
                false,
                null,
                StpMode.NONE),
            ++now));
    fails(-4013, limit("b", Side.BUY, 0.01, 500.0, TimeInForce.GTC));
    fails(-4002, limit("b", Side.SELL, 0.01, 5_000_000.0, TimeInForce.GTC));
    fails(-4003, limit("b", Side.BUY, 0.0, 95000.0, TimeInForce.GTC));
    fails(-4005, limit("b", Side.BUY, 1001.0, 95000.0, TimeInForce.GTC));
    fails(-4016, limit("b", Side.BUY, 0.01, 99750.1, TimeInForce.GTC));
    fails(-4024, limit("b", Side.SELL, 0.01, 90249.9, TimeInForce.GTC));
    ok(limit("b", Side.BUY, 0.01, 99750.0, TimeInForce.GTC));
    OrderResult small = limit("b", Side.BUY, 0.001, 95000.0, TimeInForce.GTC);
    fails(-4164, small);
    assertEquals(
        "Order's notional must be no smaller than 100 (unless you choose reduce only).",
        small.error().msg());
    fails(-4164, market("b", Side.BUY, 0.001)); // MARKET uses mark: 95 < 100
    fails(
        -1121,
        ex.place(
            "b",
            new NewOrder(
                "NOPEUSDT",
                Side.BUY,
                null,
                OrderType.MARKET,
                null,
                1,
                0,
                false,
                null,
                StpMode.NONE),
            ++now));
    fails(
        -1102,
        ex.place(
            "b",
            new NewOrder(
                BTC,
                Side.BUY,
                null,
                OrderType.LIMIT,
                null,
                q(0.01),
                px(95000),
                false,
                null,
                StpMode.NONE),
            ++now));
    assertEquals(1, ex.openOrders("b", BTC).size());
  }

  @Test
  void minQtyFilter() {
    Scale steps = Scale.of("0.001");
    SimSymbolSpec spec = SimEngineConfig.quiet().symbols().get(0);
    var ins = spec.instrument();
    var strict =
        new io.phoenix.core.Instrument(
            ins.id(),
            ins.symbol(),
            ins.price(),
            steps,
            ins.minPriceTicks(),
            ins.maxPriceTicks(),
            10,
            ins.maxQtySteps(),
            5.0,
            3,
            1.05,
            0.95);
    SimEngineConfig q = SimEngineConfig.quiet();
    SimEngineConfig cfg =
        new SimEngineConfig(
            List.of(
                new SimSymbolSpec(
                    strict, "BTC", "USDT", spec.initialFairPriceTicks(), 0.0, "0.0001")),
            1,
            0.0002,
            0.0005,
            q.fundingIntervalMillis(),
            100_000,
            20,
            q.model());
    ex = new SimExchange(cfg, rec, T0);
    fails(-4004, limit("b", Side.BUY, 0.009, 95000.0, TimeInForce.GTC));
    ok(limit("b", Side.BUY, 0.01, 95000.0, TimeInForce.GTC));
    ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    ok(limit("b", Side.BUY, 0.01, 93000.0, TimeInForce.GTC));
    fails(-2025, limit("b", Side.BUY, 0.01, 92000.0, TimeInForce.GTC));
    ok(limit("c", Side.BUY, 0.01, 92000.0, TimeInForce.GTC));
  }

  @Test
  void clientOrderIdsAreValidatedAndUniqueAmongOpenOrders() {
    NewOrder bad =
        new NewOrder(
            BTC,
            Side.BUY,
            null,
            OrderType.LIMIT,
            TimeInForce.GTC,
            q(0.01),
            px(95000),
            false,
            "has space",
            StpMode.NONE);
    fails(-4015, ex.place("b", bad, ++now));
    String tooLong = "x".repeat(37);
    fails(
        -4015,
        ex.place(
            "b",
            new NewOrder(
                BTC,
                Side.BUY,
                null,
                OrderType.LIMIT,
                TimeInForce.GTC,
                q(0.01),
                px(95000),
                false,
                tooLong,
                StpMode.NONE),
            ++now));
    NewOrder good =
        new NewOrder(
            BTC,
            Side.BUY,
            null,
            OrderType.LIMIT,
            TimeInForce.GTC,
            q(0.01),
            px(95000),
            false,
            "mm.BTC:1/a_b-C",
            StpMode.NONE);
    SimOrder first = ok(ex.place("b", good, ++now));
    fails(-4116, ex.place("b", good, ++now));
    ok(ex.cancel("b", BTC, 0, "mm.BTC:1/a_b-C", ++now));
    SimOrder again = ok(ex.place("b", good, ++now));
    assertTrue(again.orderId() > first.orderId());
    SimOrder generated = ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    assertNotNull(generated.clientOrderId());
  }

  @Test
  void cancelAndQueryErrors() {
    SimOrder o = ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    fails(-2011, ex.cancel("b", BTC, o.orderId() + 99, null, ++now));
    fails(-2011, ex.cancel("other", BTC, o.orderId(), null, ++now));
    SimOrder cancelled = ok(ex.cancel("b", BTC, o.orderId(), null, ++now));
    assertEquals(OrderStatus.CANCELED, cancelled.status());
    fails(-2011, ex.cancel("b", BTC, o.orderId(), null, ++now));
    assertEquals(OrderStatus.CANCELED, ok(ex.query("b", BTC, o.orderId(), null)).status());
    fails(-2013, ex.queryOpen("b", BTC, o.orderId(), null));
    fails(-2013, ex.query("b", BTC, 12345, null));
    assertEquals(0, ex.bookTop(BTC).bidQtySteps());
  }

  @Test
  void cancelAllAndCountdown() {
    ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    ok(limit("b", Side.SELL, 0.01, 96000.0, TimeInForce.GTC));
    ex.countdownCancelAll("b", BTC, 1000, now);
    ex.advanceTo(now + 900);
    assertEquals(2, ex.openOrders("b", BTC).size());
    ex.countdownCancelAll("b", BTC, 1000, now + 900); // refreshed
    ex.advanceTo(now + 1500);
    assertEquals(2, ex.openOrders("b", BTC).size());
    ex.advanceTo(now + 1901);
    assertEquals(0, ex.openOrders("b", BTC).size());
    now += 2000;
    ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    ex.countdownCancelAll("b", BTC, 1000, now);
    ex.countdownCancelAll("b", BTC, 0, now);
    ex.advanceTo(now + 5000);
    assertEquals(1, ex.openOrders("b", BTC).size());
    assertEquals(1, ex.cancelAll("b", BTC, now + 5000).size());
    assertEquals(0, ex.openOrders("b", null).size());
  }

  // ------------------------------------------------------------ modify

  @Test
  void modifyLosesPriorityAndEmitsAmendment() {
    SimOrder mine = ok(limit("a", Side.SELL, 0.1, 95000.0, TimeInForce.GTC));
    SimOrder theirs = ok(limit("c", Side.SELL, 0.1, 95000.0, TimeInForce.GTC));
    rec.clear();
    SimOrder amended =
        ok(
            ex.modify(
                "a",
                new ModifyOrder(BTC, mine.orderId(), null, Side.SELL, q(0.2), px(95000.0)),
                ++now));
    assertEquals(q(0.2), amended.origQtySteps());
    assertEquals("AMENDMENT", rec.ordersOf("a").get(0).executionType());
    ok(market("b", Side.BUY, 0.1));
    assertEquals(OrderStatus.FILLED, ok(ex.query("c", BTC, theirs.orderId(), null)).status());
    assertEquals(OrderStatus.NEW, ok(ex.query("a", BTC, mine.orderId(), null)).status());
    assertEquals(q(0.2), ex.bookTop(BTC).askQtySteps());
  }

  @Test
  void modifyRulesFromTheReference() {
    SimOrder o = ok(limit("a", Side.SELL, 0.5, 95000.0, TimeInForce.GTC));
    fails(
        -5027,
        ex.modify(
            "a", new ModifyOrder(BTC, o.orderId(), null, Side.SELL, q(0.5), px(95000.0)), ++now));
    fails(
        -2013,
        ex.modify("a", new ModifyOrder(BTC, 1, null, Side.SELL, q(0.5), px(95000.0)), ++now));
    fails(
        -4024,
        ex.modify(
            "a", new ModifyOrder(BTC, o.orderId(), null, Side.SELL, q(0.5), px(90000.0)), ++now));
    fails(
        -5029,
        ex.modify(
            "a", new ModifyOrder(BTC, o.orderId(), null, Side.SELL, q(0.001), px(95000.0)), ++now));
    ok(market("b", Side.BUY, 0.2));
    SimOrder cancelled =
        ok(
            ex.modify(
                "a",
                new ModifyOrder(BTC, 0, o.clientOrderId(), Side.SELL, q(0.2), px(95001.0)),
                ++now));
    assertEquals(OrderStatus.CANCELED, cancelled.status());
    assertEquals(0, ex.bookTop(BTC).askQtySteps());
  }

  @Test
  void modifyingPostOnlyAcrossTheBookCancelsIt() {
    ok(limit("c", Side.SELL, 0.5, 95000.0, TimeInForce.GTC));
    SimOrder po = ok(limit("a", Side.BUY, 0.5, 94000.0, TimeInForce.GTX));
    SimOrder result =
        ok(
            ex.modify(
                "a",
                new ModifyOrder(BTC, po.orderId(), null, Side.BUY, q(0.5), px(95000.0)),
                ++now));
    assertEquals(OrderStatus.CANCELED, result.status());
    assertTrue(rec.trades.isEmpty());
    // a GTC order moved across the book trades at once
    SimOrder gtc = ok(limit("a", Side.BUY, 0.5, 94000.0, TimeInForce.GTC));
    SimOrder traded =
        ok(
            ex.modify(
                "a",
                new ModifyOrder(BTC, gtc.orderId(), null, Side.BUY, q(0.5), px(95000.0)),
                ++now));
    assertEquals(OrderStatus.FILLED, traded.status());
  }

  // ------------------------------------------------------------ accounting

  @Test
  void entryPriceAveragesAndRealisedPnlAndFeesHitTheWallet() {
    ok(limit("m", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(limit("m", Side.SELL, 1.0, 96000.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 2.0));
    SimPosition p = position("b");
    assertEquals(q(2.0), p.amountSteps());
    assertEquals(95500.0, p.entryPrice(), 1e-9);
    double takerFees = (95000.0 + 96000.0) * 0.0005;
    assertEquals(100_000.0 - takerFees, wallet("b"), 1e-6);
    // maker side: short 2 at 95500, paid maker fees
    assertEquals(-q(2.0), position("m").amountSteps());
    assertEquals(100_000.0 - (95000.0 + 96000.0) * 0.0002, wallet("m"), 1e-6);

    ok(limit("c", Side.BUY, 1.0, 97000.0, TimeInForce.GTC));
    double before = wallet("b");
    SimOrder sell = ok(limit("b", Side.SELL, 1.0, 97000.0, TimeInForce.GTC));
    assertEquals(OrderStatus.FILLED, sell.status());
    SimFill fill = rec.ordersOf("b").get(rec.ordersOf("b").size() - 1).fill();
    assertEquals(1500.0, fill.realizedPnl(), 1e-6);
    assertEquals(97000.0 * 0.0005, fill.commission(), 1e-9);
    assertEquals("USDT", fill.commissionAsset());
    assertEquals(before + 1500.0 - 97000.0 * 0.0005, wallet("b"), 1e-6);
    p = position("b");
    assertEquals(q(1.0), p.amountSteps());
    assertEquals(95500.0, p.entryPrice(), 1e-9);
    assertEquals(1500.0, p.realizedPnlAccum(), 1e-6);

    ex.setFairValue(BTC, px(96500.0));
    p = position("b");
    assertEquals(1000.0, p.unrealizedPnl(), 1e-6);
    assertEquals(96500.0, p.markPrice(), 1e-9);
    assertEquals(-2000.0, ex.balances("m").get(0).crossUnrealizedPnl(), 1e-6);
    List<SimFill> fills = ex.userTrades("b", BTC, -1, -1, -1, 500);
    assertEquals(3, fills.size());
    assertEquals(List.of(fills.get(1)), ex.userTrades("b", BTC, fills.get(1).tradeId(), -1, -1, 1));
  }

  @Test
  void flippingThroughZeroReopensAtFillPrice() {
    ok(limit("m", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 1.0));
    ok(limit("m", Side.BUY, 3.0, 95100.0, TimeInForce.GTC));
    ok(market("b", Side.SELL, 3.0));
    SimPosition p = position("b");
    assertEquals(-q(2.0), p.amountSteps());
    assertEquals(95100.0, p.entryPrice(), 1e-9);
    assertEquals(100.0, p.realizedPnlAccum(), 1e-6);
  }

  @Test
  void accountUpdateCarriesTheChangedPosition() {
    ok(limit("m", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    rec.clear();
    ok(market("b", Side.BUY, 0.5));
    RecordingListener.AccountUpdate au =
        rec.accounts.stream().filter(a -> a.account().equals("b")).findFirst().orElseThrow();
    assertEquals("ORDER", au.reason());
    assertEquals(q(0.5), au.positions().get(0).amountSteps());
    assertEquals("USDT", au.balances().get(0).asset());
  }

  @Test
  void fundingLongsPayShortsReceiveWhenRateIsPositive() {
    ok(limit("s", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(market("l", Side.BUY, 1.0));
    double longBefore = wallet("l");
    double shortBefore = wallet("s");
    rec.clear();
    long nextFunding = ex.mark(BTC).nextFundingTime();
    double rate = ex.mark(BTC).fundingRate();
    assertTrue(rate > 0);
    ex.advanceTo(nextFunding);
    double payment = 95000.0 * rate;
    assertEquals(longBefore - payment, wallet("l"), 1e-6);
    assertEquals(shortBefore + payment, wallet("s"), 1e-6);
    List<RecordingListener.AccountUpdate> funding =
        rec.accounts.stream().filter(a -> a.reason().equals("FUNDING_FEE")).toList();
    assertEquals(2, funding.size());
    assertTrue(funding.get(0).positions().isEmpty());
    assertEquals(nextFunding, funding.get(0).time());
    FundingRecord fr = ex.fundingHistory(BTC, 10).get(0);
    assertEquals(nextFunding, fr.fundingTime());
    assertEquals(rate, fr.fundingRate(), 1e-12);
    assertTrue(ex.mark(BTC).nextFundingTime() > nextFunding);
  }

  // ------------------------------------------------------------ margin, leverage, modes

  @Test
  void marginCheckRejectsOrdersBeyondEquityTimesLeverage() {
    fails(-4028, ex.setLeverage("b", BTC, 0));
    fails(-4028, ex.setLeverage("b", BTC, 126));
    assertNull(ex.setLeverage("b", BTC, 1));
    assertEquals(1, ex.leverage("b", BTC));
    ok(limit("b", Side.BUY, 1.0, 95000.0, TimeInForce.GTC));
    // the other side of a two-sided quote costs nothing extra
    ok(limit("b", Side.SELL, 1.0, 96000.0, TimeInForce.GTC));
    OrderResult r = limit("b", Side.BUY, 0.06, 95000.0, TimeInForce.GTC);
    fails(-2019, r);
    assertEquals("Margin is insufficient.", r.error().msg());
    assertNull(ex.setLeverage("b", BTC, 2));
    ok(limit("b", Side.BUY, 0.06, 95000.0, TimeInForce.GTC));
    fails(-2019, limit("b", Side.BUY, 30.0, 95000.0, TimeInForce.GTC));
  }

  private static void fails(int code, SimError e) {
    assertNotNull(e);
    assertEquals(code, e.code());
  }

  @Test
  void hedgeModeKeepsTwoLegs() {
    assertFalse(ex.dualSide("h"));
    fails(-4059, ex.setDualSide("h", false));
    assertNull(ex.setDualSide("h", true));
    fails(-4061, limit("h", Side.BUY, 0.1, 95000.0, TimeInForce.GTC));
    ok(limit("m", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(limit("m", Side.BUY, 1.0, 94000.0, TimeInForce.GTC));
    ok(
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.BUY,
                PositionSide.LONG,
                OrderType.MARKET,
                null,
                q(0.3),
                0,
                false,
                null,
                StpMode.NONE),
            ++now));
    ok(
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.SELL,
                PositionSide.SHORT,
                OrderType.MARKET,
                null,
                q(0.2),
                0,
                false,
                null,
                StpMode.NONE),
            ++now));
    List<SimPosition> legs = ex.positions("h", BTC);
    assertEquals(2, legs.size());
    assertEquals(q(0.3), legs.get(0).amountSteps());
    assertEquals(PositionSide.LONG, legs.get(0).positionSide());
    assertEquals(-q(0.2), legs.get(1).amountSteps());
    fails(-4068, ex.setDualSide("h", false));
    // closing more than the leg holds fills the leg and expires the rest
    SimOrder close =
        ok(
            ex.place(
                "h",
                new NewOrder(
                    BTC,
                    Side.BUY,
                    PositionSide.SHORT,
                    OrderType.MARKET,
                    null,
                    q(0.3),
                    0,
                    false,
                    null,
                    StpMode.NONE),
                ++now));
    assertEquals(q(0.2), close.executedQtySteps());
    assertEquals(OrderStatus.EXPIRED, close.status());
    fails(
        -2022,
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.BUY,
                PositionSide.SHORT,
                OrderType.MARKET,
                null,
                q(0.1),
                0,
                false,
                null,
                StpMode.NONE),
            ++now));
    fails(
        -1106,
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.SELL,
                PositionSide.LONG,
                OrderType.MARKET,
                null,
                q(0.1),
                0,
                true,
                null,
                StpMode.NONE),
            ++now));
  }

  @Test
  void marginTypeChangesFollowTheRules() {
    fails(-4046, ex.setMarginType("b", BTC, false));
    ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    fails(-4047, ex.setMarginType("b", BTC, true));
    ex.cancelAll("b", BTC, ++now);
    assertNull(ex.setMarginType("b", BTC, true));
    assertTrue(position("b").isolated());
  }

  // ------------------------------------------------------------ market data

  @Test
  void depthAndBookTopShareTheUpdateIdCounter() {
    ok(limit("a", Side.SELL, 0.1, 95000.0, TimeInForce.GTC));
    ok(limit("a", Side.BUY, 0.1, 94000.0, TimeInForce.GTC));
    ok(limit("a", Side.BUY, 0.2, 94100.0, TimeInForce.GTC));
    DepthSnapshot d = ex.depth(BTC, 5);
    assertEquals(rec.lastUpdateId.get(BTC), d.lastUpdateId());
    assertEquals(d.lastUpdateId(), ex.bookTop(BTC).updateId());
    assertEquals(List.of(new Level(px(94100.0), q(0.2)), new Level(px(94000.0), q(0.1))), d.bids());
    assertEquals(List.of(new Level(px(95000.0), q(0.1))), d.asks());
    assertEquals(1, ex.depth(BTC, 1).bids().size());
  }

  @Test
  void recentTradesAndTicker() {
    ok(limit("a", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(limit("a", Side.SELL, 1.0, 95100.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 1.5));
    List<PublicTrade> trades = ex.recentTrades(BTC, 10);
    assertEquals(2, trades.size());
    assertTrue(trades.get(1).tradeId() > trades.get(0).tradeId());
    assertEquals(1, ex.recentTrades(BTC, 1).size());
    Ticker24h t = ex.ticker24h(BTC);
    assertEquals(px(95000.0), t.open());
    assertEquals(px(95100.0), t.high());
    assertEquals(px(95100.0), t.last());
    assertEquals(q(1.5), t.volumeSteps());
    assertEquals(2, t.count());
  }

  @Test
  void hedgeModeMarginCountsBothLegs() {
    assertNull(ex.setDualSide("h", true));
    assertNull(ex.setLeverage("h", BTC, 1));
    ok(
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.BUY,
                PositionSide.LONG,
                OrderType.LIMIT,
                TimeInForce.GTC,
                q(0.6),
                px(95000.0),
                false,
                null,
                StpMode.NONE),
            ++now));
    // in hedge mode an opening short is not netted against the long leg's bids
    fails(
        -2019,
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.SELL,
                PositionSide.SHORT,
                OrderType.LIMIT,
                TimeInForce.GTC,
                q(0.6),
                px(96000.0),
                false,
                null,
                StpMode.NONE),
            ++now));
    ok(
        ex.place(
            "h",
            new NewOrder(
                BTC,
                Side.SELL,
                PositionSide.SHORT,
                OrderType.LIMIT,
                TimeInForce.GTC,
                q(0.4),
                px(96000.0),
                false,
                null,
                StpMode.NONE),
            ++now));
  }

  @Test
  void stpAppliesToIocTakers() {
    ok(limit("a", Side.SELL, 0.2, 95000.0, StpMode.NONE));
    SimOrder ioc =
        ok(
            ex.place(
                "a",
                new NewOrder(
                    BTC,
                    Side.BUY,
                    null,
                    OrderType.LIMIT,
                    TimeInForce.IOC,
                    q(0.1),
                    px(95000.0),
                    false,
                    null,
                    StpMode.EXPIRE_TAKER),
                ++now));
    assertEquals(OrderStatus.EXPIRED_IN_MATCH, ioc.status());
    assertEquals("EXPIRED", rec.ordersOf("a").get(rec.ordersOf("a").size() - 1).executionType());
  }

  @Test
  void userTradesFilterByTimeWindow() {
    ok(limit("m", Side.SELL, 1.0, 95000.0, TimeInForce.GTC));
    ok(market("b", Side.BUY, 0.1));
    long middle = ++now;
    ok(market("b", Side.BUY, 0.1));
    ok(market("b", Side.BUY, 0.1));
    assertEquals(3, ex.userTrades("b", BTC, -1, -1, -1, 0).size());
    assertEquals(2, ex.userTrades("b", BTC, -1, middle, -1, 0).size());
    assertEquals(1, ex.userTrades("b", BTC, -1, -1, middle, 0).size());
    assertEquals(1, ex.userTrades("b", BTC, -1, -1, -1, 1).size());
    assertEquals(3, ex.userTrades("m", BTC, -1, -1, -1, 0).size());
  }

  @Test
  void queryOpenSeesOnlyLiveOrders() {
    SimOrder o = ok(limit("b", Side.BUY, 0.01, 94000.0, TimeInForce.GTC));
    assertEquals(o.orderId(), ok(ex.queryOpen("b", BTC, 0, o.clientOrderId())).orderId());
    ok(limit("m", Side.SELL, 0.01, 94000.0, TimeInForce.GTC));
    fails(-2013, ex.queryOpen("b", BTC, o.orderId(), null));
    assertEquals(OrderStatus.FILLED, ok(ex.query("b", BTC, 0, o.clientOrderId())).status());
  }
}
