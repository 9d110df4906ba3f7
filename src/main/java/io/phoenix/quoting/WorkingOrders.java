package io.phoenix.quoting;

import io.phoenix.execution.OrderState;
import java.util.HashMap;
import java.util.Map;

/**
 * The quoter's own orders for one symbol, keyed by client order id, in fixed-capacity parallel
 * arrays (slots) so the diff walks primitives. An order stays here from the moment its intent is
 * emitted until the exchange reports it final (or reconciliation says it never existed). Only the
 * live {@link OrderState}s occur here (PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL, UNKNOWN);
 * an UNKNOWN order is treated as live, because a timeout is not a rejection.
 */
public final class WorkingOrders {
  final String[] clientId;
  final boolean[] buy;
  final long[] price;
  final long[] origQty;
  final long[] filledQty;
  final OrderState[] state;
  final long[] createdNanos;
  private final Map<String, Integer> index;
  private int size;

  public WorkingOrders(int capacity) {
    clientId = new String[capacity];
    buy = new boolean[capacity];
    price = new long[capacity];
    origQty = new long[capacity];
    filledQty = new long[capacity];
    state = new OrderState[capacity];
    createdNanos = new long[capacity];
    index = new HashMap<>(capacity * 2);
  }

  public int capacity() {
    return clientId.length;
  }

  public int size() {
    return size;
  }

  /** Adds a new pending order; returns its slot, or -1 if the table is full or the id is known. */
  public int add(String id, boolean isBuy, long priceTicks, long qtySteps, long nowNanos) {
    if (index.containsKey(id)) {
      return -1;
    }
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] == null) {
        clientId[s] = id;
        buy[s] = isBuy;
        price[s] = priceTicks;
        origQty[s] = qtySteps;
        filledQty[s] = 0;
        state[s] = OrderState.PENDING_NEW;
        createdNanos[s] = nowNanos;
        index.put(id, s);
        size++;
        return s;
      }
    }
    return -1;
  }

  /** Slot of {@code id}, or -1. */
  public int slotOf(String id) {
    Integer s = index.get(id);
    return s == null ? -1 : s;
  }

  public boolean occupied(int slot) {
    return clientId[slot] != null;
  }

  public String clientId(int slot) {
    return clientId[slot];
  }

  public boolean isBuy(int slot) {
    return buy[slot];
  }

  public long price(int slot) {
    return price[slot];
  }

  public long origQty(int slot) {
    return origQty[slot];
  }

  public long filledQty(int slot) {
    return filledQty[slot];
  }

  public long leavesQty(int slot) {
    return origQty[slot] - filledQty[slot];
  }

  public OrderState state(int slot) {
    return state[slot];
  }

  public long createdNanos(int slot) {
    return createdNanos[slot];
  }

  public void setState(int slot, OrderState newState) {
    state[slot] = newState;
  }

  /** Risk clamped the order's quantity. */
  public void setOrigQty(int slot, long qtySteps) {
    origQty[slot] = qtySteps;
  }

  /** Records an amend sent for {@code slot}: new price/quantity, age restarts. */
  public void amend(int slot, long priceTicks, long qtySteps, long nowNanos) {
    price[slot] = priceTicks;
    origQty[slot] = qtySteps;
    createdNanos[slot] = nowNanos;
  }

  /**
   * Applies an absolute cumulative fill; returns the newly filled steps (0 for a repeat), so a
   * duplicated event cannot double-count a fill.
   */
  public long fillTo(int slot, long cumQtySteps) {
    long delta = cumQtySteps - filledQty[slot];
    if (delta <= 0) {
      return 0;
    }
    filledQty[slot] = cumQtySteps;
    return delta;
  }

  public void remove(int slot) {
    if (clientId[slot] == null) {
      return;
    }
    index.remove(clientId[slot]);
    clientId[slot] = null;
    state[slot] = null;
    size--;
  }

  /** Orders that are live for quoting on one side (everything except pending cancels). */
  public int liveCount(boolean isBuy) {
    int n = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null && buy[s] == isBuy && state[s] != OrderState.PENDING_CANCEL) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether an order at {@code priceTicks} would cross any of our own orders of the other side,
   * pending cancels included (they may still rest on the book).
   */
  public boolean wouldSelfCross(boolean isBuy, long priceTicks) {
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null && buy[s] != isBuy && (isBuy ? priceTicks >= price[s] : priceTicks <= price[s])) {
        return true;
      }
    }
    return false;
  }

  /** Best (highest bid / lowest ask) live price on a side, or 0 if none. */
  public long bestPrice(boolean isBuy) {
    long best = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null && buy[s] == isBuy && state[s] != OrderState.PENDING_CANCEL) {
        if (best == 0 || (isBuy ? price[s] > best : price[s] < best)) {
          best = price[s];
        }
      }
    }
    return best;
  }
}
