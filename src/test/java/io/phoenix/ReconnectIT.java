package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.WorkingOrder;
import io.phoenix.model.ExchangeState;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.sim.SimServer;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The failures measured before the node learned orders from the user stream, each driven on the
 * simulator against one running node: repeated WebSocket drops, a listenKey expiry on a busy and on
 * a quiet account, a storm of depth gaps, and a venue restart that resets every position. After
 * each the node must quote again within seconds by itself, know exactly the orders the exchange
 * holds (no orphan, no phantom past a short grace), and hold the exchange's positions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconnectIT {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");
  static final Duration BACK_WITHIN = Duration.ofSeconds(6);
  static final Duration AGREE_WITHIN = Duration.ofSeconds(20);
  static int port;
  static Config simConfig;
  static ActorTestKit testKit;
  static SimServer sim;
  static PhoenixNode node;
  static BinanceRestClient rest;
  static BinanceAccountRestApi account;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // a fixed port, so that a restarted venue is found where the node left it
    simConfig =
        ConfigFactory.parseString(
                "phoenix.sim { port = " + port + ", model.taker-arrivals-per-second = 4 }")
            .withFallback(ConfigFactory.load())
            .resolve();
    testKit = ActorTestKit.create("reconnect-it", simConfig);
    sim = startSim();
    rest =
        BinanceRestClient.create(
            testKit.system(),
            BinanceRestSettings.fromConfig(simConfig).withRestUrl(sim.restUrl()),
            io.phoenix.binance.rest.ServerClock.fixed(0));
    account = SimulatorFixture.accountApi(rest, SYMBOLS);
    node =
        PhoenixNode.start(
            ConfigFactory.parseString(
                    "phoenix.sim.enabled = false\n"
                        + "phoenix.symbols = [BTCUSDT, ETHUSDT, SOLUSDT]\n"
                        + "phoenix.binance.rest-url = \""
                        + sim.restUrl()
                        + "\"\n"
                        + "phoenix.binance.ws-url = \""
                        + sim.wsUrl()
                        + "\"\n"
                        + "phoenix.guardian.status-interval = 200ms\n"
                        + io.phoenix.testkit.SimulatorFixture.QUOTER_FOR_FILLS
                        + "phoenix.ops.port = 0\n"
                        + "phoenix.cluster.port = 0\n"
                        + "phoenix.cluster.management.port = 0\n"
                        + "phoenix.journal.enabled = false\n")
                .withFallback(ConfigFactory.load())
                .resolve());
    awaitQuoting("start");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(20));
    }
    if (sim != null) {
      sim.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
  }

  static SimServer startSim() throws Exception {
    return SimServer.start(testKit.system(), SimSettings.fromConfig(simConfig))
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void repeatedWebSocketDropsAreEachFollowedByQuotingAndATrueOrderTable() throws Exception {
    for (int i = 1; i <= 5; i++) {
      long reconnectsBefore = userStreamReconnects();
      long t0 = System.nanoTime();
      sim.faults().dropWebSockets();
      awaitReconnect(reconnectsBefore, "drop " + i);
      awaitQuoting("drop " + i);
      System.out.println(
          "ReconnectIT: quoting again "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms after WebSocket drop "
              + i
              + " (user stream reconnected, reconciled, books resynced)");
      assertOrdersAgree("after drop " + i);
    }
  }

  @Test
  @Order(2)
  void aListenKeyExpiryOnABusyAccountIsFollowedByQuoting() throws Exception {
    long reconnectsBefore = userStreamReconnects();
    long t0 = System.nanoTime();
    assertTrue(sim.faults().expireListenKey(listenKey()), "the node's listenKey was active");
    awaitReconnect(reconnectsBefore, "listenKey expiry");
    awaitQuoting("listenKey expiry (busy)");
    System.out.println(
        "ReconnectIT: quoting again "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms after a listenKey expiry on a busy account");
    assertOrdersAgree("after a listenKey expiry");
  }

  @Test
  @Order(3)
  void aListenKeyExpiryOnAQuietAccountIsNoticedAndTheStreamComesBack() throws Exception {
    node.system()
        .tell(
            new PhoenixGuardian.Kill(
                "quiet account drill",
                testKit.createTestProbe(io.phoenix.risk.Risk.RiskState.class).getRef()));
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        ReconnectIT::openOrders,
        Map::isEmpty,
        o -> "open orders while killed: " + o);
    // while quotes stay pulled the reason is visible: the status and a metric per symbol
    Polling.until(
        Duration.ofSeconds(5),
        () ->
            SYMBOLS.stream()
                .allMatch(s -> halted(s, "risk_stop") == 1.0 && halted(s, "none") == 0.0));
    long reconnectsBefore = userStreamReconnects();
    assertTrue(sim.faults().expireListenKey(listenKey()), "the node's listenKey was active");
    awaitReconnect(reconnectsBefore, "quiet listenKey expiry");
    node.system()
        .tell(
            new PhoenixGuardian.Resume(
                testKit.createTestProbe(io.phoenix.risk.Risk.RiskState.class).getRef()));
    long ms = awaitQuoting("listenKey expiry (quiet)");
    System.out.println(
        "ReconnectIT: quoting again " + ms + " ms after resume, the quiet account's stream back");
    assertOrdersAgree("after a quiet listenKey expiry");
  }

  @Test
  @Order(4)
  void aStormOfDepthGapsResyncsEveryBookWithoutARateLimit() throws Exception {
    double limitedBefore = rateLimitAnswers();
    for (int i = 0; i < 60; i++) {
      sim.faults().depthGap(SYMBOLS.get(ThreadLocalRandom.current().nextInt(SYMBOLS.size())));
      Polling.pace(Duration.ofMillis(500));
    }
    long ms = awaitQuoting("60 depth gaps");
    System.out.println(
        "ReconnectIT: 60 depth gaps in 30 s, quoting "
            + ms
            + " ms after the last; 429/418 answers "
            + (rateLimitAnswers() - limitedBefore));
    assertEquals(0.0, rateLimitAnswers() - limitedBefore, "429/418 answers during the gap storm");
    assertOrdersAgree("after the gap storm");
  }

  @Test
  @Order(5)
  void aVenueRestartResetsPositionsAndTheNodeFollowsAndQuotesAgain() throws Exception {
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        ReconnectIT::nodePositions,
        p -> p.values().stream().anyMatch(v -> v != 0),
        p -> "no position to lose yet: " + p);
    sim.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    sim = startSim();
    long t0 = System.nanoTime();
    // the node trades the new venue again: its positions are the new venue's, which started flat
    // and moves only with fills the node has seen
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () -> Map.of("node", nodePositions(), "exchange", exchangePositions()),
        m -> m.get("node").equals(m.get("exchange")),
        m -> "positions after the venue restart: " + m);
    long ms = awaitQuoting("venue restart");
    System.out.println(
        "ReconnectIT: positions equal the restarted venue's "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms after it came back; quoting "
            + ms
            + " ms after that");
    assertOrdersAgree("after the venue restart");
  }

  @Test
  @Order(6)
  void aRestartedGatewayAsksTheReconcileActorForARunAndGetsOne() throws Exception {
    var registry = node.metrics().registry();
    double asksBefore =
        registry.counter("phoenix.gateway.reconcile.asks", "reason", "restart").count();
    double runsBefore = registry.counter("phoenix.reconcile.runs", "result", "ok").count();
    PhoenixGuardian.Parts parts =
        AskPattern.<PhoenixGuardian.Command, PhoenixGuardian.Parts>ask(
                node.system(),
                PhoenixGuardian.GetParts::new,
                Duration.ofSeconds(3),
                testKit.scheduler())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    parts.gateway().tell(new OrderGateway.InjectFailure("ReconnectIT: gateway restart"));
    // the restarted gateway recovers its open orders, then asks; the node's reconcile actor runs
    // at once (its own timer is a minute, so a run within seconds of the ask is the ask's)
    Polling.until(
        Duration.ofSeconds(15),
        Duration.ofMillis(20),
        () ->
            registry.counter("phoenix.gateway.reconcile.asks", "reason", "restart").count()
                - asksBefore,
        d -> d >= 1,
        d -> "no reconciliation ask after the gateway restart: " + d);
    long asked = System.nanoTime();
    Polling.until(
        Duration.ofSeconds(3),
        Duration.ofMillis(20),
        () -> registry.counter("phoenix.reconcile.runs", "result", "ok").count() - runsBefore,
        d -> d >= 1,
        d -> "no reconciliation run within 3 s of the gateway's ask: " + d);
    System.out.println(
        "ReconnectIT: reconciliation run "
            + (System.nanoTime() - asked) / 1_000_000
            + " ms after the restarted gateway asked");
    awaitQuoting("gateway restart");
    assertOrdersAgree("after the gateway restart");
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The node noticed the fault: its user stream reconnected (the count went past {@code before}).
   */
  static void awaitReconnect(long before, String after) throws Exception {
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        ReconnectIT::userStreamReconnects,
        n -> n > before,
        n -> "no user-stream reconnect after " + after + ": " + n);
  }

  /** Milliseconds until every quoter quotes with working orders again. */
  static long awaitQuoting(String after) throws Exception {
    long t0 = System.nanoTime();
    Polling.until(
        BACK_WITHIN,
        Duration.ofMillis(50),
        () -> node.status(Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS),
        s ->
            s.quoters().size() == 3
                && s.quoters().stream().allMatch(q -> q.halt() == QuoterCore.Halt.NONE),
        s ->
            "not quoting "
                + BACK_WITHIN
                + " after "
                + after
                + ": "
                + s.quoters().stream().map(q -> q.symbol() + " " + q.halt()).toList());
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * The node's order table against the exchange: every order of ours open on the exchange is known
   * to the node, and every order the node holds live and has not touched for 2 s is open there.
   */
  static void assertOrdersAgree(String when) throws Exception {
    // an order the venue forgot (a venue restart) is declared cancelled only after the node's
    // unknown-resolve-bound (10 s) of not-found answers: the wait outlasts that bound
    Polling.until(
        AGREE_WITHIN,
        Duration.ofMillis(500),
        ReconnectIT::disagreement,
        String::isEmpty,
        d -> when + ": " + d);
  }

  static String disagreement() throws Exception {
    Map<String, String> open = openOrders();
    List<WorkingOrder> local =
        AskPattern.<PhoenixGuardian.Command, OrderGateway.WorkingOrders>ask(
                node.system(),
                PhoenixGuardian.GetWorkingOrders::new,
                Duration.ofSeconds(3),
                testKit.scheduler())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS)
            .orders();
    Set<String> known = new HashSet<>();
    StringBuilder out = new StringBuilder();
    long now = System.currentTimeMillis();
    for (WorkingOrder w : local) {
      known.add(w.clientOrderId());
      if (!open.containsKey(w.clientOrderId()) && now - w.lastChangeMillis() > 2_000) {
        out.append("phantom ").append(w.clientOrderId()).append(' ').append(w.state()).append("; ");
      }
    }
    // the exchange answered after the node did: an order placed in between is not an orphan
    for (String id : open.keySet()) {
      if (!known.contains(id) && !localAgain().contains(id)) {
        out.append("orphan ").append(id).append("; ");
      }
    }
    return out.toString();
  }

  static Set<String> localAgain() throws Exception {
    Set<String> ids = new HashSet<>();
    AskPattern.<PhoenixGuardian.Command, OrderGateway.WorkingOrders>ask(
            node.system(),
            PhoenixGuardian.GetWorkingOrders::new,
            Duration.ofSeconds(3),
            testKit.scheduler())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .orders()
        .forEach(w -> ids.add(w.clientOrderId()));
    return ids;
  }

  /**
   * The exchange's open orders, one symbol at a time: weight 1 each where all symbols at once weigh
   * 40. The test shares the node's IP, so its polling counts against the node's budget.
   */
  static Map<String, String> openOrders() throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String symbol : SYMBOLS) {
      RestResult<List<RestOrderResponse>> r =
          rest.openOrders(symbol).toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (RestOrderResponse o : ((RestResult.Ok<List<RestOrderResponse>>) r).body()) {
        out.put(o.clientOrderId(), o.status());
      }
    }
    return out;
  }

  static Map<String, Long> nodePositions() throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (QuoterStatus q :
        node.status(Duration.ofSeconds(3))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS)
            .quoters()) {
      out.put(q.symbol(), q.positionSteps());
    }
    return out;
  }

  static Map<String, Long> exchangePositions() throws Exception {
    Map<String, Long> out = new HashMap<>();
    SYMBOLS.forEach(s -> out.put(s, 0L));
    for (ExchangeState.Position p :
        account.positions().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      out.put(symbolOf(p.symbolId()), p.amountSteps());
    }
    return out;
  }

  static String symbolOf(int symbolId) {
    return SYMBOLS.get(symbolId);
  }

  /**
   * The account's active listenKey: Binance (and the simulator) hand an account its one key again.
   */
  static String listenKey() throws Exception {
    RestResult<com.fasterxml.jackson.databind.JsonNode> r =
        rest.send(RestRequest.post("/fapi/v1/listenKey").apiKey().build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return ((RestResult.Ok<com.fasterxml.jackson.databind.JsonNode>) r)
        .body()
        .path("listenKey")
        .asText();
  }

  static double halted(String symbol, String reason) {
    var g =
        node.metrics()
            .registry()
            .find("phoenix.quoter.halted")
            .tags("symbol", symbol, "reason", reason)
            .gauge();
    return g == null ? -1 : g.value();
  }

  static long userStreamReconnects() {
    return (long) node.metrics().registry().counter("phoenix.user.stream.reconnects").count();
  }

  /** 429 and 418 answers any of the node's requests got (order entry and background). */
  static double rateLimitAnswers() {
    var registry = node.metrics().registry();
    double background =
        registry.find("phoenix.rest.background").tags("event", "rate_limited").counters().stream()
                .mapToDouble(c -> c.count())
                .sum()
            + registry.find("phoenix.rest.background").tags("event", "banned").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    return background
        + registry.counter("phoenix.gateway.rate.limited").count()
        + registry.counter("phoenix.gateway.banned").count();
  }
}
