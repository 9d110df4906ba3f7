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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The book a symbol's owner keeps holds phoenix.feed.book-max-levels a side, the best ones. */
class SyncedBookCapTest {
  private static final Instrument ETH = Fixtures.ETHUSDT;

  @Test
  void theBookKeepsTheConfiguredNumberOfLevelsASide() {
    FeedSettings settings =
        FeedSettings.fromConfig(
            ConfigFactory.parseString("phoenix.feed { snapshot-limit = 5, book-max-levels = 6 }")
                .withFallback(ConfigFactory.load()));
    SyncedBook keeping =
        new SyncedBook(
            ETH,
            (symbol, limit) -> new CompletableFuture<>(),
            settings,
            new FeedMetrics(new SimpleMeterRegistry(), "cap", List.of(ETH)),
            LoggerFactory.getLogger(getClass()),
            new SyncedBook.Host() {
              @Override
              public void bookUpdated(long eventTime, long receiveNanos) {}

              @Override
              public void bookInvalidated(InvalidReason reason) {}

              @Override
              public void pipeSnapshot(CompletionStage<byte[]> fetch) {}

              @Override
              public void scheduleFetch(Duration delay) {}

              @Override
              public boolean fetchScheduled() {
                return false;
              }
            },
            System::nanoTime);
    keeping.onDiff(
        new DepthDiff(
            ETH.id(), 1, 1, 5, 10, 4, new long[0], new long[0], new long[0], new long[0], 0));
    keeping.onSnapshot(ManualDepthSnapshots.body(7, "100.00", "1.000", "100.05", "2.000"), null);
    long[] deeper = new long[10];
    long[] qty = new long[10];
    for (int i = 0; i < 10; i++) {
      deeper[i] = 9_999 - i; // ticks of 0.01 below the best bid of 100.00
      qty[i] = 1 + i;
    }
    keeping.onDiff(
        new DepthDiff(ETH.id(), 1, 1, 11, 12, 10, deeper, qty, new long[0], new long[0], 0));
    assertTrue(keeping.isValid());
    OrderBook book = keeping.book();
    assertEquals(6, book.bidLevels(), "the best bid and the five best of the ten deeper levels");
    assertEquals(10_000, book.bestBidPrice());
    assertEquals(9_995, book.bidPrice(5));
    book.validateInvariants();
  }
}
