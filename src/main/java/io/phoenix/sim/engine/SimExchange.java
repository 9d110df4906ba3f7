package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated Binance USD-M exchange: one price-time-priority book per symbol, Binance's filter
 * checks and error codes, cross-margin accounts (positions, fees, funding) and the seeded market
 * model that keeps the books alive.
 *
 * <p>Single-threaded and not thread-safe: the server confines every call to one thread. Time is
 * injected ({@code nowMillis} on mutators, {@link #advanceTo} for the model, funding and countdown
 * timers), so a seed and a call sequence always give the same event sequence. Events go to the
 * {@link SimListener} synchronously, in Binance's order: a trade's depth change and public trade
 * first, then per account {@code ORDER_TRADE_UPDATE} followed by {@code ACCOUNT_UPDATE}.
 *
 * <p>This class is the engine's public face and its clock; the work is done by its parts: {@link
 * OrderEntry} (new orders, cancels, modifications, the dead-man switch), {@link Matching} (the book
 * and fills), {@link ConditionalOrders}, {@link Margins}, {@link PositionSettlement} (funding,
 * liquidation) and {@link AccountQueries}, over one shared {@link EngineState}.
 */
public final class SimExchange {
  /** Account of the market model's liquidity providers. */
  public static final String LIQUIDITY_ACCOUNT = EngineState.LIQUIDITY_ACCOUNT;

  /** Account of the market model's noise takers. */
  public static final String TAKER_ACCOUNT = EngineState.TAKER_ACCOUNT;

  private static final long MARK_PUBLISH_MILLIS = 1000;

  private final EngineState state;
  private final SymbolMarket[] markets;
  private final Margins margins;
  private final Matching matching;
  private final OrderEntry entry;
  private final AccountQueries queries;
  private final ConditionalOrders algos;
  private final PositionSettlement settlement;
  private final MarketModel model;
  private final long stepMillis;
  private long nextStep;
  private long nextMarkPublish;

  /** The recording driving some symbols, or null when the market model drives them all. */
  private final RecordedMarket replay;

  public SimExchange(SimEngineConfig config, SimListener listener, long startMillis) {
    this(config, listener, startMillis, null);
  }

  /**
   * An exchange whose symbols held by {@code replay} follow the recording instead of the market
   * model.
   */
  public SimExchange(
      SimEngineConfig config, SimListener listener, long startMillis, RecordedMarket replay) {
    this.state =
        new EngineState(config, listener, startMillis, replay == null ? null : replay::advanceTo);
    this.markets = state.markets;
    this.margins = new Margins(state);
    this.matching = new Matching(state, margins, replay == null ? null : replay.queueWatcher());
    this.entry = new OrderEntry(state, matching, margins);
    this.queries = new AccountQueries(state, matching, margins);
    this.algos = new ConditionalOrders(state, matching, entry, queries);
    this.settlement = new PositionSettlement(state, matching, margins);
    this.stepMillis = Math.max(1, config.model().stepMillis());
    this.nextStep = startMillis + stepMillis;
    this.nextMarkPublish = startMillis + MARK_PUBLISH_MILLIS;
    this.model =
        new MarketModel(
            matching, config.model(), config.seed(), markets, state.liquidity, state.takers);
    this.replay = replay;
    if (replay != null) {
      replay.attach(matching, state.bySymbol, startMillis);
    }
    model.start(startMillis);
  }

  RecordedMarket replayForTests() {
    return replay;
  }

  SymbolMarket marketOf(String symbol) {
    return state.market(symbol);
  }

  /** The recording's progress, or null when nothing is replayed. */
  public RecordedMarket.Status replayStatus() {
    return replay == null ? null : replay.status();
  }

  public List<SimSymbolSpec> symbols() {
    return state.config.symbols();
  }

  public Optional<Instrument> instrument(String symbol) {
    SymbolMarket m = state.bySymbol.get(symbol);
    return m == null ? Optional.empty() : Optional.of(m.instrument);
  }

