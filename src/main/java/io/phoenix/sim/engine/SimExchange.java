package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 */
public final class SimExchange {
  /** Account of the market model's liquidity providers. */
  public static final String LIQUIDITY_ACCOUNT = "sim-liquidity";
  /** Account of the market model's noise takers. */
  public static final String TAKER_ACCOUNT = "sim-taker";

  private static final String USDT = "USDT";
  private static final long MARK_PUBLISH_MILLIS = 1000;
  private static final double MONEY_EPSILON = 1e-9;
  /** Binance's cap on open conditional orders per account, over all symbols. */
  static final int MAX_OPEN_ALGOS = 200;
  /** exchangeInfo's triggerProtect: a price-protected order does not fire while mark and last differ more. */
  static final double TRIGGER_PROTECT = 0.05;
  /** Binance keeps CANCELED/EXPIRED orders without fills queryable for 3 days. */
  static final long UNFILLED_ORDER_RETENTION = 3 * 86_400_000L;
  static final long SEVEN_DAYS = 7 * 86_400_000L;
  static final long INCOME_RETENTION = 90 * 86_400_000L;

  private final SimEngineConfig config;
  private final SimListener listener;
  private final SymbolMarket[] markets;
  private final Map<String, SymbolMarket> bySymbol = new HashMap<>();
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Map<CountdownKey, Long> countdowns = new LinkedHashMap<>();
  private final MarketModel model;
  private final long stepMillis;
  private long clock;
  private long nextStep;
  private long nextMarkPublish;
  private long generatedClientIds;
  private long nextAlgoId = 4_000_000_001L;
  private long nextTranId = 9_000_000_001L;

  private record CountdownKey(String account, int symbolIndex) {}

  public SimExchange(SimEngineConfig config, SimListener listener, long startMillis) {
    this.config = config;
    this.listener = listener;
    this.clock = startMillis;
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
    this.stepMillis = Math.max(1, config.model().stepMillis());
    this.nextStep = startMillis + stepMillis;
    this.nextMarkPublish = startMillis + MARK_PUBLISH_MILLIS;
    Account lp = new Account(LIQUIDITY_ACCOUNT, true, 0, markets.length, 1);
    Account taker = new Account(TAKER_ACCOUNT, true, 0, markets.length, 1);
    accounts.put(lp.name, lp);
    accounts.put(taker.name, taker);
    this.model = new MarketModel(this, config.model(), config.seed(), markets, lp, taker);
    model.start(startMillis);
  }

  public List<SimSymbolSpec> symbols() {
    return config.symbols();
  }

  public Optional<Instrument> instrument(String symbol) {
    SymbolMarket m = bySymbol.get(symbol);
    return m == null ? Optional.empty() : Optional.of(m.instrument);
  }

  /** Opens {@code account} with the configured wallet; a second call changes nothing. */
  public void openAccount(String account) {
    account(account);
  }

  /** Runs the market model, funding and countdown timers up to {@code nowMillis}. */
  public void advanceTo(long nowMillis) {
    while (nextStep <= nowMillis) {
      long t = nextStep;
      nextStep += stepMillis;
      for (SymbolMarket m : markets) {
        model.arrivals(m, t);
      }
      fireCountdowns(t);
      for (SymbolMarket m : markets) {
        settleFunding(m, t);
        model.step(m, t);
        m.samplePrices(t);
        checkAlgos(m, t);
      }
      checkLiquidations(t);
      if (t >= nextMarkPublish) {
        nextMarkPublish += MARK_PUBLISH_MILLIS;
        for (SymbolMarket m : markets) {
          listener.onMarkPrice(markInfo(m, t));
        }
      }
      clock = Math.max(clock, t);
    }
    fireCountdowns(nowMillis);
    for (SymbolMarket m : markets) {
      settleFunding(m, nowMillis);
    }
    clock = Math.max(clock, nowMillis);
  }

  // ---------------------------------------------------------------- market data

  public DepthSnapshot depth(String symbol, int limit) {
    SymbolMarket m = market(symbol);
    return new DepthSnapshot(
        m.updateId, clock, clock, levels(m.book.bids, limit), levels(m.book.asks, limit));
  }

  public BookTop bookTop(String symbol) {
    SymbolMarket m = market(symbol);
    PriceLevel b = m.book.bids.best();
    PriceLevel a = m.book.asks.best();
    return new BookTop(
        m.updateId,
        b == null ? 0 : b.priceTicks,
        b == null ? 0 : b.totalQtySteps,
        a == null ? 0 : a.priceTicks,
        a == null ? 0 : a.totalQtySteps,
        clock);
  }

  public MarkInfo mark(String symbol) {
    return markInfo(market(symbol), clock);
  }

  public List<PublicTrade> recentTrades(String symbol, int limit) {
    return SymbolMarket.tail(market(symbol).recentTrades, limit);
  }

  public List<FundingRecord> fundingHistory(String symbol, int limit) {
    return SymbolMarket.tail(market(symbol).fundingHistory, limit);
  }

  public Ticker24h ticker24h(String symbol) {
    return market(symbol).ticker(clock);
  }

  /** Current fair value in ticks (the index the model walks); for tests and the admin view. */
  public double fairValueTicks(String symbol) {
    return model.fair(market(symbol));
  }

  /**
   * Moves the fair value (and with it mark and index) to {@code priceTicks} at once: an admin jump
   * for fault injection and for tests that need a known mark. The ladder follows on the next step.
   */
  public void setFairValue(String symbol, long priceTicks) {
    SymbolMarket m = market(symbol);
    model.setFair(m, priceTicks);
  }

  // ---------------------------------------------------------------- trading

  public OrderResult place(String account, NewOrder order, long nowMillis) {
    return place(account(account), order, null, nowMillis);
  }

  private OrderResult place(Account a, NewOrder order, WorkingAlgo algo, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(order.symbol());
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account.PerSymbol ps = a.symbols[m.index];
    String clientId = order.clientOrderId();
    if (clientId == null) {
      clientId = "sim-" + (++generatedClientIds);
    } else if (!validClientId(clientId)) {
      return OrderResult.fail(SimErrors.invalidClientOrderId());
    }
    if (ps.openByClientId.containsKey(clientId)) {
      return OrderResult.fail(SimErrors.duplicateClientOrderId());
    }
    PositionSide positionSide =
        order.positionSide() == null ? PositionSide.BOTH : order.positionSide();
    SimError modeError = positionModeError(a, positionSide, order.reduceOnly());
    if (modeError != null) {
      return OrderResult.fail(modeError);
    }
    if (order.side() == null) {
      return OrderResult.fail(SimErrors.mandatory("side"));
    }
    if (order.type() == null) {
      return OrderResult.fail(SimErrors.mandatory("type"));
    }
    boolean market = order.type() == OrderType.MARKET;
    TimeInForce tif = market ? null : order.timeInForce();
    if (!market && tif == null) {
      return OrderResult.fail(SimErrors.mandatory("timeInForce"));
    }
    long price = market ? 0 : order.priceTicks();
    long qty = order.qtySteps();
    SimError error = qtyFilter(m, qty);
    if (error == null && !market) {
      error = priceFilter(m, order.side(), price);
    }
    if (error != null) {
      return OrderResult.fail(error);
    }
    long notionalPrice = market ? m.markPriceTicks : price;
    if (!order.reduceOnly()
        && m.instrument.notional(notionalPrice, qty) < m.instrument.minNotional() - MONEY_EPSILON) {
      return OrderResult.fail(SimErrors.minNotional(m.instrument.minNotional()));
    }
    if (m.instrument.maxOpenOrders() > 0 && ps.openById.size() >= m.instrument.maxOpenOrders()) {
      return OrderResult.fail(SimErrors.maxOpenOrders());
    }
    StpMode stp = order.stpMode() == null ? StpMode.NONE : order.stpMode();
    WorkingOrder w =
        new WorkingOrder(
            a,
            m,
            0,
            clientId,
            order.side(),
            positionSide,
            order.type(),
            tif,
            price,
            qty,
            order.reduceOnly(),
            stp,
            nowMillis);
    if (w.reducing() && reducible(w) <= 0) {
      return OrderResult.fail(SimErrors.reduceOnlyRejected());
    }
    BookSide opposite = m.book.opposite(w.side);
    if (tif == TimeInForce.GTX && opposite.crossedBy(price)) {
      return OrderResult.fail(SimErrors.gtxRejected());
    }
    if (tif == TimeInForce.FOK && fillableQty(opposite, w) < qty) {
      return OrderResult.fail(SimErrors.fokRejected());
    }
    if (!w.reducing() && marginShort(a, m, w.side, positionSide, qty * notionalPrice)) {
      return OrderResult.fail(SimErrors.marginInsufficient());
    }
    if (algo != null) {
      w.algo = algo;
      algo.actual = w;
    }
    return OrderResult.ok(submit(withId(w), nowMillis).snapshot());
  }

