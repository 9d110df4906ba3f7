package io.phoenix.quoting;

/**
 * Markouts of our fills: how far the mid moved in our favour {@code h} after each fill, in bps of
 * the fill price, {@code +} when the market went our way ({@code (mid - price) / price} for a buy,
 * the opposite for a sell). The half-spread the fill captured is part of it, fees are not: a maker
 * who pays 2 bps per side needs markouts above 2 bps to keep anything.
 *
 * <p>Two horizons, {@link #SHORT} (1 s) and {@link #LONG} (10 s). A fill is held until its horizon
 * has passed; the mid used is the one in force at that moment (the last mid seen before the first
 * update after it, or the current one when nothing changed). Averages are weighted by quantity, as
 * the backtester's are. Fills beyond the buffer's capacity while older ones are still pending push
 * the oldest out uncounted ({@link #dropped}).
 *
 * <p>No allocation after construction; every call is O(1) amortised. Single-threaded.
 */
public final class MarkoutTracker {
  /** Index of the 1 s horizon. */
  public static final int SHORT = 0;

  /** Index of the 10 s horizon. */
  public static final int LONG = 1;

  /** Receives each markout when its horizon has passed. */
  public interface Listener {
    void onMarkout(int horizon, boolean buy, double bps, long nowNanos);
  }

  private static final Listener NONE = (h, b, bps, t) -> {};

  private final long[] horizonNanos;
  private final long[] fillNanos;
  private final boolean[] buy;
  private final double[] price;
  private final double[] qty;
  private final int capacity;
  private final Listener listener;
  // ring: head = oldest pending fill of any horizon; next[h] = oldest fill horizon h has not marked
  private int head;
  private int size;
  private final int[] next = new int[2];
  private final int[] pending = new int[2];
  private final double[] sumBpsQty = new double[2];
  private final double[] sumQty = new double[2];
  private final long[] count = new long[2];
  private final double[] last = {Double.NaN, Double.NaN};
  private double mid = Double.NaN;
  private long dropped;

  public MarkoutTracker(long shortNanos, long longNanos, int capacity, Listener listener) {
    if (shortNanos <= 0 || longNanos < shortNanos) {
      throw new IllegalArgumentException(
          "horizons must be positive and ordered: " + shortNanos + ", " + longNanos);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.horizonNanos = new long[] {shortNanos, longNanos};
    this.capacity = capacity;
    this.fillNanos = new long[capacity];
    this.buy = new boolean[capacity];
    this.price = new double[capacity];
    this.qty = new double[capacity];
    this.listener = listener == null ? NONE : listener;
  }

  /** 1 s and 10 s, room for 1024 fills in flight. */
  public static MarkoutTracker standard(Listener listener) {
    return new MarkoutTracker(1_000_000_000L, 10_000_000_000L, 1024, listener);
  }

  /** One of our fills: {@code priceTicks} and {@code qty} in any consistent units. */
  public void onFill(long nowNanos, boolean isBuy, double priceTicks, double quantity) {
    advance(nowNanos);
    if (priceTicks <= 0 || quantity <= 0) {
      return;
    }
    if (size == capacity) {
      // the oldest still waits for its long horizon (its short one has passed: capacity fills in
      // one second would be an extreme rate); give it up
      for (int h = 0; h < 2; h++) {
        if (next[h] == head && pending[h] > 0) {
          next[h] = (next[h] + 1) % capacity;
          pending[h]--;
        }
      }
      head = (head + 1) % capacity;
      size--;
      dropped++;
    }
    int slot = (head + size) % capacity;
    fillNanos[slot] = nowNanos;
    buy[slot] = isBuy;
    price[slot] = priceTicks;
    qty[slot] = quantity;
    size++;
    pending[SHORT]++;
    pending[LONG]++;
  }

  /** The mid moved to {@code midTicks} at {@code nowNanos}. */
  public void onMid(long nowNanos, double midTicks) {
    // horizons that passed before this update are marked at the mid that was in force until now
    advance(nowNanos);
    mid = midTicks;
  }

  /** Marks every fill whose horizon has passed by {@code nowNanos} at the current mid. */
  public void advance(long nowNanos) {
    if (Double.isNaN(mid)) {
      return;
    }
    for (int h = 0; h < 2; h++) {
      while (pending[h] > 0) {
        int i = next[h];
        if (nowNanos - fillNanos[i] < horizonNanos[h]) {
          break;
        }
        double bps = (buy[i] ? mid - price[i] : price[i] - mid) / price[i] * 1e4;
        sumBpsQty[h] += bps * qty[i];
        sumQty[h] += qty[i];
        count[h]++;
        last[h] = bps;
        next[h] = (i + 1) % capacity;
        pending[h]--;
        listener.onMarkout(h, buy[i], bps, nowNanos);
      }
    }
    // the long horizon is always the last to let go of a fill
    while (size > 0 && size > pending[LONG] && size > pending[SHORT]) {
      head = (head + 1) % capacity;
      size--;
    }
  }

  /** Quantity-weighted mean markout at a horizon over every fill marked so far, NaN before one. */
  public double meanBps(int horizon) {
    return sumQty[horizon] > 0 ? sumBpsQty[horizon] / sumQty[horizon] : Double.NaN;
  }

  /** Fills marked at a horizon. */
  public long count(int horizon) {
    return count[horizon];
  }

  /** The latest markout at a horizon, NaN before one. */
  public double lastBps(int horizon) {
    return last[horizon];
  }

  /** Fills waiting for a horizon. */
  public int pending(int horizon) {
    return pending[horizon];
  }

  /** Fills pushed out of a full buffer before their long horizon. */
  public long dropped() {
    return dropped;
  }

  public long horizonNanos(int horizon) {
    return horizonNanos[horizon];
  }

  /** Throws if the buffer's bookkeeping is inconsistent. */
  public void validateInvariants() {
    if (size < 0 || size > capacity) {
      throw new IllegalStateException("size " + size + " of " + capacity);
    }
    for (int h = 0; h < 2; h++) {
      if (pending[h] < 0 || pending[h] > size) {
        throw new IllegalStateException("pending[" + h + "] " + pending[h] + " of " + size);
      }
      int expect = (head + size - pending[h]) % capacity;
      if (pending[h] > 0 && next[h] != expect) {
        throw new IllegalStateException("next[" + h + "] " + next[h] + ", expected " + expect);
      }
    }
    if (pending[SHORT] > pending[LONG]) {
      throw new IllegalStateException(
          "short horizon pending beyond long one: " + pending[SHORT] + " > " + pending[LONG]);
    }
  }
}
