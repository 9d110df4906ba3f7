package io.phoenix.quoting;

import io.phoenix.config.QuoterSettings;

/**
 * Widens a side of the quotes while that side's recent fills are adversely selected, and lets it
 * narrow back as they recover.
 *
 * <p>Each side keeps a running average {@code m} of the markouts (bps) of its fills: a bid's fills
 * are buys, an ask's are sells. Every markout moves it by {@code alpha}, and between markouts it
 * decays back to {@code target} with the given half-life, so a side that stops being filled returns
 * to normal by itself. Good markouts only bring a side back to {@code target}, they bank no credit
 * ({@code m} never exceeds it), so a side turns toxic again at its first bad fills. The extra
 * half-spread of a side is {@code gain * (target - m)}, between 0 and {@code maxExtraBps}: bounded,
 * and 0 whenever the side's fills are as good as the target.
 *
 * <p>Widening only the side that was picked off is also a skew: after a run of buys into a falling
 * market the bid steps back while the ask, which sells to the same flow, stays where it was.
 *
 * <p>Pure, allocation-free, single-threaded.
 */
public final class AdaptiveSpread {
  private final boolean enabled;
  private final double alpha;
  private final double target;
  private final double gain;
  private final double maxExtraBps;
  private final double halfLifeNanos;
  private final double floor;
  private final double[] m = new double[2];
  private final long[] at = new long[2];

  /**
   * @param alpha weight of a new markout in the side's average (0..1]
   * @param targetBps markout at or above which a side is not widened
   * @param gain extra half-spread bps per bp of the side's average below target
   * @param maxExtraBps cap of a side's extra half-spread
   * @param halfLifeNanos decay of a side's shortfall toward target without new markouts
   */
  public AdaptiveSpread(
      boolean enabled,
      double alpha,
      double targetBps,
      double gain,
      double maxExtraBps,
      long halfLifeNanos) {
    if (!(alpha > 0 && alpha <= 1)
        || !(gain >= 0)
        || !(maxExtraBps >= 0)
        || halfLifeNanos <= 0
        || Double.isNaN(targetBps)) {
      throw new IllegalArgumentException("bad adaptive spread parameters");
    }
    this.enabled = enabled;
    this.alpha = alpha;
    this.target = targetBps;
    this.gain = gain;
    this.maxExtraBps = maxExtraBps;
    this.halfLifeNanos = halfLifeNanos;
    // an average further below target than the cap needs only takes longer to recover: keep it near
    this.floor = gain > 0 ? targetBps - 2 * maxExtraBps / gain : targetBps;
    m[0] = target;
    m[1] = target;
  }

  /** As configured under {@code phoenix.quoter.adaptive}. */
  public static AdaptiveSpread of(QuoterSettings.Adaptive a) {
    return new AdaptiveSpread(
        a.enabled(), a.alpha(), a.targetBps(), a.gain(), a.maxExtraBps(), a.halfLife().toNanos());
  }

  /**
   * The standard {@link MarkoutTracker}, whose markouts at the long (else the short) horizon feed
   * this spread.
   */
  public MarkoutTracker markoutTracker(boolean longHorizon) {
    int feeding = longHorizon ? MarkoutTracker.LONG : MarkoutTracker.SHORT;
    return MarkoutTracker.standard(
        (h, buy, bps, now) -> {
          if (h == feeding) {
            onMarkout(buy, bps, now);
          }
        });
  }

  public static AdaptiveSpread disabled() {
    return new AdaptiveSpread(false, 1, 0, 0, 0, 1);
  }

  public boolean enabled() {
    return enabled;
  }

  /** A markout of one of our fills: a buy is the bid side's, a sell the ask side's. */
  public void onMarkout(boolean buy, double bps, long nowNanos) {
    if (Double.isNaN(bps) || Double.isInfinite(bps)) {
      return;
    }
    int side = buy ? 0 : 1;
    decay(side, nowNanos);
    double v = m[side] + alpha * (bps - m[side]);
    m[side] = Math.max(floor, Math.min(target, v));
  }

  /** Extra half-spread of the bid (true) or ask side at {@code nowNanos}, in bps of fair value. */
  public double extraBps(boolean bid, long nowNanos) {
    if (!enabled) {
      return 0;
    }
    int side = bid ? 0 : 1;
    decay(side, nowNanos);
    return Math.min(maxExtraBps, Math.max(0, gain * (target - m[side])));
  }

  /** The side's running markout average (target when it has nothing against it). */
  public double averageBps(boolean bid) {
    return m[bid ? 0 : 1];
  }

  private void decay(int side, long nowNanos) {
    long dt = nowNanos - at[side];
    at[side] = nowNanos;
    if (dt <= 0 || m[side] == target) {
      return;
    }
    m[side] = target + (m[side] - target) * Math.pow(0.5, dt / halfLifeNanos);
  }

  public void validateInvariants() {
    for (int s = 0; s < 2; s++) {
      if (!(m[s] <= target && m[s] >= floor)) {
        throw new IllegalStateException(
            "side " + s + " average " + m[s] + " outside [" + floor + ", " + target + "]");
      }
    }
  }
}
