package io.phoenix.sim;

/**
 * Binance's keep-alive rule for one WebSocket connection, as plain arithmetic on a millisecond
 * clock: a server ping every {@code pingInterval}; the connection is closed when no pong answering
 * one of those pings arrives for {@code pongTimeout}, and in any case at {@code maxLife}. Only a
 * pong that echoes the payload of a ping we sent counts: Binance states that unsolicited pongs do
 * not prevent the disconnection.
 */
final class PingSchedule {
  /** Payloads of the most recent pings; a late pong may answer any of them. */
  private static final int REMEMBERED = 8;

  private final long pingIntervalMs;
  private final long pongTimeoutMs;
  private final long closeAtMs;
  private final long[] sent = new long[REMEMBERED];
  private int sentCount;
  private long nextPingMs;
  private long lastAnsweredMs;

  PingSchedule(long startMs, long pingIntervalMs, long pongTimeoutMs, long maxLifeMs) {
    if (pingIntervalMs <= 0 || pongTimeoutMs <= pingIntervalMs || maxLifeMs <= 0) {
      throw new IllegalArgumentException("need 0 < pingInterval < pongTimeout and maxLife > 0");
    }
    this.pingIntervalMs = pingIntervalMs;
    this.pongTimeoutMs = pongTimeoutMs;
    this.closeAtMs = startMs + maxLifeMs;
    this.nextPingMs = startMs + pingIntervalMs;
    this.lastAnsweredMs = startMs;
  }

  /** When the next ping is due. */
  long nextPingAt() {
    return nextPingMs;
  }

  /**
   * The moment the connection must close unless a pong arrives first (or its life ends earlier).
   */
  long closeDeadline() {
    return Math.min(closeAtMs, lastAnsweredMs + pongTimeoutMs);
  }

  /** Records a ping sent at {@code now}; returns its payload (unique per connection). */
  String pingSent(long now) {
    long payload = sentCount == 0 ? now : Math.max(now, sent[(sentCount - 1) % REMEMBERED] + 1);
    sent[sentCount++ % REMEMBERED] = payload;
    nextPingMs = now + pingIntervalMs;
    return Long.toString(payload);
  }

  /** A pong arrived; true when it answers one of our recent pings (and so postpones the close). */
  boolean pongReceived(String payload, long now) {
    long p;
    try {
      p = Long.parseLong(payload);
    } catch (NumberFormatException e) {
      return false;
    }
    for (int i = 0; i < Math.min(sentCount, REMEMBERED); i++) {
      if (sent[i] == p) {
        lastAnsweredMs = Math.max(lastAnsweredMs, now);
        return true;
      }
    }
    return false;
  }

  /** Why the connection must close at {@code now}, or null while it may stay open. */
  String closeReason(long now) {
    if (now >= closeAtMs) {
      return "maximum connection life reached";
    }
    if (now >= lastAnsweredMs + pongTimeoutMs) {
      return "no pong within " + pongTimeoutMs + " ms";
    }
    return null;
  }

  /** Throws when the schedule's own invariants do not hold (tests call it after every step). */
  void validateInvariants() {
    if (lastAnsweredMs > closeAtMs + pongTimeoutMs || nextPingMs <= 0) {
      throw new IllegalStateException("ping schedule out of bounds: " + this);
    }
    for (int i = 1; i < Math.min(sentCount, REMEMBERED); i++) {
      int a = (sentCount - i - 1) % REMEMBERED;
      int b = (sentCount - i) % REMEMBERED;
      if (sent[b] <= sent[a]) {
        throw new IllegalStateException("ping payloads must increase");
      }
    }
  }
}
