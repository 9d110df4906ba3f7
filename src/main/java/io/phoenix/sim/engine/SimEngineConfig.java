package io.phoenix.sim.engine;

import java.util.List;

/** Everything the simulated exchange needs: symbols, seed, fees, funding, accounts, market model. */
public record SimEngineConfig(
    List<SimSymbolSpec> symbols,
    long seed,
    double makerFeeRate,
    double takerFeeRate,
    long fundingIntervalMillis,
    double initialWalletUsdt,
    int defaultLeverage,
    MarketModelConfig model) {

  /** Three Binance-like symbols (BTCUSDT, ETHUSDT, SOLUSDT) shared by the server and the tests. */
  public static SimEngineConfig defaults() {
    throw new UnsupportedOperationException();
  }
}
