package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.config.SettingsException;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.recorder.Recorder;
import io.phoenix.recorder.RecorderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latencies drawn from a live node's orders recording instead of the two constants. */
class RoundTripsTest {

  @Test
  void requestsPairWithTheirFirstAnswerAndDriveTheBacktestsLatency(@TempDir Path dir)
      throws Exception {
    try (Recorder r =
        Recorder.start(
            new RecorderSettings(true, dir, 1000, Duration.ofMillis(50)),
            new SimpleMeterRegistry())) {
      long t = System.nanoTime();
      r.request(t, new OrderIntent.Place(0, "a", Side.BUY, 600_000, 2, TimeInForce.GTX, false, 0));
      r.request(t + 1_000, new OrderIntent.Cancel(0, "b"));
      r.answer(
          t + 3_000_000, new OrderEvent.OrderAccepted(0, "a", 1, OrderState.NEW, 600_000, 2, 0));
      r.answer(
          t + 4_000_000,
          new OrderEvent.OrderCanceled(0, "a", 0)); // a second answer: not a round trip
      r.answer(
          t + 5_001_000,
          new OrderEvent.OrderRejected(
              0, "b", OrderEvent.RequestKind.CANCEL, -2011, "Unknown order sent."));
      r.user(t + 6_000_000, "{\"e\":\"ORDER_TRADE_UPDATE\"}");
    }
    Path orders;
    try (Stream<Path> files = Files.list(dir)) {
      orders =
          files
              .filter(p -> p.getFileName().toString().startsWith("orders_"))
              .findFirst()
              .orElseThrow();
    }
    assertArrayEquals(new long[] {3_000_000, 5_000_000}, RoundTrips.read(orders));

    Config config =
        ConfigFactory.parseString(
                "phoenix.backtest.latency.round-trips-file = \"" + orders.toAbsolutePath() + "\"")
            .withFallback(Recordings.config())
            .resolve();
    BacktestResult sampled = BacktestCommand.runOnce(Recordings.slice(), config, Map.of());
    assertNull(sampled.settings().orderEntryMillis(), "the constants are not used");
    assertTrue(sampled.summary().fills() > 0);
    BacktestResult constant =
        BacktestCommand.runOnce(Recordings.slice(), Recordings.config(), Map.of());
    assertTrue(
        sampled.summary().netPnl() != constant.summary().netPnl()
            || sampled.summary().fills() != constant.summary().fills()
            || sampled.summary().ordersSent() != constant.summary().ordersSent()
            || sampled.summary().postOnlyRejects() != constant.summary().postOnlyRejects(),
        "1.5 to 2.5 ms each way instead of 5 ms changes what the exchange sees and fills: "
            + sampled.summary()
            + " vs "
            + constant.summary());

    Path empty = dir.resolve("empty.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(empty))) {
      out.write("1 {\"dir\":\"out\",\"id\":\"x\"}\n".getBytes());
    }
    SettingsException none = assertThrows(SettingsException.class, () -> RoundTrips.read(empty));
    assertTrue(none.getMessage().contains("phoenix.backtest.latency.round-trips-file"));
    assertEquals(2, RoundTrips.read(orders).length);
  }

  @Test
  void aRecordingCutShortByAStoppedNodeKeepsTheRoundTripsBeforeTheCut(@TempDir Path dir)
      throws Exception {
    java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(whole)) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        text.append(1_000_000L * i)
            .append(" {\"dir\":\"out\",\"id\":\"o")
            .append(i)
            .append("\"}\n");
        text.append(1_000_000L * i + 7_000)
            .append(" {\"dir\":\"in\",\"id\":\"o")
            .append(i)
            .append("\"}\n");
      }
      out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    byte[] bytes = whole.toByteArray();
    Path cut = dir.resolve("orders_cut.gz");
    // no gzip trailer and part of the last block gone, as a SIGTERM during the recorder's write
    // leaves it
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 3 / 4));
    long[] trips = RoundTrips.read(cut);
    assertTrue(trips.length > 100 && trips.length < 2000, "read " + trips.length);
    for (long t : trips) {
      assertEquals(7_000, t);
    }
  }
}