  /** Opens {@code account} with the configured wallet; a second call changes nothing. */
  public void openAccount(String account) {
    state.account(account);
  }

  /** Runs the market model, funding and countdown timers up to {@code nowMillis}. */
  public void advanceTo(long nowMillis) {
    while (stepDue(nowMillis)) {
      step();
    }
    settle(nowMillis);
  }

  /** Whether a model step is due by {@code nowMillis}. */
  public boolean stepDue(long nowMillis) {
    return nextStep <= nowMillis;
  }

  /**
   * Runs the next model step alone (takers, countdowns, funding, fair value, ladders, algos,
   * liquidations at its time), so a caller can let other work in between steps; {@link #settle}
   * finishes an advance.
   */
  public void step() {
    long t = nextStep;
    nextStep += stepMillis;
    for (SymbolMarket m : markets) {
      model.arrivals(m, t);
    }
    entry.fireCountdowns(t);
    for (SymbolMarket m : markets) {
      settlement.settleFunding(m, t);
      model.step(m, t);
      m.samplePrices(t);
      algos.checkAlgos(m, t);
    }
    settlement.checkLiquidations(t);
    if (t >= nextMarkPublish) {
      nextMarkPublish += MARK_PUBLISH_MILLIS;
      for (SymbolMarket m : markets) {
        state.listener.onMarkPrice(markInfo(m, t));
      }
    }
    state.touchClock(t);
  }

  /**
   * Countdowns and funding due by {@code nowMillis} after the last step, and the clock moved to it.
   */
  public void settle(long nowMillis) {
    // the recording moves the symbols it holds on wall-clock time, whatever the model's steps
    if (replay != null) {
      replay.advanceTo(nowMillis);
    }
    entry.fireCountdowns(nowMillis);
    for (SymbolMarket m : markets) {
      settlement.settleFunding(m, nowMillis);
    }
    state.touchClock(nowMillis);
  }

  // ---------------------------------------------------------------- market data

  public DepthSnapshot depth(String symbol, int limit) {
    SymbolMarket m = state.market(symbol);
    return new DepthSnapshot(
        m.updateId,
        state.clock,
        state.clock,
        levels(m.book.bids, limit),
        levels(m.book.asks, limit));
  }

  public BookTop bookTop(String symbol) {
    SymbolMarket m = state.market(symbol);
    PriceLevel b = m.book.bids.best();
    PriceLevel a = m.book.asks.best();
    return new BookTop(
        m.updateId,
        b == null ? 0 : b.priceTicks,
        b == null ? 0 : b.totalQtySteps,
        a == null ? 0 : a.priceTicks,
        a == null ? 0 : a.totalQtySteps,
        state.clock);
  }

  public MarkInfo mark(String symbol) {
    return markInfo(state.market(symbol), state.clock);
  }

  public List<PublicTrade> recentTrades(String symbol, int limit) {
    return SymbolMarket.tail(state.market(symbol).recentTrades, limit);
  }

  public List<FundingRecord> fundingHistory(String symbol, int limit) {
    return SymbolMarket.tail(state.market(symbol).fundingHistory, limit);
  }

  public Ticker24h ticker24h(String symbol) {
    return state.market(symbol).ticker(state.clock);
  }

  /** Klines of one series; see {@link Candles#klines}. */
  public List<Kline> klines(
      String symbol,
      KlineSource source,
      KlineInterval interval,
      long startTime,
      long endTime,
      int limit) {
    SymbolMarket m = state.market(symbol);
    Candles c =
        switch (source) {
          case TRADE -> m.tradeCandles;
          case MARK -> m.markCandles;
          case INDEX -> m.indexCandles;
        };
    return c.klines(interval, startTime, endTime, limit, state.clock);
  }

  /** Current fair value in ticks (the index the model walks); for tests and the admin view. */
  public double fairValueTicks(String symbol) {
    return model.fair(state.market(symbol));
  }

