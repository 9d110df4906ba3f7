package io.phoenix.config;

import com.typesafe.config.Config;

/**
 * Where the hot path runs ({@code phoenix.latency.*}): the dispatcher of the actors between a
 * market-data frame and the order request (market feeds, the market relays, quoters, risk and the
 * order gateway).
 *
 * @param dispatcher config path of an Akka dispatcher, or empty for the default dispatcher
 */
public record LatencySettings(String dispatcher) {

  public static LatencySettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.latency");
    String dispatcher = r.string("dispatcher").trim();
    if (!dispatcher.isEmpty() && !config.hasPath(dispatcher + ".type")) {
      throw new SettingsException(
          r.key("dispatcher"), "names no dispatcher: '" + dispatcher + "' has no 'type' key");
    }
    return new LatencySettings(dispatcher);
  }

  /** True when the hot path runs on its own dispatcher. */
  public boolean ownDispatcher() {
    return !dispatcher.isEmpty();
  }
}
