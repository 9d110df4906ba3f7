package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.account.UserDataFeed;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.Secret;
import io.phoenix.config.SecretRegistry;
import io.phoenix.core.Instrument;
import io.phoenix.execution.OrderGateway;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.MarketFeed;
import io.phoenix.ops.Metrics;
import io.phoenix.ops.OpsServer;
import io.phoenix.quoting.Fixtures;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops view over stand-ins for the node's actors, through the HTTP server: every value is the
 * owning actor's answer at request time (no status tick runs here at all), the book top and our
 * quotes come from one quoter status, quantities are numbers, feed counters are the feeds' own and
 * move, a component that does not answer gives 503, and a kill reason from risk is masked and
 * length-limited before it reaches an unauthenticated reader.
 */
class GuardianOpsViewTest {
  static final Instrument BTC = Fixtures.btc(0);
  static final Instrument ETH = Fixtures.eth(1);
  static final String SECRET = "gov-test-secret-value-93b1";
  static final AtomicReference<QuoterStatus> btcStatus = new AtomicReference<>();
  static final AtomicBoolean ethSilent = new AtomicBoolean();
  static final AtomicBoolean feedSilent = new AtomicBoolean();
  static final AtomicReference<Risk.RiskState> riskState = new AtomicReference<>();
  static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  static final FeedMetrics depth = new FeedMetrics(meters, "depth", List.of(BTC, ETH));
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();
  static ActorSystem<PhoenixGuardian.Command> system;
  static OpsServer server;
  static Metrics metrics;