  /**
   * Moves the fair value (and with it mark and index) to {@code priceTicks} at once: an admin jump
   * for fault injection and for tests that need a known mark. The ladder follows on the next step.
   */
  public void setFairValue(String symbol, long priceTicks) {
    model.setFair(state.market(symbol), priceTicks);
  }

  // ---------------------------------------------------------------- orders

  public OrderResult place(String account, NewOrder order, long nowMillis) {
    return entry.place(state.account(account), order, null, nowMillis);
  }

  public OrderResult cancel(
      String account, String symbol, long orderId, String origClientOrderId, long nowMillis) {
    return entry.cancel(account, symbol, orderId, origClientOrderId, nowMillis);
  }

  /**
   * Binance's PUT order: the amended order loses its queue position; it is cancelled instead when
   * the new quantity does not exceed what already filled, or when a post-only order would cross.
   */
  public OrderResult modify(String account, ModifyOrder modify, long nowMillis) {
    return entry.modify(account, modify, nowMillis);
  }

  public List<SimOrder> cancelAll(String account, String symbol, long nowMillis) {
    return entry.cancelAll(account, symbol, nowMillis);
  }

  /** Arms (or with 0 disarms) the dead-man switch of one account on one symbol. */
  public void countdownCancelAll(
      String account, String symbol, long countdownMillis, long nowMillis) {
    entry.countdownCancelAll(account, symbol, countdownMillis, nowMillis);
  }

  public OrderResult query(String account, String symbol, long orderId, String origClientOrderId) {
    return queries.query(account, symbol, orderId, origClientOrderId);
  }

  public OrderResult queryOpen(
      String account, String symbol, long orderId, String origClientOrderId) {
    return queries.queryOpen(account, symbol, orderId, origClientOrderId);
  }

  public List<SimOrder> openOrders(String account, String symbolOrNull) {
    return queries.openOrders(account, symbolOrNull);
  }

  /**
   * Every order of the account on {@code symbol}, by order id: from {@code orderId} up when given,
   * else the most recent inside the window (default the last 7 days). CANCELED/EXPIRED orders
   * without a fill vanish 3 days after creation, as on Binance.
   */
  public List<SimOrder> allOrders(
      String account, String symbol, long orderId, long startTime, long endTime, int limit) {
    return queries.allOrders(account, symbol, orderId, startTime, endTime, limit);
  }

  /**
   * Modifications of the account's orders on {@code symbol}, optionally of one order, oldest first.
   */
  public List<SimAmendment> amendments(
      String account,
      String symbol,
      long orderId,
      String clientOrderId,
      long startTime,
      long endTime,
      int limit) {
    return queries.amendments(account, symbol, orderId, clientOrderId, startTime, endTime, limit);
  }

  /**
   * The account's fills on {@code symbol}: from {@code fromId} upwards when given, otherwise the
   * most recent ones inside the optional time window; at most {@code limit} (default 500, max
   * 1000).
   */
  public List<SimFill> userTrades(
      String account, String symbol, long fromId, long startTime, long endTime, int limit) {
    return queries.userTrades(account, symbol, fromId, startTime, endTime, limit);
  }

  /**
   * The account's liquidation orders, newest inside the window (default the 7 days before its end).
   */
  public List<SimOrder> forceOrders(
      String account, String symbolOrNull, long startTime, long endTime, int limit) {
    return queries.forceOrders(account, symbolOrNull, startTime, endTime, limit);
  }

  // ---------------------------------------------------------------- conditional orders

  /**
   * Places a conditional order with the checks of {@code POST /fapi/v1/algoOrder}: position mode,
   * filters on quantity, price and trigger price, Binance's cap of 200 open conditional orders, and
   * -2021 for an order that would fire at once.
   */
  public AlgoResult placeAlgo(String account, NewAlgoOrder order, long nowMillis) {
    return algos.placeAlgo(account, order, nowMillis);
  }

  public AlgoResult cancelAlgo(String account, long algoId, String clientAlgoId, long nowMillis) {
    return algos.cancelAlgo(account, algoId, clientAlgoId, nowMillis);
  }

