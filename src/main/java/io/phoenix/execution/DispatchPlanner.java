package io.phoenix.execution;

import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * What the order gateway sends next, and in what shape. Pure and single-threaded: the gateway asks
 * for one {@link Dispatch} at a time and sends it.
 *
 * <p>Priority: cancel-alls first, then the table's lanes in {@link Lane} order (cancels, amends,
 * new orders, queries), because cancels free risk and queries only learn. A request groups the
 * orders of one symbol: up to 10 cancels (Binance's batch-cancel limit), up to {@code maxBatch}
 * amends or new orders ({@code batchOrders} takes 5), one query; one order per request while the
 * transport prefers singles (a pipelined session without a batch call). New orders of a symbol wait
 * while a cancel-all of it is queued or in flight, so that a place can neither be swept by it nor
 * rest beside the orders it is about to cancel. A group is taken out of its lane only once its cost
 * fits the budget; a new-order group that does not fit is reported, since its wait from then on is
 * budget wait, not processing.
 *
 * @param <R> who hears a cancel-all's outcome
 */
final class DispatchPlanner<R> {

  /** The shape of one request. */
  enum Kind {
    PLACE,
    BATCH_PLACE,
    CANCEL,
    BATCH_CANCEL,
    AMEND,
    BATCH_AMEND,
    CANCEL_ALL,
    QUERY
  }

  /** One request to send: its orders (none for a cancel-all), and who hears a cancel-all. */
  record Dispatch<R>(Kind kind, int symbolId, List<String> clientOrderIds, R replyTo) {}

  /** The shared budget, charged only when the cost fits now. */
  @FunctionalInterface
  interface Budget {
    boolean tryCharge(Cost cost);
  }

  /** Hears of a group of new orders the budget holds back. */
  @FunctionalInterface
  interface BudgetHeld {
    void held(List<String> clientOrderIds);
  }

  private record CancelAll<R>(int symbolId, R replyTo) {}

  private static final Lane[] LANES = Lane.values();
  private static final int MAX_BATCH_CANCEL = 10;

  private final OrderTable<R> table;
  private final int maxBatch;
  private final BooleanSupplier singleOrders;
  private final EpochLease lease;
  private final ArrayDeque<CancelAll<R>> cancelAlls = new ArrayDeque<>();
  // symbols with a cancel-all queued or in flight: their new orders wait for its answer
  private final Map<Integer, Integer> cancelAllsPending = new HashMap<>();
  // built once: next() runs per drain
  private final IntPredicate cancelAllPending = cancelAllsPending::containsKey;

  /**
   * @param maxBatch the most amends or new orders in one request ({@code
   *     phoenix.gateway.max-batch})
   */
  DispatchPlanner(OrderTable<R> table, int maxBatch) {
    this(table, maxBatch, () -> false, EpochLease.UNFENCED);
  }

  DispatchPlanner(OrderTable<R> table, int maxBatch, BooleanSupplier singleOrders) {
    this(table, maxBatch, singleOrders, EpochLease.UNFENCED);
  }

  /**
   * @param singleOrders asked per dispatch: true = no grouping, one order per request ({@link
   *     io.phoenix.binance.order.ExchangeTransport#prefersSingleOrders})
   */
  /**
   * @param lease the unit's right to send new orders, asked per new order and per cancel-all: while
   *     it does not hold, another incarnation of the unit may trade the account, so new orders are
   *     refused and a cancel-all cancels only this table's orders, one by one
   */
  DispatchPlanner(
      OrderTable<R> table, int maxBatch, BooleanSupplier singleOrders, EpochLease lease) {
    this.table = table;
    this.maxBatch = maxBatch;
    this.singleOrders = singleOrders;
    this.lease = lease;
  }

  /**
   * Takes an intent in: an order's request into the table's lanes, a cancel-all into the planner's
   * own queue, after the symbol's new orders still queued are dropped.
   *
   * @param riskNanos when risk approved a new order (0 = not stamped)
   */
  void intake(OrderIntent intent, R replyTo, long riskNanos) {
    if (intent instanceof OrderIntent.Place p) {
      String refusal = lease.refusal(System.nanoTime());
      if (refusal != null) {
        table.metrics().localReject();
        table.metrics().fencedPlace();
        table
            .effects()
            .tell(
                replyTo,
                new OrderEvent.OrderRejected(
                    p.symbolId(), p.clientOrderId(), RequestKind.PLACE, 0, refusal));
        return;
      }
      table.place(p, replyTo, riskNanos);
    } else if (intent instanceof OrderIntent.Cancel c) {
      table.cancel(c, replyTo);
    } else if (intent instanceof OrderIntent.Amend a) {
      table.amend(a, replyTo);
    } else if (intent instanceof OrderIntent.CancelAll ca) {
      if (table.instrument(ca.symbolId()) == null) {
        table
            .effects()
            .tell(
                replyTo,
                new OrderEvent.OrderRejected(
                    ca.symbolId(),
                    null,
                    RequestKind.CANCEL_ALL,
                    0,
                    "unknown symbol id " + ca.symbolId()));
        return;
      }
      table.dropQueuedPlaces(ca.symbolId());
      if (lease.allowsNewOrders(System.nanoTime())) {
        cancelAll(ca.symbolId(), replyTo);
      } else {
        table.cancelEachOrder(ca.symbolId());
        table.effects().tell(replyTo, new OrderEvent.AllCanceled(ca.symbolId()));
      }
    }
  }

  /** Queues a cancel-all of the symbol; its new orders wait until {@link #cancelAllAnswered}. */
  void cancelAll(int symbolId, R replyTo) {
    cancelAlls.addLast(new CancelAll<>(symbolId, replyTo));
    cancelAllsPending.merge(symbolId, 1, Integer::sum);
  }

  /** A cancel-all's answer is back (whatever it says). */
  void cancelAllAnswered(int symbolId) {
    cancelAllsPending.computeIfPresent(symbolId, (symbol, n) -> n == 1 ? null : n - 1);
  }

  /** Anything waiting to go. */
  boolean hasWork() {
    return !cancelAlls.isEmpty() || table.hasQueued();
  }

  /**
   * The highest-priority request that fits the budget, its orders taken out of their lane (they are
   * in flight from here on); null when nothing can go now.
   */
  Dispatch<R> next(Budget budget, BudgetHeld held) {
    if (!cancelAlls.isEmpty()) {
      if (!budget.tryCharge(Cost.CANCEL)) {
        return null;
      }
      CancelAll<R> op = cancelAlls.removeFirst();
      return new Dispatch<>(Kind.CANCEL_ALL, op.symbolId(), List.of(), op.replyTo());
    }
    boolean singles = singleOrders.getAsBoolean();
    int orders = singles ? 1 : maxBatch;
    for (Lane lane : LANES) {
      List<String> group =
          switch (lane) {
            case CANCEL -> table.peekGroup(lane, singles ? 1 : MAX_BATCH_CANCEL, false);
            case AMEND -> table.peekGroup(lane, orders, true);
            case PLACE -> table.peekGroup(lane, orders, true, cancelAllPending);
            case QUERY -> table.peekGroup(lane, 1, true);
          };
      if (group == null) {
        continue;
      }
      boolean single = group.size() == 1;
      Cost cost =
          switch (lane) {
            case CANCEL -> Cost.CANCEL;
            case QUERY -> Cost.QUERY;
            case AMEND, PLACE -> single ? Cost.SINGLE_ORDER : Cost.BATCH_ORDERS;
          };
      if (!budget.tryCharge(cost)) {
        if (lane == Lane.PLACE) {
          held.held(group);
        }
        return null;
      }
      table.take(lane, group);
      Kind kind =
          switch (lane) {
            case CANCEL -> single ? Kind.CANCEL : Kind.BATCH_CANCEL;
            case AMEND -> single ? Kind.AMEND : Kind.BATCH_AMEND;
            case PLACE -> single ? Kind.PLACE : Kind.BATCH_PLACE;
            case QUERY -> Kind.QUERY;
          };
      return new Dispatch<>(kind, table.entry(group.get(0)).symbolId, group, null);
    }
    return null;
  }

  /** Throws when the cancel-all queue and the per-symbol count disagree. */
  void validateInvariants() {
    Map<Integer, Integer> counted = new HashMap<>();
    for (CancelAll<R> op : cancelAlls) {
      counted.merge(op.symbolId(), 1, Integer::sum);
    }
    for (Map.Entry<Integer, Integer> e : counted.entrySet()) {
      if (cancelAllsPending.getOrDefault(e.getKey(), 0) < e.getValue()) {
        throw new IllegalStateException(
            "symbol "
                + e.getKey()
                + " has "
                + e.getValue()
                + " cancel-alls queued but counts "
                + cancelAllsPending.get(e.getKey())
                + " pending");
      }
    }
  }
}
