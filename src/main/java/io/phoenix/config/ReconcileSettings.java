package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of reconciliation ({@code phoenix.reconcile}); see reference.conf.
 *
 * @param interval period of the timed reconciliation (it also runs after every stream connect)
 * @param grace local orders changed more recently than this are not judged
 * @param clientOrderIdPrefix our client order ids start with this plus {@code -} (the form of
 *     {@code io.phoenix.execution.ClientOrderIds}); unknown open orders carrying it are cancelled
 * @param cancelOrphans whether orphans are cancelled (false: only reported)
 * @param recoverFills whether fills missed during a stream outage are fetched from userTrades
 * @param timeout limit for each asynchronous step of a run (REST calls, the local order view)
 */
public record ReconcileSettings(
    Duration interval,
    Duration grace,
    String clientOrderIdPrefix,
    boolean cancelOrphans,
    boolean recoverFills,
    Duration timeout) {

  public static ReconcileSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.reconcile");
    String prefix = r.nonEmptyString("client-order-id-prefix");
    if (!prefix.matches("[.A-Z:/a-z0-9_]{1,12}")) {
      throw new SettingsException(
          r.key("client-order-id-prefix"),
          "must be 1-12 characters of [.A-Z:/a-z0-9_] (Binance's client id alphabet without the '-' separator), was "
              + prefix);
    }
    return new ReconcileSettings(
        r.positiveDuration("interval"),
        r.duration("grace"),
        prefix,
        r.bool("cancel-orphans"),
        r.bool("recover-fills"),
        r.positiveDuration("timeout"));
  }
}
