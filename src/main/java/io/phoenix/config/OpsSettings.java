package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the operations HTTP server ({@code phoenix.ops}).
 *
 * @param host interface to bind; loopback by default because the API can stop trading
 * @param port TCP port, 0 picks a free one
 * @param token bearer token required by POST /api/kill and /api/resume; empty disables them
 * @param pushInterval how often the dashboard's event stream sends a snapshot
 * @param eventStreamMaxDuration an event stream is closed after this long; the browser reconnects
 * @param viewTimeout how long a request waits for the trading actors' answer
 * @param shutdownCancelTimeout bounded wait for cancel confirmations during shutdown
 */
public record OpsSettings(
    boolean enabled,
    String host,
    int port,
    Secret token,
    Duration pushInterval,
    Duration eventStreamMaxDuration,
    Duration viewTimeout,
    Duration shutdownCancelTimeout) {

  public static OpsSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.ops");
    return new OpsSettings(
        r.bool("enabled"),
        r.nonEmptyString("host"),
        r.intInRange("port", 0, 65535),
        Secret.of(r.optionalString("token")),
        r.positiveDuration("push-interval"),
        r.positiveDuration("event-stream-max-duration"),
        r.positiveDuration("view-timeout"),
        r.positiveDuration("shutdown-cancel-timeout"));
  }
}