  @BeforeAll
  static void start() throws Exception {
    btcStatus.set(quoter(BTC, 500_000, 500_001, 499_998, 2, 500_003, 3, 4));
    riskState.set(risk(false, "", 4, 500_000));
    system = ActorSystem.create(guardian(), "gov-test");
    NodeProbes probes = new NodeProbes();
    probes.instruments(List.of(BTC, ETH), 300);
    metrics = Metrics.create();
    GuardianOpsView view =
        new GuardianOpsView(system, probes, Fixtures.risk(""), Duration.ofMillis(500), meters);
    OpsSettings settings =
        new OpsSettings(
            true,
            "127.0.0.1",
            0,
            Secret.of("gov-token"),
            Duration.ofMillis(200),
            Duration.ofMinutes(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(1));
    server =
        OpsServer.start(system, settings, metrics, view)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    metrics.close();
  }

  /** A guardian that only names its parts; every part answers from the test's current state. */
  static Behavior<PhoenixGuardian.Command> guardian() {
    return Behaviors.setup(
        ctx -> {
          Map<String, ActorRef<Quoter.Command>> quoters = new LinkedHashMap<>();
          quoters.put(
              "BTCUSDT",
              ctx.spawn(
                  Behaviors.receive(Quoter.Command.class)
                      .onMessage(
                          Quoter.GetStatus.class,
                          g -> {
                            g.replyTo().tell(btcStatus.get());
                            return Behaviors.same();
                          })
                      .build(),
                  "quoter-BTCUSDT"));
          quoters.put(
              "ETHUSDT",
              ctx.spawn(
                  Behaviors.receive(Quoter.Command.class)
                      .onMessage(
                          Quoter.GetStatus.class,
                          g -> {
                            if (!ethSilent.get()) {
                              g.replyTo().tell(quoter(ETH, 300_000, 300_001, 0, 0, 300_004, 1, 1));
                            }
                            return Behaviors.same();
                          })
                      .build(),
                  "quoter-ETHUSDT"));
          ActorRef<Risk.Command> risk =
              ctx.spawn(
                  Behaviors.receive(Risk.Command.class)
                      .onMessage(
                          Risk.GetState.class,
                          g -> {
                            g.replyTo().tell(riskState.get());
                            return Behaviors.same();
                          })
                      .build(),
                  "risk");
          ActorRef<MarketFeed.Command> feed =
              ctx.spawn(
                  Behaviors.receive(MarketFeed.Command.class)
                      .onMessage(
                          MarketFeed.GetStatus.class,
                          g -> {
                            if (!feedSilent.get()) {
                              g.replyTo()
                                  .tell(new MarketFeed.Status("depth", true, 3, "ws://test"));
                            }
                            return Behaviors.same();
                          })
                      .build(),
                  "market-feed-depth");
          ActorRef<UserDataFeed.Command> user =
              ctx.spawn(
                  Behaviors.receive(UserDataFeed.Command.class)
                      .onMessage(
                          UserDataFeed.GetStatus.class,
                          g -> {
                            g.replyTo()
                                .tell(new UserDataFeed.Status(true, true, 42, 0, 0, 1, 2, 0));
                            return Behaviors.same();
                          })
                      .build(),
                  "user-data-feed");
          PhoenixGuardian.Parts parts =
              new PhoenixGuardian.Parts(
                  List.of(BTC, ETH),
                  quoters,
                  risk,
                  List.of(new MarketFeedPart("depth", feed, List.of(BTC, ETH), depth)),
                  user,
                  null);
          return Behaviors.receive(PhoenixGuardian.Command.class)
              .onMessage(
                  PhoenixGuardian.GetParts.class,
                  g -> {
                    g.replyTo().tell(parts);
                    return Behaviors.same();
                  })
              .onMessage(
                  PhoenixGuardian.GetWorkingOrders.class,
                  g -> {
                    g.replyTo().tell(new OrderGateway.WorkingOrders(List.of()));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  static QuoterStatus quoter(
      Instrument ins,
      long bookBid,
      long bookAsk,
      long bid,
      long bidQty,
      long ask,
      long askQty,
      long position) {
    return new QuoterStatus(
        ins.symbol(),
        QuoterCore.Halt.NONE,
        bookBid,
        10,
        bookAsk,
        12,
        bid,
        bidQty,
        ask,
        askQty,
        4,
        position,
        50_000.0,
        1.5,
        -0.25,
        3,
        2,
        1,
        10,
        6,
        0,
        0,
        20,
        0,
        0,
        2.0,
        System.currentTimeMillis(),
        new QuoterStatus.Edge(0.5, 0.75, 0.0002, 0.0005, true, 0, 5.0, 1.5, 2.5, 3, 2, 0, 0));
  }

  static Risk.RiskState risk(boolean tripped, String detail, long btcPosition, long btcMark) {
    return new Risk.RiskState(
        tripped,
        tripped ? RiskReason.OPERATOR : RiskReason.NONE,
        detail,
        tripped ? 1L : 0L,
        1.25,
        1.5,
        -0.25,
        0.01,
        0,
        4,
        0,
        0,
        10,
        0,
        0,
        Map.of(),
        0,
        0,
        0,
        List.of(
            new Risk.SymbolRisk("BTCUSDT", btcPosition, btcMark, 4, 5, 2),
            new Risk.SymbolRisk("ETHUSDT", 0, 300_000, 0, 1, 1)));
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), r.body());
    return json.readTree(r.body());
  }

  @Test
  void theBookTopAndOurQuotesAreTheQuotersOfOneMomentWithNumericQuantities() throws Exception {
    JsonNode btc = getJson("/api/status").at("/symbols/0");
    assertEquals("BTCUSDT", btc.get("symbol").asText());
    assertEquals(50_000.0, btc.get("bestBid").asDouble());
    assertEquals(50_000.1, btc.get("bestAsk").asDouble(), 1e-9);
    assertEquals(49_999.8, btc.get("ourBid").asDouble(), 1e-9);
    assertTrue(btc.get("ourBidQty").isNumber(), "ourBidQty " + btc.get("ourBidQty"));
    assertEquals(0.002, btc.get("ourBidQty").asDouble(), 1e-12);
    assertEquals(0.003, btc.get("ourAskQty").asDouble(), 1e-12);
    assertTrue(btc.get("ourBid").asDouble() <= btc.get("bestAsk").asDouble());
    // the quoter moves: the next request shows its new book and quotes together, at once
    btcStatus.set(quoter(BTC, 499_980, 499_981, 499_978, 1, 499_983, 2, 4));
    JsonNode moved = getJson("/api/status").at("/symbols/0");
    assertEquals(49_998.1, moved.get("bestAsk").asDouble(), 1e-9);
    assertEquals(49_997.8, moved.get("ourBid").asDouble(), 1e-9);
    assertEquals(0.001, moved.get("ourBidQty").asDouble(), 1e-12);
    JsonNode eth = getJson("/api/status").at("/symbols/1");
    assertEquals("NaN", eth.get("ourBid").asText(), "no bid: no price");
    assertEquals("NaN", eth.get("ourBidQty").asText(), "and no quantity");
    btcStatus.set(quoter(BTC, 500_000, 500_001, 499_998, 2, 500_003, 3, 4));
  }

  @Test
  void feedCountersAreTheFeedsOwnAndMove() throws Exception {
    for (int i = 0; i < 5; i++) {
      depth.event(0);
    }
    depth.event(1);
    depth.gap(0);
    JsonNode feeds = getJson("/api/status").get("feeds");
    JsonNode market = feed(feeds, "market-depth");
    long events = market.get("events").asLong();
    assertTrue(events >= 6, "events " + events);
    assertTrue(market.get("gaps").asLong() >= 1);
    assertEquals(2, market.get("reconnects").asLong(), "connections - 1");
    assertTrue(market.get("connected").asBoolean());
    assertEquals(42, feed(feeds, "user-data").get("events").asLong());
    depth.event(1);
    depth.event(0);
    assertEquals(
        events + 2,
        feed(getJson("/api/status").get("feeds"), "market-depth").get("events").asLong());
  }

  @Test
  void positionsAreRisksAtRequestTime() throws Exception {
    riskState.set(risk(false, "", 4, 500_000));
    assertEquals(0.004, getJson("/api/positions").at("/0/quantity").asDouble(), 1e-12);
    riskState.set(risk(false, "", -7, 500_000));
    JsonNode btc = getJson("/api/positions").at("/0");
    assertEquals(
        -0.007, btc.get("quantity").asDouble(), 1e-12, "no status tick in between: asked now");
    assertEquals(350.0, btc.get("notional").asDouble(), 1e-9);
    assertEquals(50_000.0, btc.get("markPrice").asDouble(), 1e-9);
    assertEquals(-0.007, getJson("/api/status").at("/symbols/0/position").asDouble(), 1e-12);
    assertEquals(350.0, getJson("/api/risk").get("grossNotional").asDouble(), 1e-9);
    riskState.set(risk(false, "", 4, 500_000));
  }

  @Test
  void aComponentThatDoesNotAnswerGives503() throws Exception {
    ethSilent.set(true);
    try {
      HttpResponse<String> r = get("/api/status");
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("view-unavailable", json.readTree(r.body()).get("error").asText());
      assertEquals(503, get("/api/positions").statusCode());
    } finally {
      ethSilent.set(false);
    }
    assertEquals(200, get("/api/status").statusCode());
  }

  @Test
  void aFeedThatDoesNotAnswerIsShownDisconnectedWithItsCountersNotA503() throws Exception {
    depth.event(0);
    feedSilent.set(true);
    try {
      JsonNode market = feed(getJson("/api/status").get("feeds"), "market-depth");
      assertFalse(market.get("connected").asBoolean());
      assertTrue(market.get("events").asLong() >= 1);
    } finally {
      feedSilent.set(false);
    }
    assertTrue(
        feed(getJson("/api/status").get("feeds"), "market-depth").get("connected").asBoolean());
  }

  @Test
  void aKillReasonFromRiskIsMaskedAndCutForAnUnauthenticatedReader() throws Exception {
    SecretRegistry.register(SECRET);
    riskState.set(risk(true, "pasted " + SECRET + " by mistake " + "x".repeat(400), 4, 500_000));
    try {
      HttpResponse<String> r = get("/api/status");
      assertEquals(200, r.statusCode());
      assertFalse(r.body().contains(SECRET), r.body());
      String reason = json.readTree(r.body()).at("/killSwitch/reason").asText();
      assertTrue(reason.startsWith("OPERATOR: pasted *** by mistake"), reason);
      assertTrue(
          reason.length() <= 200 && reason.endsWith("…"), reason.length() + " chars: " + reason);
      assertFalse(get("/api/risk").body().contains(SECRET));
      assertFalse(get("/api/snapshot").body().contains(SECRET));
    } finally {
      riskState.set(risk(false, "", 4, 500_000));
    }
  }

  private static JsonNode feed(JsonNode feeds, String name) {
    for (JsonNode f : feeds) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feed " + name + " in " + feeds);
  }
}
