package io.phoenix.quoting;

/**
 * EWMA of squared log returns of the mid, scaled to one second, so that the estimate does not
 * depend on how often the book updates. Samples closer together than the sample interval are
 * ignored: a burst of depth updates would otherwise dominate the average with near-zero returns.
 */
public final class VolatilityEstimator {
  private final double alpha;
  private final long sampleIntervalNanos;
  private double variancePerSecond;
  private double lastMid = Double.NaN;
  private long lastNanos;
  private long samples;

  public VolatilityEstimator(double alpha, long sampleIntervalNanos) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    if (sampleIntervalNanos <= 0) {
      throw new IllegalArgumentException("sample interval must be positive");
    }
    this.alpha = alpha;
    this.sampleIntervalNanos = sampleIntervalNanos;
  }

  /** Offers a mid observation; returns true if it became a sample. */
  public boolean onMid(long nowNanos, double mid) {
    if (!(mid > 0)) {
      return false;
    }
    if (Double.isNaN(lastMid)) {
      lastMid = mid;
      lastNanos = nowNanos;
      return false;
    }
    long dt = nowNanos - lastNanos;
    if (dt < sampleIntervalNanos) {
      return false;
    }
    double r = Math.log(mid / lastMid);
    double perSecond = r * r / (dt / 1e9);
    variancePerSecond =
        samples == 0 ? perSecond : (1 - alpha) * variancePerSecond + alpha * perSecond;
    samples++;
    lastMid = mid;
    lastNanos = nowNanos;
    return true;
  }

  /** Relative standard deviation of the mid over one second (0 until the first sample). */
  public double sigmaPerSqrtSecond() {
    return Math.sqrt(variancePerSecond);
  }

  public long samples() {
    return samples;
  }

  /** Forgets history, e.g. after a resync when the gap's return is meaningless. */
  public void reset() {
    lastMid = Double.NaN;
    variancePerSecond = 0;
    samples = 0;
  }
}
