package io.phoenix.sim;

import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.backtest.MarketData;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.OrderBook;
import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimSymbolSpec;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator replaying the shipped recording's head over real HTTP: its book is the recording's
 * at the same update id, and a resting order fills when the recording's trades reach it.
 */
class SimReplayIT {
  static final String FILE = "src/test/resources/recordings/btcusdt_20240808_head4000.gz";

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim.replay = [\"" + FILE + "\"]\nphoenix.sim.replay-speed = 2.0");

  static final Scale PRICE = Scale.of("0.10");
  static final Scale QTY = Scale.of("0.001");
  static SimClient client;
  static MarketData data;

  @BeforeAll
  static void start() throws Exception {
    client = new SimClient(SIM.server());
    List<Instrument> instruments =
        SimEngineConfig.defaults().symbols().stream().map(SimSymbolSpec::instrument).toList();
    data = MarketData.load(List.of(Path.of(FILE)), InstrumentRegistry.of(instruments));
  }

  /** GET /fapi/v1/depth once the replayed book exists. */
  static JsonNode depth() throws Exception {
    return Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        () -> client.get("/fapi/v1/depth", params("symbol", "BTCUSDT", "limit", "1000")).body(),
        b -> b.get("bids").size() > 0,
        b -> "no replayed book: " + b);
  }

  /**
   * Index of the recorded depth event after which the recording's book carries {@code updateId},
   * and that book.
   */
  record Recorded(int index, OrderBook book) {}

  static Recorded recordedAt(long updateId) {
    OrderBook book = new OrderBook(0);
    BookSynchronizer sync = new BookSynchronizer(book, 1 << 20);
    for (int i = 0; i < data.size(); i++) {
      if (data.kind(i) == MarketData.DEPTH) {
        sync.onDiff(data.depth(i));
      } else if (data.kind(i) == MarketData.SNAPSHOT && !sync.isValid()) {
        MarketData.Snapshot s = data.snapshot(i);
        sync.onSnapshot(s.lastUpdateId(), s.bidPrices(), s.bidQtys(), s.askPrices(), s.askQtys());
      }
      if (sync.lastUpdateId() == updateId) {
        return new Recorded(i, book);
      }
    }
    throw new AssertionError("the recording never reaches update " + updateId);
  }

  @Test
  void restDepthIsTheRecordingsBookAtTheSameUpdateId() throws Exception {
    for (int round = 0; round < 3; round++) {
      JsonNode d = depth();
      long updateId = d.get("lastUpdateId").asLong();
      OrderBook expected = recordedAt(updateId).book();
      JsonNode bids = d.get("bids");
      JsonNode asks = d.get("asks");
      assertEquals(Math.min(1000, expected.bidLevels()), bids.size(), "bid levels at " + updateId);
      assertEquals(Math.min(1000, expected.askLevels()), asks.size(), "ask levels at " + updateId);
      for (int k = 0; k < bids.size(); k++) {
        assertEquals(
            expected.bidPrice(k),
            PRICE.parse(bids.get(k).get(0).asText()),
            "bid price " + k + " at " + updateId);
        assertEquals(
            expected.bidQty(k),
            QTY.parse(bids.get(k).get(1).asText()),
            "bid qty " + k + " at " + updateId);
      }
      for (int k = 0; k < asks.size(); k++) {
        assertEquals(
            expected.askPrice(k),
            PRICE.parse(asks.get(k).get(0).asText()),
            "ask price " + k + " at " + updateId);
        assertEquals(
            expected.askQty(k),
            QTY.parse(asks.get(k).get(1).asText()),
            "ask qty " + k + " at " + updateId);
      }
      // the book moves on with the recording
      Polling.until(
          Duration.ofSeconds(5),
          Duration.ofMillis(50),
          () -> depth().get("lastUpdateId").asLong(),
          u -> u != updateId,
          u -> "the book stood still at " + u);
    }
  }

  @Test
  void aRestingPostOnlyOrderFillsWhenTheRecordedTradesReachIt() throws Exception {
    JsonNode d = depth();
    Recorded now = recordedAt(d.get("lastUpdateId").asLong());
    long bestBid = now.book().bestBidPrice();
    long bestAsk = now.book().bestAskPrice();
    // the lowest price sellers hit and the highest buyers lift in the rest of the recording
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (int i = now.index() + 1; i < data.size(); i++) {
      if (data.kind(i) == MarketData.TRADE) {
        if ((data.c(i) & MarketData.BUYER_MAKER) != 0) {
          low = Math.min(low, data.a(i));
        } else {
          high = Math.max(high, data.a(i));
        }
      }
    }
    // one tick inside the extreme, and a few ticks behind the touch so the replay cannot cross it
    // before the order lands
    boolean buy = low + 1 < bestBid - 5;
    long price = buy ? low + 1 : high - 1;
    assertTrue(
        buy || price > bestAsk + 5,
        "the recording trades through a post-only price: low "
            + low
            + " high "
            + high
            + " bid "
            + bestBid
            + " ask "
            + bestAsk);
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn user = client.connect("/private/ws/" + key);
    try {
      SimClient.Resp placed =
          client.signed(
              "POST",
              "/fapi/v1/order",
              params(
                  "symbol",
                  "BTCUSDT",
                  "side",
                  buy ? "BUY" : "SELL",
                  "type",
                  "LIMIT",
                  "timeInForce",
                  "GTX",
                  "quantity",
                  "0.002",
                  "price",
                  PRICE.format(price),
                  "newClientOrderId",
                  "replay-it-1"));
      assertEquals(200, placed.status(), placed.body().toString());
      assertEquals("NEW", placed.body().get("status").asText());
      JsonNode filled =
          Polling.until(
              Duration.ofSeconds(15),
              Duration.ofMillis(100),
              () ->
                  client
                      .signed(
                          "GET",
                          "/fapi/v1/order",
                          params("symbol", "BTCUSDT", "origClientOrderId", "replay-it-1"))
                      .body(),
              o -> "FILLED".equals(o.get("status").asText()),
              o -> "not filled by the replay: " + o);
      assertEquals(price, PRICE.parse(filled.get("price").asText()));
      assertEquals("0.002", filled.get("executedQty").asText());
      JsonNode trade =
          Polling.until(
              Duration.ofSeconds(5),
              Duration.ofMillis(50),
              () -> {
                for (String m : user.messages) {
                  JsonNode j = SimClient.JSON.readTree(m);
                  if ("ORDER_TRADE_UPDATE".equals(j.path("e").asText())
                      && "TRADE".equals(j.path("o").path("x").asText())) {
                    return j;
                  }
                }
                return null;
              },
              m -> m != null,
              m -> "no TRADE on the user stream: " + user.messages);
      assertTrue(trade.path("o").path("m").asBoolean(), "filled as maker");
      assertEquals("replay-it-1", trade.path("o").path("c").asText());
      JsonNode status = client.admin("GET", "/replay", null).body();
      assertEquals("BTCUSDT", status.get("symbols").get(0).asText());
      assertTrue(status.get("ourFills").asLong() >= 1, status.toString());
      assertEquals(0, status.get("skippedLines").asLong());
    } finally {
      user.close();
    }
  }
}
