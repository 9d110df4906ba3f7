package io.phoenix.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.PhoenixNode;
import io.phoenix.backtest.BacktestCommand;
import io.phoenix.backtest.MarketData;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phoenix.recorder.enabled} in a running node: market data, orders, answers and the user
 * stream on disk.
 */
class NodeRecorderIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRunningNodeRecordsItsMarketDataOrdersAndUserStream(@TempDir Path dir) throws Exception {
    Config config =
        ConfigFactory.parseString(
                SIM.nodeSettings()
                    + "phoenix.symbols = [BTCUSDT]\n"
                    + "phoenix.journal.enabled = false\n"
                    + "phoenix.recorder.enabled = true\n"
                    + "phoenix.recorder.dir = \""
                    + dir.toAbsolutePath()
                    + "\"\n")
            .withFallback(SIM.config())
            .resolve();
    PhoenixNode node = PhoenixNode.start(config);
    Recorder recorder;
    try {
      recorder = node.recorder();
      assertNotNull(recorder, "the node made a recorder");
      Polling.until(
          Duration.ofSeconds(40),
          Duration.ofMillis(100),
          () ->
              List.of(
                  recorder.written("request"),
                  recorder.written("answer"),
                  recorder.written("user"),
                  recorder.written("snapshot"),
                  recorder.written("market")),
          w -> w.stream().allMatch(n -> n > 0) && w.get(4) > 50,
          w -> "written (request, answer, user, snapshot, market): " + w);
    } finally {
      node.shutdown(Duration.ofSeconds(30));
    }
    assertEquals(0, recorder.dropped());

    List<String> orders = RecordedLines.lines(RecordedLines.files(dir, "orders_"));
    Set<String> dirs = orders.stream().map(l -> field(l, "dir")).collect(Collectors.toSet());
    assertEquals(Set.of("out", "in", "user"), dirs);
    String place =
        orders.stream().filter(l -> "place".equals(field(l, "type"))).findFirst().orElseThrow();
    JsonNode p = JSON.readTree(place.substring(place.indexOf(' ') + 1));
    assertEquals("BTCUSDT", p.get("symbol").asText());
    assertEquals("GTX", p.get("tif").asText());
    assertTrue(p.get("price").asText().matches("\\d+\\.\\d{2}"), "decimal price: " + place);
    String id = p.get("id").asText();
    assertTrue(
        orders.stream().anyMatch(l -> "in".equals(field(l, "dir")) && id.equals(field(l, "id"))),
        "the answer to " + id + " is recorded");
    assertTrue(
        orders.stream()
            .anyMatch(l -> "user".equals(field(l, "dir")) && l.contains("ORDER_TRADE_UPDATE")),
        "user-stream order updates");
    long previous = 0;
    for (String line : orders) {
      long ns = Long.parseLong(line.substring(0, line.indexOf(' ')));
      assertTrue(ns > 1_600_000_000_000_000_000L, "epoch nanoseconds: " + ns);
      previous = Math.max(previous, ns);
    }

    List<Path> market = RecordedLines.files(dir, "btcusdt_");
    List<String> lines = RecordedLines.lines(market);
    assertTrue(RecordedLines.count(lines, "\"depthUpdate\"") > 0);
    assertTrue(
        RecordedLines.count(lines, "{\"lastUpdateId\"") >= 1,
        "the quoter's snapshot is recorded with the diffs");
    MarketData data = BacktestCommand.load(config, market);
    assertEquals(lines.size(), data.size(), "every recorded line is readable by the backtester");
    assertFalse(data.instruments().isEmpty());
  }

  private static String field(String line, String name) {
    try {
      return JSON.readTree(line.substring(line.indexOf(' ') + 1)).path(name).asText(null);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
