package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * A bookTicker newer than the book's last diff is the top at once; the book's own top returns when
 * a diff at least as new is applied, and a ticker from before a resync never comes back.
 */
class SyncedBookTickerTest {
  private static final Instrument ETH = Fixtures.ETHUSDT;
  private static final FeedSettings SETTINGS = FeedSettings.fromConfig(ConfigFactory.load());

  private int updates;
  private final SyncedBook book = book(SETTINGS);

  private SyncedBook book(FeedSettings settings) {
    return new SyncedBook(
        ETH,
        (symbol, limit) -> new CompletableFuture<>(),
        settings,
        new FeedMetrics(new SimpleMeterRegistry(), "ticker", List.of(ETH)),
        LoggerFactory.getLogger(getClass()),
        new SyncedBook.Host() {
          @Override
          public void bookUpdated(long eventTime, long receiveNanos) {
            updates++;
          }

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
        });
  }

  private static DepthDiff diff(long first, long last, long prev, long bidTicks) {
    return new DepthDiff(
        ETH.id(),
        1,
        1,
        first,
        last,
        prev,
        new long[] {bidTicks},
        new long[] {1_000},
        new long[0],
        new long[0],
        0);
  }

  private static TickerTop ticker(long u, long bid, long ask) {
    return new TickerTop(u, bid, 5_000, ask, 6_000, 1, 0);
  }

  private void sync() {
    sync(book);
  }

  private static void sync(SyncedBook book) {
    book.onDiff(diff(5, 10, 4, 9_990));
    book.onSnapshot(ManualDepthSnapshots.body(7, "100.00", "1.000", "100.05", "2.000"), null);
    assertTrue(book.isValid());
    assertEquals(10, book.lastUpdateId());
  }

  @Test
  void withTickerTopOffTheTopIsTheDiffsAlone() {
    SyncedBook off =
        book(
            FeedSettings.fromConfig(
                ConfigFactory.parseString("phoenix.feed.ticker-top = off")
                    .withFallback(ConfigFactory.load())));
    sync(off);
    int before = updates;
    assertFalse(off.onTicker(ticker(12, 10_002, 10_004)));
    assertEquals(before, updates);
    assertEquals(10_000, off.bestBidPrice());
  }

  @Test
  void aNewerTickerIsTheTopAtOnceUntilADiffAsNewArrives() {
    assertFalse(book.onTicker(ticker(3, 10_002, 10_004)), "no top before the book is in sync");
    sync();
    int before = updates;

    assertTrue(book.onTicker(ticker(12, 10_002, 10_004)));
    assertEquals(before + 1, updates, "the host hears of the ticker's top at once");
    assertTrue(book.tickerAhead());
    assertEquals(10_002, book.bestBidPrice());
    assertEquals(5_000, book.bestBidQty());
    assertEquals(10_004, book.bestAskPrice());
    assertEquals(6_000, book.bestAskQty());
    assertEquals(10_000, book.book().bestBidPrice(), "the book's levels are the diffs' alone");

    assertFalse(book.onTicker(ticker(11, 10_001, 10_004)), "older than the last ticker");
    assertFalse(book.onTicker(ticker(9, 10_001, 10_004)), "older than the book");
    assertFalse(book.onTicker(ticker(13, 10_005, 10_004)), "crossed");
    assertEquals(10_002, book.bestBidPrice());

    book.onDiff(diff(11, 11, 10, 10_001));
    assertTrue(book.tickerAhead(), "a diff older than the ticker leaves its top standing");
    assertEquals(10_002, book.bestBidPrice());

    book.onDiff(diff(12, 12, 11, 10_003));
    assertFalse(book.tickerAhead(), "the diffs caught up");
    assertEquals(10_003, book.bestBidPrice());
    assertEquals(1_000, book.bestBidQty());
  }

  @Test
  void aTickerFromBeforeAResyncNeverComesBack() {
    sync();
    assertTrue(book.onTicker(ticker(100, 10_002, 10_004)));
    book.onDiff(diff(60, 70, 59, 9_990)); // a gap: the book resynchronises
    assertFalse(book.isValid());
    assertFalse(book.tickerAhead());

    // back in sync at 70, older than the old ticker: its top must not return
    book.onSnapshot(ManualDepthSnapshots.body(65, "100.00", "1.000", "100.05", "2.000"), null);
    assertTrue(book.isValid());
    assertEquals(70, book.lastUpdateId());
    assertFalse(book.tickerAhead());
    assertEquals(10_000, book.bestBidPrice());
  }
}
