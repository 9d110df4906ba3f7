package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OrderGatewayTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          5568,
          45297640,
          1,
          1_000_000,
          100,
          200,
          1.05,
          0.95);
  static final Instrument ETH =
      new Instrument(
          1,
          "ETHUSDT",
          Scale.of("0.01"),
          Scale.of("0.001"),
          3986,
          30617700,
          1,
          10_000_000,
          20,
          200,
          1.05,
          0.95);
  private static final AtomicInteger ids = new AtomicInteger();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * Send-path settings: start-up recovery off (OrderGatewayRecoveryTest covers it), so requests are
   * only the test's.
   */
  static GatewaySettings settings(String overrides) {
    return GatewaySettings.fromConfig(
        ConfigFactory.parseString(
                "phoenix.gateway { unknown-resolve-bound = 400ms,"
                    + " query-backoff-min = 20ms, query-backoff-max = 80ms, clock-retry = 20ms, recovery.enabled = off "
                    + overrides
                    + " }")
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  /** A gateway under test with its probes. */
  record Rig(
      ActorRef<OrderGateway.Command> gateway,
      ScriptedTransport transport,
      TestProbe<OrderEvent> events,
      TestProbe<TimeSync.Command> timeSync,
      ServerClock clock,
      SimpleMeterRegistry registry) {
    void submit(OrderIntent intent) {
      gateway.tell(new OrderGateway.Submit(intent, events.getRef()));
    }
  }

  static Rig rig(
      String overrides, Function<RestRequest, CompletionStage<RestResult<JsonNode>>> script) {
    return rig(overrides, script, ServerClock.fixed(0));
  }

  static Rig rig(
      String overrides,
      Function<RestRequest, CompletionStage<RestResult<JsonNode>>> script,
      ServerClock clock) {
    ScriptedTransport transport = new ScriptedTransport(script);
    TestProbe<TimeSync.Command> timeSync = testKit.createTestProbe();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ActorRef<OrderGateway.Command> gw =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                    transport,
                    List.of(BTC, ETH),
                    settings(overrides),
                    clock,
                    timeSync.getRef(),
                    registry)));
    return new Rig(gw, transport, testKit.createTestProbe(), timeSync, clock, registry);
  }

  static void awaitSent(Rig rig, int count) {
    rig.events()
        .awaitAssert(
            () -> {
              assertEquals(count, rig.transport().sent.size());
              return null;
            });
  }

  static String id() {
    return "phx-t-" + ids.incrementAndGet();
  }

  static OrderIntent.Place place(String id, int symbolId, long price, long qty) {
    return new OrderIntent.Place(
        symbolId, id, Side.BUY, price, qty, TimeInForce.GTX, false, System.nanoTime());
  }

  static CompletionStage<RestResult<JsonNode>> echoNew(RestRequest r) {
    return ScriptedTransport.order(r, "NEW", "0.000");
  }

  @Test
  void placesAnOrderWithFormattedPriceAndQuantityAndRepliesAccepted() {
    Rig rig = rig("", OrderGatewayTest::echoNew);
    String id = id();
    rig.submit(place(id, 0, 600_001, 2));
    OrderEvent.OrderAccepted accepted =
        rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    assertEquals(id, accepted.clientOrderId());
    assertEquals(OrderState.NEW, accepted.state());
    RestRequest sent = rig.transport().sent.get(0).request();
    assertEquals("/fapi/v1/order", sent.path());
    assertEquals(RestRequest.Security.SIGNED, sent.security());
    assertEquals("60000.10", sent.param("price"));
    assertEquals("0.002", sent.param("quantity"));
    assertEquals("GTX", sent.param("timeInForce"));
    assertEquals(id, sent.param("newClientOrderId"));
    assertEquals(
        1.0,
        rig.registry().counter("phoenix.gateway.requests", "kind", "PLACE").count(),
        "requests counted by kind");
  }

  @Test
  void postOnlyRejectionIsADefiniteReject() {
    Rig rig = rig("", r -> ScriptedTransport.rejected(-5022, "post only"));
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    OrderEvent.OrderRejected rej = rig.events().expectMessageClass(OrderEvent.OrderRejected.class);
    assertEquals(-5022, rej.code());
    assertEquals(RequestKind.PLACE, rej.kind());
  }

  @Test
  void unknownOutcomeIsResolvedByQueryWithoutResending() {
    Rig rig =
        rig(
            "",
            r ->
                r.method() == RestRequest.Method.POST
                    ? ScriptedTransport.unknown("503 Unknown error")
                    : ScriptedTransport.ok(
                        ScriptedTransport.orderJson(
                            r.param("origClientOrderId"),
                            "BTCUSDT",
                            "NEW",
                            "60000.00",
                            "0.002",
                            "0.000")));
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    assertEquals(
        RequestKind.PLACE, rig.events().expectMessageClass(OrderEvent.OrderUnknown.class).kind());
    OrderEvent.OrderResolved resolved =
        rig.events().expectMessageClass(OrderEvent.OrderResolved.class);
    assertEquals(OrderState.NEW, resolved.state());
    assertEquals(1, rig.transport().matching("POST", "/fapi/v1/order").size());
    assertEquals(
        id,
        rig.transport()
            .matching("GET", "/fapi/v1/order")
            .get(0)
            .request()
            .param("origClientOrderId"));
  }

  @Test
  void unknownOrderStillMissingAfterTheBoundIsDeclaredNotPlacedAndNeverResent() {
    Rig rig =
        rig(
            "",
            r ->
                r.method() == RestRequest.Method.POST
                    ? ScriptedTransport.unknown("timeout")
                    : ScriptedTransport.rejected(-2013, "Order does not exist."));
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderUnknown.class);
    OrderEvent.OrderResolved resolved =
        rig.events().expectMessageClass(OrderEvent.OrderResolved.class, Duration.ofSeconds(5));
    assertEquals(OrderState.REJECTED, resolved.state());
    assertEquals(1, rig.transport().matching("POST", "/fapi/v1/order").size());
    assertTrue(rig.transport().matching("GET", "/fapi/v1/order").size() >= 2);
    rig.events().expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void cancelsGoBeforeAmendsAndAmendsBeforeNewOrders() {
    CompletableFuture<RestResult<JsonNode>> gate = new CompletableFuture<>();
    AtomicInteger n = new AtomicInteger();
    Rig rig =
        rig(
            ", max-in-flight = 1, max-batch = 1",
            r -> {
              int i = n.incrementAndGet();
              if (i == 3) {
                return gate.thenCompose(x -> echoNew(r));
              }
              return r.method() == RestRequest.Method.DELETE
                  ? ScriptedTransport.order(r, "CANCELED", "0.000")
                  : echoNew(r);
            });
    String a = id();
    String b = id();
    rig.submit(place(a, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    rig.submit(place(b, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    String blocker = id();
    rig.submit(place(blocker, 1, 300_000, 2));
    awaitSent(rig, 3);
    // the blocker holds the only in-flight slot; queue a new order, an amend and a cancel behind it
    String c = id();
    rig.submit(place(c, 0, 600_000, 2));
    rig.submit(new OrderIntent.Amend(0, a, 600_010, 3));
    rig.submit(new OrderIntent.Cancel(0, b));
    gate.complete(null);
    OrderEvent first = rig.events().receiveMessage();
    assertInstanceOf(
        OrderEvent.OrderAccepted.class, first, () -> first + " " + rig.transport().sent);
    assertInstanceOf(OrderEvent.OrderCanceled.class, rig.events().receiveMessage());
    OrderEvent.OrderAmended amended =
        rig.events().expectMessageClass(OrderEvent.OrderAmended.class);
    assertEquals(600_010, amended.priceTicks());
    assertEquals(3, amended.origQtySteps());
    assertEquals(
        c, rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId());
    List<String> order =
        rig.transport().sent.stream().skip(3).map(s -> s.request().method().name()).toList();
    assertEquals(List.of("DELETE", "PUT", "POST"), order);
    RestRequest put = rig.transport().sent.get(4).request();
    assertEquals("60001.00", put.param("price"));
    assertEquals("0.003", put.param("quantity"));
    assertEquals("BUY", put.param("side"));
  }

  @Test
  void queuedOrdersForOneSymbolAreBatched() {
    CompletableFuture<RestResult<JsonNode>> gate = new CompletableFuture<>();
    AtomicInteger n = new AtomicInteger();
    Rig rig =
        rig(
            ", max-in-flight = 1",
            r -> {
              if (n.incrementAndGet() == 1) {
                return gate.thenCompose(x -> echoNew(r));
              }
              // slot 0 and 2 accepted, slot 1 refused as post-only
              String batch = r.param("batchOrders");
              String[] cids =
                  batch
                      .replaceAll(".*?\"newClientOrderId\":\"([^\"]+)\".*?(?=\\{|$)", "$1,")
                      .split(",");
              return ScriptedTransport.ok(
                  "["
                      + ScriptedTransport.orderJson(
                          cids[0], "BTCUSDT", "NEW", "60000.00", "0.002", "0")
                      + ",{\"code\":-5022,\"msg\":\"post only\"},"
                      + ScriptedTransport.orderJson(
                          cids[2], "BTCUSDT", "NEW", "60000.00", "0.002", "0")
                      + "]");
            });
    rig.submit(place(id(), 1, 300_000, 2));
    awaitSent(rig, 1);
    String x = id();
    String y = id();
    String z = id();
    rig.submit(place(x, 0, 600_000, 2));
    rig.submit(place(y, 0, 600_000, 2));
    rig.submit(place(z, 0, 600_000, 2));
    gate.complete(null);
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    assertEquals(
        x, rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId());
    OrderEvent.OrderRejected rej = rig.events().expectMessageClass(OrderEvent.OrderRejected.class);
    assertEquals(y, rej.clientOrderId());
    assertEquals(-5022, rej.code());
    assertEquals(
        z, rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId());
    assertEquals(1, rig.transport().matching("POST", "/fapi/v1/batchOrders").size());
    assertTrue(
        rig.transport()
            .matching("POST", "/fapi/v1/batchOrders")
            .get(0)
            .request()
            .param("batchOrders")
            .startsWith(
                "[{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTX\""));
  }

  @Test
  void severalCancelsForOneSymbolGoAsOneBatchCancel() {
    CompletableFuture<RestResult<JsonNode>> gate = new CompletableFuture<>();
    Rig rig =
        rig(
            ", max-in-flight = 1",
            r -> {
              if (r.path().equals("/fapi/v1/batchOrders")
                  && r.method() == RestRequest.Method.POST) {
                return ScriptedTransport.ok(
                    "["
                        + ScriptedTransport.orderJson(
                            r.param("batchOrders").split("newClientOrderId\":\"")[1].split("\"")[0],
                            "BTCUSDT",
                            "NEW",
                            "60000.00",
                            "0.002",
                            "0")
                        + ","
                        + ScriptedTransport.orderJson(
                            r.param("batchOrders").split("newClientOrderId\":\"")[2].split("\"")[0],
                            "BTCUSDT",
                            "NEW",
                            "60000.10",
                            "0.002",
                            "0")
                        + "]");
              }
              if (r.path().equals("/fapi/v1/batchOrders")) {
                return ScriptedTransport.ok(
                    "["
                        + ScriptedTransport.orderJson(
                            "a", "BTCUSDT", "CANCELED", "1.0", "0.002", "0")
                        + ",{\"code\":-2011,\"msg\":\"Unknown order sent.\"}]");
              }
              if (r.method() == RestRequest.Method.GET) {
                return ScriptedTransport.ok(
                    ScriptedTransport.orderJson(
                        r.param("origClientOrderId"),
                        "BTCUSDT",
                        "FILLED",
                        "60000.00",
                        "0.002",
                        "0.002"));
              }
              if (r.param("symbol").equals("ETHUSDT")) {
                return gate.thenCompose(x -> echoNew(r));
              }
              return echoNew(r);
            });
    String a = id();
    String b = id();
    rig.submit(place(a, 0, 600_000, 2));
    rig.submit(place(b, 0, 600_001, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    int before = rig.transport().sent.size();
    rig.submit(place(id(), 1, 300_000, 2));
    awaitSent(rig, before + 1);
    rig.submit(new OrderIntent.Cancel(0, a));
    rig.submit(new OrderIntent.Cancel(0, b));
    gate.complete(null);
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    assertEquals(
        a, rig.events().expectMessageClass(OrderEvent.OrderCanceled.class).clientOrderId());
    // -2011 for b: it filled meanwhile; the query says so
    OrderEvent.OrderResolved resolved =
        rig.events().expectMessageClass(OrderEvent.OrderResolved.class);
    assertEquals(b, resolved.clientOrderId());
    assertEquals(OrderState.FILLED, resolved.state());
    assertEquals(2, resolved.cumQtySteps());
    RestRequest batch = rig.transport().matching("DELETE", "/fapi/v1/batchOrders").get(0).request();
    assertEquals("[\"" + a + "\",\"" + b + "\"]", batch.param("origClientOrderIdList"));
  }

  /**
   * Without in-flight limits or gates: a requote's intents given as one message leave as one batch
   * cancel then one batch place.
   */
  @Test
  void aRequoteSubmittedTogetherLeavesAsOneBatchCancelThenOneBatchPlace() {
    Rig rig =
        rig(
            "",
            r -> {
              if (r.path().equals("/fapi/v1/batchOrders")
                  && r.method() == RestRequest.Method.POST) {
                String[] parts = r.param("batchOrders").split("newClientOrderId\":\"");
                StringBuilder out = new StringBuilder("[");
                for (int i = 1; i < parts.length; i++) {
                  out.append(i > 1 ? "," : "")
                      .append(
                          ScriptedTransport.orderJson(
                              parts[i].split("\"")[0], "BTCUSDT", "NEW", "60000.00", "0.002", "0"));
                }
                return ScriptedTransport.ok(out.append(']').toString());
              }
              if (r.path().equals("/fapi/v1/batchOrders")) {
                String[] ids =
                    r.param("origClientOrderIdList").replaceAll("[\\[\\]\"]", "").split(",");
                return ScriptedTransport.ok(
                    "["
                        + ScriptedTransport.orderJson(
                            ids[0], "BTCUSDT", "CANCELED", "60000.00", "0.002", "0")
                        + ","
                        + ScriptedTransport.orderJson(
                            ids[1], "BTCUSDT", "CANCELED", "60000.00", "0.002", "0")
                        + "]");
              }
              return echoNew(r);
            });
    String old1 = id();
    String old2 = id();
    rig.submit(place(old1, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    rig.submit(place(old2, 0, 600_001, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    int before = rig.transport().sent.size();

    String new1 = id();
    String new2 = id();
    rig.gateway()
        .tell(
            new OrderGateway.SubmitAll(
                List.of(
                    new OrderGateway.Submit(new OrderIntent.Cancel(0, old1), rig.events().getRef()),
                    new OrderGateway.Submit(place(new1, 0, 600_002, 2), rig.events().getRef()),
                    new OrderGateway.Submit(new OrderIntent.Cancel(0, old2), rig.events().getRef()),
                    new OrderGateway.Submit(place(new2, 0, 600_003, 2), rig.events().getRef()))));
    java.util.Set<String> canceled = new java.util.HashSet<>();
    java.util.Set<String> accepted = new java.util.HashSet<>();
    for (int i = 0; i < 4; i++) {
      OrderEvent e = rig.events().receiveMessage();
      if (e instanceof OrderEvent.OrderCanceled c) {
        canceled.add(c.clientOrderId());
      } else if (e instanceof OrderEvent.OrderAccepted a) {
        accepted.add(a.clientOrderId());
      }
    }
    assertEquals(java.util.Set.of(old1, old2), canceled);
    assertEquals(java.util.Set.of(new1, new2), accepted);
    List<ScriptedTransport.Sent> requests =
        rig.transport().sent.subList(before, rig.transport().sent.size());
    assertEquals(2, requests.size(), "one request per kind: " + requests);
    assertEquals(
        "DELETE /fapi/v1/batchOrders",
        requests.get(0).request().method() + " " + requests.get(0).request().path(),
        "cancels first");
    assertEquals(
        "POST /fapi/v1/batchOrders",
        requests.get(1).request().method() + " " + requests.get(1).request().path());
  }

  /**
   * An order waiting for its status query is settled another way first (here: the cancel, which
   * goes ahead of queries): the stale query is dropped, the gateway neither crashes nor sends it.
   */
  @Test
  void aQueuedQueryForAnOrderSettledMeanwhileIsDropped() {
    CompletableFuture<RestResult<JsonNode>> gate = new CompletableFuture<>();
    String a = id();
    Rig rig =
        rig(
            ", max-in-flight = 1",
            r -> {
              if (r.method() == RestRequest.Method.POST && a.equals(r.param("newClientOrderId"))) {
                return ScriptedTransport.unknown("503 Unknown error");
              }
              if (r.method() == RestRequest.Method.POST && "ETHUSDT".equals(r.param("symbol"))) {
                return gate.thenCompose(x -> echoNew(r));
              }
              if (r.method() == RestRequest.Method.DELETE) {
                return ScriptedTransport.ok(
                    ScriptedTransport.orderJson(
                        r.param("origClientOrderId"),
                        "BTCUSDT",
                        "CANCELED",
                        "60000.00",
                        "0.002",
                        "0"));
              }
              return echoNew(r);
            });
    rig.submit(place(a, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderUnknown.class);
    rig.submit(place(id(), 1, 300_000, 2)); // holds the only in-flight slot
    awaitSent(rig, 2);
    // the query's back-off (20-80 ms) ends while the slot is held: the query waits in its queue
    rig.events().expectNoMessage(Duration.ofMillis(200));
    rig.submit(new OrderIntent.Cancel(0, a));
    gate.complete(null);
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    assertEquals(
        a, rig.events().expectMessageClass(OrderEvent.OrderCanceled.class).clientOrderId());
    String c = id();
    rig.submit(place(c, 0, 600_001, 2));
    assertEquals(
        c,
        rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId(),
        "the gateway still works");
    assertEquals(
        0,
        rig.transport().matching("GET", "/fapi/v1/order").size(),
        "no query for a settled order");
  }

  @Test
  void http429StopsAllSendingUntilRetryAfter() {
    AtomicInteger n = new AtomicInteger();
    Rig rig =
        rig(
            "",
            r -> {
              if (n.incrementAndGet() == 1) {
                return ScriptedTransport.rateLimited(Duration.ofMillis(500), false);
              }
              return r.method() == RestRequest.Method.GET
                  ? ScriptedTransport.ok(
                      ScriptedTransport.orderJson(
                          r.param("origClientOrderId"), "BTCUSDT", "NEW", "1.0", "0.002", "0"))
                  : echoNew(r);
            });
    String first = id();
    rig.submit(place(first, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderUnknown.class);
    rig.submit(place(id(), 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class, Duration.ofSeconds(3));
    rig.events().expectMessageClass(OrderEvent.OrderResolved.class, Duration.ofSeconds(3));
    long t0 = rig.transport().sent.get(0).atMillis();
    for (int i = 1; i < rig.transport().sent.size(); i++) {
      assertTrue(
          rig.transport().sent.get(i).atMillis() - t0 >= 490,
          "request " + i + " sent during the pause");
    }
    assertEquals(1.0, rig.registry().counter("phoenix.gateway.rate.limited").count());
  }

  @Test
  void http418HaltsAndAlertsListeners() {
    Rig rig = rig("", r -> ScriptedTransport.rateLimited(Duration.ofSeconds(120), true));
    TestProbe<OrderEvent> alerts = testKit.createTestProbe();
    rig.gateway().tell(new OrderGateway.RegisterAlertListener(alerts.getRef()));
    // the ERROR line is part of the alerting contract
    akka.actor.testkit.typed.javadsl.LoggingTestKit.error("HTTP 418")
        .expect(
            testKit.system(),
            () -> {
              rig.submit(place(id(), 0, 600_000, 2));
              return null;
            });
    OrderEvent.GatewayHalted halted = alerts.expectMessageClass(OrderEvent.GatewayHalted.class);
    assertTrue(halted.banned());
    assertEquals(1.0, rig.registry().counter("phoenix.gateway.banned").count());
    rig.events().expectMessageClass(OrderEvent.OrderUnknown.class);
    rig.submit(place(id(), 0, 600_000, 2));
    rig.events().expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, rig.transport().sent.size());
  }

  @Test
  void timestampRejectResyncsTheClockAndResendsSoTheCallerNeverSeesIt() {
    AtomicInteger n = new AtomicInteger();
    ServerClock clock = ServerClock.fixed(0);
    Rig rig =
        rig(
            "",
            r ->
                n.incrementAndGet() == 1
                    ? ScriptedTransport.rejected(
                        -1021, "Timestamp for this request is outside of the recvWindow.")
                    : echoNew(r),
            clock);
    rig.submit(place(id(), 0, 600_000, 2));
    assertInstanceOf(TimeSync.Resync.class, rig.timeSync().receiveMessage());
    rig.events().expectNoMessage(Duration.ofMillis(100));
    // the gateway holds the resend until the clock is valid again
    assertEquals(1, rig.transport().sent.size());
    clock.update(5, 1, System.currentTimeMillis());
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    assertEquals(2, rig.transport().sent.size());
  }

  @Test
  void signedSendsWaitForAValidClock() {
    ServerClock clock = new ServerClock();
    Rig rig = rig("", OrderGatewayTest::echoNew, clock);
    rig.submit(place(id(), 0, 600_000, 2));
    assertInstanceOf(TimeSync.Resync.class, rig.timeSync().receiveMessage());
    rig.events().expectNoMessage(Duration.ofMillis(100));
    assertEquals(0, rig.transport().sent.size());
    clock.update(0, 2, System.currentTimeMillis());
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
  }

  @Test
  void cancelOfAnOrderNotYetSentNeverReachesTheExchange() {
    ServerClock clock = new ServerClock();
    Rig rig = rig("", OrderGatewayTest::echoNew, clock);
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    rig.submit(new OrderIntent.Cancel(0, id));
    assertEquals(
        id, rig.events().expectMessageClass(OrderEvent.OrderCanceled.class).clientOrderId());
    clock.update(0, 2, System.currentTimeMillis());
    rig.events().expectNoMessage(Duration.ofMillis(150));
    assertEquals(0, rig.transport().sent.size());
  }

  @Test
  void cancelAllCancelsTheSymbolAndReportsIt() {
    Rig rig =
        rig(
            "",
            r ->
                r.path().equals("/fapi/v1/allOpenOrders")
                    ? ScriptedTransport.ok(
                        "{\"code\":200,\"msg\":\"The operation of cancel all open order is done.\"}")
                    : echoNew(r));
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    rig.submit(new OrderIntent.CancelAll(0));
    assertEquals(0, rig.events().expectMessageClass(OrderEvent.AllCanceled.class).symbolId());
    TestProbe<OrderGateway.WorkingOrders> working = testKit.createTestProbe();
    rig.gateway().tell(new OrderGateway.GetWorkingOrders(working.getRef()));
    assertEquals(List.of(), working.receiveMessage().orders());
  }

  @Test
  void aPlaceSubmittedAfterACancelAllWaitsForItsAnswer() {
    java.util.concurrent.CompletableFuture<RestResult<JsonNode>> cancelAllAnswer =
        new java.util.concurrent.CompletableFuture<>();
    Rig rig =
        rig("", r -> r.path().equals("/fapi/v1/allOpenOrders") ? cancelAllAnswer : echoNew(r));
    rig.submit(new OrderIntent.CancelAll(0));
    String btc = id();
    String eth = id();
    rig.submit(place(btc, 0, 600_000, 2));
    rig.submit(place(eth, 1, 300_000, 2));
    // the other symbol is not held; this one's place waits behind its cancel-all
    assertEquals(
        eth, rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId());
    rig.events().expectNoMessage(Duration.ofMillis(200));
    assertEquals(2, rig.transport().sent.size(), "the cancel-all and the other symbol's place");
    cancelAllAnswer.complete(
        new RestResult.Ok<>(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("code", 200),
            200,
            io.phoenix.binance.rest.RateLimitUsage.NONE));
    rig.events().expectMessageClass(OrderEvent.AllCanceled.class);
    assertEquals(
        btc, rig.events().expectMessageClass(OrderEvent.OrderAccepted.class).clientOrderId());
    assertEquals("/fapi/v1/order", rig.transport().sent.get(2).request().path());
  }

  @Test
  void workingOrdersAndLatencyAreReported() {
    Rig rig = rig("", OrderGatewayTest::echoNew);
    String id = id();
    rig.submit(place(id, 0, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderAccepted.class);
    TestProbe<OrderGateway.WorkingOrders> working = testKit.createTestProbe();
    rig.gateway().tell(new OrderGateway.GetWorkingOrders(working.getRef()));
    WorkingOrder w = working.receiveMessage().orders().get(0);
    assertEquals(id, w.clientOrderId());
    assertEquals(OrderState.NEW, w.state());
    TestProbe<OrderGateway.LatencySnapshot> lat = testKit.createTestProbe();
    rig.gateway().tell(new OrderGateway.GetLatency(lat.getRef()));
    OrderGateway.LatencySnapshot s = lat.receiveMessage();
    assertEquals(1, s.count());
    assertTrue(s.p99Nanos() > 0);
  }

  @Test
  void badIntentsAreRefusedLocally() {
    Rig rig = rig("", OrderGatewayTest::echoNew);
    rig.submit(place("has space", 0, 600_000, 2));
    assertEquals(0, rig.events().expectMessageClass(OrderEvent.OrderRejected.class).code());
    rig.submit(place(id(), 9, 600_000, 2));
    rig.events().expectMessageClass(OrderEvent.OrderRejected.class);
    rig.submit(new OrderIntent.Amend(0, "nobody", 1, 1));
    assertEquals(
        RequestKind.AMEND, rig.events().expectMessageClass(OrderEvent.OrderRejected.class).kind());
    assertEquals(0, rig.transport().sent.size());
  }
}
