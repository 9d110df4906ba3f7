package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The feed against a hand-driven WebSocket server: pings, staleness, bad frames, trades. */
class MarketFeedTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final FeedSettings SETTINGS =
      FeedSettings.fromConfig(
          ConfigFactory.parseString("phoenix.feed { stale-after = 300ms, routing = legacy }")
              .withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void answersPingsReportsStalenessCountsBadFramesAndPublishesTrades() throws Exception {
    try (RawWebSocketServer server = new RawWebSocketServer()) {
      TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
      FeedMetrics metrics =
          new FeedMetrics(new SimpleMeterRegistry(), "raw", List.of(Fixtures.ETHUSDT));
      FeedPlan plan = FeedPlan.plan(SETTINGS, List.of(Fixtures.ETHUSDT)).get(0);
      // no snapshot is ever served: this test is about the socket, not the book
      DepthSnapshotClient never = (symbol, limit) -> new CompletableFuture<>();
      ActorRef<MarketFeed.Command> feed =
          TESTKIT.spawn(
              MarketFeed.create(
                  new MarketFeed.Dependencies(
                      plan,
                      SETTINGS,
                      server.url(),
                      never,
                      metrics,
                      Map.of("ETHUSDT", List.of(consumer.getRef())))));

      // a symbol that never spoke is stale from the start, possibly before the connection is up
      consumer.fishForMessage(
          Duration.ofSeconds(5),
          m ->
              m.equals(new MarketEvent.FeedConnected("stream-0"))
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore());
      assertEquals(
          "GET /stream?streams=ethusdt@depth@100ms/ethusdt@bookTicker/ethusdt@aggTrade/ethusdt@markPrice@1s HTTP/1.1",
          server.requestLine);

      byte[] ping = "phoenix-ping-7".getBytes(StandardCharsets.US_ASCII);
      server.send(0x9, ping);
      RawWebSocketServer.Frame pong = server.received.poll(5, TimeUnit.SECONDS);
      assertNotNull(pong, "Akka HTTP answered the ping");
      assertEquals(0xA, pong.opcode());
      assertArrayEquals(ping, pong.payload());

      server.sendText("{\"stream\":\"ethusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1");
      server.sendText(
          "{\"stream\":\"ethusdt@aggTrade\",\"data\":"
              + Fixtures.resource("aggTrade.json").trim()
              + "}");
      MarketEvent.Trade trade =
          (MarketEvent.Trade)
              consumer
                  .fishForMessage(
                      Duration.ofSeconds(3),
                      m ->
                          m instanceof MarketEvent.Trade
                              ? FishingOutcomes.complete()
                              : FishingOutcomes.continueAndIgnore())
                  .get(0);
      assertEquals(341013, trade.priceTicks());
      assertEquals(1250, trade.qtySteps());
      assertEquals(
          1,
          metrics.decodeErrors(Fixtures.ETHUSDT.id())
              + metrics.decodeErrors(FeedMetrics.UNKNOWN_SYMBOL));
      assertEquals(1, metrics.events(Fixtures.ETHUSDT.id()));

      // silence after the trade: stale again
      MarketEvent.BookStale stale =
          (MarketEvent.BookStale) consumer.receiveMessage(Duration.ofSeconds(3));
      assertEquals(Fixtures.ETHUSDT.id(), stale.symbolId());
      assertTrue(stale.silentMillis() >= 300);
      TESTKIT.stop(feed);
    }
  }

  /** A bookTicker frame goes to the symbol's book owner at once, as a top the book can use. */
  @Test
  void aBookTickerReachesTheSymbolsBookOwner() throws Exception {
    try (RawWebSocketServer server = new RawWebSocketServer()) {
      java.util.concurrent.LinkedBlockingQueue<BookCommand> owner =
          new java.util.concurrent.LinkedBlockingQueue<>();
      TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
      FeedPlan plan = FeedPlan.plan(SETTINGS, List.of(Fixtures.ETHUSDT)).get(0);
      ActorRef<MarketFeed.Command> feed =
          TESTKIT.spawn(
              MarketFeed.create(
                  new MarketFeed.Dependencies(
                          plan,
                          SETTINGS,
                          server.url(),
                          (symbol, limit) -> new CompletableFuture<>(),
                          new FeedMetrics(
                              new SimpleMeterRegistry(), "ticker", List.of(Fixtures.ETHUSDT)),
                          Map.of("ETHUSDT", List.of(consumer.getRef())))
                      .withBookOwners(Map.of("ETHUSDT", owner::add))));
      consumer.fishForMessage(
          Duration.ofSeconds(5),
          m ->
              m instanceof MarketEvent.FeedConnected
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore());
      server.sendText(
          "{\"stream\":\"ethusdt@bookTicker\",\"data\":"
              + Fixtures.resource("bookTicker.json").trim()
              + "}");
      BookCommand command = owner.poll(3, TimeUnit.SECONDS);
      while (command != null && !(command instanceof BookCommand.ApplyTicker)) {
        command = owner.poll(3, TimeUnit.SECONDS);
      }
      assertNotNull(command, "the ticker reached the book owner");
      TickerTop top = ((BookCommand.ApplyTicker) command).top();
      assertEquals(8471133402987L, top.updateId());
      assertEquals(341012, top.bidPrice());
      assertEquals(12884, top.bidQty());
      assertEquals(341013, top.askPrice());
      assertEquals(10002, top.askQty());
      assertTrue(top.receiveNanos() > 0);
      TESTKIT.stop(feed);
    }
  }
}
