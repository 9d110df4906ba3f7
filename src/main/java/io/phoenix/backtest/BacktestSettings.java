package io.phoenix.backtest;

import com.typesafe.config.Config;
import io.phoenix.config.ConfigReader;
import io.phoenix.config.SettingsException;
import io.phoenix.exchangemodel.ExchangeModelSettings;
import io.phoenix.exchangemodel.QueueModel;
import java.time.Duration;
import java.util.Locale;

/**
 * The backtester's own settings ({@code phoenix.backtest.*}); the strategy, risk and feed settings
 * are the node's own, read from the same configuration.
 *
 * @param exchange the venue model's rules (queue model, fees, order limits)
 * @param recordedFeedLatency true: market data reaches the strategy when it was recorded, and the
 *     exchange acted on it at its event time (on the recorder's clock, offset so that the fastest
 *     message had no delay); false: {@code feedLatency} after the event time
 * @param feedLatency constant feed latency when not recorded
 * @param orderEntry request leaves us → the matching engine acts on it
 * @param response the engine acts → we see the answer or the fill
 * @param roundTripsFile a live node's orders recording whose request → answer round trips replace
 *     the two constants ("" = use them)
 * @param seed of the sampled latencies
 * @param decision the quoter's reaction time: a requote happens this long after the event that
 *     asked for it, and events arriving meanwhile are in it too
 * @param markProxyInterval for symbols whose data has no mark price: the mid stands in for it at
 *     this period (as {@code @markPrice@1s} would arrive)
 * @param sampleInterval period of the equity, position and quote series in the report
 * @param windowFrom the strategy trades from this fraction of the recording's span on (the data
 *     before it still builds the books and the volatility estimate)
 * @param windowTo and stops at this fraction: the report covers [from, to] only
 */
public record BacktestSettings(
    ExchangeModelSettings exchange,
    boolean recordedFeedLatency,
    Duration feedLatency,
    Duration orderEntry,
    Duration response,
    String roundTripsFile,
    long seed,
    Duration decision,
    Duration markProxyInterval,
    Duration sampleInterval,
    double windowFrom,
    double windowTo) {

  public static BacktestSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.backtest");
    String queueText = r.string("queue-model").trim().toUpperCase(Locale.ROOT);
    QueueModel queue;
    try {
      queue = QueueModel.valueOf(queueText);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(
          r.key("queue-model"),
          "must be conservative or probabilistic, was " + r.string("queue-model"));
    }
    ExchangeModelSettings exchange =
        new ExchangeModelSettings(
            queue,
            r.doubleInRange("queue-power", 0.01, 100),
            r.doubleInRange("maker-fee-rate", -0.01, 0.01),
            r.doubleInRange("taker-fee-rate", -0.01, 0.01),
            r.intInRange("orders-per-10s", 1, 1_000_000),
            r.intInRange("orders-per-minute", 1, 1_000_000));
    ConfigReader l = r.at("latency");
    String feed = l.string("feed").trim();
    boolean recorded = feed.equalsIgnoreCase("recorded");
    Duration feedLatency = recorded ? Duration.ZERO : l.nonNegativeDuration("feed");
    return new BacktestSettings(
        exchange,
        recorded,
        feedLatency,
        l.nonNegativeDuration("order-entry"),
        l.nonNegativeDuration("response"),
        l.string("round-trips-file").trim(),
        l.longAtLeast("seed", Long.MIN_VALUE),
        l.nonNegativeDuration("decision"),
        r.positiveDuration("mark-proxy-interval"),
        r.positiveDuration("sample-interval"),
        r.at("window").doubleInRange("from", 0, 1),
        window(r));
  }

  private static double window(ConfigReader r) {
    ConfigReader w = r.at("window");
    double from = w.doubleInRange("from", 0, 1);
    double to = w.doubleInRange("to", 0, 1);
    if (to <= from) {
      throw new SettingsException(
          w.key("to"), "must be greater than window.from (" + from + "), was " + to);
    }
    return to;
  }
}
