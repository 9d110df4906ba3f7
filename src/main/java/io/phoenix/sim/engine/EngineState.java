package io.phoenix.sim.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What every part of the engine shares: the symbols, the accounts, the clock and the id counters.
 * Single-threaded like the exchange that owns it.
 */
final class EngineState {
  /** Account of the market model's liquidity providers. */
  static final String LIQUIDITY_ACCOUNT = "sim-liquidity";

  /** Account of the market model's noise takers. */
  static final String TAKER_ACCOUNT = "sim-taker";

  static final String USDT = "USDT";
  static final double MONEY_EPSILON = 1e-9;

  final SimEngineConfig config;
  final SimListener listener;
  final SymbolMarket[] markets;
  final Map<String, SymbolMarket> bySymbol = new HashMap<>();
  final Map<String, Account> accounts = new LinkedHashMap<>();
  final Account liquidity;
  final Account takers;
  long clock;
  long generatedClientIds;
  long nextAlgoId = 4_000_000_001L;
  long nextTranId = 9_000_000_001L;

  /** Moves a recording to a request's arrival time; null when nothing is replayed. */
  private final LongConsumer recordingClock;

  EngineState(
      SimEngineConfig config, SimListener listener, long startMillis, LongConsumer recordingClock) {
    this.config = config;
    this.listener = listener;
    this.clock = startMillis;
    this.recordingClock = recordingClock;
    List<SimSymbolSpec> specs = config.symbols();
    this.markets = new SymbolMarket[specs.size()];
    long interval = Math.max(1, config.fundingIntervalMillis());
    for (int i = 0; i < markets.length; i++) {
      // order ids start high like Binance's, and differ per symbol so a mixed-up symbol shows
      SymbolMarket m = new SymbolMarket(i, specs.get(i), (i + 1) * 1_000_000_000L + 1);
      m.nextFundingTime = (Math.floorDiv(startMillis, interval) + 1) * interval;
      markets[i] = m;
      bySymbol.put(m.symbol, m);
    }
    this.liquidity = new Account(LIQUIDITY_ACCOUNT, true, 0, markets.length, 1);
    this.takers = new Account(TAKER_ACCOUNT, true, 0, markets.length, 1);
    accounts.put(liquidity.name, liquidity);
    accounts.put(takers.name, takers);
  }

  SymbolMarket market(String symbol) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      throw new IllegalArgumentException("unknown symbol " + symbol);
    }
    return m;
  }

  /** The account of that name, opened with the configured wallet on first use. */
  Account account(String name) {
    Account a = accounts.get(name);
    if (a == null) {
      a =
          new Account(
              name, false, config.initialWalletUsdt(), markets.length, config.defaultLeverage());
      accounts.put(name, a);
    }
    return a;
  }

  /** The account holding {@code o}. */
  Account accountOf(WorkingOrder o) {
    return accounts.get(o.accountName);
  }

  /** The account holding {@code w}. */
  Account accountOf(WorkingAlgo w) {
    return accounts.get(w.accountName);
  }

  void touchClock(long now) {
    clock = Math.max(clock, now);
  }

  /** A request arrives at {@code now}: the clock moves, and the recording catches up to it. */
  void touch(long now) {
    touchClock(now);
    if (recordingClock != null) {
      // a request meets the recorded market as it stands at its arrival, not at the last tick
      recordingClock.accept(now);
    }
  }

  void income(Account a, String symbol, String type, double amount, long time, long tradeId) {
    a.addIncome(new IncomeRecord(symbol, type, amount, USDT, time, nextTranId++, tradeId));
  }
}
