package io.phoenix.binance.rest;

import java.util.ArrayList;
import java.util.List;

/**
 * Binance's rate limiters for one account/IP, modelled as fixed windows aligned to the exchange
 * clock (the way its counters reset): {@code REQUEST_WEIGHT} per minute and {@code ORDERS} per 10 s
 * and per minute, each cut by a safety margin. Every send is recorded locally when it is made; the
 * exchange's own counters from response headers then correct the count upwards (they also include
 * traffic this process did not see, e.g. another process on the same IP). A 429/418 pauses
 * everything until the given time. Pure and single-threaded; times are exchange-clock milliseconds.
 */
public final class RateBudget {

  /** Which counter a limiter meters. */
  public enum Scope {
    REQUEST_WEIGHT,
    ORDERS
  }

  /** One limiter as listed in exchangeInfo: {@code limit} units per {@code windowMillis}. */
  public record Limit(Scope scope, long windowMillis, int limit) {
    public Limit {
      if (windowMillis <= 0 || limit <= 0) {
        throw new IllegalArgumentException(
            "rate limit window and limit must be positive: " + windowMillis + "/" + limit);
      }
    }
  }

  /** Binance's published defaults: 2400 weight/min, 300 orders/10 s, 1200 orders/min. */
  public static List<Limit> binanceDefaults() {
    return List.of(
        new Limit(Scope.REQUEST_WEIGHT, 60_000, 2400),
        new Limit(Scope.ORDERS, 10_000, 300),
        new Limit(Scope.ORDERS, 60_000, 1200));
  }

  /**
   * What one request costs. Order counters: a single order costs 1 on every ORDERS window; a batch
   * place/modify costs 5 on windows shorter than a minute and 1 on the minute window.
   */
  public record Cost(int weight, int ordersShortWindow, int ordersMinuteWindow) {
    public static final Cost QUERY = new Cost(1, 0, 0);
    public static final Cost SINGLE_ORDER = new Cost(0, 1, 1);
    public static final Cost BATCH_ORDERS = new Cost(5, 5, 1);
    public static final Cost CANCEL = new Cost(1, 0, 0);

    int orders(long windowMillis) {
      return windowMillis < 60_000 ? ordersShortWindow : ordersMinuteWindow;
    }
  }

  private final long[] windowMillis;
  private final Scope[] scopes;
  private final int[] effectiveLimit;
  private final long[] windowStart;
  private final int[] used;
  private long pausedUntil;

  /**
   * @param safetyMargin fraction of each limit kept in reserve (0.1 = use at most 90%)
   */
  public RateBudget(List<Limit> limits, double safetyMargin) {
    if (!(safetyMargin >= 0 && safetyMargin < 1)) {
      throw new IllegalArgumentException("safety margin must be in [0, 1): " + safetyMargin);
    }
    int n = limits.size();
    windowMillis = new long[n];
    scopes = new Scope[n];
    effectiveLimit = new int[n];
    windowStart = new long[n];
    used = new int[n];
    for (int i = 0; i < n; i++) {
      Limit l = limits.get(i);
      windowMillis[i] = l.windowMillis();
      scopes[i] = l.scope();
      effectiveLimit[i] = Math.max(1, (int) Math.floor(l.limit() * (1 - safetyMargin)));
    }
  }

  /** The limits from exchangeInfo's {@code rateLimits} (unknown limiter types are skipped). */
  public static List<Limit> fromExchange(List<RestExchangeInfo.RateLimit> rateLimits) {
    List<Limit> out = new ArrayList<>();
    for (var r : rateLimits) {
      if ("REQUEST_WEIGHT".equals(r.rateLimitType())) {
        out.add(new Limit(Scope.REQUEST_WEIGHT, r.windowMillis(), r.limit()));
      } else if ("ORDERS".equals(r.rateLimitType())) {
        out.add(new Limit(Scope.ORDERS, r.windowMillis(), r.limit()));
      }
    }
    return out;
  }

  private void roll(int i, long now) {
    long start = now - Math.floorMod(now, windowMillis[i]);
    if (start != windowStart[i]) {
      windowStart[i] = start;
      used[i] = 0;
    }
  }

