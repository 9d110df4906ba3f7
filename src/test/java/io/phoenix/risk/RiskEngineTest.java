package io.phoenix.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.quoting.Fixtures;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RiskEngineTest {
  private static final int BTC = 0;
  private static final int ETH = 1;
  private static final long MARK = 500_000; // 50000.0 in 0.10 ticks
  private static final long ETH_MARK = 300_000; // 3000.00 in 0.01 ticks
  private static final String BASE =
      "phoenix.risk { max-order-notional = 1000, max-order-qty-fraction = 0.001, max-position-notional = 2000,"
          + " max-gross-notional = 3000, max-open-orders = 50, max-open-orders-per-symbol = 20, orders-per-second = 1000,"
          + " order-burst = 1000, price-band-bps = 100, daily-loss-limit = 100, max-drawdown = 50,"
          + " max-consecutive-rejects = 3, stale-data-after = 5s }";

  private final PreTradeResult r = new PreTradeResult();
  private RiskEngine engine = engine("");
  private long now = 1_000_000L;
  private int ids;

  private static RiskEngine engine(String extra) {
    return new RiskEngine(
        Fixtures.risk(BASE + "\n" + extra), List.of(Fixtures.btc(BTC), Fixtures.eth(ETH)));
  }

  private void marks() {
    engine.onMark(BTC, MARK, now);
    engine.onMark(ETH, ETH_MARK, now);
  }

  private PreTradeResult buy(int symbol, long price, long qty) {
    return engine.checkNew("o" + ids++, symbol, true, price, qty, false, now, r);
  }

  private PreTradeResult sell(int symbol, long price, long qty) {
    return engine.checkNew("o" + ids++, symbol, false, price, qty, false, now, r);
  }

  @AfterEach
  void invariants() {
    engine.validateInvariants();
  }

  @Test
  void approvesAnOrdinaryOrderAndCountsItInFlight() {
    marks();
    assertEquals(PreTradeResult.Verdict.APPROVE, buy(BTC, MARK - 10, 5).verdict());
    assertEquals(5, r.qtySteps());
    assertEquals(1, engine.inFlightOrders());
    assertEquals(5, engine.buyOpenSteps(BTC));
    engine.onAccepted("o0");
    assertEquals(0, engine.inFlightOrders());
    assertEquals(1, engine.openOrders());
  }

  @Test
  void rejectsWhatTheExchangeFiltersWouldReject() {
    marks();
    assertEquals(RiskReason.PRICE_FILTER, buy(BTC, 0, 5).reason());
    assertEquals(RiskReason.QUANTITY_FILTER, buy(BTC, MARK, 0).reason());
    // ETH at 3000: one step (0.001) is 3 USDT, below min notional 5
    assertEquals(RiskReason.MIN_NOTIONAL, buy(ETH, ETH_MARK, 1).reason());
    assertEquals(RiskReason.UNKNOWN_SYMBOL, buy(7, MARK, 1).reason());
    assertEquals(0, engine.openOrders());
  }

  @Test
  void rejectsADuplicateClientOrderId() {
    marks();
    engine.checkNew("same", BTC, true, MARK - 10, 5, false, now, r);
    assertEquals(
        RiskReason.DUPLICATE_CLIENT_ORDER_ID,
        engine.checkNew("same", BTC, true, MARK - 20, 5, false, now, r).reason());
  }

  @Test
  void clampsToMaxOrderQuantityAndNotional() {
    marks();
    // maxQty 1_000_000 steps * 0.001 = 1000 steps, but 1000 USDT notional at 50000 = 20 steps
    PreTradeResult res = buy(BTC, MARK, 50);
    assertEquals(PreTradeResult.Verdict.CLAMP, res.verdict());
    assertEquals(RiskReason.MAX_ORDER_NOTIONAL, res.reason());
    assertEquals(20, res.qtySteps());
    RiskEngine small = engine("phoenix.risk.max-order-qty-fraction = 0.00001");
    small.onMark(BTC, MARK, now);
    PreTradeResult q = small.checkNew("x", BTC, true, MARK, 15, false, now, new PreTradeResult());
    assertEquals(RiskReason.MAX_ORDER_QUANTITY, q.reason());
    assertEquals(10, q.qtySteps());
    small.validateInvariants();
  }

  @Test
  void maxPositionCountsInFlightAndWorkingOrders() {
    marks();
    // 2000 USDT at 50000 = 40 steps
    assertEquals(PreTradeResult.Verdict.APPROVE, buy(BTC, MARK - 10, 15).verdict());
    engine.onAccepted("o0"); // working
    assertEquals(PreTradeResult.Verdict.APPROVE, buy(BTC, MARK - 20, 15).verdict()); // in flight
    PreTradeResult third = buy(BTC, MARK - 30, 15);
    assertEquals(PreTradeResult.Verdict.CLAMP, third.verdict());
    assertEquals(RiskReason.MAX_POSITION, third.reason());
    assertEquals(10, third.qtySteps());
    assertEquals(RiskReason.MAX_POSITION, buy(BTC, MARK - 40, 1).reason());
    // sells are independent of the buy side
    assertEquals(PreTradeResult.Verdict.APPROVE, sell(BTC, MARK + 10, 15).verdict());
    // a cancel confirmed frees room
    engine.onDone("o1");
    assertEquals(PreTradeResult.Verdict.APPROVE, buy(BTC, MARK - 50, 15).verdict());
  }

  @Test
  void fillsMoveRoomFromOpenOrdersToPosition() {
    marks();
    buy(BTC, MARK - 10, 20);
    engine.onFill("o0", BTC, true, 20, MARK - 10, 0.1);
    assertEquals(20, engine.positionSteps(BTC));
    assertEquals(0, engine.openOrders());
    assertEquals(20, buy(BTC, MARK - 10, 25).qtySteps(), "20 of 40 steps used by the position");
    // a long position gives the sell side extra room: 40 + 20 = 60 steps
    assertEquals(19, sell(BTC, MARK + 10, 19).qtySteps());
    assertEquals(19, sell(BTC, MARK + 20, 19).qtySteps());
    assertEquals(19, sell(BTC, MARK + 30, 19).qtySteps());
    PreTradeResult last = sell(BTC, MARK + 40, 19);
    assertEquals(RiskReason.MAX_POSITION, last.reason());
    assertEquals(3, last.qtySteps());
  }

  @Test
  void grossExposureIsLimitedAcrossSymbols() {
    marks();
    // BTC worst case 40 steps = 2000 USDT; gross limit 3000 leaves 1000 for ETH = 333 steps at 3000
    for (int i = 0; i < 2; i++) {
      buy(BTC, MARK - 10 - i, 20);
    }
    PreTradeResult eth = buy(ETH, ETH_MARK - 10, 333);
    assertEquals(PreTradeResult.Verdict.APPROVE, eth.verdict(), eth.reason().toString());
    PreTradeResult more = buy(ETH, ETH_MARK - 20, 100);
    assertEquals(RiskReason.MAX_GROSS_EXPOSURE, more.reason());
    assertFalse(more.approved());
  }

  @Test
  void limitsOpenOrdersInTotalAndPerSymbol() {
    engine = engine("phoenix.risk { max-open-orders = 3, max-open-orders-per-symbol = 2 }");
    marks();
    buy(BTC, MARK - 10, 1);
    buy(BTC, MARK - 20, 1);
    assertEquals(RiskReason.MAX_OPEN_ORDERS_SYMBOL, buy(BTC, MARK - 30, 1).reason());
    assertTrue(buy(ETH, ETH_MARK - 10, 2).approved());
    assertEquals(RiskReason.MAX_OPEN_ORDERS, buy(ETH, ETH_MARK - 20, 2).reason());
  }

  @Test
  void orderRateBudgetRefillsOverTime() {
    engine = engine("phoenix.risk { orders-per-second = 2, order-burst = 2 }");
    marks();
    assertTrue(buy(BTC, MARK - 10, 1).approved());
    assertTrue(buy(BTC, MARK - 20, 1).approved());
    assertEquals(RiskReason.ORDER_RATE, buy(BTC, MARK - 30, 1).reason());
    now += 500;
    marks();
    assertTrue(buy(BTC, MARK - 40, 1).approved());
    assertEquals(RiskReason.ORDER_RATE, buy(BTC, MARK - 50, 1).reason());
  }

  @Test
  void rejectsPricesOutsideTheBandAroundMark() {
    marks();
    // 100 bps of 500000 = 5000 ticks
    assertTrue(buy(BTC, MARK - 5000, 1).approved());
    assertEquals(RiskReason.PRICE_BAND, buy(BTC, MARK - 5001, 1).reason());
    assertEquals(RiskReason.PRICE_BAND, sell(BTC, MARK + 5001, 1).reason());
    RiskEngine wide = engine("phoenix.risk.price-band-bps = 2000");
    wide.onMark(BTC, MARK, now);
    // PERCENT_PRICE multiplierUp 1.05
    assertEquals(
        RiskReason.PERCENT_PRICE,
        wide.checkNew("p", BTC, true, MARK * 106 / 100, 1, false, now, new PreTradeResult())
            .reason());
  }

  @Test
  void rejectsABuyAtOrAboveOurOwnRestingAsk() {
    marks();
    sell(BTC, MARK + 10, 1);
    assertEquals(RiskReason.SELF_CROSS, buy(BTC, MARK + 10, 1).reason());
    assertEquals(RiskReason.SELF_CROSS, buy(BTC, MARK + 11, 1).reason());
    assertTrue(buy(BTC, MARK + 9, 1).approved());
    assertEquals(RiskReason.SELF_CROSS, sell(BTC, MARK + 9, 1).reason());
  }

  @Test
  void rejectsWhenMarkDataIsMissingOrStale() {
    assertEquals(RiskReason.NO_MARK_PRICE, buy(BTC, MARK, 1).reason());
    marks();
    now += 5_001;
    assertEquals(RiskReason.STALE_DATA, buy(BTC, MARK, 1).reason());
  }

  @Test
  void cancelsStillFreeRoomWhenTheKillSwitchIsTripped() {
    marks();
    buy(BTC, MARK - 10, 1);
    engine.trip(RiskReason.OPERATOR, "test", now);
    assertEquals(RiskReason.KILL_SWITCH, buy(BTC, MARK - 20, 1).reason());
    engine.onDone("o0");
    assertEquals(0, engine.openOrders());
  }

  @Test
  void dailyLossTripsTheKillSwitch() {
    marks();
    engine.checkPortfolio(now);
    buy(BTC, MARK, 20);
    engine.onFill("o0", BTC, true, 20, MARK, 0.0);
    // price falls 1 % = 500 USDT per BTC, on 0.02 BTC = -10 USDT: fine
    engine.onMark(BTC, MARK - 5000, now);
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
    // fall 12 %: -120 USDT > 100 daily limit (drawdown 50 would also trip; daily loss is checked
    // first)
    engine.onMark(BTC, MARK - 60_000, now);
    assertEquals(RiskReason.DAILY_LOSS, engine.checkPortfolio(now));
    assertTrue(engine.tripped());
    assertEquals(RiskReason.DAILY_LOSS, engine.tripReason());
  }

  @Test
  void drawdownFromThePeakTripsTheKillSwitch() {
    marks();
    engine.checkPortfolio(now);
    buy(BTC, MARK, 20);
    engine.onFill("o0", BTC, true, 20, MARK, 0.0);
    engine.onMark(BTC, MARK + 40_000, now); // +80 USDT peak
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
    engine.onMark(BTC, MARK + 10_000, now); // +20: 60 below the peak, loss today none
    assertEquals(RiskReason.DRAWDOWN, engine.checkPortfolio(now));
    engine.reset();
    assertFalse(engine.tripped());
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now), "reset re-bases the peak");
  }

  @Test
  void consecutiveExchangeRejectsTripButPostOnlyRejectsDoNot() {
    marks();
    for (int i = 0; i < 5; i++) {
      buy(BTC, MARK - 10 - i, 1);
      engine.onRejected("o" + i, -5022);
    }
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
    for (int i = 5; i < 8; i++) {
      buy(BTC, MARK - 10 - i, 1);
      engine.onRejected("o" + i, -2019);
    }
    assertEquals(RiskReason.CONSECUTIVE_REJECTS, engine.checkPortfolio(now));
  }

  @Test
  void localRefusalsDoNotCountAsExchangeRejects() {
    marks();
    // a gateway restarting refuses what it had not sent yet (code 0): no verdict on our orders
    for (int i = 0; i < 10; i++) {
      buy(BTC, MARK - 10 - i, 1);
      engine.onRejected("o" + i, 0);
    }
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
    assertEquals(0, engine.consecutiveRejects());
  }

  @Test
  void theVenuesOwnErrorsDoNotCountAsRejectsOfOurOrders() {
    marks();
    // 503 -1001 "Service Unavailable", -1003 rate limits, -1016 shutting down: the venue's state,
    // not our orders'
    int[] venue = {-1001, -1003, -1008, -1016, -1001, -1001, -1000, -1007, -1001, -1001, -1001};
    for (int i = 0; i < venue.length; i++) {
      buy(BTC, MARK - 10 - i, 1);
      engine.onRejected("o" + i, venue[i]);
    }
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
    assertEquals(0, engine.consecutiveRejects());
    // an order the exchange refuses for itself still counts
    buy(BTC, MARK - 30, 1);
    engine.onRejected("o-bad", -4164);
    assertEquals(1, engine.consecutiveRejects());
  }

  @Test
  void onlyARejectsTripCoolsDownAndClearingItKeepsTheRest() {
    marks();
    for (int i = 0; i < 10; i++) {
      buy(BTC, MARK - 10 - i, 1);
      engine.onRejected("o" + i, -2019);
    }
    assertEquals(RiskReason.CONSECUTIVE_REJECTS, engine.checkPortfolio(now));
    long cooldown = engine.settings().rejectsCooldown().toMillis();
    assertTrue(cooldown > 0, "the default cools down");
    assertFalse(engine.rejectsTripCooledDown(now + cooldown - 1));
    assertTrue(engine.rejectsTripCooledDown(now + cooldown));
    engine.clearRejectsTrip();
    assertFalse(engine.tripped());
    assertEquals(0, engine.consecutiveRejects());
    engine.trip(RiskReason.DRAWDOWN, "test", now);
    assertFalse(
        engine.rejectsTripCooledDown(now + 10 * cooldown), "a drawdown waits for the operator");
    engine.clearRejectsTrip();
    assertTrue(engine.tripped());
  }

  @Test
  void anAcceptBreaksTheRejectStreak() {
    marks();
    buy(BTC, MARK - 10, 1);
    engine.onRejected("o0", -2019);
    buy(BTC, MARK - 11, 1);
    engine.onRejected("o1", -2019);
    buy(BTC, MARK - 12, 1);
    engine.onAccepted("o2");
    buy(BTC, MARK - 13, 1);
    engine.onRejected("o3", -2019);
    assertEquals(RiskReason.NONE, engine.checkPortfolio(now));
  }

  @Test
  void anActualPositionBeyondTheLimitTrips() {
    marks();
    engine.onPosition(BTC, 50, 50_000.0); // 2500 USDT > 2000 * 1.1
    assertEquals(RiskReason.POSITION_BREACH, engine.checkPortfolio(now));
  }

  @Test
  void realisedPnlUsesAverageCostAndFeesAndFundingCount() {
    marks();
    buy(BTC, MARK, 10);
    engine.onFill("o0", BTC, true, 10, MARK, 0.5);
    sell(BTC, MARK + 1000, 10);
    engine.onFill("o1", BTC, false, 10, MARK + 1000, 0.5);
    // +100 USDT per BTC on 0.01 BTC = 1.0
    assertEquals(1.0, engine.realised(), 1e-9);
    engine.onFunding(-0.25);
    assertEquals(1.0 - 1.0 - 0.25, engine.pnl(), 1e-9);
    assertEquals(0, engine.positionSteps(BTC));
  }
}
