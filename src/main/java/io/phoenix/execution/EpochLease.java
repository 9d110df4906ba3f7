package io.phoenix.execution;

/**
 * The trading unit's right to send new orders: its fencing epoch (in every client order id it
 * sends) and how long the cluster last confirmed that epoch as current. The unit's epoch keeper
 * renews it after each majority read that still finds this epoch; the gateway reads it before each
 * new order. A unit cut off from the majority, or paused (a long GC, SIGSTOP) past the lease, sends
 * no new order until the cluster confirms it again; one that learns of a newer epoch never does.
 * Cancels are always allowed.
 *
 * <p>Written by one actor, read by another: the fields are volatile and each is written alone.
 */
public final class EpochLease {
  /** Epoch 0, never expiring, never superseded: a gateway outside a cluster (tests, tools). */
  public static final EpochLease UNFENCED = new EpochLease(0, Long.MAX_VALUE);

  private final long epoch;
  private volatile long validUntilNanos;
  private volatile long supersededBy;

  private EpochLease(long epoch, long validUntilNanos) {
    this.epoch = epoch;
    this.validUntilNanos = validUntilNanos;
  }

  /** A lease of {@code epoch} valid until {@code validUntilNanos} ({@link System#nanoTime}). */
  public static EpochLease of(long epoch, long validUntilNanos) {
    if (epoch <= 0 || epoch > ClientOrderIds.MAX_EPOCH) {
      throw new IllegalArgumentException("epoch must be 1.." + ClientOrderIds.MAX_EPOCH);
    }
    return new EpochLease(epoch, validUntilNanos);
  }

  public long epoch() {
    return epoch;
  }

  /** May a new order go out at {@code nowNanos}? */
  public boolean allowsNewOrders(long nowNanos) {
    return supersededBy == 0 && nowNanos - validUntilNanos < 0;
  }

  /** The cluster confirmed this epoch: valid until {@code untilNanos} (never shortened). */
  public void renew(long untilNanos) {
    if (untilNanos - validUntilNanos > 0) {
      validUntilNanos = untilNanos;
    }
  }

  /** A newer incarnation exists: no new order ever again. */
  public void supersede(long newerEpoch) {
    if (newerEpoch > epoch && supersededBy == 0) {
      supersededBy = newerEpoch;
    }
  }

  /** The newer epoch that superseded this one, 0 while none did. */
  public long supersededBy() {
    return supersededBy;
  }

  /** Why a new order is refused at {@code nowNanos}, null when it is not. */
  public String refusal(long nowNanos) {
    if (supersededBy != 0) {
      return "epoch " + epoch + " superseded by epoch " + supersededBy;
    }
    if (nowNanos - validUntilNanos >= 0) {
      return "epoch " + epoch + " lease expired: the cluster has not confirmed it";
    }
    return null;
  }
}