  private int cost(int i, Cost cost) {
    return scopes[i] == Scope.REQUEST_WEIGHT ? cost.weight() : cost.orders(windowMillis[i]);
  }

  /**
   * Milliseconds to wait before a request of this cost fits every window: 0 = send now. A cost
   * larger than a whole window's allowance waits for a fresh window and then goes.
   */
  public long waitMillis(long now, Cost cost) {
    return waitMillis(now, cost, 0);
  }

  /**
   * As {@link #waitMillis(long, Cost)}, leaving {@code weightReserve} (a fraction) of every request
   * weight limit unused: order entry stops short of the limit so that a listenKey, a depth snapshot
   * or a reconciliation query still fits the minute after a busy stretch of cancels.
   */
  public long waitMillis(long now, Cost cost, double weightReserve) {
    long wait = Math.max(0, pausedUntil - now);
    for (int i = 0; i < windowMillis.length; i++) {
      roll(i, now);
      int c = cost(i, cost);
      if (c == 0) {
        continue;
      }
      int limit =
          scopes[i] == Scope.REQUEST_WEIGHT && weightReserve > 0
              ? Math.max(1, effectiveLimit[i] - (int) Math.ceil(effectiveLimit[i] * weightReserve))
              : effectiveLimit[i];
      boolean fits = used[i] + c <= limit || (used[i] == 0);
      if (!fits) {
        wait = Math.max(wait, windowStart[i] + windowMillis[i] - now);
      }
    }
    return wait;
  }

  /** True when a request of this cost may go now. */
  public boolean canSend(long now, Cost cost) {
    return waitMillis(now, cost) == 0;
  }

  /** Counts a request that is being sent now. */
  public void record(long now, Cost cost) {
    for (int i = 0; i < windowMillis.length; i++) {
      roll(i, now);
      used[i] += cost(i, cost);
    }
  }

  /**
   * The exchange's counters from a response: {@code X-MBX-USED-WEIGHT-1M}, {@code
   * X-MBX-ORDER-COUNT-10S}, {@code X-MBX-ORDER-COUNT-1M} (negative = absent). A counter only raises
   * the local count, since responses to earlier requests arrive after later sends.
   */
  public void observe(long now, int usedWeight1m, int orderCount10s, int orderCount1m) {
    observe(now, now, usedWeight1m, orderCount10s, orderCount1m);
  }

  /**
   * As {@link #observe(long, int, int, int)} for a request sent at {@code sentMillis}: a counter
   * from a request sent in an earlier window counts that window, not this one. Copying it over let
   * the first answers after a minute began (to requests sent at :59) fill the new minute with the
   * old one's total, and background requests then waited for the next minute.
   */
  public void observe(
      long now, long sentMillis, int usedWeight1m, int orderCount10s, int orderCount1m) {
    for (int i = 0; i < windowMillis.length; i++) {
      roll(i, now);
      if (sentMillis - Math.floorMod(sentMillis, windowMillis[i]) != windowStart[i]) {
        continue;
      }
      int header = -1;
      if (scopes[i] == Scope.REQUEST_WEIGHT && windowMillis[i] == 60_000) {
        header = usedWeight1m;
      } else if (scopes[i] == Scope.ORDERS && windowMillis[i] == 10_000) {
        header = orderCount10s;
      } else if (scopes[i] == Scope.ORDERS && windowMillis[i] == 60_000) {
        header = orderCount1m;
      }
      if (header > used[i]) {
        used[i] = header;
      }
    }
  }

  /** Stops all sending until {@code untilMillis} (429 Retry-After, 418 ban). */
  public void pauseUntil(long untilMillis) {
    pausedUntil = Math.max(pausedUntil, untilMillis);
  }

  public long pausedUntil() {
    return pausedUntil;
  }

  /** Units used in limiter {@code index}'s current window (for metrics and tests). */
  public int used(int index, long now) {
    roll(index, now);
    return used[index];
  }

  /** Effective (margin-reduced) limit of limiter {@code index}. */
  public int effectiveLimit(int index) {
    return effectiveLimit[index];
  }

  public int limiterCount() {
    return windowMillis.length;
  }
}
