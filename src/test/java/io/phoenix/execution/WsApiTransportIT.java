package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.order.WsApiTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.WsApiSettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single-order calls over the simulator's WebSocket trading API, everything else over REST; a
 * session dropped mid-request, and REST standing in while the session is down.
 */
class WsApiTransportIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();
  static final Config CONFIG = SIM.config();
  static final ActorTestKit testKit = SIM.testKit();
  static final Instrument BTC = OrderGatewayTest.BTC;
  static BinanceRestClient rest;
  static WsApiTransport transport;
  static final AtomicInteger restCalls = new AtomicInteger();
  static final AtomicInteger restBatches = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    BinanceRestSettings restSettings =
        BinanceRestSettings.fromConfig(CONFIG).withRestUrl(SIM.restUrl());
    rest = BinanceRestClient.create(testKit.system(), restSettings, ServerClock.fixed(0));
    WsApiSettings ws = WsApiSettings.fromConfig(CONFIG).withUrl(SIM.wsUrl() + "/ws-fapi/v1");
    ExchangeTransport counted =
        r -> {
          restCalls.incrementAndGet();
          if (r.path().endsWith("/batchOrders")) {
            restBatches.incrementAndGet();
          }
          return rest.send(r);
        };
    transport =
        (WsApiTransport)
            WsApiTransport.select(
                testKit.system(),
                ws.withEnabled(true),
                restSettings.apiKey(),
                restSettings.apiSecret(),
                ServerClock.fixed(0),
                restSettings.recvWindow(),
                counted);
    Polling.until(Duration.ofSeconds(10), transport::up);
  }

  @AfterAll
  static void stop() throws Exception {
    transport.close();
  }

  /**
   * The engine's BTCUSDT book as the admin endpoint shows it (never delayed by the delay fault).
   */
  private static String engineBook() {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          SIM.restUrl() + "/sim/admin/book?symbol=BTCUSDT&limit=1000"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  private static RestResult<JsonNode> send(RestRequest r) {
    return transport.send(r).toCompletableFuture().join();
  }

  @SuppressWarnings("unchecked")
  private static JsonNode ok(RestResult<JsonNode> r) {
    return ((RestResult.Ok<JsonNode>) assertInstanceOf(RestResult.Ok.class, r, r.toString()))
        .body();
  }

  @Test
  void placeStatusModifyCancelOverTheWebSocket() {
    int restBefore = restCalls.get();
    JsonNode top =
        ok(send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "ETHUSDT").build()));
    assertEquals(restBefore + 1, restCalls.get(), "market data stays on REST");
    BigDecimal bid = new BigDecimal(top.get("bidPrice").asText());
    BigDecimal ask = new BigDecimal(top.get("askPrice").asText());
    String price =
        bid.multiply(new BigDecimal("0.98"))
            .setScale(2, java.math.RoundingMode.DOWN)
            .toPlainString();

    JsonNode placed =
        ok(
            send(
                RestRequest.post("/fapi/v1/order")
                    .signed()
                    .param("symbol", "ETHUSDT")
                    .param("side", "BUY")
                    .param("type", "LIMIT")
                    .param("timeInForce", "GTX")
                    .param("quantity", "0.010")
                    .param("price", price)
                    .param("newClientOrderId", "phx-1-ws1")
                    .build()));
    assertEquals("NEW", placed.get("status").asText());
    long orderId = placed.get("orderId").asLong();

    JsonNode status =
        ok(
            send(
                RestRequest.get("/fapi/v1/order")
                    .signed()
                    .param("symbol", "ETHUSDT")
                    .param("origClientOrderId", "phx-1-ws1")
                    .build()));
    assertEquals(orderId, status.get("orderId").asLong());

    JsonNode modified =
        ok(
            send(
                RestRequest.put("/fapi/v1/order")
                    .signed()
                    .param("symbol", "ETHUSDT")
                    .param("orderId", orderId)
                    .param("side", "BUY")
                    .param("quantity", "0.020")
                    .param("price", price)
                    .build()));
    assertEquals("0.020", modified.get("origQty").asText());

    JsonNode canceled =
        ok(
            send(
                RestRequest.delete("/fapi/v1/order")
                    .signed()
                    .param("symbol", "ETHUSDT")
                    .param("orderId", orderId)
                    .build()));
    assertEquals("CANCELED", canceled.get("status").asText());
    var again =
        send(
            RestRequest.delete("/fapi/v1/order")
                .signed()
                .param("symbol", "ETHUSDT")
                .param("orderId", orderId)
                .build());
    assertEquals(-2011, assertInstanceOf(RestResult.Rejected.class, again).code());

    var crossing =
        send(
            RestRequest.post("/fapi/v1/order")
                .signed()
                .param("symbol", "ETHUSDT")
                .param("side", "BUY")
                .param("type", "LIMIT")
                .param("timeInForce", "GTX")
                .param("quantity", "0.010")
                .param("price", ask.add(new BigDecimal("1.00")).toPlainString())
                .param("newClientOrderId", "phx-1-ws2")
                .build());
    assertEquals(-5022, assertInstanceOf(RestResult.Rejected.class, crossing).code());
    assertEquals(
        restBefore + 1, restCalls.get(), "every single-order call went over the WebSocket");
  }

  /**
   * Both sides of a quote handed over at once: with the session up each goes alone over the
   * WebSocket (the WebSocket API has no batch call; a batch would be a REST round trip).
   */
  @Test
  void aGatewayOverTheSessionSendsAQuotesOrdersOneByOneOverTheWebSocketNotAsARestBatch() {
    Polling.until(Duration.ofSeconds(10), transport::up);
    JsonNode top =
        ok(send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "BTCUSDT").build()));
    BigDecimal bid = new BigDecimal(top.get("bidPrice").asText());
    var events = testKit.<OrderEvent>createTestProbe();
    var timeSync = testKit.<TimeSync.Command>createTestProbe();
    GatewaySettings settings = GatewaySettings.fromConfig(CONFIG);
    assertTrue(settings.maxBatch() > 1, "batching is on: " + settings.maxBatch());
    var gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                    transport,
                    List.of(BTC),
                    settings,
                    ServerClock.fixed(0),
                    timeSync.getRef(),
                    new SimpleMeterRegistry())));
    List<OrderGateway.Submit> quote = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String price =
          bid.multiply(
                  new BigDecimal("0.97")
                      .subtract(new BigDecimal("0.005").multiply(BigDecimal.valueOf(i))))
              .setScale(1, java.math.RoundingMode.DOWN)
              .toPlainString();
      quote.add(
          new OrderGateway.Submit(
              new OrderIntent.Place(
                  BTC.id(),
                  "phx-0-wsone" + i,
                  Side.BUY,
                  BTC.price().parse(price),
                  BTC.quantity().parse("0.002"),
                  TimeInForce.GTX,
                  false,
                  System.nanoTime()),
              events.getRef()));
    }
    // the gateway's start-up reads (open orders) go over REST whenever they run: count batches
    int batchesBefore = restBatches.get();
    long wsBefore = transport.sentOverWebSocket();
    gateway.tell(new OrderGateway.SubmitAll(quote));
    int accepted = 0;
    while (accepted < 3) {
      OrderEvent e = events.receiveMessage(Duration.ofSeconds(10));
      assertTrue(
          !(e instanceof OrderEvent.OrderRejected) && !(e instanceof OrderEvent.OrderUnknown),
          e.toString());
      accepted += e instanceof OrderEvent.OrderAccepted ? 1 : 0;
    }
    assertEquals(
        wsBefore + 3, transport.sentOverWebSocket(), "one request per order on the session");
    assertEquals(batchesBefore, restBatches.get(), "no REST batch");
    gateway.tell(new OrderGateway.Submit(new OrderIntent.CancelAll(BTC.id()), events.getRef()));
    events.fishForMessage(
        Duration.ofSeconds(10),
        e ->
            e instanceof OrderEvent.AllCanceled
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  /**
   * The session drops while a place is in flight (the simulator executed it and holds the reply):
   * the gateway hears an unknown outcome and resolves it by query — the order exists, once — and
   * meanwhile order entry goes over REST, until the session is back.
   */
  @Test
  void aSessionDropMidRequestIsUnknownThenResolvedAndRestTakesOverUntilTheSessionReturns()
      throws Exception {
    Polling.until(Duration.ofSeconds(10), transport::up);
    JsonNode top =
        ok(send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "BTCUSDT").build()));
    String price =
        new BigDecimal(top.get("bidPrice").asText())
            .multiply(new BigDecimal("0.97"))
            .setScale(1, java.math.RoundingMode.DOWN)
            .toPlainString();
    var events = testKit.<OrderEvent>createTestProbe();
    var timeSync = testKit.<TimeSync.Command>createTestProbe();
    var gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                    transport,
                    List.of(BTC),
                    GatewaySettings.fromConfig(CONFIG),
                    ServerClock.fixed(0),
                    timeSync.getRef(),
                    new SimpleMeterRegistry())));
    SIM.faults().delay(Duration.ofMillis(2000));
    try {
      long wsBefore = transport.sentOverWebSocket();
      gateway.tell(
          new OrderGateway.Submit(
              new OrderIntent.Place(
                  BTC.id(),
                  "phx-0-wsdrop1",
                  Side.BUY,
                  BTC.price().parse(price),
                  BTC.quantity().parse("0.002"),
                  TimeInForce.GTX,
                  false,
                  System.nanoTime()),
              events.getRef()));
      Polling.until(Duration.ofSeconds(5), () -> transport.sentOverWebSocket() > wsBefore);
      // the simulator has placed it and holds the reply back: the drop loses the answer, not the
      // order
      // (read from the engine's own book: every REST answer is delayed too)
      String level = "\"" + new BigDecimal(price).setScale(2).toPlainString() + "\"";
      Polling.until(Duration.ofSeconds(2), () -> engineBook().contains(level));
      SIM.faults().dropWebSockets();
      OrderEvent.OrderUnknown unknown =
          events.expectMessageClass(OrderEvent.OrderUnknown.class, Duration.ofSeconds(10));
      assertTrue(unknown.reason().contains("WS API connection lost"), unknown.reason());
    } finally {
      SIM.faults().delay(Duration.ZERO);
    }
    OrderEvent.OrderResolved resolved =
        events.expectMessageClass(OrderEvent.OrderResolved.class, Duration.ofSeconds(15));
    assertEquals(
        OrderState.NEW,
        resolved.state(),
        "the simulator executed the place before the session dropped");
    RestResult<java.util.List<io.phoenix.binance.rest.RestOrderResponse>> open =
        rest.openOrders("BTCUSDT").toCompletableFuture().get(10, TimeUnit.SECONDS);
    long copies =
        ((RestResult.Ok<java.util.List<io.phoenix.binance.rest.RestOrderResponse>>) open)
            .body().stream().filter(o -> o.clientOrderId().equals("phx-0-wsdrop1")).count();
    assertEquals(1, copies, "exactly one order, never resent");
    assertTrue(
        transport.sentOverFallback() > 0,
        "the status query went over REST while the session was down");
    Polling.until(Duration.ofSeconds(10), transport::up);
    long wsBefore = transport.sentOverWebSocket();
    gateway.tell(
        new OrderGateway.Submit(
            new OrderIntent.Cancel(BTC.id(), "phx-0-wsdrop1"), events.getRef()));
    events.expectMessageClass(OrderEvent.OrderCanceled.class, Duration.ofSeconds(10));
    assertEquals(
        wsBefore + 1,
        transport.sentOverWebSocket(),
        "back on the WebSocket once the session returned");
  }
}
