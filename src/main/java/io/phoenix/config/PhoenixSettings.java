package io.phoenix.config;

import com.typesafe.config.Config;

/**
 * Every setting the trading node uses, read and validated in one go before anything connects: a bad
 * key of a component that starts late (the quoter, the user stream, reconciliation...) stops the
 * start with the key named instead of surfacing after the exchangeInfo round trip. Components get
 * their part of this record; none reads the configuration again.
 *
 * <p>The recorder's settings are not here: they belong to {@code io.phoenix.recorder}, which sits
 * above this package, and {@code PhoenixNode} reads them at the same point.
 */
public record PhoenixSettings(
    GuardianSettings guardian,
    BinanceRestSettings rest,
    WsApiSettings wsApi,
    GatewaySettings gateway,
    QuoterSettings quoter,
    RiskSettings risk,
    FeedSettings feed,
    LatencySettings latency,
    UserStreamSettings userStream,
    ReconcileSettings reconcile,
    DeadManSwitchSettings deadManSwitch,
    JournalSettings journal,
    OpsSettings ops,
    ClusterSettings cluster,
    PortfolioSettings portfolio) {

  /**
   * Reads every component's settings from {@code config} (phoenix.* with its reference.conf
   * defaults).
   *
   * @throws SettingsException naming the first bad or missing key
   */
  public static PhoenixSettings fromConfig(Config config) {
    return new PhoenixSettings(
        GuardianSettings.fromConfig(config),
        BinanceRestSettings.fromConfig(config),
        WsApiSettings.fromConfig(config),
        GatewaySettings.fromConfig(config),
        QuoterSettings.fromConfig(config),
        RiskSettings.fromConfig(config),
        FeedSettings.fromConfig(config),
        LatencySettings.fromConfig(config),
        UserStreamSettings.fromConfig(config),
        ReconcileSettings.fromConfig(config),
        DeadManSwitchSettings.fromConfig(config),
        JournalSettings.fromConfig(config),
        OpsSettings.fromConfig(config),
        ClusterSettings.fromConfig(config),
        PortfolioSettings.fromConfig(config));
  }
}
