package io.phoenix.quoting;

import io.phoenix.model.OrderState;

/**
 * Turns desired quotes and working orders into actions: cancel, place, amend. A working order
 * within the refresh tolerance of a desired level is kept (it holds queue priority and saves order
 * budget); an unmatched order younger than the minimum quote life is kept too, unless its side is
 * no longer quoted, it would cross the other side's desired quotes, or the market has moved through
 * it (a bid at or above fair value, an ask at or below): the minimum life defers only cosmetic
 * changes, never the pull of a quote about to be picked off. A pull cancels every live order
 * regardless of age. Cancels are emitted before places, and a side never holds more than its level
 * count of live orders once the actions complete.
 *
 * <p>The action buffer and scratch arrays are allocated once; {@link #compute} allocates nothing.
 */
public final class OrderDiff {
  /** Kind of action. */
  public enum Kind {
    PLACE,
    CANCEL,
    AMEND
  }

  private long toleranceTicks;
  private final long minLifeNanos;
  private final boolean useAmend;
  private final int levels;

  private final Kind[] kind;
  private final boolean[] buy;
  private final long[] price;
  private final long[] qty;
  private final int[] slot;
  private int count;

  private final boolean[] slotMatched;
  private final boolean[] slotCancelled;
  private final boolean[] levelMatched;
  private final boolean[] bidLevels;
  private final boolean[] askLevels;

  public OrderDiff(
      int levels, int workingCapacity, long toleranceTicks, long minLifeNanos, boolean useAmend) {
    this.levels = levels;
    this.toleranceTicks = toleranceTicks;
    this.minLifeNanos = minLifeNanos;
    this.useAmend = useAmend;
    int maxActions = workingCapacity + 2 * levels;
    kind = new Kind[maxActions];
    buy = new boolean[maxActions];
    price = new long[maxActions];
    qty = new long[maxActions];
    slot = new int[maxActions];
    slotMatched = new boolean[workingCapacity];
    slotCancelled = new boolean[workingCapacity];
    levelMatched = new boolean[levels];
    bidLevels = new boolean[levels];
    askLevels = new boolean[levels];
  }

  /**
   * Changes the refresh tolerance (the quoter rescales a bps tolerance to ticks as price moves).
   */
  public void setToleranceTicks(long ticks) {
    toleranceTicks = Math.max(0, ticks);
  }

  public long toleranceTicks() {
    return toleranceTicks;
  }

  /** Number of actions from the last compute. */
  public int count() {
    return count;
  }

  public Kind kind(int i) {
    return kind[i];
  }

  public boolean buy(int i) {
    return buy[i];
  }

  /** Price of a place or amend (the working order's price for a cancel). */
  public long price(int i) {
    return price[i];
  }

  /** Quantity of a place or amend (leaves quantity for a cancel). */
  public long qty(int i) {
    return qty[i];
  }

  /** Working-order slot of a cancel or amend; -1 for a place. */
  public int slot(int i) {
    return slot[i];
  }

  /** Cancels every live order (pending cancels excepted), ignoring the minimum quote life. */
  public int pullAll(QuoterOrders working) {
    count = 0;
    for (int s = 0; s < working.capacity(); s++) {
      if (working.occupied(s) && working.state(s) != OrderState.PENDING_CANCEL) {
        add(Kind.CANCEL, working.isBuy(s), working.price(s), working.leavesQty(s), s);
      }
    }
    return count;
  }

  /**
   * Computes the actions that move {@code working} toward {@code desired}; returns their number.
   */
  public int compute(Quotes desired, QuoterOrders working, long nowNanos) {
    count = 0;
    int cap = working.capacity();
    for (int s = 0; s < cap; s++) {
      slotMatched[s] = false;
      slotCancelled[s] = false;
    }
    // cancels of both sides first, then places, so the gateway can free budget and room early
    side(desired, working, nowNanos, true, true);
    side(desired, working, nowNanos, false, true);
    side(desired, working, nowNanos, true, false);
    side(desired, working, nowNanos, false, false);
    return count;
  }

