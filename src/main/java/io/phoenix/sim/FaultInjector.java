package io.phoenix.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Faults the simulator injects on demand, so components can be tested against the failures a real
 * venue produces. Counters are consumed by the next matching requests; thread-safe. Also driven
 * over HTTP by {@code POST /sim/admin/faults} (see {@link AdminApi}).
 */
public final class FaultInjector {
  private final AtomicLong delayMillis = new AtomicLong();
  private final AtomicLong clockSkewMillis = new AtomicLong();
  private final AtomicInteger unknownOrders = new AtomicInteger();
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private volatile Runnable dropAll = () -> {};
  private volatile Consumer<String> gapHook = s -> {};
  private volatile Predicate<String> expireHook = k -> false;

  FaultInjector(Duration delay, Duration clockSkew) {
    delayMillis.set(delay.toMillis());
    clockSkewMillis.set(clockSkew.toMillis());
  }

  void bind(Runnable dropAll, Consumer<String> gapHook, Predicate<String> expireHook) {
    this.dropAll = dropAll;
    this.gapHook = gapHook;
    this.expireHook = expireHook;
  }

  /** Closes every open WebSocket connection (market streams, user streams, WS API) now. */
  public void dropWebSockets() {
    dropAll.run();
  }

  /**
   * The next diff-depth event of {@code symbol} on every speed is skipped: clients see {@code pu !=
   * previous u}.
   */
  public void depthGap(String symbol) {
    gapHook.accept(symbol.toUpperCase(java.util.Locale.ROOT));
  }

  /** Every HTTP response and WS API reply is delayed by this much (0 = off). */
  public void delay(Duration delay) {
    delayMillis.set(Math.max(0, delay.toMillis()));
  }

  public long delayMillis() {
    return delayMillis.get();
  }

  /**
   * The next {@code n} order placements execute but answer 503 "Unknown error, ..." (reply lost).
   */
  public void unknownOrders(int n) {
    unknownOrders.set(Math.max(0, n));
  }

  /** The next {@code n} requests fail with 503 "Service Unavailable." without executing. */
  public void serverErrors(int n) {
    serverErrors.set(Math.max(0, n));
  }

  /** The next {@code n} requests are refused with 429 (counting toward the 418 ban). */
  public void rateLimited(int n) {
    rateLimited.set(Math.max(0, n));
  }

  /** Server clock offset: {@code /fapi/v1/time} and the recvWindow check use wall time + skew. */
  public void clockSkew(Duration skew) {
    clockSkewMillis.set(skew.toMillis());
  }

  public long clockSkewMillis() {
    return clockSkewMillis.get();
  }

  /** Expires {@code listenKey} now (sends listenKeyExpired); false if the key is unknown. */
  public boolean expireListenKey(String listenKey) {
    return expireHook.test(listenKey);
  }

  /** Clears every counter, the delay and the skew. */
  public void reset() {
    delayMillis.set(0);
    clockSkewMillis.set(0);
    unknownOrders.set(0);
    serverErrors.set(0);
    rateLimited.set(0);
  }

  boolean takeUnknownOrder() {
    return take(unknownOrders);
  }

  boolean takeServerError() {
    return take(serverErrors);
  }

  boolean takeRateLimited() {
    return take(rateLimited);
  }

  int pendingUnknownOrders() {
    return unknownOrders.get();
  }

  int pendingServerErrors() {
    return serverErrors.get();
  }

  int pendingRateLimited() {
    return rateLimited.get();
  }

  private static boolean take(AtomicInteger counter) {
    while (true) {
      int n = counter.get();
      if (n <= 0) {
        return false;
      }
      if (counter.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }
}
