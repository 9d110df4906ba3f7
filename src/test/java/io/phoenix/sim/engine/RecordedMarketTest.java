package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.backtest.MarketData;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.QueueModel;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.OrderBook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange replaying the shipped recording's head: its book is the recording's, recorded trades
 * fill our queue.
 */
class RecordedMarketTest {
  static final Path HEAD = Path.of("src/test/resources/recordings/btcusdt_20240808_head4000.gz");
  static final String BTC = "BTCUSDT";
  static final long T0 = 1_767_225_600_000L;

  final RecordingListener rec = new RecordingListener();
  final SimEngineConfig config = SimEngineConfig.defaults();

  List<Instrument> instruments() {
    return config.symbols().stream().map(SimSymbolSpec::instrument).toList();
  }

  SimExchange exchange(Path file, double speed) throws IOException {
    RecordedMarket replay =
        RecordedMarket.load(
            List.of(file), instruments(), speed, QueueModel.PROBABILISTIC, 3.0, 0.0002, 0.0005);
    return new SimExchange(config, rec, T0, replay);
  }

  MarketData data() throws IOException {
    return MarketData.load(List.of(HEAD), InstrumentRegistry.of(instruments()));
  }

  /** When record {@code i} is due on the exchange's clock at speed 1. */
  static long due(MarketData d, int i) {
    return T0 + (d.recvNanos(i) - d.recvNanos(0)) / 1_000_000;
  }

  /**
   * The recording's book right after the update {@code updateId}, built by the feed's own
   * synchroniser.
   */
  static OrderBook recordedBookAt(MarketData d, long updateId) {
    OrderBook book = new OrderBook(0);
    BookSynchronizer sync = new BookSynchronizer(book, 1 << 20);
    for (int i = 0; i < d.size(); i++) {
      if (d.kind(i) == MarketData.DEPTH) {
        sync.onDiff(d.depth(i));
      } else if (d.kind(i) == MarketData.SNAPSHOT && !sync.isValid()) {
        MarketData.Snapshot s = d.snapshot(i);
        sync.onSnapshot(s.lastUpdateId(), s.bidPrices(), s.bidQtys(), s.askPrices(), s.askQtys());
      }
      if (sync.lastUpdateId() == updateId) {
        return book;
      }
    }
    throw new AssertionError("the recording never reaches update " + updateId);
  }

  static void assertSameBook(OrderBook expected, DepthSnapshot actual) {
    assertEquals(expected.bidLevels(), actual.bids().size(), "bid levels");
    assertEquals(expected.askLevels(), actual.asks().size(), "ask levels");
    for (int k = 0; k < expected.bidLevels(); k++) {
      assertEquals(
          new Level(expected.bidPrice(k), expected.bidQty(k)),
          actual.bids().get(k),
          "bid level " + k);
    }
    for (int k = 0; k < expected.askLevels(); k++) {
      assertEquals(
          new Level(expected.askPrice(k), expected.askQty(k)),
          actual.asks().get(k),
          "ask level " + k);
    }
  }

  @Test
  void theBookIsTheRecordingsAtTheSameUpdateIdAsItPlays() throws IOException {
    SimExchange ex = exchange(HEAD, 1.0);
    MarketData d = data();
    assertTrue(ex.depth(BTC, 0).bids().isEmpty(), "no book before the recording's snapshot");
    long last = due(d, d.size() - 1);
    int checked = 0;
    for (long t = T0 + 500; t <= last; t += 2_345) {
      ex.advanceTo(t);
      DepthSnapshot depth = ex.depth(BTC, 0);
      assertSameBook(recordedBookAt(d, depth.lastUpdateId()), depth);
      ex.checkInvariants();
      checked++;
    }
    assertTrue(checked >= 5, "checked " + checked);
    assertTrue(rec.trades.size() > 100, "recorded trades published: " + rec.trades.size());
    ex.advanceTo(last + 10_000);
    assertTrue(ex.replayStatus().ended());
    // the other listed symbols keep the synthetic market
    assertFalse(ex.depth("ETHUSDT", 0).bids().isEmpty());
  }

