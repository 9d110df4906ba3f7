package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.risk.PreTradeResult;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Start-up recovery and crash-restart of the gateway against a small scripted exchange: orders
 * working and in flight survive a crash, nothing is resent, every requester hears an outcome.
 */
class OrderGatewayRecoveryTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(5);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * A tiny exchange: open orders per id, final states of closed ones, and per-id behaviour of new
   * orders (answer at once, or land / fill / get lost while the answer is held back).
   */
  static final class Exchange {
    enum OnPlace {
      ACCEPT,
      LAND_SILENTLY,
      FILL_SILENTLY,
      LOSE
    }

    final Map<String, String> open = new ConcurrentHashMap<>(); // id -> symbol
    final Map<String, String> closed = new ConcurrentHashMap<>(); // id -> final status
    final Map<String, OnPlace> onPlace = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<RestResult<JsonNode>>> heldAnswers =
        new ConcurrentHashMap<>();
    volatile CompletableFuture<Void> openOrdersGate = CompletableFuture.completedFuture(null);

    CompletionStage<RestResult<JsonNode>> handle(RestRequest r) {
      String path = r.path();
      String method = r.method().name();
      if (path.equals("/fapi/v1/openOrders")) {
        String symbol = r.param("symbol");
        return openOrdersGate.thenCompose(
            x ->
                ScriptedTransport.ok(
                    open.entrySet().stream()
                        .filter(e -> e.getValue().equals(symbol))
                        .map(
                            e ->
                                ScriptedTransport.orderJson(
                                    e.getKey(), symbol, "NEW", "60000.00", "0.002", "0.000"))
                        .collect(Collectors.joining(",", "[", "]"))));
      }
      if (path.equals("/fapi/v1/order") && method.equals("POST")) {
        String id = r.param("newClientOrderId");
        OnPlace what = onPlace.getOrDefault(id, OnPlace.ACCEPT);
        switch (what) {
          case ACCEPT -> open.put(id, r.param("symbol"));
          case LAND_SILENTLY -> open.put(id, r.param("symbol"));
          case FILL_SILENTLY -> closed.put(id, "FILLED");
          case LOSE -> {}
        }
        if (what == OnPlace.ACCEPT) {
          return ScriptedTransport.order(r, "NEW", "0.000");
        }
        CompletableFuture<RestResult<JsonNode>> held = new CompletableFuture<>();
        heldAnswers.put(id, held);
        return held;
      }
      String id = r.param("origClientOrderId");
      if (path.equals("/fapi/v1/order") && method.equals("GET")) {
        if (open.containsKey(id)) {
          return ScriptedTransport.ok(orderJson(id, open.get(id), "NEW"));
        }
        String status = closed.get(id);
        return status == null
            ? ScriptedTransport.rejected(-2013, "Order does not exist.")
            : ScriptedTransport.ok(orderJson(id, "BTCUSDT", status));
      }
      if (path.equals("/fapi/v1/order") && method.equals("DELETE")) {
        String symbol = open.remove(id);
        if (symbol == null) {
          return ScriptedTransport.rejected(-2011, "Unknown order sent.");
        }
        closed.put(id, "CANCELED");
        return ScriptedTransport.ok(orderJson(id, symbol, "CANCELED"));
      }
      if (path.equals("/fapi/v1/allOpenOrders") && method.equals("DELETE")) {
        open.entrySet().removeIf(e -> e.getValue().equals(r.param("symbol")));
        return ScriptedTransport.ok(
            "{\"code\":200,\"msg\":\"The operation of cancel all open order is done.\"}");
      }
      return ScriptedTransport.rejected(-1000, "not scripted: " + method + " " + path);
    }

    private static String orderJson(String id, String symbol, String status) {
      return ScriptedTransport.orderJson(
          id, symbol, status, "60000.00", "0.002", status.equals("FILLED") ? "0.002" : "0.000");
    }
  }

  record Rig(
      ActorRef<OrderGateway.Command> gateway,
      Exchange exchange,
      ScriptedTransport transport,
      TestProbe<OrderEvent> requester,
      SimpleMeterRegistry registry) {
    void place(String id) {
      gateway.tell(
          new OrderGateway.Submit(OrderGatewayTest.place(id, 0, 600_000, 2), requester.getRef()));
    }

    List<String> working() {
      TestProbe<OrderGateway.WorkingOrders> probe = testKit.createTestProbe();
      gateway.tell(new OrderGateway.GetWorkingOrders(probe.getRef()));
      return probe.receiveMessage(WAIT).orders().stream()
          .map(WorkingOrder::clientOrderId)
          .sorted()
          .toList();
    }

    long posts(String id) {
      return transport.matching("POST", "/fapi/v1/order").stream()
          .filter(s -> id.equals(s.request().param("newClientOrderId")))
          .count();
    }
  }

  static Rig rig(String overrides) {
    return rig(overrides, SupervisorStrategy.restart());
  }

  static Rig rig(String overrides, SupervisorStrategy strategy) {
    Exchange exchange = new Exchange();
    ScriptedTransport transport = new ScriptedTransport(exchange::handle);
    GatewaySettings settings =
        OrderGatewayTest.settings(
            ", max-batch = 1, recovery.enabled = on, recovery.timeout = 2s " + overrides);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ActorRef<OrderGateway.Command> gw =
        testKit.spawn(
            Behaviors.supervise(
                    OrderGateway.create(
                        new OrderGatewayDependencies(
                            transport,
                            List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
                            settings,
                            ServerClock.fixed(0),
                            testKit.<TimeSync.Command>createTestProbe().getRef(),
                            registry)))
                .onFailure(strategy));
    return new Rig(gw, exchange, transport, testKit.createTestProbe(), registry);
  }

  /**
   * Collects the requester's events until every id has its final word (resolved, rejected,
   * canceled).
   */
  static Map<String, List<OrderEvent>> outcomes(TestProbe<OrderEvent> probe, Set<String> ids) {
    Map<String, List<OrderEvent>> byId = new HashMap<>();
    Set<String> settled = new TreeSet<>();
    while (!settled.containsAll(ids)) {
      OrderEvent e = probe.receiveMessage(WAIT);
      String id = clientOrderId(e);
      byId.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
      if (e instanceof OrderEvent.OrderResolved
          || e instanceof OrderEvent.OrderRejected
          || e instanceof OrderEvent.OrderCanceled) {
        settled.add(id);
      }
    }
    return byId;
  }

  static String clientOrderId(OrderEvent e) {
    if (e instanceof OrderEvent.OrderAccepted a) {
      return a.clientOrderId();
    } else if (e instanceof OrderEvent.OrderUnknown u) {
      return u.clientOrderId();
    } else if (e instanceof OrderEvent.OrderResolved r) {
      return r.clientOrderId();
    } else if (e instanceof OrderEvent.OrderRejected r) {
      return r.clientOrderId();
    } else if (e instanceof OrderEvent.OrderCanceled c) {
      return c.clientOrderId();
    } else if (e instanceof OrderEvent.OrderAmended a) {
      return a.clientOrderId();
    }
    return e.toString();
  }

  static OrderState resolvedState(List<OrderEvent> events) {
    OrderEvent last = events.get(events.size() - 1);
    return assertInstanceOf(OrderEvent.OrderResolved.class, last, events::toString).state();
  }

  /**
   * The 60-minute chaos soak's heap grew by every crashed gateway: each incarnation's ban listener
   * stayed registered on the account's shared budget, and with it the whole old incarnation (its
   * table, settled ids, histograms).
   */
  @Test
  void aRestartedGatewayLeavesNoListenerOfTheOldIncarnationOnTheSharedBudget() {
    Exchange exchange = new Exchange();
    OrderGatewayDependencies deps =
        new OrderGatewayDependencies(
            new ScriptedTransport(exchange::handle),
            List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
            OrderGatewayTest.settings(", recovery.enabled = on, recovery.timeout = 2s"),
            ServerClock.fixed(0),
            testKit.<TimeSync.Command>createTestProbe().getRef(),
            new SimpleMeterRegistry());
    ActorRef<OrderGateway.Command> gw =
        testKit.spawn(
            Behaviors.supervise(OrderGateway.create(deps)).onFailure(SupervisorStrategy.restart()));
    TestProbe<OrderGateway.WorkingOrders> probe = testKit.createTestProbe();
    for (int i = 0; i < 3; i++) {
      gw.tell(new OrderGateway.InjectFailure("test"));
      gw.tell(new OrderGateway.GetWorkingOrders(probe.getRef()));
      probe.receiveMessage(WAIT);
    }
    assertEquals(1, deps.budget().banListenerCount());
    testKit.stop(gw);
    probe.awaitAssert(
        WAIT,
        () -> {
          assertEquals(0, deps.budget().banListenerCount());
          return null;
        });
  }

  @Test
  void aCrashingGatewayDoesNotLoseOrders() {
    Rig rig = rig("");
    String w1 = "phx-w-1";
    String w2 = "phx-w-2";
    String landed = "phx-f-landed";
    String filled = "phx-f-filled";
    String lost = "phx-f-lost";
    rig.exchange().onPlace.put(landed, Exchange.OnPlace.LAND_SILENTLY);
    rig.exchange().onPlace.put(filled, Exchange.OnPlace.FILL_SILENTLY);
    rig.exchange().onPlace.put(lost, Exchange.OnPlace.LOSE);
    rig.place(w1);
    rig.place(w2);
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    rig.place(landed);
    rig.place(filled);
    rig.place(lost);
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(3, rig.exchange().heldAnswers.size());
              return null;
            });

    rig.gateway().tell(new OrderGateway.InjectFailure("test"));
    // the old incarnation's answer arrives after the restart: it must not reach anyone
    rig.exchange()
        .heldAnswers
        .get(landed)
        .complete(
            ScriptedTransport.ok(
                    ScriptedTransport.orderJson(
                        landed, "BTCUSDT", "NEW", "60000.00", "0.002", "0.000"))
                .toCompletableFuture()
                .join());

    Map<String, List<OrderEvent>> byId =
        outcomes(rig.requester(), Set.of(w1, w2, landed, filled, lost));
    assertEquals(OrderState.NEW, resolvedState(byId.get(w1)));
    assertEquals(OrderState.NEW, resolvedState(byId.get(w2)));
    assertEquals(OrderState.NEW, resolvedState(byId.get(landed)));
    assertEquals(OrderState.FILLED, resolvedState(byId.get(filled)));
    assertEquals(OrderState.REJECTED, resolvedState(byId.get(lost)));
    for (String inFlight : List.of(landed, filled, lost)) {
      List<OrderEvent> events = byId.get(inFlight);
      assertEquals(2, events.size(), events::toString);
      assertEquals(
          RequestKind.PLACE, assertInstanceOf(OrderEvent.OrderUnknown.class, events.get(0)).kind());
    }
    assertEquals(1, byId.get(w1).size(), byId.get(w1)::toString);
    rig.requester().expectNoMessage(Duration.ofMillis(200));
    // never resent; in-flight ones settled by query
    for (String id : List.of(w1, w2, landed, filled, lost)) {
      assertEquals(1, rig.posts(id), id);
    }
    Set<String> queried =
        rig.transport().matching("GET", "/fapi/v1/order").stream()
            .map(s -> s.request().param("origClientOrderId"))
            .collect(Collectors.toSet());
    assertTrue(queried.containsAll(Set.of(filled, lost)), queried::toString);
    assertEquals(new TreeSet<>(rig.exchange().open.keySet()).stream().toList(), rig.working());
    assertEquals(List.of(landed, w1, w2), rig.working());

    rig.gateway()
        .tell(new OrderGateway.Submit(new OrderIntent.Cancel(0, landed), rig.requester().getRef()));
    assertEquals(
        landed,
        rig.requester().expectMessageClass(OrderEvent.OrderCanceled.class, WAIT).clientOrderId());
    assertEquals(List.of(w1, w2), rig.working());
  }

  @Test
  void theHandoverAlsoWorksUnderBackoffSupervisionAsTheGuardianUsesIt() {
    Rig rig =
        rig(
            "",
            SupervisorStrategy.restartWithBackoff(
                Duration.ofMillis(50), Duration.ofMillis(200), 0));
    String working = "phx-b-working";
    String inFlight = "phx-b-inflight";
    rig.exchange().onPlace.put(inFlight, Exchange.OnPlace.LAND_SILENTLY);
    rig.place(working);
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    rig.place(inFlight);
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(1, rig.exchange().heldAnswers.size());
              return null;
            });
    rig.gateway().tell(new OrderGateway.InjectFailure("test"));
    rig.place("phx-b-during-backoff");
    Map<String, List<OrderEvent>> byId = outcomes(rig.requester(), Set.of(working, inFlight));
    assertEquals(OrderState.NEW, resolvedState(byId.get(working)));
    assertEquals(OrderState.NEW, resolvedState(byId.get(inFlight)));
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(List.of("phx-b-during-backoff", inFlight, working), rig.working());
              return null;
            });
    assertEquals(1, rig.posts(inFlight));
  }

  @Test
  void aQueuedOrderNeverSentIsRefusedAndAWantedCancelIsSentAgain() {
    Rig rig = rig(", max-in-flight = 1");
    String working = "phx-q-working";
    String blocker = "phx-q-blocker";
    String queued = "phx-q-queued";
    rig.place(working);
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    rig.exchange().onPlace.put(blocker, Exchange.OnPlace.LAND_SILENTLY);
    rig.place(blocker);
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(1, rig.exchange().heldAnswers.size());
              return null;
            });
    rig.place(queued);
    rig.gateway()
        .tell(
            new OrderGateway.Submit(new OrderIntent.Cancel(0, working), rig.requester().getRef()));
    rig.gateway().tell(new OrderGateway.InjectFailure("test"));

    Map<String, List<OrderEvent>> byId =
        outcomes(rig.requester(), Set.of(working, blocker, queued));
    OrderEvent.OrderRejected refused =
        assertInstanceOf(OrderEvent.OrderRejected.class, byId.get(queued).get(0));
    assertEquals(0, refused.code());
    assertEquals(0, rig.posts(queued));
    assertEquals(OrderState.NEW, resolvedState(byId.get(blocker)));
    assertEquals(OrderState.NEW, resolvedState(byId.get(working)));
    // the cancel asked for before the crash still happens
    assertEquals(
        working,
        rig.requester().expectMessageClass(OrderEvent.OrderCanceled.class, WAIT).clientOrderId());
    assertEquals(List.of(blocker), rig.working());
    assertEquals(Set.of(blocker), rig.exchange().open.keySet());
  }

  @Test
  void aStartingGatewayAdoptsOurOpenOrdersAndHoldsIntentsUntilRecovered() {
    Rig rig = rig("");
    assertEquals(List.of(), rig.working()); // answered once the first start's recovery is done
    // orders from an earlier run, then an exchange slow to list them when the gateway restarts
    Exchange exchange = rig.exchange();
    exchange.open.put("phx-old-1", "BTCUSDT");
    exchange.open.put("phx-old-2", "ETHUSDT");
    exchange.open.put("manual-1", "BTCUSDT");
    CompletableFuture<Void> gate = new CompletableFuture<>();
    exchange.openOrdersGate = gate;
    rig.gateway().tell(new OrderGateway.InjectFailure("restart with a slow exchange"));
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(4, rig.transport().matching("GET", "/fapi/v1/openOrders").size());
              return null;
            });
    TestProbe<OrderGateway.WorkingOrders> early = testKit.createTestProbe();
    rig.gateway().tell(new OrderGateway.GetWorkingOrders(early.getRef()));
    rig.place("phx-new-1");
    rig.requester().expectNoMessage(Duration.ofMillis(200));
    assertEquals(0, rig.posts("phx-new-1"));

    gate.complete(null);
    List<String> listed =
        early.receiveMessage(WAIT).orders().stream()
            .map(WorkingOrder::clientOrderId)
            .sorted()
            .toList();
    assertEquals(List.of("phx-old-1", "phx-old-2"), listed);
    assertEquals(
        "phx-new-1",
        rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT).clientOrderId());
    assertEquals(List.of("phx-new-1", "phx-old-1", "phx-old-2"), rig.working());

    // an adopted order nobody asked for reports to whoever cancels it
    TestProbe<OrderEvent> canceller = testKit.createTestProbe();
    rig.gateway()
        .tell(new OrderGateway.Submit(new OrderIntent.Cancel(1, "phx-old-2"), canceller.getRef()));
    assertEquals(
        "phx-old-2",
        canceller.expectMessageClass(OrderEvent.OrderCanceled.class, WAIT).clientOrderId());
    assertEquals(
        2, rig.registry().counter("phoenix.gateway.recovered", "outcome", "orphan").count(), 0.0);
  }

  @Test
  void anUnreachableExchangeDelaysTheStartOnlyUntilTheRecoveryTimeout() {
    Exchange exchange = new Exchange();
    ScriptedTransport transport =
        new ScriptedTransport(
            r ->
                r.path().equals("/fapi/v1/openOrders")
                    ? ScriptedTransport.unknown("connection refused")
                    : exchange.handle(r));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ActorRef<OrderGateway.Command> gw =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                    transport,
                    List.of(OrderGatewayTest.BTC),
                    OrderGatewayTest.settings(", recovery.enabled = on, recovery.timeout = 300ms"),
                    ServerClock.fixed(0),
                    testKit.<TimeSync.Command>createTestProbe().getRef(),
                    registry)));
    TestProbe<OrderEvent> requester = testKit.createTestProbe();
    gw.tell(
        new OrderGateway.Submit(
            OrderGatewayTest.place("phx-late-1", 0, 600_000, 2), requester.getRef()));
    requester.expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    assertTrue(transport.matching("GET", "/fapi/v1/openOrders").size() >= 2, "retried the read");
    assertEquals(1, registry.counter("phoenix.gateway.recovery.timeouts").count(), 0.0);
  }

  @Test
  void riskAndTheQuoterLearnTheOrdersARestartedGatewayRecovered() {
    Rig rig = rig("");
    ActorRef<Risk.Outbound> port =
        testKit.spawn(
            Behaviors.receive(Risk.Outbound.class)
                .onMessage(
                    Risk.Outbound.Send.class,
                    send -> {
                      rig.gateway().tell(new OrderGateway.Submit(send.intent(), send.replyTo()));
                      return Behaviors.same();
                    })
                .build());
    ActorRef<Risk.Command> risk =
        testKit.spawn(
            Risk.create(
                new Risk.Dependencies(
                    RiskSettings.fromConfig(ConfigFactory.load()),
                    List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
                    Risk.Outlet.of(port),
                    Duration.ofSeconds(1))));
    TestProbe<Risk.QuoterNotice> quoter = testKit.createTestProbe();
    risk.tell(new Risk.RegisterQuoter(0, quoter.getRef()));
    quoter.expectMessageClass(Risk.QuoterNotice.Restore.class, WAIT);
    risk.tell(
        new Risk.Market(
            new MarketEvent.MarkPrice(0, 600_000, 0.0001, 0, System.currentTimeMillis())));
    TestProbe<Risk.Decision> decisions = testKit.createTestProbe();
    String working = "phx-r-working";
    String inFlight = "phx-r-inflight";
    rig.exchange().onPlace.put(inFlight, Exchange.OnPlace.LAND_SILENTLY);
    for (String id : List.of(working, inFlight)) {
      risk.tell(new Risk.Check(OrderGatewayTest.place(id, 0, 599_990, 2), decisions.getRef()));
      assertEquals(PreTradeResult.Verdict.APPROVE, decisions.receiveMessage(WAIT).verdict());
    }
    OrderEvent first = quoterEvent(quoter);
    assertInstanceOf(OrderEvent.OrderAccepted.class, first, first::toString);
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(1, rig.exchange().heldAnswers.size());
              return null;
            });
    TestProbe<Risk.RiskState> state = testKit.createTestProbe();
    risk.tell(new Risk.GetState(state.getRef()));
    assertEquals(1, state.receiveMessage(WAIT).inFlightOrders());

    rig.gateway().tell(new OrderGateway.InjectFailure("test"));

    // through risk's relay the quoter hears about both orders again; risk stops counting one in
    // flight
    List<OrderEvent> heard = List.of(quoterEvent(quoter), quoterEvent(quoter), quoterEvent(quoter));
    assertEquals(
        List.of(inFlight, working),
        heard.stream()
            .filter(e -> e instanceof OrderEvent.OrderResolved)
            .map(OrderGatewayRecoveryTest::clientOrderId)
            .sorted()
            .toList());
    assertTrue(
        heard.stream()
            .anyMatch(
                e -> e instanceof OrderEvent.OrderUnknown u && u.clientOrderId().equals(inFlight)));
    risk.tell(new Risk.GetState(state.getRef()));
    Risk.RiskState after = state.receiveMessage(WAIT);
    assertEquals(0, after.inFlightOrders());
    assertEquals(2, after.openOrders());
  }

  static OrderEvent quoterEvent(TestProbe<Risk.QuoterNotice> quoter) {
    while (true) {
      Risk.QuoterNotice c = quoter.receiveMessage(WAIT);
      // risk's start-up cancel-all is not what this test is about
      if (c instanceof Risk.QuoterNotice.OrderOutcome o
          && !(o.event() instanceof OrderEvent.AllCanceled)) {
        return o.event();
      }
    }
  }
}
