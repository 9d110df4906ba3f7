package io.phoenix.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
  static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          5568,
          45297640,
          1,
          1_000_000,
          100,
          200,
          1.05,
          0.95);

  private static RecorderSettings settings(Path dir, int capacity) {
    return new RecorderSettings(true, dir, capacity, Duration.ofMillis(50));
  }

  @Test
  void writesEachMessageAsAReceiveTimeAndItsTextIntoTheFileOfItsSymbolAndDay(@TempDir Path dir)
      throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Recorder r = Recorder.start(settings(dir, 1000), meters)) {
      r.instruments(List.of(BTC));
      long t = System.nanoTime();
      String depth =
          "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\"}}";
      r.tap().frame(t, depth);
      r.tap().frame(t + 1, "{\"e\":\"aggTrade\",\"E\":2,\"s\":\"ETHUSDT\",\"p\":\"1\"}");
      r.tap().frame(t + 2, "{\"result\":null,\"id\":1}");
      r.snapshot("BTCUSDT", t + 3, "{\"lastUpdateId\":5,\n\"bids\":[],\"asks\":[]}".getBytes());
      r.request(
          t + 4,
          new OrderIntent.Place(0, "phx-1", Side.BUY, 600_001, 2, TimeInForce.GTX, false, 0));
      r.answer(t + 5, new OrderEvent.OrderAccepted(0, "phx-1", 7, OrderState.NEW, 600_001, 2, 0));
      r.user(t + 6, "{\"e\":\"ORDER_TRADE_UPDATE\"}");
      assertTrue(r.flush(5000));
      assertEquals(2, r.written("market"));
      assertEquals(1, r.written("snapshot"));
      assertEquals(1, r.written("request"));
      assertEquals(1, r.written("answer"));
      assertEquals(1, r.written("user"));
      assertTrue(
          meters.scrape().contains("phoenix_recorder_written_total{kind=\"market\"} 2.0"),
          meters.scrape());
    }
    String day =
        java.time.LocalDate.ofEpochDay(Math.floorDiv(System.currentTimeMillis(), 86_400_000L))
            .toString()
            .replace("-", "");
    List<String> btc = RecordedLines.lines(List.of(dir.resolve("btcusdt_" + day + ".gz")));
    assertEquals(2, btc.size());
    assertTrue(btc.get(0).matches("\\d{19} \\{\"stream\":\"btcusdt@depth@100ms\".*"), btc.get(0));
    assertEquals(
        "{\"lastUpdateId\":5, \"bids\":[],\"asks\":[]}",
        btc.get(1).substring(20),
        "one message, one line");
    assertEquals(1, RecordedLines.lines(List.of(dir.resolve("ethusdt_" + day + ".gz"))).size());
    List<String> orders = RecordedLines.lines(List.of(dir.resolve("orders_" + day + ".gz")));
    assertEquals(3, orders.size());
    assertTrue(
        orders
            .get(0)
            .contains(
                "{\"dir\":\"out\",\"type\":\"place\",\"symbol\":\"BTCUSDT\",\"id\":\"phx-1\",\"side\":\"BUY\",\"price\":\"60000.10\",\"qty\":\"0.002\""),
        orders.get(0));
    assertTrue(
        orders.get(1).contains("\"dir\":\"in\",\"type\":\"OrderAccepted\",\"id\":\"phx-1\""),
        orders.get(1));
    assertTrue(
        orders
            .get(2)
            .contains("\"dir\":\"user\",\"frame\":\"{\\\"e\\\":\\\"ORDER_TRADE_UPDATE\\\"}\""),
        orders.get(2));
    long first = Long.parseLong(btc.get(0).substring(0, 19));
    long second = Long.parseLong(btc.get(1).substring(0, 19));
    assertEquals(3, second - first, "one clock: nanoTime differences survive");
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking(@TempDir Path dir) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Recorder r = Recorder.start(settings(dir, 16), meters);
    String frame = "{\"stream\":\"btcusdt@bookTicker\",\"data\":{}}";
    long t0 = System.nanoTime();
    for (int i = 0; i < 200_000; i++) {
      r.tap().frame(t0 + i, frame);
    }
    long offerNanos = System.nanoTime() - t0;
    assertTrue(r.flush(10_000));
    r.close();
    long written = r.written("market");
    assertTrue(r.dropped() > 0, "a 16-message queue cannot take 200,000 at once");
    assertEquals(
        200_000, written + r.dropped(), "every message is either written or counted as dropped");
    assertTrue(offerNanos < 5_000_000_000L, "offering never waited for the disk");
    assertEquals(written, RecordedLines.lines(RecordedLines.files(dir, "btcusdt_")).size());
  }
}
