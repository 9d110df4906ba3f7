package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Algo Order API's conditional orders on the engine: triggers, the order they place, their
 * states.
 */
class ConditionalOrdersTest extends EngineScenario {
  SimOrder order(String account, Side side, OrderType type, double qty, double price) {
    OrderResult r =
        ex.place(
            account,
            new NewOrder(
                BTC,
                side,
                null,
                type,
                type == OrderType.LIMIT ? TimeInForce.GTC : null,
                q(qty),
                type == OrderType.LIMIT ? px(price) : 0,
                false,
                null,
                StpMode.NONE),
            ++now);
    assertNull(r.error(), () -> "order refused: " + r.error());
    return r.order();
  }

  /** A position for {@code user} opened against the market maker at 95 000. */
  void open(Side side, double qty) {
    order("mm", side == Side.BUY ? Side.SELL : Side.BUY, OrderType.LIMIT, qty, 95_000);
    order("user", side, OrderType.MARKET, qty, 0);
  }

  AlgoResult algo(
      AlgoType type,
      Side side,
      double qty,
      double price,
      double trigger,
      WorkingType wt,
      boolean close,
      boolean protect,
      double activate,
      double callback) {
    return ex.placeAlgo(
        "user",
        new NewAlgoOrder(
            BTC,
            side,
            null,
            type,
            TimeInForce.GTC,
            close ? 0 : q(qty),
            price > 0 ? px(price) : 0,
            trigger > 0 ? px(trigger) : 0,
            wt,
            close,
            protect,
            false,
            activate > 0 ? px(activate) : 0,
            callback,
            null,
            StpMode.NONE),
        ++now);
  }

  List<AlgoStatus> statuses() {
    return rec.algos.stream().map(a -> a.algo().status()).toList();
  }

  long position() {
    return ex.positions("user", BTC).get(0).amountSteps();
  }

