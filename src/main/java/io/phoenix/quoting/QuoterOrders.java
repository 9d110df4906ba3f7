package io.phoenix.quoting;

import io.phoenix.model.OrderState;
import java.util.HashMap;
import java.util.Map;

/**
 * The quoter's own orders for one symbol, keyed by client order id, in fixed-capacity parallel
 * arrays (slots) so the diff walks primitives. An order stays here from the moment its intent is
 * emitted until the exchange reports it final (or reconciliation says it never existed). Only the
 * live {@link OrderState}s occur here (PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL,
 * UNKNOWN); an UNKNOWN order is treated as live, because a timeout is not a rejection.
 *
 * <p>An order that a REST answer or a query reports finished before the user stream reported its
 * fills is <em>settling</em>: it stays (as PENDING_CANCEL, so the diff leaves it alone) with its
 * leaves quantity cut to the fills still to be reported, until the user stream reports them or a
 * deadline passes. Its quantity keeps counting against the soft position limit meanwhile.
 */
public final class QuoterOrders {
  final String[] clientId;
  final boolean[] buy;
  final long[] price;
  final long[] origQty;
  final long[] filledQty;
  final OrderState[] state;
  final long[] createdNanos;
  final boolean[] settling;
  final long[] settleByNanos;
  private final Map<String, Integer> index;
  private int size;
  // sum of leaves per side (0 = buy, 1 = sell), kept up to date by every change of a quantity so
  // a requote reads it without a scan
  private final long[] exposure = new long[2];
  private int settlingCount;

  public QuoterOrders(int capacity) {
    clientId = new String[capacity];
    buy = new boolean[capacity];
    price = new long[capacity];
    origQty = new long[capacity];
    filledQty = new long[capacity];
    state = new OrderState[capacity];
    createdNanos = new long[capacity];
    settling = new boolean[capacity];
    settleByNanos = new long[capacity];
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
        exposure[isBuy ? 0 : 1] += Math.max(0, qtySteps);
        state[s] = OrderState.PENDING_NEW;
        createdNanos[s] = nowNanos;
        settling[s] = false;
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
    quantities(slot, qtySteps, filledQty[slot]);
  }

  /** Records an amend sent for {@code slot}: new price/quantity, age restarts. */
  public void amend(int slot, long priceTicks, long qtySteps, long nowNanos) {
    price[slot] = priceTicks;
    quantities(slot, qtySteps, filledQty[slot]);
    createdNanos[slot] = nowNanos;
  }

  private void quantities(int slot, long orig, long filled) {
    int side = buy[slot] ? 0 : 1;
    exposure[side] += Math.max(0, orig - filled) - Math.max(0, origQty[slot] - filledQty[slot]);
    origQty[slot] = orig;
    filledQty[slot] = filled;
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
    quantities(slot, origQty[slot], cumQtySteps);
    return delta;
  }

  public void remove(int slot) {
    if (clientId[slot] == null) {
      return;
    }
    index.remove(clientId[slot]);
    exposure[buy[slot] ? 0 : 1] -= Math.max(0, origQty[slot] - filledQty[slot]);
    clientId[slot] = null;
    state[slot] = null;
    if (settling[slot]) {
      settling[slot] = false;
      settlingCount--;
    }
    size--;
  }

  /**
   * The order is finished on the exchange with {@code cumQtySteps} filled, but the user stream has
   * not reported all of it yet: it stays until those fills arrive or {@code deadlineNanos}. Removed
   * at once when nothing is left to report.
   */
  public void settle(int slot, long cumQtySteps, long deadlineNanos) {
    quantities(slot, Math.max(cumQtySteps, filledQty[slot]), filledQty[slot]);
    if (leavesQty(slot) <= 0) {
      remove(slot);
      return;
    }
    state[slot] = OrderState.PENDING_CANCEL;
    if (!settling[slot]) {
      settling[slot] = true;
      settlingCount++;
    }
    settleByNanos[slot] = deadlineNanos;
  }

  /** Finished on the exchange, waiting for the user stream to report its last fills. */
  public boolean settling(int slot) {
    return settling[slot];
  }