  public OrderResult cancel(
      String account, String symbol, long orderId, String origClientOrderId, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    WorkingOrder o = findOpen(account(account), m, orderId, origClientOrderId);
    if (o == null) {
      return OrderResult.fail(SimErrors.unknownOrder());
    }
    finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
    return OrderResult.ok(o.snapshot());
  }

  /**
   * Binance's PUT order: the amended order loses its queue position; it is cancelled instead when the
   * new quantity does not exceed what already filled, or when a post-only order would cross.
   */
  public OrderResult modify(String account, ModifyOrder modify, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(modify.symbol());
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account a = account(account);
    WorkingOrder o = findOpen(a, m, modify.orderId(), modify.origClientOrderId());
    if (o == null) {
      return OrderResult.fail(SimErrors.noSuchOrder());
    }
    if (o.type != OrderType.LIMIT) {
      return OrderResult.fail(SimErrors.limitOrderOnly());
    }
    if (modify.side() != null && modify.side() != o.side) {
      return OrderResult.fail(SimErrors.invalidParameter("side"));
    }
    long qty = modify.qtySteps();
    long price = modify.priceTicks();
    if (qty == o.origQtySteps && price == o.priceTicks) {
      return OrderResult.fail(SimErrors.noNeedToModify());
    }
    SimError error = qtyFilter(m, qty);
    if (error == null) {
      error = priceFilter(m, o.side, price);
    }
    if (error != null) {
      return OrderResult.fail(error);
    }
    if (!o.reduceOnly
        && m.instrument.notional(price, qty) < m.instrument.minNotional() - MONEY_EPSILON) {
      return OrderResult.fail(SimErrors.modifyMinNotional(m.instrument.minNotional()));
    }
    if (o.executedQtySteps > 0 && qty <= o.executedQtySteps) {
      finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
      return OrderResult.ok(o.snapshot());
    }
    if (o.timeInForce == TimeInForce.GTX && m.book.opposite(o.side).crossedBy(price)) {
      finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
      return OrderResult.ok(o.snapshot());
    }
    long newRaw = (qty - o.executedQtySteps) * price - o.remaining() * o.priceTicks;
    if (!o.reducing() && newRaw > 0 && marginShort(a, m, o.side, o.positionSide, newRaw)) {
      return OrderResult.fail(SimErrors.marginInsufficient());
    }
    unrest(o, nowMillis);
    Account.PerSymbol ps = a.symbols[m.index];
    ps.amendments.addLast(new SimAmendment(nextTranId++, m.symbol, o.orderId, o.clientOrderId, nowMillis, o.priceTicks,
        price, o.origQtySteps, qty, ++o.amendments));
    if (ps.amendments.size() > Account.CLOSED_ORDERS_KEPT) {
      ps.amendments.removeFirst();
    }
    o.priceTicks = price;
    o.origQtySteps = qty;
    o.stpMode = StpMode.NONE;
    o.updateTime = nowMillis;
    orderEvent(o, "AMENDMENT", null, nowMillis);
    matchAndRest(o, nowMillis);
    return OrderResult.ok(o.snapshot());
  }