  @Test
  void stopMarketClosePositionOnMarkSellsTheWholeLongWhenMarkFallsThroughTheTrigger() {
    open(Side.BUY, 1);
    SimAlgoOrder placed =
        algo(
                AlgoType.STOP_MARKET,
                Side.SELL,
                0,
                0,
                94_000,
                WorkingType.MARK_PRICE,
                true,
                false,
                0,
                0)
            .algo();
    assertEquals(AlgoStatus.NEW, placed.status());
    order("mm", Side.BUY, OrderType.LIMIT, 1, 93_800);
    markTo(94_100);
    assertEquals(List.of(AlgoStatus.NEW), statuses(), "not yet at the trigger");
    markTo(93_900);
    assertEquals(
        List.of(AlgoStatus.NEW, AlgoStatus.TRIGGERING, AlgoStatus.TRIGGERED, AlgoStatus.FINISHED),
        statuses());
    SimAlgoOrder finished = rec.algos.get(3).algo();
    assertTrue(finished.actualOrderId() > 0);
    assertEquals(q(1), finished.executedQtySteps());
    assertEquals(93_800.0, finished.avgPrice(), 1e-9);
    assertEquals(0, position());
    RecordingListener.OrderUpdate trade =
        rec.ordersOf("user").stream()
            .filter(o -> o.executionType().equals("TRADE"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(OrderType.MARKET, trade.order().type());
    assertEquals("STOP_MARKET", trade.order().origType());
    assertEquals(px(94_000), trade.order().stopPriceTicks());
    assertTrue(trade.order().closePosition());
    assertTrue(trade.order().reduceOnly());
    assertEquals(WorkingType.MARK_PRICE, trade.order().workingType());
    assertEquals(AlgoStatus.FINISHED, ex.queryAlgo("user", placed.algoId(), null).algo().status());
    assertTrue(ex.openAlgos("user", null).isEmpty());
  }

  @Test
  void takeProfitLimitOnContractPriceRestsAfterTriggerAndFinishesWhenFilled() {
    open(Side.SELL, 1);
    algo(
        AlgoType.TAKE_PROFIT,
        Side.BUY,
        1,
        93_500,
        94_000,
        WorkingType.CONTRACT_PRICE,
        false,
        false,
        0,
        0);
    order("mm", Side.SELL, OrderType.LIMIT, 0.1, 93_950);
    order("other", Side.BUY, OrderType.MARKET, 0.1, 0);
    now += 200;
    ex.advanceTo(now);
    assertEquals(List.of(AlgoStatus.NEW, AlgoStatus.TRIGGERING, AlgoStatus.TRIGGERED), statuses());
    SimAlgoOrder triggered = rec.algos.get(2).algo();
    SimOrder resting = ex.query("user", BTC, triggered.actualOrderId(), null).order();
    assertEquals(OrderStatus.NEW, resting.status());
    assertEquals(OrderType.LIMIT, resting.type());
    assertEquals("TAKE_PROFIT", resting.origType());
    assertEquals(px(93_500), resting.priceTicks());
    order("mm", Side.SELL, OrderType.LIMIT, 1, 93_500);
    assertEquals(AlgoStatus.FINISHED, rec.algos.get(rec.algos.size() - 1).algo().status());
    assertEquals(0, position());
  }

  @Test
  void stopLimitAndTakeProfitMarketFireOnTheirSides() {
    open(Side.BUY, 2);
    algo(AlgoType.STOP, Side.SELL, 1, 93_000, 94_000, WorkingType.MARK_PRICE, false, false, 0, 0);
    algo(
        AlgoType.TAKE_PROFIT_MARKET,
        Side.SELL,
        1,
        0,
        96_000,
        WorkingType.MARK_PRICE,
        false,
        false,
        0,
        0);
    order("mm", Side.BUY, OrderType.LIMIT, 1, 95_900);
    markTo(96_100);
    assertEquals(q(1), position(), "the take profit sold one");
    order("mm", Side.BUY, OrderType.LIMIT, 1, 93_500);
    markTo(93_900);
    assertEquals(0, position(), "the stop sold the other at its limit or better");
    assertEquals(
        2, rec.algos.stream().filter(a -> a.algo().status() == AlgoStatus.FINISHED).count());
  }

  @Test
  void trailingStopFollowsTheMarkAndSellsOnTheCallback() {
    open(Side.BUY, 1);
    algo(
        AlgoType.TRAILING_STOP_MARKET,
        Side.SELL,
        1,
        0,
        0,
        WorkingType.MARK_PRICE,
        false,
        false,
        0,
        1.0);
    order("mm", Side.BUY, OrderType.LIMIT, 1, 94_000);
    markTo(96_000);
    markTo(95_100);
    assertEquals(List.of(AlgoStatus.NEW), statuses(), "95 100 is less than 1 % below 96 000");
    markTo(95_000);
    assertEquals(AlgoStatus.FINISHED, rec.algos.get(rec.algos.size() - 1).algo().status());
    assertEquals(0, position());
  }

  @Test
  void refusalsCancelsAndProtection() {
    assertEquals(
        -2021,
        algo(
                AlgoType.STOP_MARKET,
                Side.SELL,
                1,
                0,
                95_000,
                WorkingType.MARK_PRICE,
                false,
                false,
                0,
                0)
            .error()
            .code());
    assertEquals(
        -2021,
        algo(
                AlgoType.TAKE_PROFIT_MARKET,
                Side.SELL,
                1,
                0,
                94_000,
                WorkingType.CONTRACT_PRICE,
                false,
                false,
                0,
                0)
            .error()
            .code());
    assertEquals(
        -1106,
        algo(AlgoType.STOP, Side.SELL, 1, 93_000, 94_000, WorkingType.MARK_PRICE, true, false, 0, 0)
            .error()
            .code());
    assertEquals(
        -1130,
        algo(
                AlgoType.TRAILING_STOP_MARKET,
                Side.SELL,
                1,
                0,
                0,
                WorkingType.MARK_PRICE,
                false,
                false,
                0,
                20)
            .error()
            .code());
    assertEquals(
        -4014,
        ex.placeAlgo(
                "user",
                new NewAlgoOrder(
                    BTC,
                    Side.SELL,
                    null,
                    AlgoType.STOP_MARKET,
                    null,
                    q(1),
                    0,
                    io.phoenix.core.Scale.INVALID,
                    WorkingType.MARK_PRICE,
                    false,
                    false,
                    false,
                    0,
                    0,
                    null,
                    null),
                ++now)
            .error()
            .code());
    SimAlgoOrder a =
        algo(
                AlgoType.STOP_MARKET,
                Side.SELL,
                1,
                0,
                90_000,
                WorkingType.MARK_PRICE,
                false,
                false,
                0,
                0)
            .algo();
    SimAlgoOrder canceled = ex.cancelAlgo("user", a.algoId(), null, ++now).algo();
    assertEquals(AlgoStatus.CANCELED, canceled.status());
    assertEquals(-2011, ex.cancelAlgo("user", a.algoId(), null, ++now).error().code());

    open(Side.BUY, 1);
    SimAlgoOrder protectedStop =
        algo(
                AlgoType.STOP_MARKET,
                Side.SELL,
                1,
                0,
                94_000,
                WorkingType.MARK_PRICE,
                false,
                true,
                0,
                0)
            .algo();
    markTo(89_000);
    assertEquals(
        AlgoStatus.NEW,
        ex.queryAlgo("user", protectedStop.algoId(), null).algo().status(),
        "mark 89 000 against a last trade of 95 000 is beyond the 5 % trigger protection");
    assertEquals(1, ex.openAlgos("user", BTC).size());
    assertEquals(1, ex.cancelAllAlgos("user", BTC, ++now).size());
    assertEquals(2, ex.allAlgos("user", BTC, 0, -1, -1, 500).size());
  }

  @Test
  void closePositionWithNothingToCloseExpires() {
    SimAlgoOrder a =
        algo(
                AlgoType.STOP_MARKET,
                Side.SELL,
                0,
                0,
                94_000,
                WorkingType.MARK_PRICE,
                true,
                false,
                0,
                0)
            .algo();
    assertNotNull(a);
    markTo(93_000);
    assertEquals(AlgoStatus.EXPIRED, ex.queryAlgo("user", a.algoId(), null).algo().status());
  }

  @Test
  void theSameCallsGiveTheSameEvents() {
    List<String> first = run();
    List<String> second = run();
    assertEquals(first, second);
  }

  private List<String> run() {
    setUp();
    open(Side.BUY, 1);
    algo(
        AlgoType.TRAILING_STOP_MARKET,
        Side.SELL,
        1,
        0,
        0,
        WorkingType.MARK_PRICE,
        false,
        false,
        0,
        0.5);
    order("mm", Side.BUY, OrderType.LIMIT, 1, 90_000);
    for (int i = 0; i < 20; i++) {
      markTo(95_000 + (i % 7) * 150 - i * 40);
    }
    return List.copyOf(rec.log);
  }
}
