package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.ws.AggTradeFrame;
import io.phoenix.binance.ws.BookTickerFrame;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.binance.ws.MarkPriceFrame;
import io.phoenix.binance.ws.MarketFrameDecoder;
import io.phoenix.binance.ws.MarketFrameHandler;
import io.phoenix.binance.ws.SubscriptionReply;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.market.DepthDiff;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.InvalidReason;
import io.phoenix.market.OrderBook;
import io.phoenix.market.SyncedBook;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The backtester's books (the quoter's, kept by SyncedBook from the columns it loaded, and the
 * exchange model's, kept at exchange time) against the live node's path on the real recording:
 * every text frame through the feed's decoder into SyncedBook as the quoter feeds it.
 */
class BookEqualityTest {
  private static final long INVALID = Long.MIN_VALUE;

  @Test
  void bothBooksOfTheBacktesterEqualTheLiveBookCodeAfterEveryDiffOfTheRealRecording()
      throws Exception {
    // whole books: the live path caps its book at phoenix.feed.book-max-levels a side
    // (SyncedBookCapTest)
    // while the backtester's exchange keeps every level, so the cap is lifted here to compare all
    // of them
    Config config =
        com.typesafe.config.ConfigFactory.parseString("phoenix.feed.book-max-levels = 100000")
            .withFallback(Recordings.config());
    Map<Long, Long> live = liveBooks(config);

    MarketData data = Recordings.load(Recordings.FULL);
    Backtest backtest =
        new Backtest(data, config, Backtest.phoenix(config, data.instruments()), Map.of());
    // [0] diffs compared, [1] mismatches, [2] valid books; per side: the quoter's, the exchange's
    long[] local = new long[3];
    long[] exchange = new long[3];
    backtest.watchBooks(
        new Backtest.BookWatcher() {
          @Override
          public void local(DepthDiff diff, OrderBook book, boolean valid) {
            compare(live, diff, book, valid, local);
          }

          @Override
          public void exchange(DepthDiff diff, OrderBook book, boolean valid) {
            compare(live, diff, book, valid, exchange);
          }
        });
    backtest.run();

    assertEquals(6551, live.size(), "every depth diff of the recording");
    assertEquals(live.size(), local[0], "the quoter's book saw every diff");
    assertEquals(live.size(), exchange[0], "the exchange's book saw every diff");
    assertEquals(0, local[1], "mismatches of the quoter's book");
    assertEquals(0, exchange[1], "mismatches of the exchange's book");
    long liveValid = live.values().stream().filter(h -> h != INVALID).count();
    assertTrue(
        liveValid > 6500, "the book was in sync for almost all of the recording: " + liveValid);
    assertEquals(liveValid, local[2]);
    assertEquals(liveValid, exchange[2]);
  }

  private static void compare(
      Map<Long, Long> live, DepthDiff diff, OrderBook book, boolean valid, long[] counts) {
    counts[0]++;
    counts[2] += valid ? 1 : 0;
    if (!live.get(diff.finalUpdateId()).equals(valid ? hash(book) : INVALID)) {
      counts[1]++;
    }
  }

  /**
   * Hash of the whole book after each diff (by its final update id) on the live path; INVALID while
   * out of sync.
   */
  private static Map<Long, Long> liveBooks(Config config) throws Exception {
    InstrumentRegistry registry = BacktestCommand.instruments(config);
    Instrument btc = registry.find("BTCUSDT");
    Map<Long, Long> hashes = new HashMap<>();
    SyncedBook[] keeping = new SyncedBook[1];
    keeping[0] =
        new SyncedBook(
            btc,
            (s, l) -> new CompletableFuture<>(),
            FeedSettings.fromConfig(config),
            new FeedMetrics(new SimpleMeterRegistry(), "live", List.of(btc)),
            LoggerFactory.getLogger(BookEqualityTest.class),
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
            });
    long[] receive = new long[1];
    MarketFrameDecoder decoder =
        new MarketFrameDecoder(
            registry,
            new MarketFrameHandler() {
              @Override
              public void onDepthUpdate(DepthUpdateFrame frame) {
                // as MarketFeed hands a diff to the quoter, and the quoter to its SyncedBook
                keeping[0].onDiff(DepthDiff.copyOf(frame, receive[0]));
                hashes.put(
                    frame.finalUpdateId(),
                    keeping[0].isValid() ? hash(keeping[0].book()) : INVALID);
              }

              @Override
              public void onBookTicker(BookTickerFrame frame) {}

              @Override
              public void onAggTrade(AggTradeFrame frame) {}

              @Override
              public void onMarkPrice(MarkPriceFrame frame) {}

              @Override
              public void onSubscriptionReply(SubscriptionReply reply) {}

              @Override
              public void onDecodeError(DecodeError error, int symbolId) {
                throw new AssertionError("the live decoder refused a line: " + error);
              }
            });
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Recordings.FULL)),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        int space = line.indexOf(' ');
        receive[0] = Long.parseLong(line.substring(0, space));
        String json = line.substring(space + 1);
        if (json.startsWith("{\"lastUpdateId\"")) {
          if (!keeping[0].isValid()) {
            keeping[0].onSnapshot(json.getBytes(StandardCharsets.UTF_8), null);
          }
        } else {
          decoder.decode(json);
        }
      }
    }
    return hashes;
  }

  static long hash(OrderBook book) {
    long h = 17;
    h = h * 31 + book.bidLevels();
    for (int i = 0; i < book.bidLevels(); i++) {
      h = (h * 31 + book.bidPrice(i)) * 31 + book.bidQty(i);
    }
    h = h * 31 + book.askLevels();
    for (int i = 0; i < book.askLevels(); i++) {
      h = (h * 31 + book.askPrice(i)) * 31 + book.askQty(i);
    }
    return h;
  }
}
