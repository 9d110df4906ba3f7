package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binance's order entry: new orders with every check of {@code POST /fapi/v1/order} (filters,
 * position mode, client ids, reduce-only, time in force, margin), cancels, modifications ({@code
 * PUT}) and the dead-man switch ({@code countdownCancelAll}).
 */
final class OrderEntry {
  private record CountdownKey(String account, int symbolIndex) {}

  private final Matching matching;
  private final Margins margins;
  private final Map<CountdownKey, Long> countdowns = new LinkedHashMap<>();
  private final EngineState state;
  private final SymbolMarket[] markets;
  private final Map<String, SymbolMarket> bySymbol;
  private final Map<String, Account> accounts;

  OrderEntry(EngineState state, Matching matching, Margins margins) {
    this.state = state;
    this.markets = state.markets;
    this.bySymbol = state.bySymbol;
    this.accounts = state.accounts;
    this.matching = matching;
    this.margins = margins;
  }

  OrderResult place(Account a, NewOrder order, WorkingAlgo algo, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(order.symbol());
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account.PerSymbol ps = a.symbols[m.index];
    String clientId = order.clientOrderId();
    if (clientId == null) {
      clientId = "sim-" + (++state.generatedClientIds);
    } else if (!OrderFilters.validClientId(clientId)) {
      return OrderResult.fail(SimErrors.invalidClientOrderId());
    }
    if (ps.openByClientId.containsKey(clientId)) {
      return OrderResult.fail(SimErrors.duplicateClientOrderId());
    }
    PositionSide positionSide =
        order.positionSide() == null ? PositionSide.BOTH : order.positionSide();
    SimError modeError = OrderFilters.positionModeError(a, positionSide, order.reduceOnly());
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
    SimError error = OrderFilters.qtyFilter(m, qty);
    if (error == null && !market) {
      error = OrderFilters.priceFilter(m, order.side(), price);
    }
    if (error != null) {
      return OrderResult.fail(error);
    }
    long notionalPrice = market ? m.markPriceTicks : price;
    if (!order.reduceOnly()
        && m.instrument.notional(notionalPrice, qty)
            < m.instrument.minNotional() - EngineState.MONEY_EPSILON) {
      return OrderResult.fail(SimErrors.minNotional(m.instrument.minNotional()));
    }
    if (m.instrument.maxOpenOrders() > 0 && ps.openById.size() >= m.instrument.maxOpenOrders()) {
      return OrderResult.fail(SimErrors.maxOpenOrders());
    }
    StpMode stp = order.stpMode() == null ? StpMode.NONE : order.stpMode();
    WorkingOrder w =
        new WorkingOrder(
            a.name,
            a.internal,
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
    if (w.reducing() && matching.reducible(w) <= 0) {
      return OrderResult.fail(SimErrors.reduceOnlyRejected());
    }
    BookSide opposite = m.book.opposite(w.side);
    if (tif == TimeInForce.GTX && opposite.crossedBy(price)) {
      return OrderResult.fail(SimErrors.gtxRejected());
    }
    if (tif == TimeInForce.FOK && Matching.fillableQty(opposite, w) < qty) {
      return OrderResult.fail(SimErrors.fokRejected());
    }
    if (!w.reducing() && margins.marginShort(a, m, w.side, positionSide, qty * notionalPrice)) {
      return OrderResult.fail(SimErrors.marginInsufficient());
    }
    if (algo != null) {
      w.algo = algo;
      algo.actual = w;
    }
    return OrderResult.ok(matching.submit(Matching.withId(w), nowMillis).snapshot());
  }

  OrderResult cancel(
      String account, String symbol, long orderId, String origClientOrderId, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    WorkingOrder o = matching.findOpen(state.account(account), m, orderId, origClientOrderId);
    if (o == null) {
      return OrderResult.fail(SimErrors.unknownOrder());
    }
    matching.finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
    return OrderResult.ok(o.snapshot());
  }

  /**
   * Binance's PUT order: the amended order loses its queue position; it is cancelled instead when
   * the new quantity does not exceed what already filled, or when a post-only order would cross.
   */
  OrderResult modify(String account, ModifyOrder modify, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(modify.symbol());
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account a = state.account(account);
    WorkingOrder o = matching.findOpen(a, m, modify.orderId(), modify.origClientOrderId());
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
    SimError error = OrderFilters.qtyFilter(m, qty);
    if (error == null) {
      error = OrderFilters.priceFilter(m, o.side, price);
    }
    if (error != null) {
      return OrderResult.fail(error);
    }
    if (!o.reduceOnly
        && m.instrument.notional(price, qty)
            < m.instrument.minNotional() - EngineState.MONEY_EPSILON) {
      return OrderResult.fail(SimErrors.modifyMinNotional(m.instrument.minNotional()));
    }
    if (o.executedQtySteps > 0 && qty <= o.executedQtySteps) {
      matching.finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
      return OrderResult.ok(o.snapshot());
    }
    if (o.timeInForce == TimeInForce.GTX && m.book.opposite(o.side).crossedBy(price)) {
      matching.finish(o, OrderStatus.CANCELED, "CANCELED", nowMillis);
      return OrderResult.ok(o.snapshot());
    }
    long newRaw = (qty - o.executedQtySteps) * price - o.remaining() * o.priceTicks;
    if (!o.reducing() && newRaw > 0 && margins.marginShort(a, m, o.side, o.positionSide, newRaw)) {
      return OrderResult.fail(SimErrors.marginInsufficient());
    }
    matching.unrest(o, nowMillis);
    Account.PerSymbol ps = a.symbols[m.index];
    ps.amendments.addLast(
        new SimAmendment(
            state.nextTranId++,
            m.symbol,
            o.orderId,
            o.clientOrderId,
            nowMillis,
            o.priceTicks,
            price,
            o.origQtySteps,
            qty,
            ++o.amendments));
    if (ps.amendments.size() > Account.CLOSED_ORDERS_KEPT) {
      ps.amendments.removeFirst();
    }
    o.priceTicks = price;
    o.origQtySteps = qty;
    o.stpMode = StpMode.NONE;
    o.updateTime = nowMillis;
    matching.orderEvent(o, "AMENDMENT", null, nowMillis);
    matching.matchAndRest(o, nowMillis);
    return OrderResult.ok(o.snapshot());
  }

  List<SimOrder> cancelAll(String account, String symbol, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return List.of();
    }
    return matching.cancelAll(state.account(account), m, nowMillis);
  }

  /** Arms (or with 0 disarms) the dead-man switch of one account on one symbol. */
  void countdownCancelAll(String account, String symbol, long countdownMillis, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return;
    }
    CountdownKey key = new CountdownKey(state.account(account).name, m.index);
    if (countdownMillis <= 0) {
      countdowns.remove(key);
    } else {
      countdowns.put(key, nowMillis + countdownMillis);
    }
  }

  void fireCountdowns(long now) {
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
      matching.cancelAll(accounts.get(key.account()), markets[key.symbolIndex()], now);
    }
  }
}
