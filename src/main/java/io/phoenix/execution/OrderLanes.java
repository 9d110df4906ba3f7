package io.phoenix.execution;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The order table's request queues, one per {@link Lane}, holding client ids in arrival order. An
 * order is in a lane at most once, and its entry's {@code queued} flag says so: the flag answers
 * "is it queued?" without a scan, the deque keeps the order in which the requests go.
 *
 * @param <R> who hears an order's events
 */
final class OrderLanes<R> {
  private static final Lane[] LANES = Lane.values();
  private static final IntPredicate NO_SYMBOL_HELD = symbol -> false;

  private final Map<String, OrderEntry<R>> orders;

  @SuppressWarnings("unchecked")
  private final ArrayDeque<String>[] lanes = new ArrayDeque[LANES.length];

  /**
   * @param orders the table's orders, by client id: every queued id names one of them
   */
  OrderLanes(Map<String, OrderEntry<R>> orders) {
    this.orders = orders;
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new ArrayDeque<>();
    }
  }

  void enqueue(Lane lane, OrderEntry<R> t) {
    if (!t.queued[lane.ordinal()]) {
      t.queued[lane.ordinal()] = true;
      lanes[lane.ordinal()].addLast(t.clientOrderId);
    }
  }

  /** Ahead of the lane: a resend after a refused timestamp keeps its place. */
  void enqueueFirst(Lane lane, OrderEntry<R> t) {
    if (!t.queued[lane.ordinal()]) {
      t.queued[lane.ordinal()] = true;
      lanes[lane.ordinal()].addFirst(t.clientOrderId);
    }
  }

  void unqueue(Lane lane, OrderEntry<R> t) {
    if (t.queued[lane.ordinal()]) {
      lanes[lane.ordinal()].remove(t.clientOrderId);
      t.queued[lane.ordinal()] = false;
    }
  }

  /** Out of every lane. */
  void unqueueAll(OrderEntry<R> t) {
    for (Lane lane : LANES) {
      unqueue(lane, t);
    }
  }

  /**
   * Takes each queued order {@code which} picks out of the lane, then hands it to {@code removed}.
   */
  void removeWhere(Lane lane, Predicate<OrderEntry<R>> which, Consumer<OrderEntry<R>> removed) {
    for (Iterator<String> it = lanes[lane.ordinal()].iterator(); it.hasNext(); ) {
      OrderEntry<R> t = orders.get(it.next());
      if (which.test(t)) {
        it.remove();
        t.queued[lane.ordinal()] = false;
        removed.accept(t);
      }
    }
  }

  boolean hasQueued() {
    for (ArrayDeque<String> lane : lanes) {
      if (!lane.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  int size(Lane lane) {
    return lanes[lane.ordinal()].size();
  }

  List<String> peekGroup(Lane lane, int max, boolean skipBusy) {
    return peekGroup(lane, max, skipBusy, NO_SYMBOL_HELD);
  }

  /**
   * Up to {@code max} queued ids of one symbol (the first sendable one's), skipping orders with a
   * request in flight when {@code skipBusy} and the symbols {@code held} says wait; null when the
   * lane holds nothing sendable. The ids stay queued until {@link #take}.
   */
  List<String> peekGroup(Lane lane, int max, boolean skipBusy, IntPredicate held) {
    String head = null;
    for (String id : lanes[lane.ordinal()]) {
      OrderEntry<R> t = orders.get(id);
      if (!(skipBusy && t.inFlight) && !held.test(t.symbolId)) {
        head = id;
        break;
      }
    }
    if (head == null) {
      return null;
    }
    int symbol = orders.get(head).symbolId;
    List<String> group = new ArrayList<>(max);
    for (String id : lanes[lane.ordinal()]) {
      OrderEntry<R> t = orders.get(id);
      if (t.symbolId == symbol && !(skipBusy && t.inFlight)) {
        group.add(id);
        if (group.size() == max) {
          break;
        }
      }
    }
    return group;
  }

  /** Takes {@code group} out of the lane: its request is being sent; the orders are in flight. */
  void take(Lane lane, List<String> group) {
    for (String id : group) {
      OrderEntry<R> t = orders.get(id);
      lanes[lane.ordinal()].remove(id);
      t.queued[lane.ordinal()] = false;
      t.inFlight = true;
    }
  }

  /**
   * Throws when a lane and the orders disagree: every queued id names an order that knows it is
   * queued there (once), and every order that believes it is queued in a lane is.
   */
  void validateInvariants() {
    for (Lane lane : LANES) {
      ArrayDeque<String> q = lanes[lane.ordinal()];
      Set<String> seen = new HashSet<>();
      for (String id : q) {
        OrderEntry<R> t = orders.get(id);
        if (t == null) {
          throw new IllegalStateException(
              lane + " lane holds " + id + ", which is not in the table");
        }
        if (!t.queued(lane)) {
          throw new IllegalStateException(id + " is in the " + lane + " lane but does not know it");
        }
        if (!seen.add(id)) {
          throw new IllegalStateException(id + " is twice in the " + lane + " lane");
        }
      }
    }
    for (OrderEntry<R> t : orders.values()) {
      for (Lane lane : LANES) {
        if (t.queued(lane) && !lanes[lane.ordinal()].contains(t.clientOrderId)) {
          throw new IllegalStateException(
              t.clientOrderId + " believes it is in the " + lane + " lane but is not");
        }
      }
    }
  }
}
