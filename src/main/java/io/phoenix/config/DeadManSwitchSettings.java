package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the exchange-side dead-man switch ({@code phoenix.dead-man-switch}); see
 * reference.conf.
 *
 * @param enabled whether the switch is armed at all
 * @param countdown {@code countdownTime} sent to the exchange: it cancels the symbol's orders this
 *     long after the last refresh
 * @param refreshInterval period of refreshes while healthy; must leave room for a few misses
 */
public record DeadManSwitchSettings(boolean enabled, Duration countdown, Duration refreshInterval) {

  public static DeadManSwitchSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.dead-man-switch");
    Duration countdown = r.positiveDuration("countdown");
    Duration refresh = r.positiveDuration("refresh-interval");
    if (countdown.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new SettingsException(
          r.key("countdown"), "must be at least 1s: the exchange scans timers every ~10 ms");
    }
    if (refresh.multipliedBy(2).compareTo(countdown) > 0) {
      throw new SettingsException(
          r.key("refresh-interval"),
          "must be at most half of countdown so one lost refresh does not cancel everything");
    }
    return new DeadManSwitchSettings(r.bool("enabled"), countdown, refresh);
  }
}