  /** Cancels every open conditional order of the account on {@code symbol}. */
  public List<SimAlgoOrder> cancelAllAlgos(String account, String symbol, long nowMillis) {
    return algos.cancelAllAlgos(account, symbol, nowMillis);
  }

  public List<SimAlgoOrder> openAlgos(String account, String symbolOrNull) {
    return algos.openAlgos(account, symbolOrNull);
  }

  public AlgoResult queryAlgo(String account, long algoId, String clientAlgoId) {
    return algos.queryAlgo(account, algoId, clientAlgoId);
  }

  /**
   * Every conditional order of the account on {@code symbol} by algo id, like {@link #allOrders}.
   */
  public List<SimAlgoOrder> allAlgos(
      String account, String symbol, long algoId, long startTime, long endTime, int limit) {
    return algos.allAlgos(account, symbol, algoId, startTime, endTime, limit);
  }

  // ---------------------------------------------------------------- account

  public List<SimPosition> positions(String account, String symbolOrNull) {
    return queries.positions(account, symbolOrNull);
  }

  /** Every trading account's position legs on {@code symbol} (for open interest). */
  public List<SimPosition> allPositions(String symbol) {
    return queries.allPositions(symbol);
  }

  public List<SimBalance> balances(String account) {
    return margins.balances(state.account(account));
  }

  /**
   * Income history, oldest first: without a time window the last 7 days; records older than
   * Binance's 3 months are gone; at most {@code limit}.
   */
  public List<IncomeRecord> income(
      String account,
      String symbolOrNull,
      String typeOrNull,
      long startTime,
      long endTime,
      int limit) {
    return queries.income(account, symbolOrNull, typeOrNull, startTime, endTime, limit);
  }

  /** Cross margin ratio (maintenance / margin balance); 0 without cross positions. */
  public double marginRatio(String account) {
    return margins.marginRatio(account);
  }

  /** Total maintenance margin of the account, cross and isolated. */
  public double maintenanceMargin(String account) {
    return margins.maintenanceMargin(account);
  }

  /**
   * {@code POST /fapi/v1/positionMargin}: adds to (type 1) or takes from (type 2) an isolated
   * position's margin. Null on success.
   */
  public SimError modifyPositionMargin(
      String account, String symbol, PositionSide side, double amount, int type, long nowMillis) {
    return margins.modifyPositionMargin(account, symbol, side, amount, type, nowMillis);
  }

  public SimError setLeverage(String account, String symbol, int leverage) {
    SymbolMarket m = state.bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    if (leverage < 1 || leverage > 125) {
      return SimErrors.invalidLeverage(leverage);
    }
    state.account(account).symbols[m.index].leverage = leverage;
    return null;
  }

  /**
   * Records the margin type; margin is always computed cross (isolated wallets are not modelled).
   */
  public SimError setMarginType(String account, String symbol, boolean isolated) {
    SymbolMarket m = state.bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    Account.PerSymbol ps = state.account(account).symbols[m.index];
    if (ps.isolated == isolated) {
      return SimErrors.marginTypeUnchanged();
    }
    if (!ps.openById.isEmpty()) {
      return SimErrors.marginTypeOpenOrders();
    }
    if (ps.both.amountSteps != 0 || ps.longLeg.amountSteps != 0 || ps.shortLeg.amountSteps != 0) {
      return SimErrors.marginTypePosition();
    }
    ps.isolated = isolated;
    return null;
  }

  public SimError setDualSide(String account, boolean dual) {
    Account a = state.account(account);
    if (a.dualSide == dual) {
      return SimErrors.positionSideUnchanged();
    }
    if (a.hasOpenOrders()) {
      return SimErrors.positionSideOpenOrders();
    }
    if (a.hasPositions()) {
      return SimErrors.positionSidePosition();
    }
    a.dualSide = dual;
    return null;
  }

  public boolean multiAssets(String account) {
    return state.account(account).multiAssets;
  }

  public void setMultiAssets(String account, boolean on) {
    state.account(account).multiAssets = on;
  }

