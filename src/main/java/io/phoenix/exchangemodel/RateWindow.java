package io.phoenix.exchangemodel;

/** Counts events in a sliding time window (Binance's order-count limits), on primitive longs. */
final class RateWindow {
  private final long windowNanos;
  private final int limit;
  private long[] times = new long[64];
  private int head;
  private int size;
  private int maxSeen;

  RateWindow(long windowNanos, int limit) {
    this.windowNanos = windowNanos;
    this.limit = limit;
  }

  /** True if one more event at {@code now} stays within the limit (nothing is recorded). */
  boolean allows(long now) {
    evict(now);
    return size < limit;
  }

  void record(long now) {
    evict(now);
    if (size == times.length) {
      long[] grown = new long[size * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = times[(head + i) % times.length];
      }
      times = grown;
      head = 0;
    }
    times[(head + size) % times.length] = now;
    size++;
    maxSeen = Math.max(maxSeen, size);
  }

  private void evict(long now) {
    while (size > 0 && times[head] <= now - windowNanos) {
      head = (head + 1) % times.length;
      size--;
    }
  }

  int limit() {
    return limit;
  }

  /** Most events ever inside one window. */
  int maxSeen() {
    return maxSeen;
  }
}
