package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.util.List;

/**
 * Everything the simulated exchange needs: symbols, seed, fees, funding, accounts, market model.
 */
public record SimEngineConfig(
    List<SimSymbolSpec> symbols,
    long seed,
    double makerFeeRate,
    double takerFeeRate,
    long fundingIntervalMillis,
    double initialWalletUsdt,
    int defaultLeverage,
    MarketModelConfig model) {

  public SimEngineConfig {
    symbols = List.copyOf(symbols);
  }

  /**
   * Three Binance-like symbols (BTCUSDT, ETHUSDT, SOLUSDT with the production filters of late
   * 2025), seed 42, VIP-0 fees, 8 h funding, a 100 000 USDT wallet at 20x, and a lively market
   * model. The server and the tests share it so that they agree on every tick and step.
   */
  public static SimEngineConfig defaults() {
    return new SimEngineConfig(
        List.of(
            new SimSymbolSpec(
                new Instrument(
                    0,
                    "BTCUSDT",
                    Scale.of("0.10"),
                    Scale.of("0.001"),
                    5_568,
                    45_297_640,
                    1,
                    1_000_000,
                    100.0,
                    200,
                    1.05,
                    0.95),
                "BTC",
                "USDT",
                950_000,
                0.0001,
                "0.0001"),
            new SimSymbolSpec(
                new Instrument(
                    1,
                    "ETHUSDT",
                    Scale.of("0.01"),
                    Scale.of("0.001"),
                    3_986,
                    30_617_700,
                    1,
                    10_000_000,
                    20.0,
                    200,
                    1.05,
                    0.95),
                "ETH",
                "USDT",
                340_000,
                0.00012,
                "0.0001"),
            new SimSymbolSpec(
                new Instrument(
                    2,
                    "SOLUSDT",
                    Scale.of("0.010"),
                    Scale.of("1"),
                    42,
                    685_700,
                    1,
                    1_000_000,
                    5.0,
                    200,
                    1.05,
                    0.95),
                "SOL",
                "USDT",
                18_000,
                0.00016,
                "0.0001")),
        42L,
        0.0002,
        0.0005,
        8 * 3_600_000L,
        100_000.0,
        20,
        new MarketModelConfig(100, 20, 300, 4.0, 30));
  }

  /**
   * {@link #defaults()} with the market model switched off (no ladder, no takers, fair value
   * fixed): empty books that only the caller fills, for tests.
   */
  public static SimEngineConfig quiet() {
    SimEngineConfig d = defaults();
    List<SimSymbolSpec> still =
        d.symbols().stream()
            .map(
                s ->
                    new SimSymbolSpec(
                        s.instrument(),
                        s.baseAsset(),
                        s.quoteAsset(),
                        s.initialFairPriceTicks(),
                        0.0,
                        s.fundingRateDefault()))
            .toList();
    return new SimEngineConfig(
        still,
        d.seed(),
        d.makerFeeRate(),
        d.takerFeeRate(),
        d.fundingIntervalMillis(),
        d.initialWalletUsdt(),
        d.defaultLeverage(),
        new MarketModelConfig(100, 0, 0, 0.0, 0));
  }
}
