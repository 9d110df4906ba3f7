package io.phoenix.binance.rest;

import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.binance.rest.RateBudget.Limit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The one request budget of an account and IP, shared by everything that talks to the exchange: the
 * order gateway charges it on its own thread, background callers (reconciliation, depth snapshots,
 * keepalives, time sync) through {@link BudgetGate}. Binance counts all of them against the same
 * limits, so a private budget per caller would let a burst of snapshots or queries earn the IP a
 * 429 or a 418 ban that then stops order entry too.
 *
 * <p>A thread-safe shell around {@link RateBudget}; the order gateway calls it on every send, an
 * uncontended monitor costs nanoseconds. Whoever sees a 418 reports it with {@link #pause}; the ban
 * listeners (the gateway, which alerts risk) hear of it whoever tripped it.
 */
public final class SharedRateBudget {
  private final double safetyMargin;
  private final double backgroundWeightReserve;
  private final List<LongConsumer> banListeners = new CopyOnWriteArrayList<>();
  private RateBudget budget;

  public SharedRateBudget(List<Limit> limits, double safetyMargin) {
    this(limits, safetyMargin, 0);
  }

  /**
   * @param backgroundWeightReserve fraction of each request weight limit order entry leaves to the
   *     background callers ({@link #acquireForOrderEntry})
   */
  public SharedRateBudget(List<Limit> limits, double safetyMargin, double backgroundWeightReserve) {
    if (!(backgroundWeightReserve >= 0 && backgroundWeightReserve < 1)) {
      throw new IllegalArgumentException(
          "background weight reserve must be in [0, 1): " + backgroundWeightReserve);
    }
    this.safetyMargin = safetyMargin;
    this.backgroundWeightReserve = backgroundWeightReserve;
    this.budget = new RateBudget(limits, safetyMargin);
  }

  /** Replaces the limits (exchangeInfo's {@code rateLimits}); counts restart, a pause is kept. */
  public synchronized void replaceLimits(List<Limit> limits) {
    long paused = budget.pausedUntil();
    budget = new RateBudget(limits, safetyMargin);
    budget.pauseUntil(paused);
  }

  /**
   * Milliseconds until a request of this cost fits (0 = now); see {@link RateBudget#waitMillis}.
   */
  public synchronized long waitMillis(long now, Cost cost) {
    return budget.waitMillis(now, cost);
  }

  /** Counts a request being sent now. */
  public synchronized void record(long now, Cost cost) {
    budget.record(now, cost);
  }

  /**
   * Charges the request and returns 0 when it fits now; otherwise charges nothing and returns the
   * wait.
   */
  public synchronized long acquire(long now, Cost cost) {
    long wait = budget.waitMillis(now, cost);
    if (wait == 0) {
      budget.record(now, cost);
    }
    return wait;
  }

  /**
   * As {@link #acquire}, for order entry: the weight reserve stays free, so that cancels and order
   * queries can never use up the minute a reconnect needs for its listenKey and snapshots.
   */
  public synchronized long acquireForOrderEntry(long now, Cost cost) {
    long wait = budget.waitMillis(now, cost, backgroundWeightReserve);
    if (wait == 0) {
      budget.record(now, cost);
    }
    return wait;
  }

  /** The exchange's counters from a response raise the local ones. */
  public synchronized void observe(long now, RateLimitUsage usage) {
    observe(now, now, usage);
  }

  /**
   * The exchange's counters from the answer to a request sent at {@code sentMillis}; see {@link
   * RateBudget#observe(long, long, int, int, int)}.
   */
  public synchronized void observe(long now, long sentMillis, RateLimitUsage usage) {
    if (usage != null && usage != RateLimitUsage.NONE) {
      budget.observe(
          now, sentMillis, usage.usedWeight1m(), usage.orderCount10s(), usage.orderCount1m());
    }
  }

  /** Stops every sender until {@code untilMillis}; a ban also tells the ban listeners. */
  public void pause(long untilMillis, boolean banned) {
    synchronized (this) {
      budget.pauseUntil(untilMillis);
    }
    if (banned) {
      banListeners.forEach(l -> l.accept(untilMillis));
    }
  }

  public synchronized long pausedUntil() {
    return budget.pausedUntil();
  }

  /**
   * {@code listener} gets the end of every ban (HTTP 418) any sender runs into, until the returned
   * action removes it. A listener of an actor must be removed when the actor stops or restarts: the
   * budget outlives it, and a listener left behind keeps the whole stopped incarnation reachable.
   */
  public Runnable onBan(LongConsumer listener) {
    banListeners.add(listener);
    return () -> banListeners.remove(listener);
  }

  /** How many ban listeners are registered (a leak shows here). */
  public int banListenerCount() {
    return banListeners.size();
  }

  /** Units used in limiter {@code index}'s current window. */
  public synchronized int used(int index, long now) {
    return budget.used(index, now);
  }

  public synchronized int effectiveLimit(int index) {
    return budget.effectiveLimit(index);
  }

  public synchronized int limiterCount() {
    return budget.limiterCount();
  }
}
