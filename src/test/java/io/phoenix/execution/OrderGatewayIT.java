package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway against the real simulator on a free port: full lifecycle, lost replies, rate limits,
 * clock skew and a crash-restart. Order limits are lowered so the budget is exercised within
 * seconds.
 */
class OrderGatewayIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      phoenix.sim.rate-limits { orders-per-10s = 20, orders-per-minute = 1000 }
      phoenix.gateway { unknown-resolve-bound = 2s, query-backoff-min = 50ms, query-backoff-max = 400ms }
      """);

  static final Config CONFIG = SIM.config();
  static final ActorTestKit testKit = SIM.testKit();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final AtomicInteger seq = new AtomicInteger();
  static BinanceRestClient client;
  static List<Instrument> instruments;
  static RestExchangeInfo exchangeInfo;

  @BeforeAll
  static void start() throws Exception {
    client = SIM.restClient();
    exchangeInfo = SimulatorFixture.exchangeInfo(client);
    instruments = exchangeInfo.instruments(List.of("BTCUSDT", "ETHUSDT"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    SIM.faults().reset();
    client.cancelAll("BTCUSDT").toCompletableFuture().get(10, TimeUnit.SECONDS);
    // fresh rate-limit windows per test: each test's gateway starts with a fresh budget too
    client
        .send(RestRequest.post("/sim/admin/reset").build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** A gateway wired as in production: real client, real TimeSync, own clock. */
  record Stack(
      ActorRef<OrderGateway.Command> gateway,
      ServerClock clock,
      SimpleMeterRegistry registry,
      TestProbe<OrderEvent> events) {
    void submit(OrderIntent intent) {
      gateway.tell(new OrderGateway.Submit(intent, events.getRef()));
    }
  }

  static Stack stack(ExchangeTransportWrapper wrapper) {
    ServerClock clock = new ServerClock();
    BinanceRestClient rest =
        BinanceRestClient.create(
            testKit.system(),
            BinanceRestSettings.fromConfig(CONFIG).withRestUrl(SIM.restUrl()),
            clock);
    GatewaySettings settings = GatewaySettings.fromConfig(CONFIG);
    ActorRef<TimeSync.Command> timeSync =
        testKit.spawn(TimeSync.create(rest::serverTime, clock, settings.timeSync()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExchangeTransport transport = wrapper.wrap(ExchangeTransport.of(rest));
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            Behaviors.supervise(
                    OrderGateway.create(
                        new OrderGatewayDependencies(
                            transport, instruments, settings, clock, timeSync, registry)))
                .onFailure(SupervisorStrategy.restart()));
    gateway.tell(
        new OrderGateway.UpdateRateLimits(RateBudget.fromExchange(exchangeInfo.rateLimits())));
    return new Stack(gateway, clock, registry, testKit.createTestProbe());
  }

  interface ExchangeTransportWrapper {
    ExchangeTransport wrap(ExchangeTransport real);
  }

  static Stack stack() {
    return stack(t -> t);
  }

  static long restingBidTicks() throws Exception {
    JsonNode book =
        ((RestResult.Ok<JsonNode>)
                client
                    .send(
                        RestRequest.get("/fapi/v1/ticker/bookTicker")
                            .param("symbol", "BTCUSDT")
                            .build())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
            .body();
    long bid = instruments.get(0).price().parse(book.get("bidPrice").asText());
    return bid - bid / 100;
  }

  static String newId() {
    return "phxit-0-" + Long.toString(System.currentTimeMillis(), 36) + seq.incrementAndGet();
  }

  static OrderIntent.Place buy(String id, long priceTicks) {
    return new OrderIntent.Place(
        0, id, Side.BUY, priceTicks, 3, TimeInForce.GTX, false, System.nanoTime());
  }

  static RestOrderResponse exchangeOrder(String id) throws Exception {
    RestResult<RestOrderResponse> r =
        client.queryOrder("BTCUSDT", id).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return r instanceof RestResult.Ok<RestOrderResponse> ok ? ok.body() : null;
  }

  static long openOrdersWithId(String id) throws Exception {
    var r = client.openOrders("BTCUSDT").toCompletableFuture().get(10, TimeUnit.SECONDS);
    return ((RestResult.Ok<List<RestOrderResponse>>) r)
        .body().stream().filter(o -> o.clientOrderId().equals(id)).count();
  }

  @Test
  void placeAmendCancelLifecycle() throws Exception {
    Stack s = stack();
    long price = restingBidTicks();
    String id = newId();
    s.submit(buy(id, price));
    OrderEvent.OrderAccepted accepted =
        s.events().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    assertEquals(OrderState.NEW, accepted.state());
    assertTrue(accepted.orderId() > 0);

    s.submit(new OrderIntent.Amend(0, id, price - 10, 4));
    OrderEvent.OrderAmended amended =
        s.events().expectMessageClass(OrderEvent.OrderAmended.class, WAIT);
    assertEquals(price - 10, amended.priceTicks());
    RestOrderResponse onExchange = exchangeOrder(id);
    assertEquals(instruments.get(0).price().format(price - 10), onExchange.price());
    assertEquals("0.004", onExchange.origQty());

    s.submit(new OrderIntent.Cancel(0, id));
    s.events().expectMessageClass(OrderEvent.OrderCanceled.class, WAIT);
    assertEquals("CANCELED", exchangeOrder(id).status());
  }

  @Test
  void lostReplyWithHiddenSuccessEndsKnownExactlyOnceWithoutDuplicate() throws Exception {
    Stack s = stack();
    SIM.faults().unknownOrders(1);
    String id = newId();
    s.submit(buy(id, restingBidTicks()));
    s.events().expectMessageClass(OrderEvent.OrderUnknown.class, WAIT);
    OrderEvent.OrderResolved resolved =
        s.events().expectMessageClass(OrderEvent.OrderResolved.class, WAIT);
    assertEquals(OrderState.NEW, resolved.state());
    assertTrue(resolved.orderId() > 0);
    s.events().expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, openOrdersWithId(id));
  }

  @Test
  void burstAboveTheOrderLimitIsPacedWithoutAny429() throws Exception {
    // the simulator advertises the lowered limit and the gateway paces by it
    assertTrue(
        exchangeInfo.rateLimits().stream()
            .anyMatch(
                l ->
                    l.rateLimitType().equals("ORDERS")
                        && l.windowMillis() == 10_000
                        && l.limit() == 20),
        exchangeInfo.rateLimits().toString());
    Stack s = stack();
    long price = restingBidTicks();
    int n = 30;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = newId();
      ids.add(id);
      s.submit(buy(id, price - i));
    }
    Set<String> accepted = new HashSet<>();
    for (int i = 0; i < n; i++) {
      OrderEvent e = s.events().receiveMessage(Duration.ofSeconds(25));
      assertTrue(e instanceof OrderEvent.OrderAccepted, e.toString());
      accepted.add(((OrderEvent.OrderAccepted) e).clientOrderId());
    }
    assertEquals(ids, accepted);
    assertEquals(0.0, s.registry().counter("phoenix.gateway.rate.limited").count());
    assertEquals(0.0, s.registry().counter("phoenix.gateway.banned").count());
  }

  @Test
  void forced429PausesTheGatewayAndNeverEscalatesTo418() throws Exception {
    Stack s = stack();
    TestProbe<OrderEvent> alerts = testKit.createTestProbe();
    s.gateway().tell(new OrderGateway.RegisterAlertListener(alerts.getRef()));
    long price = restingBidTicks();
    // let the clock sync first so the forced 429 hits an order, not the time sync
    String warm = newId();
    s.submit(buy(warm, price));
    s.events().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    SIM.faults().rateLimited(1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = newId();
      ids.add(id);
      s.submit(buy(id, price - 1 - i));
    }
    int known = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Set<String> settled = new HashSet<>();
    while (settled.size() < ids.size() && System.nanoTime() < deadline) {
      OrderEvent e = s.events().receiveMessage(Duration.ofSeconds(15));
      if (e instanceof OrderEvent.OrderAccepted a) {
        settled.add(a.clientOrderId());
      } else if (e instanceof OrderEvent.OrderResolved r) {
        settled.add(r.clientOrderId());
        known++;
      }
    }
    assertEquals(new HashSet<>(ids), settled);
    assertEquals(1.0, s.registry().counter("phoenix.gateway.rate.limited").count());
    assertEquals(0.0, s.registry().counter("phoenix.gateway.banned").count());
    alerts.expectNoMessage(Duration.ofMillis(100));
    for (String id : ids) {
      assertTrue(openOrdersWithId(id) <= 1);
    }
    assertTrue(known <= ids.size());
  }

  @Test
  void clockSkewOfSeveralSecondsIsAbsorbedByResync() throws Exception {
    for (long skew : new long[] {8_000, -3_000}) {
      Stack s = stack();
      long price = restingBidTicks();
      String warm = newId();
      s.submit(buy(warm, price));
      s.events().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
      SIM.faults().clockSkew(Duration.ofMillis(skew));
      String id = newId();
      s.submit(buy(id, price - 1));
      OrderEvent e = s.events().receiveMessage(WAIT);
      assertTrue(e instanceof OrderEvent.OrderAccepted, "skew " + skew + ": " + e);
      assertTrue(
          Math.abs(s.clock().reading().offsetMillis() - skew) < 500,
          "offset " + s.clock().reading());
      assertTrue(s.registry().counter("phoenix.gateway.timestamp.retries").count() >= 1);
      SIM.faults().clockSkew(Duration.ZERO);
    }
  }

  @Test
  void aCrashedGatewayRestartsAndKeepsWorking() throws Exception {
    Stack s =
        stack(
            real ->
                request -> {
                  String id = request.param("newClientOrderId");
                  if (id != null && id.contains("crash")) {
                    throw new IllegalStateException("injected crash");
                  }
                  return real.send(request);
                });
    long price = restingBidTicks();
    String crashed = "phxit-crash-" + seq.incrementAndGet();
    s.submit(buy(crashed, price));
    // the restarted gateway does not forget the order whose send crashed it: unknown, then resolved
    // by query (the exchange never saw it: not placed), never resent
    OrderEvent.OrderUnknown unknown =
        s.events().expectMessageClass(OrderEvent.OrderUnknown.class, WAIT);
    assertEquals(crashed, unknown.clientOrderId());
    String after = newId();
    s.submit(buy(after, price - 1));
    assertEquals(
        after, s.events().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT).clientOrderId());
    OrderEvent.OrderResolved resolved =
        s.events().expectMessageClass(OrderEvent.OrderResolved.class, WAIT);
    assertEquals(crashed, resolved.clientOrderId());
    assertEquals(OrderState.REJECTED, resolved.state());
    assertEquals(null, exchangeOrder(crashed));
    TestProbe<OrderGateway.WorkingOrders> working = testKit.createTestProbe();
    s.gateway().tell(new OrderGateway.GetWorkingOrders(working.getRef()));
    List<WorkingOrder> orders = working.receiveMessage().orders();
    assertEquals(1, orders.size());
    assertEquals(after, orders.get(0).clientOrderId());
  }
}
