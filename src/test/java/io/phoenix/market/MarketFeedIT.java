package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.ws.DepthSnapshotReader;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Feeds against the embedded simulator on a free port: the local book converges to the engine's,
 * survives injected sequence gaps and dropped connections, and a crashed feed restarts alone.
 */
class MarketFeedIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
              # pings every 200ms exercise Akka HTTP's automatic pong on the client side
              phoenix.sim.ping-interval = 200ms
              # a slower market leaves quiet windows in which both books sit at the same update id
              phoenix.sim.model.step = 300ms
              phoenix.feed {
                stale-after = 2s
                reconnect-min-backoff = 100ms
                reconnect-max-backoff = 1s
                snapshot-min-interval = 200ms
              }
              """);

  static final Config CONFIG = SIM.config();
  static final ActorTestKit TESTKIT = SIM.testKit();
  static final FeedSettings SETTINGS = FeedSettings.fromConfig(CONFIG);
  static final Duration WAIT = Duration.ofSeconds(15);
  static final Instrument BTC = Fixtures.instrument(0, "BTCUSDT", "0.10", "0.001");
  static final Instrument ETH = Fixtures.instrument(1, "ETHUSDT", "0.01", "0.001");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @AfterEach
  void resetFaults() {
    SIM.faults().reset();
  }

  private static ActorRef<MarketFeed.Command> feed(
      String name,
      String route,
      Instrument instrument,
      FeedMetrics metrics,
      TestProbe<MarketEvent> consumer) {
    FeedPlan plan = new FeedPlan(name, route, List.of(instrument), true, true, true, true);
    Behavior<MarketFeed.Command> feed =
        MarketFeed.create(
            new MarketFeed.Dependencies(
                plan,
                SETTINGS,
                SIM.wsUrl(),
                SIM.snapshotClient(),
                metrics,
                Map.of(instrument.symbol(), List.of(consumer.getRef()))));
    return TESTKIT.spawn(
        Behaviors.supervise(feed)
            .onFailure(
                SupervisorStrategy.restartWithBackoff(
                    Duration.ofMillis(100), Duration.ofSeconds(1), 0.2)),
        "feed-" + name);
  }

  private static FeedMetrics metrics(String name, Instrument instrument) {
    return new FeedMetrics(new SimpleMeterRegistry(), name, List.of(instrument));
  }

  private static DepthSnapshotReader simBook(Instrument instrument) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SIM.restUrl()
                        + "/sim/admin/book?symbol="
                        + instrument.symbol()
                        + "&limit=1000"))
            .GET()
            .build();
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    DepthSnapshotReader book = new DepthSnapshotReader();
    assertEquals(null, book.decode(response.body(), instrument));
    return book;
  }

  private static BookSnapshot localBook(ActorRef<MarketFeed.Command> feed, String symbol) {
    TestProbe<BookSnapshot> reply = TESTKIT.createTestProbe();
    feed.tell(new MarketFeed.GetBook(symbol, reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(3));
  }

  /**
   * Polls until the local book and the engine's are at the same update id, then requires them to be
   * equal level for level. The market keeps moving, so a few reads may straddle a change.
   */
  private static void assertConverges(ActorRef<MarketFeed.Command> feed, Instrument instrument)
      throws Exception {
    Books met =
        Polling.until(
            WAIT,
            Duration.ofMillis(20),
            () -> new Books(localBook(feed, instrument.symbol()), simBook(instrument)),
            b -> b.local().valid() && b.local().lastUpdateId() == b.sim().lastUpdateId(),
            b ->
                "books never met at one update id: local valid="
                    + b.local().valid()
                    + " id="
                    + b.local().lastUpdateId()
                    + ", sim id="
                    + b.sim().lastUpdateId());
    BookSnapshot local = met.local();
    DepthSnapshotReader sim = met.sim();
    assertArrayEquals(sim.bids().copyPrices(), local.bidPrices(), "bid prices");
    assertArrayEquals(sim.bids().copyQuantities(), local.bidQtys(), "bid quantities");
    assertArrayEquals(sim.asks().copyPrices(), local.askPrices(), "ask prices");
    assertArrayEquals(sim.asks().copyQuantities(), local.askQtys(), "ask quantities");
    assertTrue(local.bidPrices().length > 0 && local.askPrices().length > 0, "book is not empty");
  }

  private record Books(BookSnapshot local, DepthSnapshotReader sim) {}

  @Test
  void localBookEqualsSimulatorBookAndEventsFlow() throws Exception {
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    FeedMetrics metrics = metrics("legacy", BTC);
    ActorRef<MarketFeed.Command> feed = feed("legacy", "", BTC, metrics, consumer);
    fish(consumer, MarketEvent.FeedConnected.class);
    MarketEvent.BookUpdated updated =
        (MarketEvent.BookUpdated) fish(consumer, MarketEvent.BookUpdated.class);
    assertTrue(updated.bidPrice() < updated.askPrice());
    fish(consumer, MarketEvent.MarkPrice.class);
    assertConverges(feed, BTC);
    assertEquals(0, metrics.decodeErrors(BTC.id()));
    assertTrue(metrics.events(BTC.id()) > 0);
    assertTrue(metrics.lagMicros(BTC.id()).getTotalCount() > 0);
    TESTKIT.stop(feed);
  }

  @Test
  void routedFeedsCarryBookOnPublicAndTradesOnMarket() throws Exception {
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    List<FeedPlan> plans = FeedPlan.plan(SETTINGS, List.of(ETH));
    assertEquals(2, plans.size());
    ActorRef<MarketFeed.Command> book =
        TESTKIT.spawn(
            MarketFeed.create(
                new MarketFeed.Dependencies(
                    plans.get(0),
                    SETTINGS,
                    SIM.wsUrl(),
                    SIM.snapshotClient(),
                    metrics("public-r", ETH),
                    Map.of("ETHUSDT", List.of(consumer.getRef())))));
    ActorRef<MarketFeed.Command> market =
        TESTKIT.spawn(
            MarketFeed.create(
                new MarketFeed.Dependencies(
                    plans.get(1),
                    SETTINGS,
                    SIM.wsUrl(),
                    SIM.snapshotClient(),
                    metrics("market-r", ETH),
                    Map.of())));
    market.tell(new MarketFeed.Subscribe("ETHUSDT", consumer.getRef()));
    fish(consumer, MarketEvent.MarkPrice.class);
    fish(consumer, MarketEvent.BookUpdated.class);
    assertConverges(book, ETH);
    TESTKIT.stop(book);
    TESTKIT.stop(market);
  }

  /**
   * The node's wiring: the feed hands the depth stream to the symbol's quoter, which keeps the
   * book. The quoter's book equals the engine's, resyncs after a gap, and after the feed crashes
   * and restarts (the new feed incarnation tells the quoter its stream broke).
   */
  @Test
  void aQuoterOwningTheBookConvergesAndResyncsAfterAGapAndAFeedRestart() throws Exception {
    Instrument sol = Fixtures.instrument(2, "SOLUSDT", "0.01", "1");
    TestProbe<Risk.Command> risk =
        TESTKIT.createTestProbe(); // no mark price: the quoter keeps its book but never quotes
    TestProbe<MarketEvent.BookUpdated> tops = TESTKIT.createTestProbe();
    FeedMetrics metrics = metrics("owned", sol);
    ActorRef<Quoter.Command> quoter =
        TESTKIT.spawn(
            Quoter.create(
                new Quoter.Dependencies(
                        sol,
                        QuoterSettings.fromConfig(CONFIG),
                        risk.getRef(),
                        Quoter::defaultIds,
                        true)
                    .withBook(
                        new Quoter.BookSource(
                            SIM.snapshotClient(), SETTINGS, metrics, tops.getRef()::tell))),
            "owned-quoter");
    FeedPlan plan = new FeedPlan("owned", "", List.of(sol), true, true, true, true);
    ActorRef<MarketFeed.Command> feed =
        TESTKIT.spawn(
            Behaviors.supervise(
                    MarketFeed.create(
                        new MarketFeed.Dependencies(
                                plan,
                                SETTINGS,
                                SIM.wsUrl(),
                                SIM.snapshotClient(),
                                metrics,
                                Map.of())
                            .withBookOwners(Map.of("SOLUSDT", Quoter.bookOwner(quoter)))))
                .onFailure(
                    SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(100), Duration.ofSeconds(1), 0.2)),
            "feed-owned");
    tops.receiveMessage(WAIT);
    assertConverges(feed, sol);

    SIM.faults().depthGap("SOLUSDT");
    Polling.until(
        WAIT,
        Duration.ofMillis(50),
        () -> metrics.gaps(sol.id()),
        gaps -> gaps == 1,
        gaps -> "gaps seen by the quoter's book: " + gaps);
    assertConverges(feed, sol);

    long resyncs = metrics.resyncs(sol.id());
    feed.tell(new MarketFeed.InjectFailure("drill"));
    Polling.until(
        WAIT,
        Duration.ofMillis(50),
        () -> metrics.resyncs(sol.id()),
        n -> n > resyncs,
        n -> "no resync after the feed restart: " + n);
    assertConverges(feed, sol);
    TESTKIT.stop(feed);
    TESTKIT.stop(quoter);
  }

  @Test
  void gapInjectionIsDetectedAndResynced() throws Exception {
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    FeedMetrics metrics = metrics("gap", ETH);
    ActorRef<MarketFeed.Command> feed = feed("gap", "", ETH, metrics, consumer);
    fish(consumer, MarketEvent.BookUpdated.class);
    long resyncsBefore = metrics.resyncs(ETH.id());
    SIM.faults().depthGap("ETHUSDT");
    MarketEvent.BookInvalidated invalidated =
        (MarketEvent.BookInvalidated) fish(consumer, MarketEvent.BookInvalidated.class);
    assertEquals(InvalidReason.SEQUENCE_GAP, invalidated.reason());
    fish(consumer, MarketEvent.BookUpdated.class);
    assertConverges(feed, ETH);
    assertEquals(1, metrics.gaps(ETH.id()));
    assertTrue(metrics.resyncs(ETH.id()) > resyncsBefore);
    TestProbe<MarketFeed.Status> status = TESTKIT.createTestProbe();
    feed.tell(new MarketFeed.GetStatus(status.getRef()));
    assertEquals(1, status.receiveMessage().connections(), "the socket was kept during the resync");
    TESTKIT.stop(feed);
  }

  @Test
  void droppedConnectionReconnectsAndResyncs() throws Exception {
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    FeedMetrics metrics = metrics("drop", BTC);
    ActorRef<MarketFeed.Command> feed = feed("drop", "", BTC, metrics, consumer);
    fish(consumer, MarketEvent.BookUpdated.class);
    SIM.faults().dropWebSockets();
    fish(consumer, MarketEvent.FeedDisconnected.class);
    fish(consumer, MarketEvent.FeedConnected.class);
    fish(consumer, MarketEvent.BookUpdated.class);
    assertConverges(feed, BTC);
    assertTrue(metrics.reconnects() >= 1);
    TESTKIT.stop(feed);
  }

  @Test
  void connectionIsRotatedAtMaxLifeAndTheBookRecovers() throws Exception {
    FeedSettings shortLived =
        FeedSettings.fromConfig(
            ConfigFactory.parseString("phoenix.feed.max-connection-life = 2s")
                .withFallback(CONFIG));
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    FeedPlan plan = new FeedPlan("rotate", "", List.of(ETH), true, true, true, true);
    ActorRef<MarketFeed.Command> feed =
        TESTKIT.spawn(
            MarketFeed.create(
                new MarketFeed.Dependencies(
                    plan,
                    shortLived,
                    SIM.wsUrl(),
                    SIM.snapshotClient(),
                    metrics("rotate", ETH),
                    Map.of("ETHUSDT", List.of(consumer.getRef())))));
    fish(consumer, MarketEvent.FeedConnected.class);
    fish(consumer, MarketEvent.FeedDisconnected.class);
    fish(consumer, MarketEvent.FeedConnected.class);
    TestProbe<MarketFeed.Status> status = TESTKIT.createTestProbe();
    feed.tell(new MarketFeed.GetStatus(status.getRef()));
    assertTrue(status.receiveMessage().connections() >= 2);
    assertConverges(feed, ETH);
    TESTKIT.stop(feed);
  }

  @Test
  void crashedFeedRestartsAloneUnderItsSupervisor() throws Exception {
    TestProbe<MarketEvent> crashing = TESTKIT.createTestProbe();
    TestProbe<MarketEvent> bystander = TESTKIT.createTestProbe();
    FeedMetrics crashingMetrics = metrics("crash-a", BTC);
    FeedMetrics bystanderMetrics = metrics("crash-b", ETH);
    ActorRef<MarketFeed.Command> a = feed("crash-a", "", BTC, crashingMetrics, crashing);
    ActorRef<MarketFeed.Command> b = feed("crash-b", "", ETH, bystanderMetrics, bystander);
    fish(crashing, MarketEvent.BookUpdated.class);
    fish(bystander, MarketEvent.BookUpdated.class);
    long bystanderResyncs = bystanderMetrics.resyncs(ETH.id());

    a.tell(new MarketFeed.InjectFailure("drill"));
    fish(crashing, MarketEvent.FeedConnected.class);
    fish(crashing, MarketEvent.BookUpdated.class);
    assertConverges(a, BTC);

    assertConverges(b, ETH);
    assertEquals(
        bystanderResyncs, bystanderMetrics.resyncs(ETH.id()), "the other feed never resynced");
    // everything the bystander received since the crash, up to a marker we append now
    MarketEvent marker = new MarketEvent.FeedConnected("marker");
    bystander.getRef().tell(marker);
    List<MarketEvent> seen =
        bystander.fishForMessage(
            WAIT,
            m -> m == marker ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    for (MarketEvent event : seen) {
      assertTrue(
          !(event instanceof MarketEvent.FeedDisconnected
              || event instanceof MarketEvent.BookInvalidated),
          "bystander saw " + event);
    }
    TESTKIT.stop(a);
    TESTKIT.stop(b);
  }

  private static MarketEvent fish(TestProbe<MarketEvent> probe, Class<? extends MarketEvent> type) {
    List<MarketEvent> found =
        probe.fishForMessage(
            WAIT,
            m ->
                type.isInstance(m)
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    return found.get(found.size() - 1);
  }
}
