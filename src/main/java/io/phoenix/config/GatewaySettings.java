package io.phoenix.config;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Order gateway settings ({@code phoenix.gateway.*}); see reference.conf for meanings and
 * trade-offs.
 *
 * @param clientOrderIdPrefix prefix of our client order ids; open orders carrying it are ours
 * @param safetyMargin fraction of every exchange rate limit kept in reserve
 * @param maxBatch orders per batch place/modify (1 disables batching, Binance max 5)
 * @param maxInFlight requests outstanding at once; more wait in the queue
 * @param unknownResolveBound how long a not-found answer for an order of unknown outcome is retried
 *     before the order is declared not placed
 * @param queryBackoffMin first delay before querying an order of unknown outcome
 * @param queryBackoffMax cap of the exponential query back-off
 * @param maxClockUncertainty signed sends wait while the clock's uncertainty is above this
 * @param clockRetry how often held signed sends re-check the clock
 * @param timestampRetries how many times an order refused with -1021 is resent after a resync
 * @param defaultLimits used until exchangeInfo's rateLimits are supplied
 * @param recovery start-up recovery of the order table from the exchange
 * @param backgroundWeightReserve fraction of the request weight limit order entry leaves unused for
 *     listenKeys, snapshots and reconciliation
 * @param reconcileRequestInterval least time between two asks for a reconciliation run (after a
 *     restart, on a report of an order of ours the table does not know)
 */
public record GatewaySettings(
    String clientOrderIdPrefix,
    double safetyMargin,
    int maxBatch,
    int maxInFlight,
    Duration unknownResolveBound,
    Duration queryBackoffMin,
    Duration queryBackoffMax,
    Duration maxClockUncertainty,
    Duration clockRetry,
    int timestampRetries,
    int weightPerMinute,
    int ordersPer10s,
    int ordersPerMinute,
    TimeSyncSettings timeSync,
    RecoverySettings recovery,
    int warmUpRounds,
    double backgroundWeightReserve,
    Duration reconcileRequestInterval) {

  /** TimeSync actor settings ({@code phoenix.gateway.time-sync.*}). */
  public record TimeSyncSettings(
      Duration interval, int samples, Duration retry, Duration maxUncertainty) {}

  /**
   * Start-up recovery ({@code phoenix.gateway.recovery.*}).
   *
   * @param enabled read open orders and resolve the previous incarnation's orders before acting
   * @param timeout bound of the recovery phase; the gateway starts anyway after it
   * @param holdCapacity intents held while recovering; more are refused at once
   */
  public record RecoverySettings(boolean enabled, Duration timeout, int holdCapacity) {}

  public static GatewaySettings create(ActorSystem<?> system) {
    return fromConfig(system.settings().config());
  }

  public static GatewaySettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.gateway");
    String prefix = r.nonEmptyString("client-order-id-prefix");
    if (!prefix.matches("^[\\.A-Z\\:/a-z0-9_]{1,12}$")) {
      throw new SettingsException(
          r.key("client-order-id-prefix"),
          "must be 1-12 characters of [.A-Z:/a-z0-9_] (no '-'), was " + prefix);
    }
    Duration boundMin = r.positiveDuration("query-backoff-min");
    Duration boundMax = r.positiveDuration("query-backoff-max");
    if (boundMax.compareTo(boundMin) < 0) {
      throw new SettingsException(r.key("query-backoff-max"), "must be >= query-backoff-min");
    }
    ConfigReader ts = r.at("time-sync");
    Duration maxUncertainty = r.positiveDuration("max-clock-uncertainty");
    Duration recvWindow =
        new ConfigReader(config, "phoenix.binance").positiveDuration("recv-window");
    if (maxUncertainty.multipliedBy(2).compareTo(recvWindow) > 0) {
      throw new SettingsException(
          r.key("max-clock-uncertainty"),
          "must be at most half of phoenix.binance.recv-window ("
              + recvWindow
              + "), was "
              + maxUncertainty);
    }
    return new GatewaySettings(
        prefix,
        r.doubleInRange("safety-margin", 0.0, 0.9),
        r.intInRange("max-batch", 1, 5),
        r.intInRange("max-in-flight", 1, 1000),
        r.positiveDuration("unknown-resolve-bound"),
        boundMin,
        boundMax,
        maxUncertainty,
        r.positiveDuration("clock-retry"),
        r.intInRange("timestamp-retries", 0, 10),
        r.intInRange("default-limits.weight-per-minute", 1, 1_000_000),
        r.intInRange("default-limits.orders-per-10s", 1, 1_000_000),
        r.intInRange("default-limits.orders-per-minute", 1, 1_000_000),
        new TimeSyncSettings(
            ts.positiveDuration("interval"),
            ts.intInRange("samples", 1, 20),
            ts.positiveDuration("retry"),
            ts.positiveDuration("max-uncertainty")),
        new RecoverySettings(
            r.bool("recovery.enabled"),
            r.positiveDuration("recovery.timeout"),
            r.intInRange("recovery.hold-capacity", 1, 1_000_000)),
        r.intInRange("warm-up-rounds", 0, 1_000_000),
        r.doubleInRange("background-weight-reserve", 0.0, 0.9),
        r.positiveDuration("reconcile-request-interval"));
  }
}
