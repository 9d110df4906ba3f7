package io.phoenix.market;

import java.util.Arrays;

/**
 * One symbol's price levels on primitive longs: prices in ticks, quantities in steps.
 *
 * <p>Each side is a sorted array with the best level at the end, so the frequent changes near the
 * top of the book shift few elements and reading the best level is one index. Asks are stored under
 * negated prices so both sides share one ascending layout. Updates allocate nothing; an uncapped
 * side's array doubles only when it holds more levels than ever before, a capped one never grows.
 *
 * <p>Single-writer, not thread-safe: the actor that owns the book is the only one touching it.
 */
public final class OrderBook implements TopOfBook {
  /** Returned for the price of a level that does not exist. */
  public static final long NO_PRICE = Long.MIN_VALUE;

  /** Levels priced beyond ±2^62 ticks are ignored (no exchange lists a price near that). */
  public static final long MAX_PRICE = (1L << 62) - 1;

  private final int symbolId;
  private final Side bids;
  private final Side asks;

  public OrderBook(int symbolId) {
    this(symbolId, 1024);
  }

  /**
   * A book that keeps every level it is given, starting with room for {@code initialLevels} a side.
   */
  public OrderBook(int symbolId, int initialLevels) {
    this(symbolId, initialLevels, Integer.MAX_VALUE);
  }

  /**
   * A book that keeps at most {@code maxLevels} a side: a new level beyond them is ignored and a
   * better one pushes the worst out. Binance sends a diff only for a level that changes, so a level
   * deeper than the last snapshot is known only if it changed since, and keeping every level ever
   * seen (thousands a side after minutes of BTCUSDT) makes each insert near the top move hundreds.
   */
  public OrderBook(int symbolId, int initialLevels, int maxLevels) {
    if (maxLevels < 1) {
      throw new IllegalArgumentException("a book keeps at least one level a side: " + maxLevels);
    }
    this.symbolId = symbolId;
    this.bids = new Side(1, initialLevels, maxLevels);
    this.asks = new Side(-1, initialLevels, maxLevels);
  }

  public int symbolId() {
    return symbolId;
  }

  public void clear() {
    bids.clear();
    asks.clear();
  }

  /**
   * Sets the bid level at {@code price} to {@code qty} (0 removes); false if it removed nothing.
   */
  public boolean setBid(long price, long qty) {
    return bids.set(price, qty);
  }

  /**
   * Sets the ask level at {@code price} to {@code qty} (0 removes); false if it removed nothing.
   */
  public boolean setAsk(long price, long qty) {
    return asks.set(price, qty);
  }

  public int bidLevels() {
    return bids.size;
  }

  public int askLevels() {
    return asks.size;
  }

  /** Price of the {@code level}-th best bid (0 = best), or {@link #NO_PRICE}. */
  public long bidPrice(int level) {
    return bids.price(level);
  }

  /** Quantity of the {@code level}-th best bid, or 0. */
  public long bidQty(int level) {
    return bids.qty(level);
  }

  public long askPrice(int level) {
    return asks.price(level);
  }

  public long askQty(int level) {
    return asks.qty(level);
  }

  @Override
  public long bestBidPrice() {
    return bids.price(0);
  }

  @Override
  public long bestBidQty() {
    return bids.qty(0);
  }

  @Override
  public long bestAskPrice() {
    return asks.price(0);
  }

  @Override
  public long bestAskQty() {
    return asks.qty(0);
  }

  /** Quantity at exactly {@code price} on the bid side, 0 if no level. */
  public long bidQtyAt(long price) {
    return bids.qtyAt(price);
  }

  public long askQtyAt(long price) {
    return asks.qtyAt(price);
  }

  /** Both sides present and the best bid at or above the best ask: impossible in a sound book. */
  public boolean isCrossed() {
    return bids.size > 0 && asks.size > 0 && bestBidPrice() >= bestAskPrice();
  }

  /** Mid price in ticks (may be half a tick), NaN if a side is empty. */
  public double mid() {
    if (bids.size == 0 || asks.size == 0) {
      return Double.NaN;
    }
    return (bestBidPrice() + bestAskPrice()) / 2.0;
  }

  /**
   * (bid qty - ask qty) / (bid qty + ask qty) over the top {@code levels} of each side; 0 if empty.
   */
  public double imbalance(int levels) {
    long bidQty = bids.depth(levels);
    long askQty = asks.depth(levels);
    long total = bidQty + askQty;
    return total == 0 ? 0.0 : (double) (bidQty - askQty) / total;
  }

  /** Total bid quantity over the top {@code levels}. */
  public long bidDepth(int levels) {
    return bids.depth(levels);
  }

  public long askDepth(int levels) {
    return asks.depth(levels);
  }

  /** Best-first prices of the top {@code levels} bids (allocates; for queries and tests). */
  public long[] bidPrices(int levels) {
    return bids.prices(levels);
  }

  public long[] bidQtys(int levels) {
    return bids.qtys(levels);
  }

  public long[] askPrices(int levels) {
    return asks.prices(levels);
  }

  public long[] askQtys(int levels) {
    return asks.qtys(levels);
  }

