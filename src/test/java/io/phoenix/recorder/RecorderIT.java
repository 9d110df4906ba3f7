package io.phoenix.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.RecordCommand;
import io.phoenix.backtest.BacktestCommand;
import io.phoenix.backtest.BacktestResult;
import io.phoenix.backtest.MarketData;
import io.phoenix.core.Instrument;
import io.phoenix.market.DepthDiff;
import io.phoenix.market.FeedMetrics;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record} on the simulator, then a backtest of the file: every depth diff the feed received
 * is in it, in an unbroken update-id chain from the recorded snapshot on. The issue asks for 30 s;
 * {@code -Drecorder.it.seconds=30} does that, the default of 8 s keeps the suite fast and still
 * records about 80 diffs, a hundred book tickers and the trades and marks of the period.
 */
class RecorderIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();

  private static final long SECONDS = Long.getLong("recorder.it.seconds", 8);

  @Test
  void recordsEveryMessageTheFeedReceivedAndTheBacktesterReadsTheFileWithoutAGap(@TempDir Path dir)
      throws Exception {
    Config config =
        ConfigFactory.parseString(SIM.nodeSettings()).withFallback(SIM.config()).resolve();
    RecordCommand.Recording recording = RecordCommand.start(config, List.of("BTCUSDT"), dir);
    Instrument btc = recording.instruments().get(0);
    FeedMetrics depthFeed =
        recording.feedMetrics().stream()
            .filter(m -> m.feed().startsWith("public"))
            .findFirst()
            .orElseThrow();
    FeedMetrics tradeFeed =
        recording.feedMetrics().stream()
            .filter(m -> m.feed().startsWith("market"))
            .findFirst()
            .orElseThrow();
    long start = System.nanoTime();
    // a recording of a fixed length: wait for the time to pass (and for the feed to have delivered)
    Polling.until(
        Duration.ofSeconds(SECONDS + 30),
        () ->
            System.nanoTime() - start >= SECONDS * 1_000_000_000L
                && depthFeed.events(btc.id()) > 0);
    recording.stop();

    Recorder recorder = recording.recorder();
    assertEquals(0, recorder.dropped());
    assertEquals(0, recorder.errors());
    List<Path> files = RecordedLines.files(dir, "btcusdt_");
    assertFalse(files.isEmpty(), "no recording in " + dir);
    List<String> lines = RecordedLines.lines(files);
    long depthLines = RecordedLines.count(lines, "\"depthUpdate\"");
    long tickerLines = RecordedLines.count(lines, "\"bookTicker\"");
    long tradeLines = RecordedLines.count(lines, "\"aggTrade\"");
    long markLines = RecordedLines.count(lines, "\"markPriceUpdate\"");
    long snapshotLines = RecordedLines.count(lines, "{\"lastUpdateId\"");
    assertTrue(depthLines >= SECONDS * 5, "depth diffs recorded: " + depthLines);
    assertEquals(
        depthFeed.events(btc.id()),
        depthLines + tickerLines,
        "every depth and book-ticker frame the feed received is in the file");
    assertEquals(
        tradeFeed.events(btc.id()), tradeLines + markLines, "every trade and mark-price frame too");
    assertTrue(snapshotLines >= 1, "the snapshot of the book's sync is in the file");
    assertEquals(
        lines.size(),
        depthLines + tickerLines + tradeLines + markLines + snapshotLines,
        "nothing else is");

    MarketData data = BacktestCommand.load(config, files);
    assertEquals(
        depthLines, data.count(MarketData.DEPTH), "the backtester read every recorded diff");
    assertEquals(tradeLines, data.count(MarketData.TRADE));
    assertEquals(markLines, data.count(MarketData.MARK));
    assertEquals(lines.size(), data.size());
    long prev = -1;
    for (int i = 0; i < data.size(); i++) {
      if (data.kind(i) == MarketData.DEPTH) {
        DepthDiff d = data.depth(i);
        if (prev != -1) {
          assertEquals(
              prev,
              d.previousFinalUpdateId(),
              "gap in the recorded chain before u=" + d.finalUpdateId());
        }
        prev = d.finalUpdateId();
      }
    }
    BacktestResult result = BacktestCommand.runOnce(data, config, Map.of());
    assertEquals(0, result.summary().bookGaps(), "the backtester's book saw no gap");
    assertTrue(
        result.symbols().get(0).snapshotsUsed() >= 1, "it synchronised from the recorded snapshot");
    assertFalse(result.data().markFromMid(), "the simulator's mark prices were recorded and used");
  }
}
