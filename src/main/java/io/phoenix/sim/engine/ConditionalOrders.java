package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conditional (algo) orders: placement with the checks of {@code POST /fapi/v1/algoOrder}, cancels,
 * queries, and the triggers that each model step feeds with prices, firing the regular order.
 */
final class ConditionalOrders {
  /** Binance's cap on open conditional orders per account, over all symbols. */
  static final int MAX_OPEN_ALGOS = 200;

  /**
   * exchangeInfo's triggerProtect: a price-protected order does not fire while mark and last differ
   * more.
   */
  static final double TRIGGER_PROTECT = 0.05;

  private final Matching matching;
  private final OrderEntry entry;
  private final AccountQueries queries;
  private final EngineState state;
  private final Map<String, SymbolMarket> bySymbol;
  private final Map<String, Account> accounts;

  ConditionalOrders(
      EngineState state, Matching matching, OrderEntry entry, AccountQueries queries) {
    this.state = state;
    this.bySymbol = state.bySymbol;
    this.accounts = state.accounts;
    this.matching = matching;
    this.entry = entry;
    this.queries = queries;
  }

  /**
   * Places a conditional order with the checks of {@code POST /fapi/v1/algoOrder}: position mode,
   * filters on quantity, price and trigger price, Binance's cap of 200 open conditional orders, and
   * -2021 for an order that would fire at once.
   */
  AlgoResult placeAlgo(String account, NewAlgoOrder order, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(order.symbol());
    if (m == null) {
      return AlgoResult.fail(SimErrors.badSymbol());
    }
    Account a = state.account(account);
    PositionSide positionSide =
        order.positionSide() == null ? PositionSide.BOTH : order.positionSide();
    SimError modeError = OrderFilters.positionModeError(a, positionSide, order.reduceOnly());
    if (modeError != null) {
      return AlgoResult.fail(modeError);
    }
    if (order.closePosition()
        && order.type() != AlgoType.STOP_MARKET
        && order.type() != AlgoType.TAKE_PROFIT_MARKET) {
      return AlgoResult.fail(SimErrors.notRequired("closePosition"));
    }
    SimError error = order.closePosition() ? null : OrderFilters.qtyFilter(m, order.qtySteps());
    if (error == null && !order.type().market()) {
      error = OrderFilters.priceFilter(m, order.side(), order.priceTicks());
    }
    boolean trailing = order.type() == AlgoType.TRAILING_STOP_MARKET;
    if (error == null && !trailing) {
      error = OrderFilters.triggerPriceFilter(m, order.triggerPriceTicks());
    }
    if (error == null && trailing && order.activatePriceTicks() > 0) {
      error = OrderFilters.triggerPriceFilter(m, order.activatePriceTicks());
    }
    if (error == null
        && trailing
        && (order.callbackRatePercent() < 0.1 || order.callbackRatePercent() > 10)) {
      error = SimErrors.invalidParameter("callbackRate");
    }
    if (error != null) {
      return AlgoResult.fail(error);
    }
    String clientId =
        order.clientAlgoId() == null
            ? "sim-algo-" + (++state.generatedClientIds)
            : order.clientAlgoId();
    if (!OrderFilters.validClientId(clientId)) {
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
    if (!trailing
        && AlgoTrigger.wouldTriggerImmediately(
            order.type(), order.side(), order.triggerPriceTicks(), watched)) {
      return AlgoResult.fail(SimErrors.wouldImmediatelyTrigger());
    }
    WorkingAlgo w = new WorkingAlgo(a.name, m, state.nextAlgoId++, order, clientId, nowMillis);
    w.trigger.start(watched);
    a.openAlgos.put(w.algoId, w);
    matching.algoEvent(w, nowMillis);
    return AlgoResult.ok(w.snapshot());
  }

  AlgoResult cancelAlgo(String account, long algoId, String clientAlgoId, long nowMillis) {
    state.touch(nowMillis);
    Account a = state.account(account);
    WorkingAlgo w = findOpenAlgo(a, algoId, clientAlgoId);
    if (w == null) {
      return AlgoResult.fail(SimErrors.unknownOrder());
    }
    closeAlgo(w, AlgoStatus.CANCELED, "", nowMillis);
    return AlgoResult.ok(w.snapshot());
  }

  /** Cancels every open conditional order of the account on {@code symbol}. */
  List<SimAlgoOrder> cancelAllAlgos(String account, String symbol, long nowMillis) {
    state.touch(nowMillis);
    Account a = state.account(account);
    List<SimAlgoOrder> out = new ArrayList<>();
    for (WorkingAlgo w : new ArrayList<>(a.openAlgos.values())) {
      if (w.market.symbol.equals(symbol)) {
        closeAlgo(w, AlgoStatus.CANCELED, "", nowMillis);
        out.add(w.snapshot());
      }
    }
    return out;
  }

  List<SimAlgoOrder> openAlgos(String account, String symbolOrNull) {
    List<SimAlgoOrder> out = new ArrayList<>();
    for (WorkingAlgo w : state.account(account).openAlgos.values()) {
      if (symbolOrNull == null || w.market.symbol.equals(symbolOrNull)) {
        out.add(w.snapshot());
      }
    }
    return out;
  }

  AlgoResult queryAlgo(String account, long algoId, String clientAlgoId) {
    Account a = state.account(account);
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

  /**
   * Every conditional order of the account on {@code symbol} by algo id, like {@link #allOrders}.
   */
  List<SimAlgoOrder> allAlgos(
      String account, String symbol, long algoId, long startTime, long endTime, int limit) {
    Account a = state.account(account);
    java.util.TreeMap<Long, WorkingAlgo> all = new java.util.TreeMap<>(a.closedAlgos);
    all.putAll(a.openAlgos);
    return queries.history(
        all,
        algoId,
        startTime,
        endTime,
        limit,
        w -> w.createTime,
        w -> w.market.symbol.equals(symbol),
        WorkingAlgo::snapshot);
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

  /**
   * Feeds the step's prices to the symbol's open conditional orders and fires those that trigger.
   */
  void checkAlgos(SymbolMarket m, long now) {
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
        boolean fires =
            w.order.workingType() == WorkingType.MARK_PRICE
                ? w.trigger.update(mark, mark, mark)
                : w.trigger.update(low, high, last);
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
    Account a = state.accountOf(w);
    SymbolMarket m = w.market;
    a.openAlgos.remove(w.algoId);
    a.closedAlgos.put(w.algoId, w);
    w.status = AlgoStatus.TRIGGERING;
    w.triggerTime = now;
    w.updateTime = now;
    matching.algoEvent(w, now);
    long qty = w.order.qtySteps();
    if (w.order.closePosition()) {
      long amount = a.symbols[m.index].position(w.order.positionSide()).amountSteps;
      boolean closes = w.order.side() == Side.BUY ? amount < 0 : amount > 0;
      qty = closes ? Math.abs(amount) : 0;
      if (qty == 0) {
        w.status = AlgoStatus.EXPIRED;
        w.reason = "No position to close";
        matching.algoEvent(w, now);
        return;
      }
    }
    boolean market = w.order.type().market();
    boolean reduce = !a.dualSide && (w.order.reduceOnly() || w.order.closePosition());
    NewOrder order =
        new NewOrder(
            m.symbol,
            w.order.side(),
            w.order.positionSide(),
            market ? OrderType.MARKET : OrderType.LIMIT,
            market ? null : w.order.timeInForce(),
            qty,
            market ? 0 : w.order.priceTicks(),
            reduce,
            w.order.clientAlgoId(),
            w.order.stpMode());
    OrderResult r = entry.place(a, order, w, now);
    if (r.error() != null) {
      w.actual = null;
      w.status = AlgoStatus.REJECTED;
      w.reason = r.error().msg();
      matching.algoEvent(w, now);
      return;
    }
    w.status = AlgoStatus.TRIGGERED;
    matching.algoEvent(w, now);
    if (!w.actual.isOpen()) {
      matching.finishAlgo(w, now);
    }
  }

  private void closeAlgo(WorkingAlgo w, AlgoStatus status, String reason, long now) {
    state.accountOf(w).openAlgos.remove(w.algoId);
    state.accountOf(w).closedAlgos.put(w.algoId, w);
    w.status = status;
    w.reason = reason;
    w.updateTime = now;
    matching.algoEvent(w, now);
  }
}
