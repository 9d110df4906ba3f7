package io.phoenix.sim;

import io.phoenix.config.SimSettings.RateLimitSettings;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binance's limiters with fixed windows aligned to the clock: request weight per IP per minute,
 * orders per account per 10 s and per minute. A request over a limit is refused with HTTP 429; an
 * IP that keeps going ({@code banAfterViolations} 429s within {@code banWindow}) is banned with
 * HTTP 418 for {@code banDuration}. Thread-safe (requests arrive on many dispatcher threads).
 */
final class RateLimiter {
  private final RateLimitSettings limits;
  private final Map<String, Window> weight = new HashMap<>();
  private final Map<String, Window> orders10s = new HashMap<>();
  private final Map<String, Window> orders1m = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> violations = new HashMap<>();
  private final Map<String, Long> bannedUntil = new HashMap<>();
  // weight charged per endpoint since start, every IP together: where a minute's weight went
  private final Map<String, Long> weightByEndpoint = new TreeMap<>();
  // cumulative since start, never reset: what a soak reports about the limits it hit
  private long refused429;
  private long forced429;
  private long refused418;
  private long bans;

  private static final class Window {
    long start;
    int used;
  }

  RateLimiter(RateLimitSettings limits) {
    this.limits = limits;
  }

  RateLimitSettings limits() {
    return limits;
  }

  /** Throws 418 if {@code ip} is banned at {@code now}. */
  synchronized void checkBan(String ip, long now) {
    Long until = bannedUntil.get(ip);
    if (until != null && until > now) {
      refused418++;
      long secs = Math.max(1, (until - now + 999) / 1000);
      throw new Rejection(
          418,
          -1003,
          "Way too many requests; IP("
              + ip
              + ") banned until "
              + until
              + ". Please use the websocket for live updates to avoid bans.",
          secs);
    }
  }

  /** As {@link #addWeight(String, int, long)}, tallied under {@code endpoint} when charged. */
  synchronized int addWeight(String ip, String endpoint, int w, long now) {
    int used = addWeight(ip, w, now);
    weightByEndpoint.merge(endpoint, (long) w, Long::sum);
    return used;
  }

  /** Weight charged per endpoint since this limiter was created, by endpoint name. */
  synchronized Map<String, Long> weightByEndpoint() {
    return Collections.unmodifiableMap(new TreeMap<>(weightByEndpoint));
  }

  /** Adds {@code w} to the IP's minute weight; 429 (or 418 on repeat) when over the limit. */
  synchronized int addWeight(String ip, int w, long now) {
    Window win = window(weight, ip, now, 60_000);
    if (win.used + w > limits.requestWeightPerMinute()) {
      throw violation(
          ip,
          now,
          -1003,
          "Too many requests; current limit of IP("
              + ip
              + ") is "
              + limits.requestWeightPerMinute()
              + " requests per minute. Please use the websocket for live updates to avoid polling the API.",
          (win.start + 60_000 - now + 999) / 1000);
    }
    win.used += w;
    return win.used;
  }

  /** A read: a window that has ended counts 0 without being reset here. */
  synchronized int usedWeight(String ip, long now) {
    Window w = weight.get(ip);
    return w == null || w.start != windowStart(now, 60_000) ? 0 : w.used;
  }

  /** Counts {@code n10s}/{@code n1m} orders for the account; 429 -1015 when over either limit. */
  synchronized int[] addOrders(String ip, String account, int n10s, int n1m, long now) {
    Window a = window(orders10s, account, now, 10_000);
    Window b = window(orders1m, account, now, 60_000);
    if (a.used + n10s > limits.ordersPer10s()) {
      throw violation(
          ip,
          now,
          -1015,
          "Too many new orders; current limit is "
              + limits.ordersPer10s()
              + " orders per 10 SECOND.",
          (a.start + 10_000 - now + 999) / 1000);
    }
    if (b.used + n1m > limits.ordersPerMinute()) {
      throw violation(
          ip,
          now,
          -1015,
          "Too many new orders; current limit is "
              + limits.ordersPerMinute()
              + " orders per MINUTE.",
          (b.start + 60_000 - now + 999) / 1000);
    }
    a.used += n10s;
    b.used += n1m;
    return new int[] {a.used, b.used};
  }

  synchronized int[] orderCounts(String account, long now) {
    return new int[] {
      window(orders10s, account, now, 10_000).used, window(orders1m, account, now, 60_000).used
    };
  }

  /** A 429 forced by fault injection still counts toward the ban, as a real one would. */
  synchronized Rejection forced(String ip, long now) {
    forced429++;
    return violation(
        ip,
        now,
        -1003,
        "Too many requests; current limit of IP("
            + ip
            + ") is "
            + limits.requestWeightPerMinute()
            + " requests per minute.",
        1);
  }

  private Rejection violation(String ip, long now, int code, String msg, long retryAfter) {
    ArrayDeque<Long> q = violations.computeIfAbsent(ip, k -> new ArrayDeque<>());
    q.addLast(now);
    while (!q.isEmpty() && q.peekFirst() < now - limits.banWindow().toMillis()) {
      q.removeFirst();
    }
    if (q.size() > limits.banAfterViolations()) {
      long until = now + limits.banDuration().toMillis();
      bannedUntil.put(ip, until);
      q.clear();
      bans++;
      refused418++;
      return new Rejection(
          418,
          -1003,
          "Way too many requests; IP("
              + ip
              + ") banned until "
              + until
              + ". Please use the websocket for live updates to avoid bans.",
          limits.banDuration().toSeconds());
    }
    refused429++;
    return new Rejection(429, code, msg, Math.max(1, retryAfter));
  }

  /**
   * Refusals and bans since this limiter was created; {@code forced} is the part of the 429s a
   * fault forced.
   */
  record Counts(long refused429, long forced, long refused418, long bans) {}

  /**
   * Requests refused with 429 (of them forced by a fault) and 418, and bans imposed, since this
   * limiter was created.
   */
  synchronized Counts counts() {
    return new Counts(refused429, forced429, refused418, bans);
  }

  /** Lifts every ban and clears counters (admin reset, tests). */
  synchronized void reset() {
    weight.clear();
    orders10s.clear();
    orders1m.clear();
    violations.clear();
    bannedUntil.clear();
  }

  /** Windows are aligned to the clock, as Binance's are. */
  private static long windowStart(long now, long size) {
    return now - Math.floorMod(now, size);
  }

  private static Window window(Map<String, Window> map, String key, long now, long size) {
    Window w = map.computeIfAbsent(key, k -> new Window());
    long start = windowStart(now, size);
    if (w.start != start) {
      w.start = start;
      w.used = 0;
    }
    return w;
  }
}