  @Test
  void aRestingOrderJoinsBehindTheDisplayedQuantityAndFillsWhenRecordedTradesReachIt()
      throws IOException {
    SimExchange ex = exchange(HEAD, 1.0);
    MarketData d = data();
    long start = T0 + 1_000;
    ex.advanceTo(start);
    DepthSnapshot book = ex.depth(BTC, 1);
    long bestBid = book.bids().get(0).priceTicks();
    long bestAsk = book.asks().get(0).priceTicks();
    // a price the sellers of the rest of the recording trade through, yet below the ask now
    // (post-only)
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (int i = 0; i < d.size(); i++) {
      if (d.kind(i) == MarketData.TRADE && due(d, i) > start) {
        if ((d.c(i) & MarketData.BUYER_MAKER) != 0) {
          low = Math.min(low, d.a(i));
        } else {
          high = Math.max(high, d.a(i));
        }
      }
    }
    boolean buy = low < bestBid;
    long price = buy ? low + 1 : high - 1;
    assertTrue(buy ? price < bestAsk : price > bestBid, "a post-only price exists");
    int reach = -1;
    for (int i = 0; i < d.size() && reach < 0; i++) {
      boolean sellTaker = (d.c(i) & MarketData.BUYER_MAKER) != 0;
      if (d.kind(i) == MarketData.TRADE
          && due(d, i) > start
          && sellTaker == buy
          && (buy ? d.a(i) <= price : d.a(i) >= price)) {
        reach = i;
      }
    }
    OrderResult placed =
        ex.place(
            "acct",
            new NewOrder(
                BTC,
                buy ? Side.BUY : Side.SELL,
                PositionSide.BOTH,
                OrderType.LIMIT,
                TimeInForce.GTX,
                2,
                price,
                false,
                "replay-1",
                StpMode.NONE),
            start);
    assertNull(placed.error());
    long orderId = placed.order().orderId();
    RecordedMarket replay = replayOf(ex);
    long displayed =
        ex.depth(BTC, 0).bids().stream()
                .filter(l -> l.priceTicks() == price)
                .mapToLong(Level::qtySteps)
                .sum()
            + ex.depth(BTC, 0).asks().stream()
                .filter(l -> l.priceTicks() == price)
                .mapToLong(Level::qtySteps)
                .sum()
            - 2;
    assertEquals(
        displayed,
        replay.queueAhead(ex.marketOf(BTC), orderId),
        1e-9,
        "queued behind what the book shows");

    ex.advanceTo(due(d, reach) - 1);
    SimOrder before = ex.queryOpen("acct", BTC, orderId, null).order();
    assertNotNull(before, "still resting before a recorded trade reaches it");
    ex.advanceTo(due(d, d.size() - 1));
    SimOrder after = ex.query("acct", BTC, orderId, null).order();
    assertEquals(OrderStatus.FILLED, after.status());
    assertTrue(
        after.updateTime() >= due(d, reach), "filled by recorded trades at or through its price");
    RecordingListener.OrderUpdate fill =
        rec.orders.stream()
            .filter(u -> "TRADE".equals(u.executionType()))
            .findFirst()
            .orElseThrow();
    assertTrue(fill.fill().maker());
    assertEquals(price, fill.fill().priceTicks());
    assertEquals(1, ex.replayStatus().ourFills());
    ex.checkInvariants();
  }

  @Test
  void cancellingTakesTheOrderOutOfTheQueueModel() throws IOException {
    SimExchange ex = exchange(HEAD, 1.0);
    ex.advanceTo(T0 + 1_000);
    long bid = ex.depth(BTC, 1).bids().get(0).priceTicks();
    OrderResult placed =
        ex.place(
            "acct",
            new NewOrder(
                BTC,
                Side.BUY,
                PositionSide.BOTH,
                OrderType.LIMIT,
                TimeInForce.GTX,
                2,
                bid - 50,
                false,
                "replay-2",
                StpMode.NONE),
            T0 + 1_000);
    long id = placed.order().orderId();
    assertTrue(replayOf(ex).queueAhead(ex.marketOf(BTC), id) >= 0);
    ex.cancel("acct", BTC, id, null, T0 + 1_001);
    assertEquals(-1, replayOf(ex).queueAhead(ex.marketOf(BTC), id));
    ex.advanceTo(T0 + 60_000);
    assertEquals(0, ex.replayStatus().ourFills());
    ex.checkInvariants();
  }

  @Test
  void twiceTheSpeedPlaysTheRecordingInHalfTheTime() throws IOException {
    MarketData d = data();
    long length = due(d, d.size() - 1) - T0;
    SimExchange ex = exchange(HEAD, 2.0);
    ex.advanceTo(T0 + length / 2 - 50);
    assertFalse(ex.replayStatus().ended());
    ex.advanceTo(T0 + length / 2 + 1);
    assertTrue(ex.replayStatus().ended());
  }

  @Test
  void aMalformedLineIsSkippedAndCountedAndTheRestPlays(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("btcusdt_20240808.gz");
    String text;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(HEAD))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = text.split("\n");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i]).append('\n');
      if (i == 100) {
        out.append("not a recording line\n");
        out.append(lines[i], 0, 20)
            .append(" {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"p\":\n");
      }
    }
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(broken))) {
      gz.write(out.toString().getBytes(StandardCharsets.UTF_8));
    }
    SimExchange ex = exchange(broken, 1.0);
    assertEquals(2, ex.replayStatus().skippedLines());
    ex.advanceTo(T0 + 120_000);
    assertTrue(ex.replayStatus().ended());
    assertFalse(ex.depth(BTC, 0).bids().isEmpty());
  }

  static RecordedMarket replayOf(SimExchange ex) {
    return ex.replayForTests();
  }
}
