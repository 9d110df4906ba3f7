package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the order/fill journal ({@code phoenix.journal}).
 *
 * @param url JDBC URL (H2 file by default, PostgreSQL for shared deployments)
 * @param user database user
 * @param password database password, from the environment only
 * @param batchSize entries buffered before a flush is started early
 * @param flushInterval upper bound on how long an entry waits in memory
 * @param dispatcher config path of the blocking dispatcher JDBC runs on
 * @param compactInterval how often an H2 file journal rewrites its sparse chunks (see {@code
 *     JournalStore})
 */
public record JournalSettings(
    boolean enabled,
    String url,
    String user,
    Secret password,
    int batchSize,
    Duration flushInterval,
    String dispatcher,
    Duration compactInterval) {

  public static JournalSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.journal");
    String url = r.nonEmptyString("url");
    if (!url.startsWith("jdbc:")) {
      throw new SettingsException(
          r.key("url"), "must be a JDBC URL starting with jdbc:, was " + url);
    }
    return new JournalSettings(
        r.bool("enabled"),
        url,
        r.optionalString("user"),
        Secret.of(r.optionalString("password")),
        r.intInRange("batch-size", 1, 100_000),
        r.positiveDuration("flush-interval"),
        r.nonEmptyString("dispatcher"),
        r.positiveDuration("compact-interval"));
  }

  /** Same settings with another compaction interval (tests). */
  public JournalSettings withCompactInterval(Duration interval) {
    return new JournalSettings(
        enabled, url, user, password, batchSize, flushInterval, dispatcher, interval);
  }

  /** Same settings pointing at another database (tests, the report command). */
  public JournalSettings withUrl(String newUrl) {
    return new JournalSettings(
        enabled, newUrl, user, password, batchSize, flushInterval, dispatcher, compactInterval);
  }
}
