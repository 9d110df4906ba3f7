package io.phoenix.reconcile;

import io.phoenix.model.AccountEvent.ExecutionType;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Positions;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Compares what the exchange reports (open orders, positions, fills) with the local view and says
 * what to do about each difference. Pure: it decides, the caller acts (cancels, queries, emits the
 * corrective events) and counts.
 *
 * <p>Races with live traffic are the whole difficulty, so the caller must fetch the exchange state
 * <em>before</em> asking the local view: then an order placed meanwhile is local-only (covered by
 * the grace period), never exchange-only (which would get it cancelled). Local orders changed
 * within the grace period are not judged at all, and a position is not judged if a fill moved it
 * while the REST call was in flight.
 */
public final class Reconciler {

  /** Kinds of difference; {@link #tag()} is the metric tag value. */
  public enum Kind {
    /** Open on the exchange with our client-id prefix, unknown locally: cancel it. */
    ORPHAN_ORDER,
    /** Open on the exchange, not ours (manual or another system): report only. */
    FOREIGN_ORDER,
    /** Working locally, not open on the exchange: query its final state. */
    MISSING_ORDER,
    /** Known to both, but the exchange shows other price, quantity or more fills: restate. */
    ORDER_MISMATCH,
    /** Position amount differs: the exchange's figure wins. */
    POSITION,
    /** A fill in userTrades that the stream never delivered: replay it. */
    MISSED_FILL;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One difference, for the log line and the counter. */
  public record Difference(Kind kind, int symbolId, String clientOrderId, String detail) {}

  /** Outcome of comparing orders. */
  public record OrderReport(
      List<Difference> differences,
      List<ExchangeState.Order> toCancel,
      List<LocalOrder> toQuery,
      List<OrderUpdate> restatements) {}

  /** Outcome of comparing positions: corrections carry the exchange's amounts. */
  public record PositionReport(List<Difference> differences, List<PositionUpdate> corrections) {}

  public static final String RECONCILE_REASON = "RECONCILE";

  private final Predicate<String> isOurs;
  private final long graceMillis;

  /**
   * @param isOurs true for client order ids this system generates (its prefix)
   * @param graceMillis local orders changed more recently than this are not judged
   */
  public Reconciler(Predicate<String> isOurs, long graceMillis) {
    this.isOurs = isOurs;
    this.graceMillis = graceMillis;
  }

  /**
   * Compares the exchange's open orders with the local working orders.
   *
   * @param nowMillis local wall-clock time when the local view was taken
   */
  public OrderReport compareOrders(
      List<ExchangeState.Order> exchangeOpen, List<LocalOrder> local, long nowMillis) {
    Map<String, LocalOrder> localByKey = new HashMap<>();
    for (LocalOrder l : local) {
      localByKey.put(key(l.symbolId(), l.clientOrderId()), l);
    }
    List<Difference> differences = new ArrayList<>();
    List<ExchangeState.Order> toCancel = new ArrayList<>();
    List<LocalOrder> toQuery = new ArrayList<>();
    List<OrderUpdate> restatements = new ArrayList<>();
    Map<String, ExchangeState.Order> exchangeByKey = new HashMap<>();
    for (ExchangeState.Order e : exchangeOpen) {
      if (!e.status().isOpen()) {
        continue;
      }
      String key = key(e.symbolId(), e.clientOrderId());
      exchangeByKey.put(key, e);
      LocalOrder l = localByKey.get(key);
      if (l == null) {
        if (isOurs.test(e.clientOrderId())) {
          differences.add(
              new Difference(
                  Kind.ORPHAN_ORDER,
                  e.symbolId(),
                  e.clientOrderId(),
                  "open on the exchange (orderId "
                      + e.orderId()
                      + "), unknown locally: cancelling"));
          toCancel.add(e);
        } else {
          differences.add(
              new Difference(
                  Kind.FOREIGN_ORDER,
                  e.symbolId(),
                  e.clientOrderId(),
                  "open on the exchange, not ours: left alone"));
        }
        continue;
      }
      if (nowMillis - l.lastChangeMillis() < graceMillis) {
        continue;
      }
      String mismatch = mismatch(e, l);
      if (mismatch != null) {
        differences.add(
            new Difference(Kind.ORDER_MISMATCH, e.symbolId(), e.clientOrderId(), mismatch));
        restatements.add(restate(e, nowMillis));
      }
    }
    for (LocalOrder l : local) {
      if (exchangeByKey.containsKey(key(l.symbolId(), l.clientOrderId()))) {
        continue;
      }
      if (nowMillis - l.lastChangeMillis() < graceMillis) {
        continue;
      }
      differences.add(
          new Difference(
              Kind.MISSING_ORDER,
              l.symbolId(),
              l.clientOrderId(),
              "working locally, not open on the exchange: querying its final state"));
      toQuery.add(l);
    }
    return new OrderReport(differences, toCancel, toQuery, restatements);
  }

