package io.phoenix.binance.rest;

/**
 * The exchange's clock as the process estimates it: local wall-clock plus an offset measured by
 * {@code io.phoenix.execution.TimeSync}. Shared by every signer of requests (REST client, user
 * stream keep-alive) so that one resync after {@code -1021} fixes all of them.
 *
 * <p>Written by one actor, read from any thread: the three fields are published together as one
 * immutable {@link Reading} through a volatile reference.
 */
public final class ServerClock {

  /**
   * @param offsetMillis server time minus local time
   * @param uncertaintyMillis half the round trip of the sample the offset came from
   * @param valid false until a first sample, and after {@link #invalidate()}
   * @param sampledAtMillis local time of the sample
   */
  public record Reading(
      long offsetMillis, long uncertaintyMillis, boolean valid, long sampledAtMillis) {}

  private static final Reading UNKNOWN = new Reading(0, Long.MAX_VALUE, false, 0);

  private volatile Reading reading = UNKNOWN;

  /** A clock that has not been synchronised yet. */
  public ServerClock() {}

  /** A clock fixed at the given offset, valid; for tests and tools. */
  public static ServerClock fixed(long offsetMillis) {
    ServerClock clock = new ServerClock();
    clock.update(offsetMillis, 0, System.currentTimeMillis());
    return clock;
  }

  /**
   * The offset a server time read between {@code t0Millis} and {@code t0 + rttNanos} implies:
   * server time minus the midpoint.
   */
  public static long offsetMillis(long serverTimeMillis, long t0Millis, long rttNanos) {
    return serverTimeMillis - (t0Millis + rttNanos / 2_000_000);
  }

  /** Half the round trip, rounded up, plus a millisecond for the server clock's own resolution. */
  public static long uncertaintyMillis(long rttNanos) {
    return (rttNanos + 1_999_999) / 2_000_000 + 1;
  }

  public void update(long offsetMillis, long uncertaintyMillis, long sampledAtMillis) {
    reading = new Reading(offsetMillis, uncertaintyMillis, true, sampledAtMillis);
  }

  /**
   * Marks the offset as not trustworthy (e.g. after {@code -1021}) but keeps it as the best guess.
   */
  public void invalidate() {
    Reading r = reading;
    reading = new Reading(r.offsetMillis(), r.uncertaintyMillis(), false, r.sampledAtMillis());
  }

  public Reading reading() {
    return reading;
  }

  /**
   * Timestamp to send: estimated server time biased into the past by the uncertainty, because
   * Binance tolerates old timestamps (up to recvWindow) far better than ones from the future (only
   * 1000 ms).
   */
  public long timestampMillis() {
    Reading r = reading;
    long bias = r.valid() ? r.uncertaintyMillis() : 0;
    return System.currentTimeMillis() + r.offsetMillis() - bias;
  }
}
