package io.phoenix.binance.rest;

/**
 * The exchange's own counters from the response headers {@code X-MBX-USED-WEIGHT-1M}, {@code
 * X-MBX-ORDER-COUNT-10S} and {@code X-MBX-ORDER-COUNT-1M}; {@link #ABSENT} (-1) where a response
 * did not carry the header (rejected orders may omit the order counts).
 */
public record RateLimitUsage(int usedWeight1m, int orderCount10s, int orderCount1m) {
  public static final int ABSENT = -1;
  public static final RateLimitUsage NONE = new RateLimitUsage(ABSENT, ABSENT, ABSENT);

  public boolean hasWeight() {
    return usedWeight1m != ABSENT;
  }

  public boolean hasOrderCounts() {
    return orderCount10s != ABSENT || orderCount1m != ABSENT;
  }
}