  /**
   * Compares one-way positions for the tracked symbols; a symbol absent from the exchange's list is
   * flat there.
   *
   * @param changedSinceFetch true for symbols whose local position moved while the REST call was in
   *     flight; they are skipped
   */
  public PositionReport comparePositions(
      int[] trackedSymbolIds,
      List<ExchangeState.Position> exchange,
      Positions local,
      IntPredicate changedSinceFetch,
      long nowMillis) {
    Map<Integer, ExchangeState.Position> bySymbol = new HashMap<>();
    for (ExchangeState.Position p : exchange) {
      if (p.positionSide() == PositionSide.BOTH) {
        bySymbol.put(p.symbolId(), p);
      }
    }
    List<Difference> differences = new ArrayList<>();
    List<PositionUpdate> corrections = new ArrayList<>();
    for (int symbolId : trackedSymbolIds) {
      if (changedSinceFetch.test(symbolId)) {
        continue;
      }
      ExchangeState.Position p = bySymbol.get(symbolId);
      long exchangeAmount = p == null ? 0 : p.amountSteps();
      long localAmount = local.amountSteps(symbolId);
      if (exchangeAmount != localAmount) {
        differences.add(
            new Difference(
                Kind.POSITION,
                symbolId,
                "",
                "exchange position " + exchangeAmount + " steps, local " + localAmount));
        corrections.add(
            new PositionUpdate(
                symbolId,
                exchangeAmount,
                p == null ? 0 : p.entryPrice(),
                p == null ? 0 : p.unrealizedPnl(),
                PositionSide.BOTH,
                RECONCILE_REASON,
                nowMillis));
      }
    }
    return new PositionReport(differences, corrections);
  }

  /** Fills from userTrades that were never applied locally, oldest first. */
  public static List<ExchangeState.Trade> missedFills(
      List<ExchangeState.Trade> trades, Positions local) {
    List<ExchangeState.Trade> missed = new ArrayList<>();
    for (ExchangeState.Trade t : trades) {
      if (!local.seen(t.symbolId(), t.tradeId())) {
        missed.add(t);
      }
    }
    missed.sort(
        Comparator.comparingLong(ExchangeState.Trade::time)
            .thenComparingLong(ExchangeState.Trade::tradeId));
    return missed;
  }

  /** A restatement of an order as the exchange reports it. */
  public static OrderUpdate restate(ExchangeState.Order e, long nowMillis) {
    return new OrderUpdate(
        e.symbolId(),
        e.clientOrderId(),
        e.orderId(),
        e.side(),
        ExecutionType.RESTATED,
        e.status(),
        e.priceTicks(),
        e.origQtySteps(),
        e.executedQtySteps(),
        0,
        0,
        0,
        0,
        0,
        false,
        nowMillis,
        e.updateTime(),
        e.orderType(),
        e.timeInForce(),
        e.averagePrice(),
        "",
        e.reduceOnly(),
        e.positionSide(),
        0);
  }

  /**
   * A restatement for an order the exchange does not know at all (never reached it, or rejected
   * with no record): status REJECTED, nothing filled.
   */
  public static OrderUpdate unknownToExchange(LocalOrder l, long nowMillis) {
    return new OrderUpdate(
        l.symbolId(),
        l.clientOrderId(),
        l.orderId(),
        l.side(),
        ExecutionType.RESTATED,
        OrderState.REJECTED,
        l.priceTicks(),
        l.origQtySteps(),
        l.cumQtySteps(),
        0,
        0,
        0,
        0,
        0,
        false,
        nowMillis,
        nowMillis,
        "",
        "",
        0,
        "",
        false,
        PositionSide.BOTH,
        0);
  }

  /**
   * A fill recovered from userTrades, replayed as a TRADE update. userTrades lacks the client id
   * and the order's state, so they come from the order as queried now: {@code status} and {@code
   * cumQtySteps} describe the order at recovery time, not just after this fill.
   */
  public static OrderUpdate recoveredFill(
      ExchangeState.Trade t, ExchangeState.Order order, long nowMillis) {
    return new OrderUpdate(
        t.symbolId(),
        order.clientOrderId(),
        t.orderId(),
        t.side(),
        ExecutionType.TRADE,
        order.status(),
        order.priceTicks(),
        order.origQtySteps(),
        order.executedQtySteps(),
        t.qtySteps(),
        t.priceTicks(),
        t.tradeId(),
        t.commission(),
        t.realizedPnl(),
        t.maker(),
        nowMillis,
        t.time(),
        order.orderType(),
        order.timeInForce(),
        order.averagePrice(),
        t.commissionAsset(),
        order.reduceOnly(),
        t.positionSide(),
        0);
  }

  private static String mismatch(ExchangeState.Order e, LocalOrder l) {
    if (e.executedQtySteps() > l.cumQtySteps()) {
      return "exchange filled " + e.executedQtySteps() + " steps, local knows " + l.cumQtySteps();
    }
    if (e.priceTicks() != l.priceTicks()) {
      return "exchange price " + e.priceTicks() + " ticks, local " + l.priceTicks();
    }
    if (e.origQtySteps() != l.origQtySteps()) {
      return "exchange quantity " + e.origQtySteps() + " steps, local " + l.origQtySteps();
    }
    if (e.side() != l.side()) {
      return "exchange side " + e.side() + ", local " + l.side();
    }
    return null;
  }

  private static String key(int symbolId, String clientOrderId) {
    return symbolId + ":" + clientOrderId;
  }
}
