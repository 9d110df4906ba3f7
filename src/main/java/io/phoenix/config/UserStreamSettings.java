package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the user data stream ({@code phoenix.user-stream}); see reference.conf for the
 * meaning and trade-off of each key.
 *
 * @param streamPath appended to {@code phoenix.binance.ws-url}, followed by the listenKey
 * @param keepaliveInterval period of {@code PUT /fapi/v1/listenKey}; must be well inside 60 min
 * @param idleProbeAfter silence after which the key is probed with a keepalive
 * @param connectTimeout limit for the WebSocket upgrade
 * @param reconnectMinBackoff first reconnect delay, doubled per failure
 * @param reconnectMaxBackoff cap of the reconnect delay
 * @param tradeIdMemory trade ids remembered per symbol for de-duplication
 */
public record UserStreamSettings(
    String streamPath,
    Duration keepaliveInterval,
    Duration idleProbeAfter,
    Duration connectTimeout,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff,
    int tradeIdMemory) {

  public static UserStreamSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.user-stream");
    String path = r.nonEmptyString("stream-path");
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new SettingsException(r.key("stream-path"), "must start and end with '/', was " + path);
    }
    Duration keepalive = r.positiveDuration("keepalive-interval");
    if (keepalive.compareTo(Duration.ofMinutes(55)) > 0) {
      throw new SettingsException(
          r.key("keepalive-interval"),
          "must be at most 55m: a listenKey lives 60 minutes after the last keepalive");
    }
    Duration min = r.positiveDuration("reconnect-min-backoff");
    Duration max = r.positiveDuration("reconnect-max-backoff");
    if (max.compareTo(min) < 0) {
      throw new SettingsException(
          r.key("reconnect-max-backoff"), "must not be below reconnect-min-backoff");
    }
    return new UserStreamSettings(
        path,
        keepalive,
        r.positiveDuration("idle-probe-after"),
        r.positiveDuration("connect-timeout"),
        min,
        max,
        r.intInRange("trade-id-memory", 16, 1_000_000));
  }
}