  public boolean dualSide(String account) {
    return state.account(account).dualSide;
  }

  public int leverage(String account, String symbol) {
    SymbolMarket m = state.bySymbol.get(symbol);
    return m == null
        ? state.config.defaultLeverage()
        : state.account(account).symbols[m.index].leverage;
  }

  // ---------------------------------------------------------------- restarts

  /**
   * The next order id and trade id of each symbol. A venue that loses its state on a restart still
   * never hands out an id twice: a successor engine continues from these.
   */
  public record NextIds(Map<String, Long> orderIds, Map<String, Long> tradeIds) {
    public NextIds {
      orderIds = Map.copyOf(orderIds);
      tradeIds = Map.copyOf(tradeIds);
    }
  }

  public NextIds nextIds() {
    Map<String, Long> orders = new HashMap<>();
    Map<String, Long> trades = new HashMap<>();
    for (SymbolMarket m : markets) {
      orders.put(m.symbol, m.nextOrderId);
      trades.put(m.symbol, m.nextTradeId);
    }
    return new NextIds(orders, trades);
  }

  /**
   * What a restarted venue keeps of its predecessor: the ids, and every (non-internal) account's
   * trades by symbol, oldest first. The real exchange never forgets a trade: a fill made while the
   * venue was going down must still be in {@code userTrades} afterwards, or a client that missed
   * its stream event could never recover it. Orders and positions are not kept.
   */
  public record Continuation(NextIds ids, Map<String, Map<String, List<SimFill>>> fills) {
    public Continuation {
      fills = Map.copyOf(fills);
    }
  }

  public Continuation continuation() {
    Map<String, Map<String, List<SimFill>>> fills = new HashMap<>();
    for (Account a : state.accounts.values()) {
      if (a.internal) {
        continue;
      }
      Map<String, List<SimFill>> bySymbol = new HashMap<>();
      for (SymbolMarket m : markets) {
        java.util.ArrayDeque<SimFill> f = a.symbols[m.index].fills;
        if (!f.isEmpty()) {
          bySymbol.put(m.symbol, List.copyOf(f));
        }
      }
      fills.put(a.name, Map.copyOf(bySymbol));
    }
    return new Continuation(nextIds(), fills);
  }

  /**
   * Continues a predecessor: its ids, and its accounts' trade history (see {@link Continuation}).
   */
  public void continueFrom(Continuation c) {
    continueIds(c.ids());
    c.fills()
        .forEach(
            (name, bySymbol) -> {
              Account a = state.account(name);
              for (SymbolMarket m : markets) {
                for (SimFill f : bySymbol.getOrDefault(m.symbol, List.of())) {
                  a.symbols[m.index].addFill(f);
                }
              }
            });
  }

  /** Continues order and trade ids after a predecessor's (never moves a counter backwards). */
  public void continueIds(NextIds after) {
    for (SymbolMarket m : markets) {
      m.nextOrderId = Math.max(m.nextOrderId, after.orderIds().getOrDefault(m.symbol, 0L));
      m.nextTradeId = Math.max(m.nextTradeId, after.tradeIds().getOrDefault(m.symbol, 0L));
    }
  }

  // ---------------------------------------------------------------- test support

  /**
   * Throws if any book is crossed or inconsistent, or an account's open orders disagree with the
   * book or with its margin sums; tests call it after every scenario.
   */
  public void checkInvariants() {
    EngineInvariants.check(state);
  }

  private MarkInfo markInfo(SymbolMarket m, long time) {
    return new MarkInfo(
        m.symbol, m.markPriceTicks, m.indexPriceTicks, m.fundingRate, m.nextFundingTime, time);
  }

  private static List<Level> levels(BookSide side, int limit) {
    int n = Math.min(side.size(), limit <= 0 ? side.size() : limit);
    List<Level> out = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      PriceLevel level = side.level(d);
      out.add(new Level(level.priceTicks, level.totalQtySteps));
    }
    return out;
  }
}
