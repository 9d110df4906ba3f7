package io.phoenix.sim.engine;

import java.util.Arrays;

/**
 * One side of a book as a sorted array of levels with the best level at the end, so that the common
 * case (activity near the touch) inserts and removes with little or no copying. Prices are kept as
 * sort keys (the price for bids, its negation for asks) so both sides share one ascending order.
 */
final class BookSide {
  private final boolean bids;
  private long[] keys = new long[64];
  private PriceLevel[] levels = new PriceLevel[64];
  private int size;
  private PriceLevel[] pool = new PriceLevel[64];
  private int pooled;

  BookSide(boolean bids) {
    this.bids = bids;
  }

  boolean isBids() {
    return bids;
  }

  int size() {
    return size;
  }

  /** Best level or null when the side is empty. */
  PriceLevel best() {
    return size == 0 ? null : levels[size - 1];
  }

  /** The {@code depth}-th level from the best (0 = best). */
  PriceLevel level(int depth) {
    return levels[size - 1 - depth];
  }

  /**
   * True when an order at {@code priceTicks} on the other side would trade with this side's best.
   */
  boolean crossedBy(long priceTicks) {
    if (size == 0) {
      return false;
    }
    long best = levels[size - 1].priceTicks;
    return bids ? priceTicks <= best : priceTicks >= best;
  }

  /** True when {@code priceTicks} is at or better than {@code levelPrice} from this side's view. */
  boolean atOrBetter(long priceTicks, long levelPrice) {
    return bids ? levelPrice >= priceTicks : levelPrice <= priceTicks;
  }

  PriceLevel find(long priceTicks) {
    int i = Arrays.binarySearch(keys, 0, size, key(priceTicks));
    return i >= 0 ? levels[i] : null;
  }

  PriceLevel getOrCreate(long priceTicks) {
    long k = key(priceTicks);
    int i = Arrays.binarySearch(keys, 0, size, k);
    if (i >= 0) {
      return levels[i];
    }
    int at = -i - 1;
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      levels = Arrays.copyOf(levels, size * 2);
    }
    System.arraycopy(keys, at, keys, at + 1, size - at);
    System.arraycopy(levels, at, levels, at + 1, size - at);
    PriceLevel level = pooled > 0 ? pool[--pooled] : new PriceLevel();
    level.priceTicks = priceTicks;
    level.totalQtySteps = 0;
    level.orderCount = 0;
    level.head = null;
    level.tail = null;
    keys[at] = k;
    levels[at] = level;
    size++;
    return level;
  }

  void remove(PriceLevel level) {
    int i = Arrays.binarySearch(keys, 0, size, key(level.priceTicks));
    if (i < 0 || levels[i] != level) {
      throw new IllegalStateException("level not in book: " + level.priceTicks);
    }
    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
    System.arraycopy(levels, i + 1, levels, i, size - i - 1);
    size--;
    levels[size] = null;
    if (pooled == pool.length) {
      pool = Arrays.copyOf(pool, pooled * 2);
    }
    pool[pooled++] = level;
  }

  private long key(long priceTicks) {
    return bids ? priceTicks : -priceTicks;
  }
}
