package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.JournalSettings;
import io.phoenix.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard and the alert rules query only series that Phoenix exports. */
class DeployedDashboardNamesTest {
  /**
   * Series exported by other components (market FeedMetrics, account reconciliation, gateway,
   * guardian).
   */
  private static final Set<String> FROM_OTHER_COMPONENTS =
      Set.of(
          "phoenix_feed_events_total",
          "phoenix_feed_gaps_total",
          "phoenix_feed_reconnects_total",
          "phoenix_feed_lag_seconds",
          "phoenix_feed_resyncs_total",
          "phoenix_feed_decode_errors_total",
          "phoenix_reconcile_differences_total",
          "phoenix_reconcile_orphans_cancelled_total",
          "phoenix_reconcile_runs_total",
          "phoenix_gateway_banned_total",
          "phoenix_account_position_mode_checks_total");

  private static final Pattern NAME =
      Pattern.compile("\\b((?:phoenix|jvm|process|system)_[a-z0-9_]+)");

  @Test
  void everyQueriedSeriesExists() throws Exception {
    Set<String> exported = exportedNames();
    Set<String> queried = new TreeSet<>();
    JsonNode dash = new ObjectMapper().readTree(Path.of("deploy/grafana/phoenix.json").toFile());
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        collect(target.get("expr").asText(), queried);
      }
    }
    collect(Files.readString(Path.of("deploy/prometheus/phoenix-alerts.yml")), queried);
    assertTrue(queried.size() > 20, "too few names found: " + queried);
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(exported);
    unknown.removeAll(FROM_OTHER_COMPONENTS);
    assertEquals(Set.of(), unknown, "queried but not exported");
  }

  private static void collect(String text, Set<String> into) {
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  private static Set<String> exportedNames() {
    try (Metrics metrics = Metrics.create()) {
      metrics.actor("quoter-BTCUSDT").handled(1);
      metrics.recordReject("-2019");
      metrics.badRequest("unauthorized");
      metrics.killSwitch(() -> false);
      metrics.orderBudgetUsed(() -> 0.1);
      metrics.symbol(
          "BTCUSDT", new Metrics.SymbolProbes(() -> 1, () -> 1, () -> 1, () -> 1, () -> 1));
      metrics
          .registry()
          .timer("jvm.gc.pause")
          .record(java.time.Duration.ofMillis(1)); // GC may not have run yet
      JournalSettings js = JournalSettings.fromConfig(com.typesafe.config.ConfigFactory.load());
      Journal.create(null, js, metrics.registry()); // registers the phoenix_journal_* meters
      Set<String> names = new TreeSet<>();
      for (String line : metrics.scrape().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
      return names;
    }
  }
}