  private void side(
      Quotes desired, QuoterOrders w, long nowNanos, boolean isBuy, boolean cancelPhase) {
    int n = desired.count(isBuy);
    if (cancelPhase) {
      for (int l = 0; l < levels; l++) {
        levelMatched[l] = false;
      }
      match(desired, w, isBuy, n);
      long oppositeBest = desired.count(!isBuy) > 0 ? desired.price(!isBuy, 0) : 0;
      for (int s = 0; s < w.capacity(); s++) {
        if (!w.occupied(s)
            || w.isBuy(s) != isBuy
            || slotMatched[s]
            || w.state(s) == OrderState.PENDING_CANCEL) {
          continue;
        }
        boolean crosses =
            oppositeBest != 0 && (isBuy ? w.price(s) >= oppositeBest : w.price(s) <= oppositeBest);
        // the market moved through it: a bid at or above fair value (an ask at or below) only waits
        // to be picked off, so its age protects nothing
        double fair = desired.fairTicks;
        boolean wrongSide = fair > 0 && (isBuy ? w.price(s) >= fair : w.price(s) <= fair);
        boolean urgent = crosses || wrongSide;
        boolean young = nowNanos - w.createdNanos(s) < minLifeNanos;
        if (n > 0 && young && !urgent) {
          continue;
        }
        if (useAmend && n > 0 && !crosses && amendable(w.state(s))) {
          int level = firstUnmatchedLevel(n);
          if (level >= 0) {
            levelMatched[level] = true;
            slotMatched[s] = true;
            add(Kind.AMEND, isBuy, desired.price(isBuy, level), desired.qty(isBuy, level), s);
            continue;
          }
        }
        slotCancelled[s] = true;
        add(Kind.CANCEL, isBuy, w.price(s), w.leavesQty(s), s);
      }
      // remember level matches for the place phase of this side
      storeLevels(isBuy);
      return;
    }
    restoreLevels(isBuy);
    int occupied = 0;
    for (int s = 0; s < w.capacity(); s++) {
      if (w.occupied(s)
          && w.isBuy(s) == isBuy
          && !slotCancelled[s]
          && w.state(s) != OrderState.PENDING_CANCEL) {
        occupied++;
      }
    }
    for (int l = 0; l < n && occupied < levels; l++) {
      if (!levelMatched[l]) {
        add(Kind.PLACE, isBuy, desired.price(isBuy, l), desired.qty(isBuy, l), -1);
        occupied++;
      }
    }
  }

  private void storeLevels(boolean isBuy) {
    boolean[] target = isBuy ? bidLevels : askLevels;
    System.arraycopy(levelMatched, 0, target, 0, levels);
  }

  private void restoreLevels(boolean isBuy) {
    System.arraycopy(isBuy ? bidLevels : askLevels, 0, levelMatched, 0, levels);
  }

  /**
   * Exact price matches first, then each remaining level, best first, takes the closest unmatched
   * live order within tolerance: an order that sits exactly on some level must not be claimed by a
   * neighbouring level just because that level comes first.
   */
  private void match(Quotes desired, QuoterOrders w, boolean isBuy, int n) {
    matchWithin(desired, w, isBuy, n, 0);
    if (toleranceTicks > 0) {
      matchWithin(desired, w, isBuy, n, toleranceTicks);
    }
  }

  private void matchWithin(Quotes desired, QuoterOrders w, boolean isBuy, int n, long tolerance) {
    for (int l = 0; l < n; l++) {
      if (levelMatched[l]) {
        continue;
      }
      long target = desired.price(isBuy, l);
      int best = -1;
      long bestDistance = Long.MAX_VALUE;
      for (int s = 0; s < w.capacity(); s++) {
        if (!w.occupied(s)
            || w.isBuy(s) != isBuy
            || slotMatched[s]
            || w.state(s) == OrderState.PENDING_CANCEL) {
          continue;
        }
        long distance = Math.abs(w.price(s) - target);
        if (distance <= tolerance && distance < bestDistance) {
          best = s;
          bestDistance = distance;
        }
      }
      if (best >= 0) {
        slotMatched[best] = true;
        levelMatched[l] = true;
      }
    }
  }

  private int firstUnmatchedLevel(int n) {
    for (int l = 0; l < n; l++) {
      if (!levelMatched[l]) {
        return l;
      }
    }
    return -1;
  }

  private static boolean amendable(OrderState state) {
    return state == OrderState.NEW || state == OrderState.PARTIALLY_FILLED;
  }

  private void add(Kind k, boolean isBuy, long p, long q, int s) {
    kind[count] = k;
    buy[count] = isBuy;
    price[count] = p;
    qty[count] = q;
    slot[count] = s;
    count++;
  }
}