  /** Throws if a side is out of order or holds a non-positive quantity; for tests and debugging. */
  public void validateInvariants() {
    bids.validate("bid");
    asks.validate("ask");
  }

  /**
   * One side, keyed by {@code sign * price} ascending in {@code keys[lo, lo + size)}: the best
   * level is the last element. A capped side drops its worst level by moving {@code lo} up, so a
   * new level near the top of a full side still shifts only the few levels above it; the live range
   * moves back to the array's start when it reaches the end (once per {@code cap} drops).
   */
  private static final class Side {
    private final int sign;
    private final int cap;
    private long[] keys;
    private long[] qtys;
    private int lo;
    private int size;

    Side(int sign, int capacity, int cap) {
      this.sign = sign;
      this.cap = cap;
      int length = cap == Integer.MAX_VALUE ? Math.max(4, capacity) : 2 * cap;
      this.keys = new long[length];
      this.qtys = new long[length];
    }

    void clear() {
      lo = 0;
      size = 0;
    }

    boolean set(long price, long qty) {
      if (!searchable(price)) {
        return false; // no instrument prices this far out
      }
      long key = sign * price;
      int index = search(key);
      int end = lo + size;
      if (index >= 0) {
        if (qty == 0) {
          System.arraycopy(keys, index + 1, keys, index, end - index - 1);
          System.arraycopy(qtys, index + 1, qtys, index, end - index - 1);
          size--;
        } else {
          qtys[index] = qty;
        }
        return true;
      }
      if (qty == 0) {
        return false; // deleting a level we never held is normal on Binance
      }
      int insert = -index - 1;
      if (size == cap) {
        if (insert == lo) {
          return false; // worse than every level kept: beyond the cap
        }
        lo++;
        size--;
      }
      if (lo + size == keys.length) {
        if (lo > 0) {
          System.arraycopy(keys, lo, keys, 0, size);
          System.arraycopy(qtys, lo, qtys, 0, size);
          insert -= lo;
          lo = 0;
        } else {
          keys = Arrays.copyOf(keys, size * 2);
          qtys = Arrays.copyOf(qtys, size * 2);
        }
      }
      end = lo + size;
      System.arraycopy(keys, insert, keys, insert + 1, end - insert);
      System.arraycopy(qtys, insert, qtys, insert + 1, end - insert);
      keys[insert] = key;
      qtys[insert] = qty;
      size++;
      return true;
    }

    /** The search subtracts keys: prices within ±{@link #MAX_PRICE} leave it the headroom. */
    private static boolean searchable(long price) {
      return price <= MAX_PRICE && price >= -MAX_PRICE;
    }

    private int search(long key) {
      // most updates touch the top of the book, which is the end of the range
      if (size > 0 && keys[lo + size - 1] == key) {
        return lo + size - 1;
      }
      // and many of a diff's levels lie beyond the worst level kept: one comparison settles those
      if (size == 0 || key < keys[lo]) {
        return -lo - 1;
      }
      // a branch-free lower bound: the halving is the same for every key, so a search costs no
      // mispredicted branches, and it does not depend on the JIT choosing a conditional move
      // (Arrays.binarySearch mispredicts about every other step on a random level)
      int base = lo;
      int n = size;
      while (n > 1) {
        int half = n >>> 1;
        // all ones when keys[base + half] < key: |keys| < 2^62, so the difference cannot overflow
        base += half & (int) ((keys[base + half] - key) >> 63);
        n -= half;
      }
      int at = keys[base] < key ? base + 1 : base; // n is 1 here: the side is not empty
      return at < lo + size && keys[at] == key ? at : -at - 1;
    }

    long price(int level) {
      return level < size ? sign * keys[lo + size - 1 - level] : NO_PRICE;
    }

    long qty(int level) {
      return level < size ? qtys[lo + size - 1 - level] : 0;
    }

    long qtyAt(long price) {
      if (!searchable(price)) {
        return 0;
      }
      int index = search(sign * price);
      return index >= 0 ? qtys[index] : 0;
    }

    long depth(int levels) {
      long sum = 0;
      for (int i = lo + size - 1, n = 0; i >= lo && n < levels; i--, n++) {
        sum += qtys[i];
      }
      return sum;
    }

    long[] prices(int levels) {
      int n = Math.min(levels, size);
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = price(i);
      }
      return out;
    }

    long[] qtys(int levels) {
      int n = Math.min(levels, size);
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = qty(i);
      }
      return out;
    }

    void validate(String name) {
      if (size > cap || lo < 0 || lo + size > keys.length) {
        throw new IllegalStateException(
            name
                + " side holds "
                + size
                + " levels from "
                + lo
                + " (cap "
                + cap
                + ", room "
                + keys.length
                + ")");
      }
      for (int i = lo; i < lo + size; i++) {
        if (qtys[i] <= 0) {
          throw new IllegalStateException(
              name + " level " + sign * keys[i] + " has quantity " + qtys[i]);
        }
        if (i > lo && keys[i - 1] >= keys[i]) {
          throw new IllegalStateException(name + " side out of order at index " + i);
        }
      }
    }
  }
}
