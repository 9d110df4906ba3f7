package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits across every trading unit of the cluster ({@code phoenix.portfolio}), kept by one cluster
 * singleton ({@code risk.PortfolioRisk}). Each unit still enforces its own {@code phoenix.risk}
 * limits alone, singleton reachable or not.
 *
 * @param maxGrossNotional the sum of every unit's gross notional above which every unit is stopped;
 *     0 = no limit
 * @param maxDailyLoss the summed daily PnL below minus this stops every unit; 0 = no limit
 * @param reportInterval how often each unit reports its exposure and PnL
 * @param staleAfter a unit not heard from for this long no longer counts (it moved or died; its
 *     next incarnation reports afresh)
 */
public record PortfolioSettings(
    double maxGrossNotional, double maxDailyLoss, Duration reportInterval, Duration staleAfter) {

  public static PortfolioSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.portfolio");
    Duration report = r.positiveDuration("report-interval");
    Duration stale = r.positiveDuration("stale-after");
    if (stale.compareTo(report.multipliedBy(2)) < 0) {
      throw new SettingsException(
          r.key("stale-after"), "must be at least twice report-interval (" + report + ")");
    }
    return new PortfolioSettings(
        r.doubleInRange("max-gross-notional", 0, 1e12),
        r.doubleInRange("max-daily-loss", 0, 1e12),
        report,
        stale);
  }
}
