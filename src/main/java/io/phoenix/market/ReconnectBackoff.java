package io.phoenix.market;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays with jitter: {@code min * 2^attempt}, capped at {@code max}, plus a
 * random share of up to {@code jitter} of that delay so that feeds dropped together do not
 * reconnect together.
 */
public final class ReconnectBackoff {
  private final long minMillis;
  private final long maxMillis;
  private final double jitter;
  private final DoubleSupplier random;
  private int attempts;

  public ReconnectBackoff(Duration min, Duration max, double jitter, DoubleSupplier random) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one attempt. */
  public Duration next() {
    long base = minMillis;
    for (int i = 0; i < attempts && base < maxMillis; i++) {
      base = Math.min(maxMillis, base * 2);
    }
    attempts++;
    return Duration.ofMillis(base + (long) (base * jitter * random.getAsDouble()));
  }

  /** A connection proved healthy: start again from the minimum. */
  public void reset() {
    attempts = 0;
  }

  public int attempts() {
    return attempts;
  }
}
