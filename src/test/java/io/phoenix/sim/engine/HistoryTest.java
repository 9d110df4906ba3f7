package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine remembers: income, order history with Binance's retention, ticker and klines. */
class HistoryTest extends EngineScenario {
  SimOrder place(String account, Side side, OrderType type, long qty, long price) {
    OrderResult r =
        ex.place(
            account,
            new NewOrder(
                BTC,
                side,
                null,
                type,
                type == OrderType.LIMIT ? TimeInForce.GTC : null,
                qty,
                price,
                false,
                null,
                StpMode.NONE),
            ++now);
    assertNull(r.error());
    return r.order();
  }

  @Test
  void incomeRecordsCommissionRealizedPnlAndFundingAsTheyHappen() {
    SimEngineConfig q = SimEngineConfig.quiet();
    // funding every 2 s instead of 8 h: the same settlement, without simulating 8 hours of steps
    ex =
        new SimExchange(
            new SimEngineConfig(
                q.symbols(),
                q.seed(),
                q.makerFeeRate(),
                q.takerFeeRate(),
                2_000,
                q.initialWalletUsdt(),
                q.defaultLeverage(),
                q.model()),
            rec,
            T0);
    place("mm", Side.SELL, OrderType.LIMIT, 1000, 950_000);
    place("user", Side.BUY, OrderType.MARKET, 1000, 0);
    place("mm", Side.BUY, OrderType.LIMIT, 1000, 960_000 - 10);
    place("user", Side.SELL, OrderType.MARKET, 500, 0);
    List<IncomeRecord> trading = ex.income("user", null, null, -1, -1, 100);
    assertEquals(
        List.of("COMMISSION", "REALIZED_PNL", "COMMISSION"),
        trading.stream().map(IncomeRecord::incomeType).toList());
    assertEquals(-95_000 * 0.0005, trading.get(0).income(), 1e-9);
    assertEquals(0.5 * (95_999 - 95_000), trading.get(1).income(), 1e-6);
    assertTrue(trading.get(1).tradeId() > 0);
    assertTrue(trading.get(0).tranId() < trading.get(1).tranId());
    now = T0 + 2_001;
    ex.advanceTo(now);
    List<IncomeRecord> funding = ex.income("user", BTC, "FUNDING_FEE", -1, -1, 100);
    assertEquals(1, funding.size());
    assertEquals(-0.5 * 95_000 * 0.0001, funding.get(0).income(), 1e-6);
    assertEquals(1, ex.income("user", null, null, -1, -1, 1).size(), "limit");
    assertEquals(0, ex.income("user", null, null, now + 1, now + 2, 100).size(), "window");
  }

  @Test
  void allOrdersKeepsFilledOrdersAndForgetsUnfilledCancelsAfterThreeDays() {
    SimOrder canceled = place("user", Side.BUY, OrderType.LIMIT, 1000, 900_000);
    ex.cancel("user", BTC, canceled.orderId(), null, ++now);
    place("mm", Side.SELL, OrderType.LIMIT, 1000, 950_000);
    SimOrder filled = place("user", Side.BUY, OrderType.MARKET, 1000, 0);
    SimOrder open = place("user", Side.BUY, OrderType.LIMIT, 1000, 900_000);
    assertEquals(
        List.of(canceled.orderId(), filled.orderId(), open.orderId()),
        ex.allOrders("user", BTC, 0, -1, -1, 500).stream().map(SimOrder::orderId).toList());
    assertEquals(
        List.of(filled.orderId(), open.orderId()),
        ex.allOrders("user", BTC, filled.orderId(), -1, -1, 500).stream()
            .map(SimOrder::orderId)
            .toList());
    assertEquals(1, ex.allOrders("user", BTC, 0, -1, -1, 1).size());
    // the retention rule reads the engine clock; any call moves it (no need to simulate 3 days of
    // steps)
    now = T0 + 3 * 86_400_000L + 10;
    ex.cancelAll("user", BTC, now);
    SimOrder fresh = place("user", Side.BUY, OrderType.LIMIT, 1000, 900_000);
    ex.cancel("user", BTC, fresh.orderId(), null, ++now);
    // both unfilled cancels were created 3 days ago and are gone; the fill and the fresh cancel
    // stay
    assertEquals(
        List.of(filled.orderId(), fresh.orderId()),
        ex.allOrders("user", BTC, 0, T0, now, 500).stream().map(SimOrder::orderId).toList());
    assertEquals(-2013, ex.query("user", BTC, canceled.orderId(), null).error().code());
    assertEquals(
        OrderStatus.FILLED, ex.query("user", BTC, filled.orderId(), null).order().status());
  }

  @Test
  void tickerCarriesTheFirstAndLastTradeAndTheLastQuantity() {
    place("mm", Side.SELL, OrderType.LIMIT, 3000, 950_000);
    place("user", Side.BUY, OrderType.MARKET, 1000, 0);
    place("user", Side.BUY, OrderType.MARKET, 250, 0);
    Ticker24h t = ex.ticker24h(BTC);
    assertEquals(1, t.firstId());
    assertEquals(2, t.lastId());
    assertEquals(2, t.count());
    assertEquals(250, t.lastQtySteps());
    List<Kline> k = ex.klines(BTC, KlineSource.TRADE, KlineInterval.M1, -1, -1, 500);
    assertEquals(1, k.size());
    assertEquals(1250, k.get(0).volumeSteps());
    assertEquals(1250, k.get(0).takerBuyVolumeSteps());
    now += 120_000;
    ex.advanceTo(now);
    assertEquals(3, ex.klines(BTC, KlineSource.MARK, KlineInterval.M1, -1, -1, 500).size());
    assertEquals(
        950_000, ex.klines(BTC, KlineSource.INDEX, KlineInterval.H1, -1, -1, 500).get(0).close());
  }
}