  public OrderResult query(String account, String symbol, long orderId, String origClientOrderId) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account a = account(account);
    WorkingOrder o = findOpen(a, m, orderId, origClientOrderId);
    if (o == null) {
      Account.PerSymbol ps = a.symbols[m.index];
      o =
          orderId != 0
              ? ps.closedById.get(orderId)
              : origClientOrderId == null ? null : ps.closedByClientId.get(origClientOrderId);
    }
    return o == null || expired(o, clock) ? OrderResult.fail(SimErrors.noSuchOrder()) : OrderResult.ok(o.snapshot());
  }

  /** Binance forgets CANCELED/EXPIRED orders that never filled 3 days after their creation. */
  private static boolean expired(WorkingOrder o, long now) {
    boolean unfilled = o.executedQtySteps == 0
        && (o.status == OrderStatus.CANCELED || o.status == OrderStatus.EXPIRED || o.status == OrderStatus.EXPIRED_IN_MATCH);
    return unfilled && o.time + UNFILLED_ORDER_RETENTION < now;
  }

  public OrderResult queryOpen(
      String account, String symbol, long orderId, String origClientOrderId) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    WorkingOrder o = findOpen(account(account), m, orderId, origClientOrderId);
    return o == null ? OrderResult.fail(SimErrors.noSuchOrder()) : OrderResult.ok(o.snapshot());
  }

  public List<SimOrder> openOrders(String account, String symbolOrNull) {
    Account a = account(account);
    List<SimOrder> out = new ArrayList<>();
    for (SymbolMarket m : markets) {
      if (symbolOrNull == null || m.symbol.equals(symbolOrNull)) {
        for (WorkingOrder o : a.symbols[m.index].openById.values()) {
          out.add(o.snapshot());
        }
      }
    }
    return out;
  }

  public List<SimOrder> cancelAll(String account, String symbol, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return List.of();
    }
    return cancelAll(account(account), m, nowMillis);
  }

  /** Arms (or with 0 disarms) the dead-man switch of one account on one symbol. */
  public void countdownCancelAll(
      String account, String symbol, long countdownMillis, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return;
    }
    CountdownKey key = new CountdownKey(account(account).name, m.index);
    if (countdownMillis <= 0) {
      countdowns.remove(key);
    } else {
      countdowns.put(key, nowMillis + countdownMillis);
    }
  }

  // ---------------------------------------------------------------- account

  public List<SimPosition> positions(String account, String symbolOrNull) {
    Account a = account(account);
    List<SimPosition> out = new ArrayList<>();
    for (SymbolMarket m : markets) {
      if (symbolOrNull != null && !m.symbol.equals(symbolOrNull)) {
        continue;
      }
      Account.PerSymbol ps = a.symbols[m.index];
      if (a.dualSide) {
        out.add(position(a, m, ps, ps.longLeg));
        out.add(position(a, m, ps, ps.shortLeg));
      } else {
        out.add(position(a, m, ps, ps.both));
      }
    }
    return out;
  }

  /** Every trading account's position legs on {@code symbol} (for open interest). */
  public List<SimPosition> allPositions(String symbol) {
    List<SimPosition> out = new ArrayList<>();
    for (Account a : accounts.values()) {
      if (!a.internal) {
        out.addAll(positions(a.name, symbol));
      }
    }
    return out;
  }

  public List<SimBalance> balances(String account) {
    return balances(account(account));
  }

  public SimError setLeverage(String account, String symbol, int leverage) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    if (leverage < 1 || leverage > 125) {
      return SimErrors.invalidLeverage(leverage);
    }
    account(account).symbols[m.index].leverage = leverage;
    return null;
  }

  /** Records the margin type; margin is always computed cross (isolated wallets are not modelled). */
  public SimError setMarginType(String account, String symbol, boolean isolated) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    Account.PerSymbol ps = account(account).symbols[m.index];
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
    Account a = account(account);
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

  /** Modifications of the account's orders on {@code symbol}, optionally of one order, oldest first. */
  public List<SimAmendment> amendments(String account, String symbol, long orderId, String clientOrderId, long startTime,
      long endTime, int limit) {
    SymbolMarket m = market(symbol);
    List<SimAmendment> out = new ArrayList<>();
    for (SimAmendment x : account(account).symbols[m.index].amendments) {
      boolean order = (orderId == 0 && clientOrderId == null) || x.orderId() == orderId
          || (orderId == 0 && x.clientOrderId().equals(clientOrderId));
      if (order && (startTime < 0 || x.time() >= startTime) && (endTime < 0 || x.time() <= endTime)) {
        out.add(x);
      }
    }
    return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
  }

  public boolean multiAssets(String account) {
    return account(account).multiAssets;
  }

  public void setMultiAssets(String account, boolean on) {
    account(account).multiAssets = on;
  }

  public boolean dualSide(String account) {
    return account(account).dualSide;
  }

  public int leverage(String account, String symbol) {
    SymbolMarket m = bySymbol.get(symbol);
    return m == null ? config.defaultLeverage() : account(account).symbols[m.index].leverage;
  }

  /**
   * The account's fills on {@code symbol}: from {@code fromId} upwards when given, otherwise the most
   * recent ones inside the optional time window; at most {@code limit} (default 500, max 1000).
   */
  public List<SimFill> userTrades(
      String account, String symbol, long fromId, long startTime, long endTime, int limit) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return List.of();
    }
    int max = limit <= 0 ? 500 : Math.min(limit, 1000);
    List<SimFill> matching = new ArrayList<>();
    for (SimFill f : account(account).symbols[m.index].fills) {
      if (fromId >= 0) {
        if (f.tradeId() >= fromId) {
          matching.add(f);
          if (matching.size() == max) {
            break;
          }
        }
      } else if ((startTime < 0 || f.time() >= startTime) && (endTime < 0 || f.time() <= endTime)) {
        matching.add(f);
      }
    }
    if (matching.size() > max) {
      return new ArrayList<>(matching.subList(matching.size() - max, matching.size()));
    }
    return matching;
  }

  // ---------------------------------------------------------------- restarts

  /**
   * The next order id and trade id of each symbol. A venue that loses its state on a restart
   * still never hands out an id twice: a successor engine continues from these.
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

  /** Continues order and trade ids after a predecessor's (never moves a counter backwards). */
  public void continueIds(NextIds after) {
    for (SymbolMarket m : markets) {
      m.nextOrderId = Math.max(m.nextOrderId, after.orderIds().getOrDefault(m.symbol, 0L));
      m.nextTradeId = Math.max(m.nextTradeId, after.tradeIds().getOrDefault(m.symbol, 0L));
    }
  }

  // ---------------------------------------------------------------- test support

  /**
   * Throws if any book is crossed or inconsistent, or an account's open orders disagree with the book
   * or with its margin sums; tests call it after every scenario.
   */
  public void checkInvariants() {
    for (SymbolMarket m : markets) {
      m.book.checkInvariants();
      m.tradeCandles.validateInvariants();
      m.markCandles.validateInvariants();
      m.indexCandles.validateInvariants();
    }
    for (Account a : accounts.values()) {
      for (WorkingAlgo w : a.openAlgos.values()) {
        if (w.status != AlgoStatus.NEW || a.closedAlgos.containsKey(w.algoId)) {
          throw new IllegalStateException("open conditional order " + w.algoId + " is " + w.status);
        }
      }
      for (WorkingAlgo w : a.closedAlgos.values()) {
        if (w.status == AlgoStatus.NEW || (w.status == AlgoStatus.TRIGGERED && (w.actual == null || !w.actual.isOpen()))) {
          throw new IllegalStateException("closed conditional order " + w.algoId + " is " + w.status);
        }
      }
      for (Account.PerSymbol ps : a.symbols) {
        for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
          if (p.isolatedMargin < -MONEY_EPSILON || (p.amountSteps == 0 && Math.abs(p.isolatedMargin) > MONEY_EPSILON)) {
            throw new IllegalStateException("isolated margin " + p.isolatedMargin + " on a position of " + p.amountSteps);
          }
        }
      }
    }
    for (Account a : accounts.values()) {
      if (a.internal) {
        continue;
      }
      for (SymbolMarket m : markets) {
        Account.PerSymbol ps = a.symbols[m.index];
        long[] bids = new long[3];
        long[] asks = new long[3];
        for (WorkingOrder o : ps.openById.values()) {
          if (!o.isOpen() || o.level == null || o.remaining() <= 0 || !o.countedInMargin) {
            throw new IllegalStateException("open order not resting: " + o.orderId);
          }
          (o.side == Side.BUY ? bids : asks)[o.positionSide.ordinal()] +=
              o.remaining() * o.priceTicks;
        }
        if (!java.util.Arrays.equals(bids, ps.bidRaw) || !java.util.Arrays.equals(asks, ps.askRaw)) {
          throw new IllegalStateException("open-order margin sums drifted for " + a.name);
        }
        if (ps.openById.size() != ps.openByClientId.size()) {
          throw new IllegalStateException("client id index out of step for " + a.name);
        }
      }
    }
  }

  // ---------------------------------------------------------------- matching

  /** Places an order for the market model: no filters, no margin, no user events. */
  WorkingOrder placeInternal(
      Account a, SymbolMarket m, Side side, OrderType type, long qty, long price, long now) {
    TimeInForce tif = type == OrderType.MARKET ? null : TimeInForce.IOC;
    return placeInternal(a, m, side, type, tif, qty, price, now);
  }

  WorkingOrder placeInternal(
      Account a,
      SymbolMarket m,
      Side side,
      OrderType type,
      TimeInForce tif,
      long qty,
      long price,
      long now) {
    WorkingOrder w =
        new WorkingOrder(
            a, m, 0, null, side, PositionSide.BOTH, type, tif, price, qty, false, StpMode.NONE,
            now);
    return submit(withId(w), now);
  }

  SymbolMarket marketAt(int index) {
    return markets[index];
  }

  void cancelInternal(WorkingOrder o, long now) {
    if (o.isOpen()) {
      finish(o, OrderStatus.CANCELED, "CANCELED", now);
    }
  }

  private static WorkingOrder withId(WorkingOrder w) {
    // ids are drawn only once every check has passed, so rejected orders leave no gaps
    w.orderId = w.market.nextOrderId++;
    return w;
  }

  private WorkingOrder submit(WorkingOrder o, long now) {
    if (!o.account.internal) {
      Account.PerSymbol ps = o.account.symbols[o.market.index];
      ps.openById.put(o.orderId, o);
      ps.openByClientId.put(o.clientOrderId, o);
    }
    orderEvent(o, "NEW", null, now);
    matchAndRest(o, now);
    return o;
  }

  /** Matches {@code taker} against the opposite side, then rests, expires or closes what is left. */
  private void matchAndRest(WorkingOrder taker, long now) {
    SymbolMarket m = taker.market;
    BookSide opposite = m.book.opposite(taker.side);
    boolean limit = taker.type == OrderType.LIMIT;
    boolean stp =
        taker.stpMode != StpMode.NONE
            && (taker.timeInForce == null
                || taker.timeInForce == TimeInForce.GTC
                || taker.timeInForce == TimeInForce.IOC);
    boolean expireTaker = false;
    boolean reduceExhausted = false;
    while (taker.remaining() > 0) {
      PriceLevel level = opposite.best();
      if (level == null || (limit && !opposite.crossedBy(taker.priceTicks))) {
        break;
      }
      WorkingOrder maker = level.head;
      if (stp && maker.account == taker.account) {
        StpMode mode = taker.stpMode;
        if (mode == StpMode.EXPIRE_MAKER || mode == StpMode.EXPIRE_BOTH) {
          finish(maker, OrderStatus.EXPIRED_IN_MATCH, "EXPIRED", now);
        }
        if (mode == StpMode.EXPIRE_TAKER || mode == StpMode.EXPIRE_BOTH) {
          expireTaker = true;
          break;
        }
        continue;
      }
      long qty = Math.min(taker.remaining(), maker.remaining());
      if (taker.reducing()) {
        long r = reducible(taker);
        if (r <= 0) {
          reduceExhausted = true;
          break;
        }
        qty = Math.min(qty, r);
      }
      if (maker.reducing()) {
        long r = reducible(maker);
        if (r <= 0) {
          finish(maker, OrderStatus.EXPIRED, "EXPIRED", now);
          continue;
        }
        qty = Math.min(qty, r);
      }
      trade(m, taker, maker, qty, now);
    }
    if (taker.remaining() == 0) {
      closeOrder(taker);
    } else if (expireTaker) {
      finish(taker, OrderStatus.EXPIRED_IN_MATCH, "EXPIRED", now);
    } else if (reduceExhausted
        || taker.timeInForce == null
        || taker.timeInForce == TimeInForce.IOC
        || taker.timeInForce == TimeInForce.FOK) {
      finish(taker, OrderStatus.EXPIRED, "EXPIRED", now);
    } else {
      rest(taker, now);
    }
  }

  private void trade(SymbolMarket m, WorkingOrder taker, WorkingOrder maker, long qty, long now) {
    long price = maker.priceTicks;
    long tradeId = m.nextTradeId++;
    double quote = m.price(price) * m.qty(qty);
    maker.executedQtySteps += qty;
    maker.cumQuote += quote;
    maker.updateTime = now;
    maker.status = maker.remaining() == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    if (maker.countedInMargin) {
      maker.account.symbols[m.index].subtractOpenNotional(maker, qty * price, false);
    }
    taker.executedQtySteps += qty;
    taker.cumQuote += quote;
    taker.updateTime = now;
    taker.status = taker.remaining() == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    long levelQty = m.book.filled(maker, qty);
    levelChanged(m, maker.side, price, levelQty, now);
    PublicTrade pt = new PublicTrade(tradeId, tradeId, price, qty, maker.side == Side.BUY, now);
    m.recordTrade(pt);
    listener.onPublicTrade(m.symbol, pt);
    if (maker.remaining() == 0) {
      closeOrder(maker);
    }
    settle(m, maker, tradeId, price, qty, quote, true, now);
    settle(m, taker, tradeId, price, qty, quote, false, now);
  }

  private void settle(
      SymbolMarket m,
      WorkingOrder o,
      long tradeId,
      long price,
      long qty,
      double quote,
      boolean maker,
      long now) {
    Account a = o.account;
    if (a.internal) {
      return;
    }
    Account.PerSymbol ps = a.symbols[m.index];
    double commission = quote * (maker ? config.makerFeeRate() : config.takerFeeRate());
    Position p = ps.position(o.positionSide);
    long delta = o.side == Side.BUY ? qty : -qty;
    long before = p.amountSteps;
    double realized = p.apply(delta, m.price(price), m.stepValue, now);
    if (ps.isolated) {
      moveIsolatedMargin(m, ps, p, before, price);
    }
    a.walletBalance += realized - commission;
    if (realized != 0) {
      income(a, m.symbol, "REALIZED_PNL", realized, now, tradeId);
    }
    if (commission != 0) {
      income(a, m.symbol, "COMMISSION", -commission, now, tradeId);
    }
    SimFill fill =
        new SimFill(
            m.symbol,
            tradeId,
            o.orderId,
            o.clientOrderId,
            o.side,
            price,
            qty,
            commission,
            USDT,
            realized,
            maker,
            o.positionSide,
            now);
    ps.addFill(fill);
    listener.onOrderUpdate(a.name, "TRADE", o.snapshot(), fill, now);
    listener.onAccountUpdate(a.name, "ORDER", balances(a), List.of(position(a, m, ps, p)), now);
  }

  private void rest(WorkingOrder o, long now) {
    SymbolMarket m = o.market;
    long levelQty = m.book.add(o);
    if (!o.account.internal) {
      o.account.symbols[m.index].addOpenNotional(o);
    }
    levelChanged(m, o.side, o.priceTicks, levelQty, now);
  }

  /** Takes a resting order out of the book and out of the margin sums, keeping it open. */
  private void unrest(WorkingOrder o, long now) {
    SymbolMarket m = o.market;
    if (o.countedInMargin) {
      o.account.symbols[m.index].subtractOpenNotional(o, o.remaining() * o.priceTicks, true);
    }
    if (o.level != null) {
      long price = o.priceTicks;
      long levelQty = m.book.remove(o);
      levelChanged(m, o.side, price, levelQty, now);
    }
  }

  /** Ends an open order (cancel, expiry) and tells its owner. */
  private void finish(WorkingOrder o, OrderStatus status, String executionType, long now) {
    unrest(o, now);
    o.status = status;
    o.updateTime = now;
    closeOrder(o);
    orderEvent(o, executionType, null, now);
  }

  private void closeOrder(WorkingOrder o) {
    if (o.account.internal) {
      return;
    }
    if (o.algo != null && o.algo.status == AlgoStatus.TRIGGERED) {
      finishAlgo(o.algo, o.updateTime);
    }
    Account.PerSymbol ps = o.account.symbols[o.market.index];
    if (o.countedInMargin) {
      ps.subtractOpenNotional(o, o.remaining() * o.priceTicks, true);
    }
    ps.openById.remove(o.orderId);
    ps.openByClientId.remove(o.clientOrderId);
    ps.closedById.put(o.orderId, o);
    ps.closedByClientId.put(o.clientOrderId, o);
  }

  private List<SimOrder> cancelAll(Account a, SymbolMarket m, long now) {
    List<WorkingOrder> open = new ArrayList<>(a.symbols[m.index].openById.values());
    List<SimOrder> out = new ArrayList<>(open.size());
    for (WorkingOrder o : open) {
      finish(o, OrderStatus.CANCELED, "CANCELED", now);
      out.add(o.snapshot());
    }
    return out;
  }

  private WorkingOrder findOpen(Account a, SymbolMarket m, long orderId, String clientId) {
    Account.PerSymbol ps = a.symbols[m.index];
    if (orderId != 0) {
      return ps.openById.get(orderId);
    }
    return clientId == null ? null : ps.openByClientId.get(clientId);
  }

  /** Quantity an FOK order could take right now, counting only levels its price reaches. */
  private static long fillableQty(BookSide opposite, WorkingOrder o) {
    long sum = 0;
    for (int d = 0; d < opposite.size() && sum < o.origQtySteps; d++) {
      PriceLevel level = opposite.level(d);
      if (!opposite.crossedBy(o.priceTicks) || !opposite.atOrBetter(o.priceTicks, level.priceTicks)) {
        break;
      }
      sum += level.totalQtySteps;
    }
    return sum;
  }

  /** How much of a reducing order may still fill without growing (or flipping) the position. */
  private static long reducible(WorkingOrder o) {
    if (o.account.internal) {
      return Long.MAX_VALUE;
    }
    Account.PerSymbol ps = o.account.symbols[o.market.index];
    long amount = ps.position(o.positionSide).amountSteps;
    return o.side == Side.BUY ? Math.max(0, -amount) : Math.max(0, amount);
  }

  private void levelChanged(SymbolMarket m, Side side, long price, long qty, long now) {
    listener.onLevelChanged(m.symbol, ++m.updateId, side, price, qty, now);
  }

  private void orderEvent(WorkingOrder o, String executionType, SimFill fill, long now) {
    if (!o.account.internal) {
      listener.onOrderUpdate(o.account.name, executionType, o.snapshot(), fill, now);
    }
  }

  // ---------------------------------------------------------------- filters

  private static SimError qtyFilter(SymbolMarket m, long qty) {
    Instrument ins = m.instrument;
    if (qty == Scale.INVALID) {
      return SimErrors.stepSize();
    }
    if (qty <= 0) {
      return SimErrors.qtyNotPositive();
    }
    if (qty < ins.minQtySteps()) {
      return SimErrors.qtyBelowMin();
    }
    if (ins.maxQtySteps() > 0 && qty > ins.maxQtySteps()) {
      return SimErrors.qtyAboveMax();
    }
    return null;
  }

  private static SimError priceFilter(SymbolMarket m, Side side, long price) {
    Instrument ins = m.instrument;
    if (price == Scale.INVALID) {
      return SimErrors.tickSize();
    }
    if (price <= 0 || price < ins.minPriceTicks()) {
      return SimErrors.priceBelowMin();
    }
    if (ins.maxPriceTicks() > 0 && price > ins.maxPriceTicks()) {
      return SimErrors.priceAboveMax();
    }
    if (side == Side.BUY && ins.percentUp() > 0) {
      long upper = (long) Math.floor(m.markPriceTicks * ins.percentUp() + 1e-6);
      if (price > upper) {
        return SimErrors.priceAboveBand(ins.price().format(upper));
      }
    }
    if (side == Side.SELL && ins.percentDown() > 0) {
      long lower = (long) Math.ceil(m.markPriceTicks * ins.percentDown() - 1e-6);
      if (price < lower) {
        return SimErrors.priceBelowBand(ins.price().format(lower));
      }
    }
    return null;
  }

  /** A new order's position side must match the account's mode, and hedge mode takes no reduceOnly. */
  private static SimError positionModeError(Account a, PositionSide side, boolean reduceOnly) {
    if (a.dualSide == (side == PositionSide.BOTH)) {
      return SimErrors.positionSideMismatch();
    }
    return a.dualSide && reduceOnly ? SimErrors.notRequired("reduceonly") : null;
  }

  private static boolean validClientId(String id) {
    int n = id.length();
    if (n < 1 || n > 36) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == ':'
              || c == '/'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- margin and reports

  /**
   * True when adding an order worth {@code extraRaw} (ticks x steps) would raise the initial margin
   * above the account's equity. Per symbol the margin is the worse of "all bids fill" and "all asks
   * fill" on top of the position, divided by leverage, so quoting both sides costs one side and
   * orders that only reduce the position cost nothing.
   */
  private boolean marginShort(
      Account a, SymbolMarket m, Side side, PositionSide positionSide, long extraRaw) {
    if (a.internal) {
      return false;
    }
    double before = initialMargin(a);
    Account.PerSymbol ps = a.symbols[m.index];
    long[] sums = side == Side.BUY ? ps.bidRaw : ps.askRaw;
    sums[positionSide.ordinal()] += extraRaw;
    double after = initialMargin(a);
    sums[positionSide.ordinal()] -= extraRaw;
    return after > before + MONEY_EPSILON && after > equity(a) + MONEY_EPSILON;
  }

  private double initialMargin(Account a) {
    double total = 0;
    for (SymbolMarket m : markets) {
      total += symbolMargin(a.symbols[m.index], m);
    }
    return total;
  }

  private static double symbolMargin(Account.PerSymbol ps, SymbolMarket m) {
    long mark = m.markPriceTicks;
    int both = PositionSide.BOTH.ordinal();
    long pos = ps.both.amountSteps * mark;
    long worst = Math.max(Math.abs(pos + ps.bidRaw[both]), Math.abs(pos - ps.askRaw[both]));
    long hedged =
        ps.longLeg.amountSteps * mark
            + ps.bidRaw[PositionSide.LONG.ordinal()]
            + Math.abs(ps.shortLeg.amountSteps * mark)
            + ps.askRaw[PositionSide.SHORT.ordinal()];
    return m.raw(worst + hedged) / ps.leverage;
  }

  private double unrealized(Account a) {
    double total = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      double mark = m.price(m.markPriceTicks);
      total +=
          ps.both.unrealized(mark, m.stepValue)
              + ps.longLeg.unrealized(mark, m.stepValue)
              + ps.shortLeg.unrealized(mark, m.stepValue);
    }
    return total;
  }

  private double equity(Account a) {
    return a.walletBalance + unrealized(a);
  }

  private List<SimBalance> balances(Account a) {
    double upnl = unrealized(a);
    double available = a.walletBalance + upnl - initialMargin(a);
    return List.of(new SimBalance(USDT, a.walletBalance, upnl, available, clock));
  }

  private SimPosition position(Account a, SymbolMarket m, Account.PerSymbol ps, Position p) {
    double mark = m.price(m.markPriceTicks);
    double entry = p.amountSteps == 0 ? 0.0 : p.entryPrice;
    double breakEven = 0.0;
    if (p.amountSteps != 0) {
      // an approximation: the entry moved by a taker fee on the way in and on the way out
      double sign = Long.signum(p.amountSteps);
      double fee = config.takerFeeRate();
      breakEven = entry * (1 + sign * fee) / (1 - sign * fee);
    }
    double notional = Math.abs(m.qty(p.amountSteps) * mark);
    return new SimPosition(
        m.symbol,
        p.positionSide,
        p.amountSteps,
        entry,
        breakEven,
        mark,
        p.unrealized(mark, m.stepValue),
        p.realizedPnlAccum,
        ps.leverage,
        ps.isolated,
        p.updateTime,
        ps.isolated ? p.isolatedMargin : 0,
        Brackets.maintenance(notional),
        liquidationPrice(a, m, ps, p));
  }

  // ---------------------------------------------------------------- timers

  private void fireCountdowns(long now) {
    if (countdowns.isEmpty()) {
      return;
    }
    List<CountdownKey> due = new ArrayList<>();
    for (Iterator<Map.Entry<CountdownKey, Long>> it = countdowns.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<CountdownKey, Long> e = it.next();
      if (e.getValue() <= now) {
        due.add(e.getKey());
        it.remove();
      }
    }
    for (CountdownKey key : due) {
      cancelAll(accounts.get(key.account()), markets[key.symbolIndex()], now);
    }
  }

  /** Pays funding at every boundary up to {@code now}: notional at mark x rate, longs pay if positive. */
  private void settleFunding(SymbolMarket m, long now) {
    while (m.nextFundingTime <= now) {
      long t = m.nextFundingTime;
      double rate = m.fundingRate;
      double mark = m.price(m.markPriceTicks);
      for (Account a : accounts.values()) {
        if (a.internal) {
          continue;
        }
        Account.PerSymbol ps = a.symbols[m.index];
        boolean paid = false;
        for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
          if (p.amountSteps != 0) {
            double fee = -m.qty(p.amountSteps) * mark * rate;
            a.walletBalance += fee;
            income(a, m.symbol, "FUNDING_FEE", fee, t, 0);
            paid = true;
          }
        }
        if (paid) {
          listener.onAccountUpdate(a.name, "FUNDING_FEE", balances(a), List.of(), t);
        }
      }
      m.recordFunding(new FundingRecord(m.symbol, rate, t, m.markPriceTicks));
      m.nextFundingTime = t + Math.max(1, config.fundingIntervalMillis());
    }
  }

  private MarkInfo markInfo(SymbolMarket m, long time) {
    return new MarkInfo(
        m.symbol, m.markPriceTicks, m.indexPriceTicks, m.fundingRate, m.nextFundingTime, time);
  }

  // ---------------------------------------------------------------- history

  /** Klines of one series; see {@link Candles#klines}. */
  public List<Kline> klines(String symbol, KlineSource source, KlineInterval interval, long startTime, long endTime, int limit) {
    SymbolMarket m = market(symbol);
    Candles c = switch (source) {
      case TRADE -> m.tradeCandles;
      case MARK -> m.markCandles;
      case INDEX -> m.indexCandles;
    };
    return c.klines(interval, startTime, endTime, limit, clock);
  }

  /**
   * Income history, oldest first: without a time window the last 7 days; records older than
   * Binance's 3 months are gone; at most {@code limit}.
   */
  public List<IncomeRecord> income(String account, String symbolOrNull, String typeOrNull, long startTime, long endTime, int limit) {
    long end = endTime < 0 ? clock : endTime;
    long start = startTime < 0 ? (endTime < 0 ? clock - SEVEN_DAYS : end - SEVEN_DAYS) : startTime;
    start = Math.max(start, clock - INCOME_RETENTION);
    List<IncomeRecord> out = new ArrayList<>();
    for (IncomeRecord r : account(account).income) {
      if (r.time() >= start && r.time() <= end && (symbolOrNull == null || symbolOrNull.equals(r.symbol()))
          && (typeOrNull == null || typeOrNull.equals(r.incomeType()))) {
        out.add(r);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * Every order of the account on {@code symbol}, by order id: from {@code orderId} up when given,
   * else the most recent inside the window (default the last 7 days). CANCELED/EXPIRED orders
   * without a fill vanish 3 days after creation, as on Binance.
   */
  public List<SimOrder> allOrders(String account, String symbol, long orderId, long startTime, long endTime, int limit) {
    SymbolMarket m = market(symbol);
    Account.PerSymbol ps = account(account).symbols[m.index];
    java.util.TreeMap<Long, WorkingOrder> all = new java.util.TreeMap<>(ps.closedById);
    all.putAll(ps.openById);
    return history(all, orderId, startTime, endTime, limit, o -> o.time, o -> !expired(o, clock), WorkingOrder::snapshot);
  }

  /**
   * Binance's history query over records keyed by ascending id: from {@code fromId} up (the first
   * {@code limit}) when given, otherwise the most recent {@code limit} inside the time window,
   * which defaults to the 7 days before its end.
   */
  private <T, R> List<R> history(java.util.SortedMap<Long, T> byId, long fromId, long startTime, long endTime, int limit,
      java.util.function.ToLongFunction<T> time, java.util.function.Predicate<T> keep, java.util.function.Function<T, R> view) {
    long end = endTime < 0 ? Long.MAX_VALUE : endTime;
    long start = startTime >= 0 ? startTime : fromId > 0 ? Long.MIN_VALUE : (endTime < 0 ? clock : endTime) - SEVEN_DAYS;
    List<R> out = new ArrayList<>();
    for (T t : byId.tailMap(Math.max(0, fromId)).values()) {
      long at = time.applyAsLong(t);
      if (at >= start && at <= end && keep.test(t)) {
        out.add(view.apply(t));
      }
    }
    if (fromId > 0) {
      return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }
    return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
  }

  /** The account's liquidation orders, newest inside the window (default the 7 days before its end). */
  public List<SimOrder> forceOrders(String account, String symbolOrNull, long startTime, long endTime, int limit) {
    long end = endTime < 0 ? clock : endTime;
    long start = startTime < 0 ? end - SEVEN_DAYS : startTime;
    Account a = account(account);
    List<SimOrder> out = new ArrayList<>();
    for (SymbolMarket m : markets) {
      if (symbolOrNull != null && !m.symbol.equals(symbolOrNull)) {
        continue;
      }
      for (SimOrder o : a.symbols[m.index].forceOrders) {
        if (o.time() >= start && o.time() <= end) {
          out.add(o);
        }
      }
    }
    out.sort(java.util.Comparator.comparingLong(SimOrder::time));
    return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
  }

  private void income(Account a, String symbol, String type, double amount, long time, long tradeId) {
    a.addIncome(new IncomeRecord(symbol, type, amount, USDT, time, nextTranId++, tradeId));
  }

  // ---------------------------------------------------------------- conditional orders

  /**
   * Places a conditional order with the checks of {@code POST /fapi/v1/algoOrder}: position mode,
   * filters on quantity, price and trigger price, Binance's cap of 200 open conditional orders, and
   * -2021 for an order that would fire at once.
   */
  public AlgoResult placeAlgo(String account, NewAlgoOrder order, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(order.symbol());
    if (m == null) {
      return AlgoResult.fail(SimErrors.badSymbol());
    }
    Account a = account(account);
    PositionSide positionSide = order.positionSide() == null ? PositionSide.BOTH : order.positionSide();
    SimError modeError = positionModeError(a, positionSide, order.reduceOnly());
    if (modeError != null) {
      return AlgoResult.fail(modeError);
    }
    if (order.closePosition() && order.type() != AlgoType.STOP_MARKET && order.type() != AlgoType.TAKE_PROFIT_MARKET) {
      return AlgoResult.fail(SimErrors.notRequired("closePosition"));
    }
    SimError error = order.closePosition() ? null : qtyFilter(m, order.qtySteps());
    if (error == null && !order.type().market()) {
      error = priceFilter(m, order.side(), order.priceTicks());
    }
    boolean trailing = order.type() == AlgoType.TRAILING_STOP_MARKET;
    if (error == null && !trailing) {
      error = triggerPriceFilter(m, order.triggerPriceTicks());
    }
    if (error == null && trailing && order.activatePriceTicks() > 0) {
      error = triggerPriceFilter(m, order.activatePriceTicks());
    }
    if (error == null && trailing && (order.callbackRatePercent() < 0.1 || order.callbackRatePercent() > 10)) {
      error = SimErrors.invalidParameter("callbackRate");
    }
    if (error != null) {
      return AlgoResult.fail(error);
    }
    String clientId = order.clientAlgoId() == null ? "sim-algo-" + (++generatedClientIds) : order.clientAlgoId();
    if (!validClientId(clientId)) {
      return AlgoResult.fail(SimErrors.invalidClientOrderId());
    }
    for (WorkingAlgo w : a.openAlgos.values()) {
      if (w.order.clientAlgoId().equals(clientId)) {
        return AlgoResult.fail(SimErrors.duplicateClientOrderId());
      }
    }
    if (a.openAlgos.size() >= MAX_OPEN_ALGOS) {
      return AlgoResult.fail(SimErrors.maxStopOrders());
    }
    long watched = watchedPrice(m, order.workingType());
    if (!trailing && AlgoTrigger.wouldTriggerImmediately(order.type(), order.side(), order.triggerPriceTicks(), watched)) {
      return AlgoResult.fail(SimErrors.wouldImmediatelyTrigger());
    }
    WorkingAlgo w = new WorkingAlgo(a, m, nextAlgoId++, order, clientId, nowMillis);
    w.trigger.start(watched);
    a.openAlgos.put(w.algoId, w);
    algoEvent(w, nowMillis);
    return AlgoResult.ok(w.snapshot());
  }

  public AlgoResult cancelAlgo(String account, long algoId, String clientAlgoId, long nowMillis) {
    touch(nowMillis);
    Account a = account(account);
    WorkingAlgo w = findOpenAlgo(a, algoId, clientAlgoId);
    if (w == null) {
      return AlgoResult.fail(SimErrors.unknownOrder());
    }
    closeAlgo(w, AlgoStatus.CANCELED, "", nowMillis);
    return AlgoResult.ok(w.snapshot());
  }

  /** Cancels every open conditional order of the account on {@code symbol}. */
  public List<SimAlgoOrder> cancelAllAlgos(String account, String symbol, long nowMillis) {
    touch(nowMillis);
    Account a = account(account);
    List<SimAlgoOrder> out = new ArrayList<>();
    for (WorkingAlgo w : new ArrayList<>(a.openAlgos.values())) {
      if (w.market.symbol.equals(symbol)) {
        closeAlgo(w, AlgoStatus.CANCELED, "", nowMillis);
        out.add(w.snapshot());
      }
    }
    return out;
  }

  public List<SimAlgoOrder> openAlgos(String account, String symbolOrNull) {
    List<SimAlgoOrder> out = new ArrayList<>();
    for (WorkingAlgo w : account(account).openAlgos.values()) {
      if (symbolOrNull == null || w.market.symbol.equals(symbolOrNull)) {
        out.add(w.snapshot());
      }
    }
    return out;
  }

  public AlgoResult queryAlgo(String account, long algoId, String clientAlgoId) {
    Account a = account(account);
    WorkingAlgo w = findOpenAlgo(a, algoId, clientAlgoId);
    if (w == null) {
      for (WorkingAlgo c : a.closedAlgos.values()) {
        if (algoId != 0 ? c.algoId == algoId : c.order.clientAlgoId().equals(clientAlgoId)) {
          w = c;
        }
      }
    }
    return w == null ? AlgoResult.fail(SimErrors.noSuchOrder()) : AlgoResult.ok(w.snapshot());
  }

  /** Every conditional order of the account on {@code symbol} by algo id, like {@link #allOrders}. */
  public List<SimAlgoOrder> allAlgos(String account, String symbol, long algoId, long startTime, long endTime, int limit) {
    Account a = account(account);
    java.util.TreeMap<Long, WorkingAlgo> all = new java.util.TreeMap<>(a.closedAlgos);
    all.putAll(a.openAlgos);
    return history(all, algoId, startTime, endTime, limit, w -> w.createTime, w -> w.market.symbol.equals(symbol),
        WorkingAlgo::snapshot);
  }

  private static SimError triggerPriceFilter(SymbolMarket m, long price) {
    if (price == Scale.INVALID) {
      return SimErrors.tickSize();
    }
    if (price <= 0 || price < m.instrument.minPriceTicks()) {
      return SimErrors.priceBelowMin();
    }
    if (m.instrument.maxPriceTicks() > 0 && price > m.instrument.maxPriceTicks()) {
      return SimErrors.priceAboveMax();
    }
    return null;
  }

  private static long watchedPrice(SymbolMarket m, WorkingType type) {
    return type == WorkingType.MARK_PRICE ? m.markPriceTicks : m.lastTradePriceTicks;
  }

  private static WorkingAlgo findOpenAlgo(Account a, long algoId, String clientAlgoId) {
    if (algoId != 0) {
      return a.openAlgos.get(algoId);
    }
    for (WorkingAlgo w : a.openAlgos.values()) {
      if (w.order.clientAlgoId().equals(clientAlgoId)) {
        return w;
      }
    }
    return null;
  }

  /** Feeds the step's prices to the symbol's open conditional orders and fires those that trigger. */
  private void checkAlgos(SymbolMarket m, long now) {
    long last = m.lastTradePriceTicks;
    long low = m.tradeLowSinceCheck == 0 ? last : m.tradeLowSinceCheck;
    long high = m.tradeHighSinceCheck == 0 ? last : m.tradeHighSinceCheck;
    m.tradeLowSinceCheck = 0;
    m.tradeHighSinceCheck = 0;
    long mark = m.markPriceTicks;
    List<WorkingAlgo> fired = null;
    for (Account a : accounts.values()) {
      if (a.internal || a.openAlgos.isEmpty()) {
        continue;
      }
      for (WorkingAlgo w : a.openAlgos.values()) {
        if (w.market != m) {
          continue;
        }
        boolean fires = w.order.workingType() == WorkingType.MARK_PRICE
            ? w.trigger.update(mark, mark, mark) : w.trigger.update(low, high, last);
        if (fires && !(w.order.priceProtect() && Math.abs(mark - last) > mark * TRIGGER_PROTECT)) {
          if (fired == null) {
            fired = new ArrayList<>();
          }
          fired.add(w);
        }
      }
    }
    if (fired != null) {
      for (WorkingAlgo w : fired) {
        fire(w, now);
      }
    }
  }

  /**
   * TRIGGERING, then the regular order (MARKET, or LIMIT at the algo's price) goes to the book:
   * TRIGGERED with its id, or REJECTED with the reason; FINISHED once that order is done.
   */
  private void fire(WorkingAlgo w, long now) {
    Account a = w.account;
    SymbolMarket m = w.market;
    a.openAlgos.remove(w.algoId);
    a.closedAlgos.put(w.algoId, w);
    w.status = AlgoStatus.TRIGGERING;
    w.triggerTime = now;
    w.updateTime = now;
    algoEvent(w, now);
    long qty = w.order.qtySteps();
    if (w.order.closePosition()) {
      long amount = a.symbols[m.index].position(w.order.positionSide()).amountSteps;
      boolean closes = w.order.side() == Side.BUY ? amount < 0 : amount > 0;
      qty = closes ? Math.abs(amount) : 0;
      if (qty == 0) {
        w.status = AlgoStatus.EXPIRED;
        w.reason = "No position to close";
        algoEvent(w, now);
        return;
      }
    }
    boolean market = w.order.type().market();
    boolean reduce = !a.dualSide && (w.order.reduceOnly() || w.order.closePosition());
    NewOrder order = new NewOrder(m.symbol, w.order.side(), w.order.positionSide(), market ? OrderType.MARKET : OrderType.LIMIT,
        market ? null : w.order.timeInForce(), qty, market ? 0 : w.order.priceTicks(), reduce, w.order.clientAlgoId(), w.order.stpMode());
    OrderResult r = place(a, order, w, now);
    if (r.error() != null) {
      w.actual = null;
      w.status = AlgoStatus.REJECTED;
      w.reason = r.error().msg();
      algoEvent(w, now);
      return;
    }
    w.status = AlgoStatus.TRIGGERED;
    algoEvent(w, now);
    if (!w.actual.isOpen()) {
      finishAlgo(w, now);
    }
  }

  private void finishAlgo(WorkingAlgo w, long now) {
    w.status = AlgoStatus.FINISHED;
    w.updateTime = now;
    algoEvent(w, now);
  }

  private void closeAlgo(WorkingAlgo w, AlgoStatus status, String reason, long now) {
    w.account.openAlgos.remove(w.algoId);
    w.account.closedAlgos.put(w.algoId, w);
    w.status = status;
    w.reason = reason;
    w.updateTime = now;
    algoEvent(w, now);
  }

  private void algoEvent(WorkingAlgo w, long now) {
    listener.onAlgoUpdate(w.account.name, w.snapshot(), now);
  }

  // ---------------------------------------------------------------- isolated margin and liquidation

  /**
   * Isolated mode: opening moves {@code notional / leverage} into the position's margin, reducing
   * releases the closed share of it, flipping releases all and opens anew.
   */
  private static void moveIsolatedMargin(SymbolMarket m, Account.PerSymbol ps, Position p, long before, long price) {
    long after = p.amountSteps;
    if (before != 0 && (after == 0 || Long.signum(after) != Long.signum(before) || Math.abs(after) < Math.abs(before))) {
      long closed = Math.min(Math.abs(before), Math.abs(before - after));
      p.isolatedMargin -= p.isolatedMargin * closed / Math.abs(before);
      if (after == 0) {
        p.isolatedMargin = 0;
      }
    }
    long opened = after == 0 ? 0
        : Long.signum(after) != Long.signum(before) ? Math.abs(after) : Math.max(0, Math.abs(after) - Math.abs(before));
    p.isolatedMargin += m.raw(opened * price) / ps.leverage;
  }

  /**
   * {@code POST /fapi/v1/positionMargin}: adds to (type 1) or takes from (type 2) an isolated
   * position's margin. Null on success.
   */
  public SimError modifyPositionMargin(String account, String symbol, PositionSide side, double amount, int type, long nowMillis) {
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    Account a = account(account);
    Account.PerSymbol ps = a.symbols[m.index];
    PositionSide ps0 = side == null ? PositionSide.BOTH : side;
    if (a.dualSide == (ps0 == PositionSide.BOTH)) {
      return SimErrors.positionSideMismatch();
    }
    Position p = ps.position(ps0);
    if (!ps.isolated) {
      return SimErrors.marginNotIsolated();
    }
    if (p.amountSteps == 0) {
      return SimErrors.noPositionForMargin();
    }
    if (type == 1) {
      if (amount > balances(a).get(0).availableBalance() + MONEY_EPSILON) {
        return SimErrors.crossBalanceInsufficient();
      }
      p.isolatedMargin += amount;
    } else {
      double mark = m.price(m.markPriceTicks);
      double required = Math.abs(m.qty(p.amountSteps)) * mark / ps.leverage;
      if (p.isolatedMargin + Math.min(0, p.unrealized(mark, m.stepValue)) - amount < required - MONEY_EPSILON) {
        return SimErrors.isolatedBalanceInsufficient();
      }
      p.isolatedMargin -= amount;
    }
    p.updateTime = nowMillis;
    listener.onAccountUpdate(a.name, "MARGIN_TRANSFER", balances(a), List.of(position(a, m, ps, p)), nowMillis);
    return null;
  }

  private double isolatedTotal(Account a) {
    double total = 0;
    for (Account.PerSymbol ps : a.symbols) {
      if (ps.isolated) {
        total += ps.both.isolatedMargin + ps.longLeg.isolatedMargin + ps.shortLeg.isolatedMargin;
      }
    }
    return total;
  }

  /** Cross wallet plus the unrealized PnL of cross positions: what backs the cross positions. */
  private double crossEquity(Account a, Position exclude) {
    double equity = a.walletBalance - isolatedTotal(a);
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      if (ps.isolated) {
        continue;
      }
      double mark = m.price(m.markPriceTicks);
      for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
        if (p != exclude) {
          equity += p.unrealized(mark, m.stepValue);
        }
      }
    }
    return equity;
  }

  private double crossMaintenance(Account a, Position exclude) {
    double mm = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      if (ps.isolated) {
        continue;
      }
      double mark = m.price(m.markPriceTicks);
      for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
        if (p != exclude && p.amountSteps != 0) {
          mm += Brackets.maintenance(m.qty(p.amountSteps) * mark);
        }
      }
    }
    return mm;
  }

  /** Cross margin ratio (maintenance / margin balance); 0 without cross positions. */
  public double marginRatio(String account) {
    Account a = account(account);
    double mm = crossMaintenance(a, null);
    if (mm == 0) {
      return 0;
    }
    double equity = crossEquity(a, null);
    return equity <= 0 ? Double.POSITIVE_INFINITY : mm / equity;
  }

  /** Total maintenance margin of the account, cross and isolated. */
  public double maintenanceMargin(String account) {
    Account a = account(account);
    double mm = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      double mark = m.price(m.markPriceTicks);
      for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
        mm += Brackets.maintenance(m.qty(p.amountSteps) * mark);
      }
    }
    return mm;
  }

  /**
   * The mark price at which this position is liquidated, with the maintenance rate of its current
   * bracket and every other position held at its mark; 0 when no price gets there.
   */
  private double liquidationPrice(Account a, SymbolMarket m, Account.PerSymbol ps, Position p) {
    if (p.amountSteps == 0 || a.internal) {
      return 0;
    }
    double q = m.qty(p.amountSteps);
    double mark = m.price(m.markPriceTicks);
    Brackets.Bracket b = Brackets.of(Math.abs(q * mark));
    double backing;
    double otherMaint = 0;
    if (ps.isolated) {
      backing = p.isolatedMargin;
    } else {
      backing = crossEquity(a, p);
      otherMaint = crossMaintenance(a, p);
    }
    double denominator = q - Math.abs(q) * b.maintMarginRatio();
    double price = (q * p.entryPrice - backing + otherMaint - b.cum()) / denominator;
    return price > 0 ? price : 0;
  }

  /**
   * Liquidates every position whose margin no longer covers its maintenance margin: isolated ones
   * on their own margin, cross ones on the cross margin balance (margin ratio >= 100 %), the
   * largest first.
   */
  private void checkLiquidations(long now) {
    for (Account a : accounts.values()) {
      if (a.internal || !a.hasPositions()) {
        continue;
      }
      for (SymbolMarket m : markets) {
        Account.PerSymbol ps = a.symbols[m.index];
        if (!ps.isolated) {
          continue;
        }
        double mark = m.price(m.markPriceTicks);
        for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
          if (p.amountSteps == 0) {
            continue;
          }
          double equity = p.isolatedMargin + p.unrealized(mark, m.stepValue);
          if (equity <= Brackets.maintenance(m.qty(p.amountSteps) * mark)) {
            liquidate(a, m, ps, p, equity, now);
          }
        }
      }
      for (int guard = 0; guard < 3 * markets.length; guard++) {
        double mm = crossMaintenance(a, null);
        double equity = crossEquity(a, null);
        if (mm <= 0 || equity > mm) {
          break;
        }
        Position largest = null;
        SymbolMarket where = null;
        double largestMm = -1;
        for (SymbolMarket m : markets) {
          Account.PerSymbol ps = a.symbols[m.index];
          if (ps.isolated) {
            continue;
          }
          for (Position p : new Position[] {ps.both, ps.longLeg, ps.shortLeg}) {
            double pm = p.amountSteps == 0 ? -1 : Brackets.maintenance(m.qty(p.amountSteps) * m.price(m.markPriceTicks));
            if (pm > largestMm) {
              largestMm = pm;
              largest = p;
              where = m;
            }
          }
        }
        if (largest == null) {
          break;
        }
        liquidate(a, where, a.symbols[where.index], largest, equity, now);
      }
    }
  }

  /**
   * Closes {@code p} the way the insurance fund does: open orders are cancelled (the symbol's for
   * isolated, all for cross), the position is taken over at the mark price, and whatever margin is
   * left above the bankruptcy price goes to the fund (INSURANCE_CLEAR), so the margin that backed
   * the position ends at exactly zero. The order carries the bankruptcy price as its price.
   */
  private void liquidate(Account a, SymbolMarket m, Account.PerSymbol ps, Position p, double equity, long now) {
    if (ps.isolated) {
      cancelAll(a, m, now);
    } else {
      for (SymbolMarket each : markets) {
        if (!a.symbols[each.index].isolated) {
          cancelAll(a, each, now);
        }
      }
    }
    long amount = p.amountSteps;
    double q = m.qty(amount);
    double mark = m.price(m.markPriceTicks);
    double bankruptcy = Brackets.bankruptcyPrice(q, mark, equity);
    long bankruptcyTicks = Math.max(1, Math.round(bankruptcy / m.tickValue));
    long qty = Math.abs(amount);
    Side side = amount > 0 ? Side.SELL : Side.BUY;
    double realized = p.apply(-amount, mark, m.stepValue, now);
    double clearance = -equity;
    a.walletBalance += realized + clearance;
    if (ps.isolated) {
      p.isolatedMargin = 0;
    }
    income(a, m.symbol, "REALIZED_PNL", realized, now, 0);
    if (clearance != 0) {
      income(a, m.symbol, "INSURANCE_CLEAR", clearance, now, 0);
    }
    long orderId = m.nextOrderId++;
    String clientId = "autoclose-" + now;
    double quote = Math.abs(q) * mark;
    SimOrder order = new SimOrder(m.symbol, orderId, clientId, side, p.positionSide, OrderType.LIQUIDATION,
        TimeInForce.IOC, bankruptcyTicks, qty, qty, quote, mark, OrderStatus.FILLED, false, StpMode.NONE, now, now,
        OrderType.LIQUIDATION.name(), 0, WorkingType.CONTRACT_PRICE, false, false);
    long markTicks = m.markPriceTicks;
    SimFill fill = new SimFill(m.symbol, 0, orderId, clientId, side, markTicks, qty, 0, USDT, realized, false,
        p.positionSide, now);
    ps.forceOrders.addLast(order);
    if (ps.forceOrders.size() > Account.FORCE_ORDERS_KEPT) {
      ps.forceOrders.removeFirst();
    }
    listener.onOrderUpdate(a.name, "CALCULATED", order, fill, now);
    listener.onAccountUpdate(a.name, "ORDER", balances(a), List.of(position(a, m, ps, p)), now);
    listener.onForceOrder(m.symbol, order, now);
  }

  // ---------------------------------------------------------------- lookup

  private SymbolMarket market(String symbol) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      throw new IllegalArgumentException("unknown symbol " + symbol);
    }
    return m;
  }

  private Account account(String name) {
    Account a = accounts.get(name);
    if (a == null) {
      a =
          new Account(
              name, false, config.initialWalletUsdt(), markets.length, config.defaultLeverage());
      accounts.put(name, a);
    }
    return a;
  }

  private void touch(long now) {
    clock = Math.max(clock, now);
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
