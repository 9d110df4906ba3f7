package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarketModelTest {
  static final long T0 = 1_767_225_600_000L;

  /** Runs the default market for {@code seconds} with a bot quoting one tick inside the touch. */
  private static RecordingListener run(long seed, int seconds) {
    SimEngineConfig d = SimEngineConfig.defaults();
    SimEngineConfig cfg =
        new SimEngineConfig(
            d.symbols(),
            seed,
            d.makerFeeRate(),
            d.takerFeeRate(),
            d.fundingIntervalMillis(),
            d.initialWalletUsdt(),
            d.defaultLeverage(),
            d.model());
    RecordingListener rec = new RecordingListener();
    SimExchange ex = new SimExchange(cfg, rec, T0);
    long now = T0;
    for (int i = 0; i < seconds * 2; i++) {
      now += 500;
      ex.advanceTo(now);
      ex.checkInvariants();
      for (SimSymbolSpec spec : d.symbols()) {
        String symbol = spec.instrument().symbol();
        ex.cancelAll("mm", symbol, now);
        BookTop top = ex.bookTop(symbol);
        long qty = Math.max(spec.instrument().minQtySteps(), symbol.equals("SOLUSDT") ? 1 : 10);
        if (top.askPriceTicks() - top.bidPriceTicks() > 2) {
          ex.place(
              "mm",
              new NewOrder(
                  symbol,
                  Side.BUY,
                  null,
                  OrderType.LIMIT,
                  TimeInForce.GTX,
                  qty,
                  top.bidPriceTicks() + 1,
                  false,
                  null,
                  StpMode.NONE),
              now);
          ex.place(
              "mm",
              new NewOrder(
                  symbol,
                  Side.SELL,
                  null,
                  OrderType.LIMIT,
                  TimeInForce.GTX,
                  qty,
                  top.askPriceTicks() - 1,
                  false,
                  null,
                  StpMode.NONE),
              now);
        }
        ex.checkInvariants();
      }
    }
    return rec;
  }

  @Test
  void sameSeedGivesTheSameEventSequence() {
    List<String> a = run(7, 20).log;
    List<String> b = run(7, 20).log;
    assertTrue(a.size() > 1000, "a lively market: " + a.size());
    assertEquals(a, b);
    assertNotEquals(a, run(8, 20).log);
  }

  @Test
  void aMakerQuotingInsideTheSpreadGetsFilledOnBothSides() {
    RecordingListener rec = run(42, 60);
    List<RecordingListener.OrderUpdate> fills =
        rec.ordersOf("mm").stream().filter(u -> u.fill() != null).toList();
    assertTrue(fills.stream().allMatch(u -> u.fill().maker()), "post-only quotes only make");
    long buys = fills.stream().filter(u -> u.fill().side() == Side.BUY).count();
    long sells = fills.stream().filter(u -> u.fill().side() == Side.SELL).count();
    assertTrue(buys > 5 && sells > 5, "buys " + buys + " sells " + sells);
    assertTrue(rec.log.stream().anyMatch(s -> s.startsWith("M ")), "mark prices published");
  }

  @Test
  void fairValueMovesAndTheLadderFollows() {
    RecordingListener rec = new RecordingListener();
    SimExchange ex = new SimExchange(SimEngineConfig.defaults(), rec, T0);
    DepthSnapshot start = ex.depth("BTCUSDT", 100);
    assertEquals(20, start.bids().size());
    assertEquals(20, start.asks().size());
    long spread = start.asks().get(0).priceTicks() - start.bids().get(0).priceTicks();
    assertTrue(spread >= 4, "room inside the spread: " + spread);
    ex.advanceTo(T0 + 600_000);
    ex.checkInvariants();
    double fair = ex.fairValueTicks("BTCUSDT");
    assertNotEquals(950_000.0, fair);
    BookTop top = ex.bookTop("BTCUSDT");
    assertTrue(top.bidPriceTicks() < fair && fair < top.askPriceTicks());
    assertEquals(Math.round(fair), ex.mark("BTCUSDT").markPriceTicks());
    double rate = ex.mark("BTCUSDT").fundingRate();
    assertTrue(Math.abs(rate) <= MarketModel.FUNDING_CAP);
    assertTrue(ex.ticker24h("BTCUSDT").count() > 100);
  }

  /**
   * A maker resting {@code bps} either side of fair, re-placed every 500 ms, for {@code seconds}.
   */
  private static List<RecordingListener.OrderUpdate> farMakerFills(
      MarketModelConfig model, double bps, int seconds) {
    SimEngineConfig d = SimEngineConfig.defaults();
    SimEngineConfig cfg =
        new SimEngineConfig(
            d.symbols(),
            5,
            d.makerFeeRate(),
            d.takerFeeRate(),
            d.fundingIntervalMillis(),
            d.initialWalletUsdt(),
            d.defaultLeverage(),
            model);
    RecordingListener rec = new RecordingListener();
    SimExchange ex = new SimExchange(cfg, rec, T0);
    long now = T0;
    for (int i = 0; i < seconds * 2; i++) {
      now += 500;
      ex.advanceTo(now);
      ex.cancelAll("mm", "BTCUSDT", now);
      double fair = ex.fairValueTicks("BTCUSDT");
      long off = Math.round(fair * bps / 1e4);
      ex.place(
          "mm",
          new NewOrder(
              "BTCUSDT",
              Side.BUY,
              null,
              OrderType.LIMIT,
              TimeInForce.GTX,
              10,
              Math.round(fair) - off,
              false,
              null,
              StpMode.NONE),
          now);
      ex.place(
          "mm",
          new NewOrder(
              "BTCUSDT",
              Side.SELL,
              null,
              OrderType.LIMIT,
              TimeInForce.GTX,
              10,
              Math.round(fair) + off,
              false,
              null,
              StpMode.NONE),
          now);
      ex.checkInvariants();
    }
    return rec.ordersOf("mm").stream().filter(u -> u.fill() != null).toList();
  }

  @Test
  void sweepsReachQuotesThatRespectTheFeesAndTheNoiseTakersDoNot() {
    MarketModelConfig d = SimEngineConfig.defaults().model();
    MarketModelConfig sweeps =
        new MarketModelConfig(
            d.stepMillis(),
            d.levelsPerSide(),
            d.levelQtySteps(),
            d.takerArrivalsPerSecond(),
            d.takerQtySteps(),
            0.5,
            1.0,
            1.0,
            20,
            0.3);
    // 6 bps from fair: a sweep reaches that far with probability 1/6, so ~5 of the 30 a minute
    List<RecordingListener.OrderUpdate> fills = farMakerFills(sweeps, 6, 120);
    long buys = fills.stream().filter(u -> u.fill().side() == Side.BUY).count();
    long sells = fills.stream().filter(u -> u.fill().side() == Side.SELL).count();
    assertTrue(buys > 0 && sells > 0, "sweeps fill both sides: buys " + buys + " sells " + sells);
    assertTrue(fills.stream().allMatch(u -> u.fill().maker()));
    assertEquals(
        List.of(), farMakerFills(d, 6, 120), "without sweeps nothing reaches 6 bps from fair");
  }
}