  /**
   * Sum of the leaves quantities on one side: every order of ours that can still fill (or has
   * filled without the user stream having said so), pending cancels, unknown and settling ones
   * included.
   */
  public long exposure(boolean isBuy) {
    return exposure[isBuy ? 0 : 1];
  }

  /** Drops settling orders whose deadline passed; returns how many. */
  public int expireSettled(long nowNanos) {
    int n = 0;
    for (int s = 0; settlingCount > 0 && s < clientId.length; s++) {
      if (clientId[s] != null && settling[s] && nowNanos - settleByNanos[s] >= 0) {
        remove(s);
        n++;
      }
    }
    return n;
  }

  /**
   * Leaves quantity of the live (not pending-cancel) orders on a side at exactly {@code
   * priceTicks}.
   */
  public long liveQtyAt(boolean isBuy, long priceTicks) {
    long sum = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null
          && buy[s] == isBuy
          && state[s] != OrderState.PENDING_CANCEL
          && price[s] == priceTicks) {
        sum += origQty[s] - filledQty[s];
      }
    }
    return sum;
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
   * pending cancels included (they may still rest on the book); settling orders are off the book.
   */
  public boolean wouldSelfCross(boolean isBuy, long priceTicks) {
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null
          && buy[s] != isBuy
          && !settling[s]
          && (isBuy ? priceTicks >= price[s] : priceTicks <= price[s])) {
        return true;
      }
    }
    return false;
  }

  /** Best (highest bid / lowest ask) live price on a side, or 0 if none. */
  public long bestPrice(boolean isBuy) {
    return bestPriceInside(isBuy, 0);
  }

  /**
   * Best live price on a side that can rest against {@code oppositeBest} (a bid below it, an ask
   * above it; 0 = no bound), or 0 if none. An order the book has traded through has filled on the
   * exchange even while its report is still on its way.
   */
  public long bestPriceInside(boolean isBuy, long oppositeBest) {
    long best = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null
          && buy[s] == isBuy
          && state[s] != OrderState.PENDING_CANCEL
          && (oppositeBest <= 0 || (isBuy ? price[s] < oppositeBest : price[s] > oppositeBest))) {
        if (best == 0 || (isBuy ? price[s] > best : price[s] < best)) {
          best = price[s];
        }
      }
    }
    return best;
  }

  /**
   * Checks the table's internal consistency; throws IllegalStateException naming the broken rule.
   */
  public void validateInvariants() {
    int occupied = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] == null) {
        continue;
      }
      occupied++;
      Integer at = index.get(clientId[s]);
      if (at == null || at != s) {
        throw new IllegalStateException(
            "slot " + s + " (" + clientId[s] + ") not indexed at its slot: " + at);
      }
      if (state[s] == null || state[s].isTerminal()) {
        throw new IllegalStateException("slot " + s + " holds a non-live state " + state[s]);
      }
      if (settling[s] && state[s] != OrderState.PENDING_CANCEL) {
        throw new IllegalStateException("settling slot " + s + " in state " + state[s]);
      }
      if (filledQty[s] < 0 || origQty[s] < 0) {
        throw new IllegalStateException(
            "slot " + s + " negative quantity: orig " + origQty[s] + " filled " + filledQty[s]);
      }
    }
    if (occupied != size || index.size() != size) {
      throw new IllegalStateException(
          "size " + size + " vs occupied " + occupied + " vs indexed " + index.size());
    }
    for (int side = 0; side < 2; side++) {
      long sum = 0;
      for (int s = 0; s < clientId.length; s++) {
        if (clientId[s] != null && buy[s] == (side == 0)) {
          sum += Math.max(0, origQty[s] - filledQty[s]);
        }
      }
      if (sum != exposure[side]) {
        throw new IllegalStateException(
            (side == 0 ? "buy" : "sell")
                + " exposure "
                + exposure[side]
                + " vs leaves summed "
                + sum);
      }
    }
    int settlingSeen = 0;
    for (int s = 0; s < clientId.length; s++) {
      if (clientId[s] != null && settling[s]) {
        settlingSeen++;
      }
    }
    if (settlingSeen != settlingCount) {
      throw new IllegalStateException("settling count " + settlingCount + " vs " + settlingSeen);
    }
  }
}
