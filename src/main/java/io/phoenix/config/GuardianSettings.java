package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Wiring of the node ({@code phoenix.guardian.*} and {@code phoenix.symbols}): supervision back-off
 * of every child, the status line, and the shutdown grace.
 *
 * @param unitName the trading unit's name ({@code phoenix.unit-name}): its fencing epoch's key
 * @param symbols symbols this node quotes
 * @param wsUrl {@code phoenix.binance.ws-url}: base of the market and user streams
 * @param restartMinBackoff first restart delay of a failed child
 * @param restartMaxBackoff cap of the exponential restart delay
 * @param restartJitter random share added to each delay
 * @param statusInterval period of the per-symbol status line (and of the dead-man health report)
 * @param riskCheckInterval period of risk's portfolio check
 * @param shutdownGrace time given to the cancel-all on shutdown before the system stops
 */
public record GuardianSettings(
    String unitName,
    List<String> symbols,
    String wsUrl,
    Duration restartMinBackoff,
    Duration restartMaxBackoff,
    double restartJitter,
    Duration statusInterval,
    Duration riskCheckInterval,
    Duration shutdownGrace,
    boolean switchToOneWayMode,
    Duration accountCheckRetry) {

  public static GuardianSettings fromConfig(Config config) {
    ConfigReader root = new ConfigReader(config, "phoenix");
    List<String> symbols = root.stringList("symbols");
    if (symbols.isEmpty()) {
      throw new SettingsException(root.key("symbols"), "must name at least one symbol");
    }
    ConfigReader r = root.at("guardian");
    Duration min = r.positiveDuration("restart-min-backoff");
    Duration max = r.positiveDuration("restart-max-backoff");
    if (max.compareTo(min) < 0) {
      throw new SettingsException(
          r.key("restart-max-backoff"), "must be at least restart-min-backoff");
    }
    String unit = root.nonEmptyString("unit-name");
    if (!unit.matches("[A-Za-z0-9_.]{1,32}")) {
      throw new SettingsException(
          root.key("unit-name"), "must be 1-32 of [A-Za-z0-9_.], was " + unit);
    }
    return new GuardianSettings(
        unit,
        symbols,
        root.at("binance").nonEmptyString("ws-url"),
        min,
        max,
        r.doubleInRange("restart-jitter", 0, 1),
        r.positiveDuration("status-interval"),
        r.positiveDuration("risk-check-interval"),
        r.positiveDuration("shutdown-grace"),
        r.bool("switch-to-one-way-mode"),
        r.positiveDuration("account-check-retry"));
  }
}
