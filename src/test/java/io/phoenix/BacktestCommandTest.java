package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code phoenix.jar backtest} as a user types it. */
class BacktestCommandTest {
  private static final String SLICE = "src/test/resources/recordings/btcusdt_20240808_head4000.gz";

  @Test
  void writesTheJsonAndTheReportAndRunsASweepIntoItsDirectory(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out.json");
    Path html = dir.resolve("out.html");
    // the mechanics need fills in 16 s: the old narrow spread without the fee floor (see
    // Recordings)
    Path conf = dir.resolve("narrow.conf");
    Files.writeString(conf, io.phoenix.backtest.RecordingsAccess.NARROW_NO_FEE_FLOOR);
    int exit =
        new CommandLine(new Main())
            .execute(
                "backtest",
                "--config",
                conf.toString(),
                "--data",
                SLICE,
                "--json",
                json.toString(),
                "--report",
                html.toString());
    assertEquals(0, exit);
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertTrue(result.path("summary").path("fills").asLong() > 0);
    assertEquals(4000, result.path("data").path("messages").asLong());
    assertTrue(Files.readString(html).contains("<svg id=\"chart-equity\""));

    Path sweepDir = dir.resolve("sweep");
    Path sweepJson = dir.resolve("sweep.json");
    exit =
        new CommandLine(new Main())
            .execute(
                "backtest",
                "--config",
                conf.toString(),
                "--data",
                SLICE,
                "--sweep",
                "quoter.levels=1,2",
                "--sweep-out",
                sweepDir.toString(),
                "--json",
                sweepJson.toString(),
                "--threads",
                "2");
    assertEquals(0, exit);
    try (Stream<Path> runs = Files.list(sweepDir)) {
      assertEquals(2, runs.count());
    }
    JsonNode ranked = new ObjectMapper().readTree(sweepJson.toFile());
    assertEquals(2, ranked.size());
    assertTrue(
        ranked.get(0).path("summary").path("netPnl").asDouble()
            >= ranked.get(1).path("summary").path("netPnl").asDouble());
  }

  @Test
  void aBadOptionOrSettingEndsWithAMessageNotAStackTrace(@TempDir Path dir) {
    assertEquals(
        2,
        new CommandLine(new Main())
            .execute("backtest", "--data", dir.resolve("missing.gz").toString()));
    assertEquals(
        2,
        new CommandLine(new Main())
            .execute("backtest", "--data", SLICE, "--sweep", "quoter.nonsense=1"));
  }
}
