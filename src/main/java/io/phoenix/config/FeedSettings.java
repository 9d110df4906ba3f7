package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Market-data feed settings ({@code phoenix.feed.*}); see reference.conf for meaning and trade-offs
 * of each key.
 *
 * @param symbolsPerConnection symbols whose streams share one WebSocket connection
 * @param depthSpeed diff-depth update speed: 100, 250 or 500 ms
 * @param routing {@code split} (depth and book ticker on /public, trades and mark price on /market:
 *     two connections per group, as Binance routes since 2026-03) or {@code legacy} (everything on
 *     one unrouted /stream connection)
 * @param staleAfter silence after which a symbol is reported stale
 * @param reconnectMinBackoff first reconnect delay
 * @param reconnectMaxBackoff cap of the exponential reconnect delay
 * @param reconnectJitter random extra fraction (0..1) added to every reconnect delay
 * @param maxConnectionLife a connection is rotated after this long (Binance closes at 24 h)
 * @param snapshotLimit levels requested from {@code /fapi/v1/depth}
 * @param snapshotMinInterval least time between two snapshot requests of one symbol
 * @param snapshotTimeout time allowed for one snapshot request
 * @param maxBufferedDiffs diffs buffered per symbol while waiting for a snapshot
 * @param bookMaxLevels price levels kept per side of each book (at least the snapshot's)
 * @param tickerTop a {@code bookTicker} newer than the book's last diff is the top the quoter
 *     prices from, until the diffs catch up
 */
public record FeedSettings(
    int symbolsPerConnection,
    Duration depthSpeed,
    String routing,
    Duration staleAfter,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff,
    double reconnectJitter,
    Duration maxConnectionLife,
    int snapshotLimit,
    Duration snapshotMinInterval,
    Duration snapshotTimeout,
    int maxBufferedDiffs,
    int bookMaxLevels,
    boolean tickerTop) {

  public static final String ROUTING_SPLIT = "split";
  public static final String ROUTING_LEGACY = "legacy";

  /** Reads and validates {@code phoenix.feed}; a bad key fails with its full name. */
  public static FeedSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.feed");
    // a combined stream carries 4 streams per symbol; Binance allows 1024 per connection
    int perConnection = r.intInRange("symbols-per-connection", 1, 256);
    Duration depthSpeed = r.positiveDuration("depth-speed");
    long speedMillis = depthSpeed.toMillis();
    if (speedMillis != 100 && speedMillis != 250 && speedMillis != 500) {
      throw new SettingsException(
          r.key("depth-speed"), "must be 100ms, 250ms or 500ms, was " + depthSpeed);
    }
    String routing = r.string("routing");
    if (!ROUTING_SPLIT.equals(routing) && !ROUTING_LEGACY.equals(routing)) {
      throw new SettingsException(r.key("routing"), "must be split or legacy, was " + routing);
    }
    Duration min = r.positiveDuration("reconnect-min-backoff");
    Duration max = r.positiveDuration("reconnect-max-backoff");
    if (max.compareTo(min) < 0) {
      throw new SettingsException(
          r.key("reconnect-max-backoff"), "must be at least reconnect-min-backoff");
    }
    Duration life = r.positiveDuration("max-connection-life");
    if (life.compareTo(Duration.ofHours(24)) >= 0) {
      throw new SettingsException(
          r.key("max-connection-life"), "must be below 24h (Binance closes at 24h)");
    }
    int limit = r.intInRange("snapshot-limit", 5, 1000);
    if (!java.util.Set.of(5, 10, 20, 50, 100, 500, 1000).contains(limit)) {
      throw new SettingsException(
          r.key("snapshot-limit"), "must be one of 5, 10, 20, 50, 100, 500, 1000");
    }
    int bookMaxLevels = r.intInRange("book-max-levels", 5, 100_000);
    if (bookMaxLevels < limit) {
      throw new SettingsException(
          r.key("book-max-levels"),
          "must be at least snapshot-limit ("
              + limit
              + "): a snapshot's levels must fit, was "
              + bookMaxLevels);
    }
    return new FeedSettings(
        perConnection,
        depthSpeed,
        routing,
        r.positiveDuration("stale-after"),
        min,
        max,
        r.doubleInRange("reconnect-jitter", 0.0, 1.0),
        life,
        limit,
        r.positiveDuration("snapshot-min-interval"),
        r.positiveDuration("snapshot-timeout"),
        r.intInRange("max-buffered-diffs", 1, 1_000_000),
        bookMaxLevels,
        r.bool("ticker-top"));
  }

  /**
   * The diff-depth stream suffix for {@link #depthSpeed}: {@code @depth@100ms}, {@code @depth}, ...
   */
  public String depthStreamSuffix() {
    long millis = depthSpeed.toMillis();
    return millis == 250 ? "@depth" : "@depth@" + millis + "ms";
  }
}
