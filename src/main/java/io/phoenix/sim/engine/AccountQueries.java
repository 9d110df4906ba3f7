package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads of one account: an order by id or client id (as Binance keeps it), open orders, positions,
 * amendments, trades, income, order history and liquidation orders, with Binance's paging and
 * retention rules.
 */
final class AccountQueries {
  /** Binance keeps CANCELED/EXPIRED orders without fills queryable for 3 days. */
  static final long UNFILLED_ORDER_RETENTION = 3 * 86_400_000L;

  static final long SEVEN_DAYS = 7 * 86_400_000L;
  static final long INCOME_RETENTION = 90 * 86_400_000L;

  private final Matching matching;
  private final Margins margins;
  private final EngineState state;
  private final SymbolMarket[] markets;
  private final Map<String, SymbolMarket> bySymbol;
  private final Map<String, Account> accounts;

  AccountQueries(EngineState state, Matching matching, Margins margins) {
    this.state = state;
    this.markets = state.markets;
    this.bySymbol = state.bySymbol;
    this.accounts = state.accounts;
    this.matching = matching;
    this.margins = margins;
  }

  OrderResult query(String account, String symbol, long orderId, String origClientOrderId) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    Account a = state.account(account);
    WorkingOrder o = matching.findOpen(a, m, orderId, origClientOrderId);
    if (o == null) {
      Account.PerSymbol ps = a.symbols[m.index];
      o =
          orderId != 0
              ? ps.closedById.get(orderId)
              : origClientOrderId == null ? null : ps.closedByClientId.get(origClientOrderId);
    }
    return o == null || expired(o, state.clock)
        ? OrderResult.fail(SimErrors.noSuchOrder())
        : OrderResult.ok(o.snapshot());
  }

  /** Binance forgets CANCELED/EXPIRED orders that never filled 3 days after their creation. */
  private static boolean expired(WorkingOrder o, long now) {
    boolean unfilled =
        o.executedQtySteps == 0
            && (o.status == OrderStatus.CANCELED
                || o.status == OrderStatus.EXPIRED
                || o.status == OrderStatus.EXPIRED_IN_MATCH);
    return unfilled && o.time + UNFILLED_ORDER_RETENTION < now;
  }

  OrderResult queryOpen(String account, String symbol, long orderId, String origClientOrderId) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return OrderResult.fail(SimErrors.badSymbol());
    }
    WorkingOrder o = matching.findOpen(state.account(account), m, orderId, origClientOrderId);
    return o == null ? OrderResult.fail(SimErrors.noSuchOrder()) : OrderResult.ok(o.snapshot());
  }

  List<SimOrder> openOrders(String account, String symbolOrNull) {
    Account a = state.account(account);
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

  List<SimPosition> positions(String account, String symbolOrNull) {
    Account a = state.account(account);
    List<SimPosition> out = new ArrayList<>();
    for (SymbolMarket m : markets) {
      if (symbolOrNull != null && !m.symbol.equals(symbolOrNull)) {
        continue;
      }
      Account.PerSymbol ps = a.symbols[m.index];
      if (a.dualSide) {
        out.add(margins.position(a, m, ps, ps.longLeg));
        out.add(margins.position(a, m, ps, ps.shortLeg));
      } else {
        out.add(margins.position(a, m, ps, ps.both));
      }
    }
    return out;
  }

  /** Every trading account's position legs on {@code symbol} (for open interest). */
  List<SimPosition> allPositions(String symbol) {
    List<SimPosition> out = new ArrayList<>();
    for (Account a : accounts.values()) {
      if (!a.internal) {
        out.addAll(positions(a.name, symbol));
      }
    }
    return out;
  }

  /**
   * Modifications of the account's orders on {@code symbol}, optionally of one order, oldest first.
   */
  List<SimAmendment> amendments(
      String account,
      String symbol,
      long orderId,
      String clientOrderId,
      long startTime,
      long endTime,
      int limit) {
    SymbolMarket m = state.market(symbol);
    List<SimAmendment> out = new ArrayList<>();
    for (SimAmendment x : state.account(account).symbols[m.index].amendments) {
      boolean order =
          (orderId == 0 && clientOrderId == null)
              || x.orderId() == orderId
              || (orderId == 0 && x.clientOrderId().equals(clientOrderId));
      if (order
          && (startTime < 0 || x.time() >= startTime)
          && (endTime < 0 || x.time() <= endTime)) {
        out.add(x);
      }
    }
    return newest(out, limit);
  }

  /**
   * The account's fills on {@code symbol}: from {@code fromId} upwards when given, otherwise the
   * most recent ones inside the optional time window; at most {@code limit} (default 500, max
   * 1000).
   */
  List<SimFill> userTrades(
      String account, String symbol, long fromId, long startTime, long endTime, int limit) {
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return List.of();
    }
    int max = limit <= 0 ? 500 : Math.min(limit, 1000);
    List<SimFill> found = new ArrayList<>();
    for (SimFill f : state.account(account).symbols[m.index].fills) {
      if (fromId >= 0) {
        if (f.tradeId() >= fromId) {
          found.add(f);
          if (found.size() == max) {
            break;
          }
        }
      } else if ((startTime < 0 || f.time() >= startTime) && (endTime < 0 || f.time() <= endTime)) {
        found.add(f);
      }
    }
    return newest(found, max);
  }

  /**
   * Income history, oldest first: without a time window the last 7 days; records older than
   * Binance's 3 months are gone; at most {@code limit}.
   */
  List<IncomeRecord> income(
      String account,
      String symbolOrNull,
      String typeOrNull,
      long startTime,
      long endTime,
      int limit) {
    long end = endTime < 0 ? state.clock : endTime;
    long start =
        startTime < 0 ? (endTime < 0 ? state.clock - SEVEN_DAYS : end - SEVEN_DAYS) : startTime;
    start = Math.max(start, state.clock - INCOME_RETENTION);
    List<IncomeRecord> out = new ArrayList<>();
    for (IncomeRecord r : state.account(account).income) {
      if (r.time() >= start
          && r.time() <= end
          && (symbolOrNull == null || symbolOrNull.equals(r.symbol()))
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
  List<SimOrder> allOrders(
      String account, String symbol, long orderId, long startTime, long endTime, int limit) {
    SymbolMarket m = state.market(symbol);
    Account.PerSymbol ps = state.account(account).symbols[m.index];
    java.util.TreeMap<Long, WorkingOrder> all = new java.util.TreeMap<>(ps.closedById);
    all.putAll(ps.openById);
    return history(
        all,
        orderId,
        startTime,
        endTime,
        limit,
        o -> o.time,
        o -> !expired(o, state.clock),
        WorkingOrder::snapshot);
  }

  /**
   * Binance's history query over records keyed by ascending id: from {@code fromId} up (the first
   * {@code limit}) when given, otherwise the most recent {@code limit} inside the time window,
   * which defaults to the 7 days before its end.
   */
  <T, R> List<R> history(
      java.util.SortedMap<Long, T> byId,
      long fromId,
      long startTime,
      long endTime,
      int limit,
      java.util.function.ToLongFunction<T> time,
      java.util.function.Predicate<T> keep,
      java.util.function.Function<T, R> view) {
    long end = endTime < 0 ? Long.MAX_VALUE : endTime;
    long start =
        startTime >= 0
            ? startTime
            : fromId > 0 ? Long.MIN_VALUE : (endTime < 0 ? state.clock : endTime) - SEVEN_DAYS;
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
    return newest(out, limit);
  }

  /**
   * The account's liquidation orders, newest inside the window (default the 7 days before its end).
   */
  List<SimOrder> forceOrders(
      String account, String symbolOrNull, long startTime, long endTime, int limit) {
    long end = endTime < 0 ? state.clock : endTime;
    long start = startTime < 0 ? end - SEVEN_DAYS : startTime;
    Account a = state.account(account);
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
    return newest(out, limit);
  }

  /** The last {@code limit} of {@code out}, oldest first. */
  private static <T> List<T> newest(List<T> out, int limit) {
    return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
  }
}
