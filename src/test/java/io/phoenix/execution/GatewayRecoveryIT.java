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
import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceAccountRestApi;
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
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.reconcile.Reconciler;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A supervised gateway against the real simulator is crashed with orders working, in flight and
 * left over from an earlier run; after the restart its table equals the exchange's open orders,
 * reconciliation finds nothing to correct, and the restarted gateway cancels by client order id.
 */
class GatewayRecoveryIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      phoenix.gateway { unknown-resolve-bound = 2s, query-backoff-min = 50ms, query-backoff-max = 400ms }
      """);

  static final Config CONFIG = SIM.config();
  static final ActorTestKit testKit = SIM.testKit();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final AtomicInteger seq = new AtomicInteger();
  static BinanceRestClient client;
  static List<Instrument> instruments;
  static RestExchangeInfo exchangeInfo;
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    client = SIM.restClient();
    exchangeInfo = SimulatorFixture.exchangeInfo(client);
    instruments = exchangeInfo.instruments(List.of("BTCUSDT", "ETHUSDT"));
    prefix = GatewaySettings.fromConfig(CONFIG).clientOrderIdPrefix() + "-";
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static long restingBidTicks() throws Exception {
    JsonNode book =
        ((RestResult.Ok<JsonNode>)
                await(
                    client.send(
                        RestRequest.get("/fapi/v1/ticker/bookTicker")
                            .param("symbol", "BTCUSDT")
                            .build())))
            .body();
    long bid = instruments.get(0).price().parse(book.get("bidPrice").asText());
    return bid - bid / 100;
  }

  static List<String> exchangeOpenIds(String idPrefix) throws Exception {
    var r = (RestResult.Ok<List<RestOrderResponse>>) await(client.openOrders("BTCUSDT"));
    return r.body().stream()
        .map(RestOrderResponse::clientOrderId)
        .filter(id -> id.startsWith(idPrefix))
        .sorted()
        .toList();
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
    }
    return e.toString();
  }

  @Test
  void aKilledGatewayRestartsAndReconciliationRestoresTheOpenOrders() throws Exception {
    String run = prefix + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "-";
    // an order of ours from an earlier run, and a manual one, both open before the gateway starts
    long price = restingBidTicks();
    String earlier = run + "earlier";
    String manual = "manual-" + seq.incrementAndGet();
    for (String id : List.of(earlier, manual)) {
      assertInstanceOf(
          RestResult.Ok.class,
          await(
              client.send(
                  RestRequest.post("/fapi/v1/order")
                      .signed()
                      .param("symbol", "BTCUSDT")
                      .param("side", "BUY")
                      .param("type", "LIMIT")
                      .param("timeInForce", "GTX")
                      .param("quantity", "0.003")
                      .param("price", instruments.get(0).price().format(price - 5))
                      .param("newClientOrderId", id)
                      .build())));
    }

    // answers to "slow" places are held back: those orders are on the exchange but in flight for
    // the gateway
    CompletableFuture<Void> release = new CompletableFuture<>();
    ServerClock clock = new ServerClock();
    BinanceRestClient rest =
        BinanceRestClient.create(
            testKit.system(),
            BinanceRestSettings.fromConfig(CONFIG).withRestUrl(SIM.restUrl()),
            clock);
    ExchangeTransport real = ExchangeTransport.of(rest);
    ExchangeTransport transport =
        request -> {
          String ids =
              request.param("newClientOrderId") != null
                  ? request.param("newClientOrderId")
                  : request.param("batchOrders"); // the two slow ones may go as one batch
          var answer = real.send(request);
          return ids != null && ids.contains("slow")
              ? answer.thenCombine(release, (r, x) -> r)
              : answer;
        };
    GatewaySettings settings = GatewaySettings.fromConfig(CONFIG);
    ActorRef<TimeSync.Command> timeSync =
        testKit.spawn(TimeSync.create(rest::serverTime, clock, settings.timeSync()));
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            Behaviors.supervise(
                    OrderGateway.create(
                        new OrderGatewayDependencies(
                            transport,
                            instruments,
                            settings,
                            clock,
                            timeSync,
                            new SimpleMeterRegistry())))
                .onFailure(SupervisorStrategy.restart()));
    gateway.tell(
        new OrderGateway.UpdateRateLimits(RateBudget.fromExchange(exchangeInfo.rateLimits())));
    TestProbe<OrderEvent> requester = testKit.createTestProbe();

    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = run + "w" + i;
      placed.add(id);
      gateway.tell(
          new OrderGateway.Submit(
              new OrderIntent.Place(
                  0, id, Side.BUY, price - i, 3, TimeInForce.GTX, false, System.nanoTime()),
              requester.getRef()));
      assertEquals(
          id, requester.expectMessageClass(OrderEvent.OrderAccepted.class, WAIT).clientOrderId());
    }
    List<String> slow = List.of(run + "slow0", run + "slow1");
    for (String id : slow) {
      gateway.tell(
          new OrderGateway.Submit(
              new OrderIntent.Place(
                  0, id, Side.BUY, price - 10, 3, TimeInForce.GTX, false, System.nanoTime()),
              requester.getRef()));
    }
    requester.awaitAssert(
        WAIT,
        () -> {
          assertTrue(exchangeOpenIds(run).containsAll(slow));
          return null;
        });

    gateway.tell(new OrderGateway.InjectFailure("drill"));
    release.complete(null); // the old incarnation's answers now arrive: they must reach nobody

    // every order we asked for is reported once more by the restarted gateway, none lost
    Map<String, List<OrderEvent>> byId = new HashMap<>();
    while (byId.values().stream()
            .filter(l -> l.get(l.size() - 1) instanceof OrderEvent.OrderResolved)
            .count()
        < 6) {
      OrderEvent e = requester.receiveMessage(WAIT);
      byId.computeIfAbsent(clientOrderId(e), k -> new ArrayList<>()).add(e);
    }
    for (String id : placed) {
      assertEquals(1, byId.get(id).size(), byId.get(id)::toString);
      assertEquals(OrderState.NEW, ((OrderEvent.OrderResolved) byId.get(id).get(0)).state());
    }
    for (String id : slow) {
      List<OrderEvent> events = byId.get(id);
      assertEquals(2, events.size(), events::toString);
      assertInstanceOf(OrderEvent.OrderUnknown.class, events.get(0));
      assertEquals(OrderState.NEW, ((OrderEvent.OrderResolved) events.get(1)).state());
    }
    requester.expectNoMessage(Duration.ofMillis(300));

    // the restarted table is exactly the exchange's open orders carrying our prefix
    TestProbe<OrderGateway.WorkingOrders> probe = testKit.createTestProbe();
    gateway.tell(new OrderGateway.GetWorkingOrders(probe.getRef()));
    List<String> working =
        probe.receiveMessage(WAIT).orders().stream()
            .map(WorkingOrder::clientOrderId)
            .sorted()
            .toList();
    List<String> expected = new ArrayList<>(placed);
    expected.addAll(slow);
    expected.add(earlier);
    assertEquals(expected.stream().sorted().toList(), exchangeOpenIds(run));
    assertEquals(exchangeOpenIds(prefix), working);

    // account's reconciliation over the restarted gateway: no orphan, nothing missing, no mismatch
    var api =
        new BinanceAccountRestApi(
            client,
            symbol ->
                instruments.stream()
                    .filter(i -> i.symbol().equals(symbol))
                    .findFirst()
                    .orElse(null));
    List<ExchangeState.Order> exchangeOpen = await(api.openOrders());
    var local =
        await(
            LocalOrderView.ofGateway(gateway, Duration.ofSeconds(5), testKit.scheduler())
                .workingOrders());
    Reconciler.OrderReport report =
        new Reconciler(id -> id.startsWith(prefix), 0)
            .compareOrders(exchangeOpen, local, System.currentTimeMillis());
    List<Reconciler.Difference> ours =
        report.differences().stream()
            .filter(d -> d.kind() != Reconciler.Kind.FOREIGN_ORDER)
            .toList();
    assertEquals(List.of(), ours);
    assertEquals(List.of(), report.toCancel());
    assertEquals(List.of(), report.toQuery());
    assertEquals(List.of(), report.restatements());

    // the restarted gateway cancels by client order id, both one it was asked for and one it
    // adopted
    for (String id : List.of(placed.get(1), earlier)) {
      gateway.tell(new OrderGateway.Submit(new OrderIntent.Cancel(0, id), requester.getRef()));
      assertEquals(
          id, requester.expectMessageClass(OrderEvent.OrderCanceled.class, WAIT).clientOrderId());
    }
    List<String> left = exchangeOpenIds(run);
    assertEquals(5, left.size(), left::toString);
    assertTrue(!left.contains(placed.get(1)) && !left.contains(earlier), left::toString);
    await(client.cancelAll("BTCUSDT"));
  }
}
