package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.testkit.ManualDepthSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * SyncedBook paces snapshot requests on the host's clock, so a backtest's virtual time governs it.
 */
class SyncedBookClockTest {
  private static final Instrument ETH = Fixtures.ETHUSDT;
  private static final FeedSettings SETTINGS =
      FeedSettings.fromConfig(
          ConfigFactory.parseString("phoenix.feed.snapshot-min-interval = 1s")
              .withFallback(ConfigFactory.load()));

  private static DepthDiff diff(long first, long last, long prev) {
    return new DepthDiff(
        ETH.id(),
        1,
        1,
        first,
        last,
        prev,
        new long[] {9_990},
        new long[] {1},
        new long[0],
        new long[0],
        0);
  }

  @Test
  void snapshotPacingFollowsTheInjectedClock() {
    long[] now = {5_000_000_000L};
    List<Duration> scheduled = new ArrayList<>();
    List<CompletionStage<byte[]>> fetches = new ArrayList<>();
    SyncedBook.Host host =
        new SyncedBook.Host() {
          @Override
          public void bookUpdated(long eventTime, long receiveNanos) {}

          @Override
          public void bookInvalidated(InvalidReason reason) {}

          @Override
          public void pipeSnapshot(CompletionStage<byte[]> fetch) {
            fetches.add(fetch);
          }

          @Override
          public void scheduleFetch(Duration delay) {
            scheduled.add(delay);
          }

          @Override
          public boolean fetchScheduled() {
            return false;
          }
        };
    SyncedBook book =
        new SyncedBook(
            ETH,
            (symbol, limit) -> new CompletableFuture<>(),
            SETTINGS,
            new FeedMetrics(new SimpleMeterRegistry(), "clock", List.of(ETH)),
            LoggerFactory.getLogger(getClass()),
            host,
            () -> now[0]);
    book.onDiff(diff(5, 10, 4));
    assertEquals(1, fetches.size(), "the first diff asks for a snapshot at once");
    book.onSnapshot(ManualDepthSnapshots.body(7, "100.00", "1.000", "100.05", "2.000"), null);
    assertTrue(book.isValid());

    now[0] += 300_000_000L; // 300 ms of the host's time later the chain breaks
    book.onDiff(diff(20, 30, 19));
    assertEquals(1, fetches.size(), "too soon for another snapshot");
    assertEquals(
        List.of(Duration.ofMillis(700)),
        scheduled,
        "the wait is what is left of 1 s on the injected clock");
    now[0] += 700_000_000L;
    book.onFetchDue();
    assertEquals(2, fetches.size());
  }
}
