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
      }
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
    touch(nowMillis);
    SymbolMarket m = bySymbol.get(order.symbol());
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account a = account(account);
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
    if (a.dualSide == (positionSide == PositionSide.BOTH)) {
      return OrderResult.fail(SimErrors.positionSideMismatch());
    }
    if (a.dualSide && order.reduceOnly()) {
      return OrderResult.fail(SimErrors.notRequired("reduceonly"));
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
    return o == null ? OrderResult.fail(SimErrors.noSuchOrder()) : OrderResult.ok(o.snapshot());
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
        out.add(position(m, ps, ps.longLeg));
        out.add(position(m, ps, ps.shortLeg));
      } else {
        out.add(position(m, ps, ps.both));
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
    double realized = p.apply(delta, m.price(price), m.stepValue, now);
    a.walletBalance += realized - commission;
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
    listener.onAccountUpdate(a.name, "ORDER", balances(a), List.of(position(m, ps, p)), now);
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

  private SimPosition position(SymbolMarket m, Account.PerSymbol ps, Position p) {
    double mark = m.price(m.markPriceTicks);
    double entry = p.amountSteps == 0 ? 0.0 : p.entryPrice;
    double breakEven = 0.0;
    if (p.amountSteps != 0) {
      // an approximation: the entry moved by a taker fee on the way in and on the way out
      double sign = Long.signum(p.amountSteps);
      double fee = config.takerFeeRate();
      breakEven = entry * (1 + sign * fee) / (1 - sign * fee);
    }
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
        p.updateTime);
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
            a.walletBalance -= m.qty(p.amountSteps) * mark * rate;
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
