package io.phoenix.execution;

import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the order gateway learns while it recovers, before it acts: which symbols' open orders
 * are still to be read (and how often each read failed), the open orders of ours found so far,
 * and the previous incarnation's orders handed over. Pure; the gateway's {@code recovering}
 * phase feeds it and {@link #finish} settles it all into the table at once, so that no order is
 * adopted twice and none handed over is forgotten.
 *
 * @param <R> who hears an order's events
 */
final class StartupRecovery<R> {

  /** What {@link #finish} did, for the log. */
  record Summary(int handedOver, int adoptedWithoutRequester) {}

  private final Map<Integer, Integer> unread = new HashMap<>();
  private final Map<String, RestOrderResponse> exchangeOpen = new HashMap<>();
  private final List<OrderTable.Hint<R>> hints = new ArrayList<>();
  private final long startedMillis;

  StartupRecovery(Collection<Integer> symbolIds, long startedMillis) {
    symbolIds.forEach(id -> unread.put(id, 0));
    this.startedMillis = startedMillis;
  }

  long startedMillis() {
    return startedMillis;
  }

  /** Whether the symbol's open orders are still to be read. */
  boolean awaits(int symbolId) {
    return unread.containsKey(symbolId);
  }

  /** Every symbol's open orders are read (or given up on). */
  boolean done() {
    return unread.isEmpty();
  }

  Set<Integer> unreadSymbols() {
    return unread.keySet();
  }

  /** The symbol's open orders: those of ours are kept for {@link #finish}. */
  void read(int symbolId, List<RestOrderResponse> open, Predicate<String> ours) {
    for (RestOrderResponse o : open) {
      if (ours.test(o.clientOrderId())) {
        exchangeOpen.put(o.clientOrderId(), o);
      }
    }
    unread.remove(symbolId);
  }

  /** The symbol's open orders will not be read: its orphans are left to reconciliation. */
  void giveUp(int symbolId) {
    unread.remove(symbolId);
  }

  /** One more failed read of the symbol; the number of failures before it (for the back-off). */
  int failed(int symbolId) {
    int before = unread.get(symbolId);
    unread.put(symbolId, before + 1);
    return before;
  }

  /** Gives up on every symbol not read yet. */
  void giveUpAll() {
    unread.clear();
  }

  void handedOver(List<OrderTable.Hint<R>> previous) {
    hints.addAll(previous);
  }

  /** The handed-over orders the table has not taken in (a failure during recovery must not lose them). */
  List<OrderTable.Hint<R>> hintsNotIn(Predicate<String> inTable) {
    List<OrderTable.Hint<R>> out = new ArrayList<>();
    for (OrderTable.Hint<R> h : hints) {
      if (!inTable.test(h.clientOrderId())) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Settles what was learnt into the table: open orders nobody handed over (ours, from an earlier
   * run or incarnation) are adopted without a requester; the handed-over ones are settled against
   * the open orders read.
   */
  Summary finish(OrderTable<R> table, GatewayMetrics metrics) {
    int adopted = 0;
    Map<String, RestOrderResponse> orphans = new HashMap<>(exchangeOpen);
    List<OrderTable.Hint<R>> previous = List.copyOf(hints);
    hints.clear();
    for (OrderTable.Hint<R> h : previous) {
      orphans.remove(h.clientOrderId());
    }
    for (RestOrderResponse o : orphans.values()) {
      if (table.adopt(o, null) != null) {
        adopted++;
        metrics.recovered("orphan");
      }
    }
    table.settle(previous, exchangeOpen);
    exchangeOpen.clear();
    return new Summary(previous.size(), adopted);
  }

  /** The refusal of an intent that cannot wait for the end of recovery. */
  static OrderEvent.OrderRejected refusal(OrderIntent i, String reason) {
    return new OrderEvent.OrderRejected(i.symbolId(), clientOrderIdOf(i), kindOf(i), 0, reason);
  }

  private static String clientOrderIdOf(OrderIntent i) {
    if (i instanceof OrderIntent.Place p) {
      return p.clientOrderId();
    } else if (i instanceof OrderIntent.Cancel c) {
      return c.clientOrderId();
    } else if (i instanceof OrderIntent.Amend a) {
      return a.clientOrderId();
    }
    return null;
  }

  private static RequestKind kindOf(OrderIntent i) {
    if (i instanceof OrderIntent.Cancel) {
      return RequestKind.CANCEL;
    } else if (i instanceof OrderIntent.Amend) {
      return RequestKind.AMEND;
    } else if (i instanceof OrderIntent.CancelAll) {
      return RequestKind.CANCEL_ALL;
    }
    return RequestKind.PLACE;
  }
}
