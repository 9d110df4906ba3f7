package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.OrderGatewayDependencies;
import io.phoenix.execution.TimeSync;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.Stage;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import io.phoenix.testkit.Polling;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The hot-path stamps flow from a book frame through quoter, risk and gateway into one {@link
 * LatencyRecorder}, each stage measured from the same frame (exchange stubbed: requests are
 * answered at once with a NEW order).
 */
class HotPathLatencyTest {
  static final ActorTestKit testKit = ActorTestKit.create();
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
  static final Config CONFIG =
      ConfigFactory.parseString(
              "phoenix.quoter { spread-unit = ticks, base-spread = 4, level-spacing = 2, fair-value = mid, levels = 1,"
                  + " level-notional = 200, min-quote-life = 0ms, refresh-tolerance-bps = 0, require-mark-price = false }\n"
                  + "phoenix.gateway { max-batch = 1, recovery.enabled = false }")
          .withFallback(ConfigFactory.defaultReference())
          .resolve();
  static final long FRAME_AGE_NANOS = 2_000_000L;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Answers every order request with NEW, echoing its id, price and quantity. */
  static final class StubExchange implements ExchangeTransport {
    final List<RestRequest> sent = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<RestResult<JsonNode>> send(RestRequest r) {
      sent.add(r);
      String id =
          r.param("newClientOrderId") != null
              ? r.param("newClientOrderId")
              : r.param("origClientOrderId");
      String json =
          id == null
              ? "{\"code\":200,\"msg\":\"ok\"}"
              : "{\"orderId\":"
                  + Math.abs(id.hashCode())
                  + ",\"symbol\":\"BTCUSDT\",\"status\":\"NEW\",\"clientOrderId\":\""
                  + id
                  + "\",\"price\":\""
                  + r.param("price")
                  + "\",\"origQty\":\""
                  + r.param("quantity")
                  + "\",\"executedQty\":\"0\",\"side\":\""
                  + r.param("side")
                  + "\",\"timeInForce\":\"GTX\",\"type\":\"LIMIT\"}";
      try {
        return CompletableFuture.completedFuture(
            new RestResult.Ok<>(
                BinanceRestClient.mapper().readTree(json), 200, RateLimitUsage.NONE));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    long places() {
      return sent.stream()
          .filter(r -> r.method().name().equals("POST") && r.path().equals("/fapi/v1/order"))
          .count();
    }
  }

  /** Gateway, the risk-to-gateway relay, risk: what the guardian wires, minus the feeds. */
  record Rig(
      LatencyRecorder latency,
      StubExchange exchange,
      ActorRef<OrderGateway.Command> gateway,
      ActorRef<Risk.Command> risk) {}

  static Rig rig() {
    LatencyRecorder latency = new LatencyRecorder();
    StubExchange exchange = new StubExchange();
    TestProbe<TimeSync.Command> timeSync = testKit.createTestProbe();
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                        exchange,
                        List.of(BTC),
                        GatewaySettings.fromConfig(CONFIG),
                        ServerClock.fixed(0),
                        timeSync.getRef(),
                        new SimpleMeterRegistry())
                    .withStages(latency)));
    Behavior<Risk.Outbound> port =
        Behaviors.receive(Risk.Outbound.class)
            .onMessage(
                Risk.Outbound.Send.class,
                send -> {
                  gateway.tell(
                      new OrderGateway.Submit(send.intent(), send.replyTo(), send.riskNanos()));
                  return Behaviors.same();
                })
            .build();
    ActorRef<Risk.Command> risk =
        testKit.spawn(
            Risk.create(
                new Risk.Dependencies(
                        RiskSettings.fromConfig(CONFIG),
                        List.of(BTC),
                        Risk.Outlet.of(testKit.spawn(port)),
                        Duration.ofSeconds(1))
                    .withStages(latency)));
    risk.tell(
        new Risk.Market(
            new MarketEvent.MarkPrice(BTC.id(), 600_000, 0.0001, 0, System.currentTimeMillis())));
    return new Rig(latency, exchange, gateway, risk);
  }

  @Test
  void aBookFrameIsTimedAtEveryStageFromItsArrivalToTheRequestWritten() {
    Rig rig = rig();
    ActorRef<Quoter.Command> quoter =
        testKit.spawn(
            Quoter.create(
                new Quoter.Dependencies(
                        BTC, QuoterSettings.fromConfig(CONFIG), rig.risk(), Quoter.ids("lat"), true)
                    .withStages(rig.latency())));
    long frameNanos = System.nanoTime() - FRAME_AGE_NANOS;
    quoter.tell(
        new Quoter.Market(
            new MarketEvent.BookUpdated(
                BTC.id(), 1, 599_990, 10, 600_010, 10, Double.NaN, 0, 0, frameNanos)));

    LatencyRecorder latency = rig.latency();
    Polling.until(
        Duration.ofSeconds(5),
        () -> {
          latency.refresh();
          // every stage, not only the last: the recorder drains stage by stage
          return latency.count(Stage.FRAME_TO_WRITE) == 2
              && latency.count(Stage.WRITE_TO_ACK) == 2
              && latency.count(Stage.RISK_TO_WRITE) >= 2
              && latency.count(Stage.DECISION_TO_RISK) >= 2
              && latency.count(Stage.FRAME_TO_DECISION) >= 1;
        });
    assertEquals(2, rig.exchange().places(), "one bid and one ask, one request each");
    assertEquals(1, latency.count(Stage.FRAME_TO_DECISION), "one requote answered the frame");
    assertEquals(2, latency.count(Stage.DECISION_TO_RISK));
    assertEquals(2, latency.count(Stage.RISK_TO_WRITE));
    long decided = latency.valueAt(Stage.FRAME_TO_DECISION, 1.0);
    long firstWrite = latency.valueAt(Stage.FRAME_TO_WRITE, 0.0);
    long lastWrite = latency.valueAt(Stage.FRAME_TO_WRITE, 1.0);
    assertTrue(
        decided >= FRAME_AGE_NANOS,
        "measured from the frame's arrival stamp, which is "
            + FRAME_AGE_NANOS
            + " ns old: "
            + decided);
    // HdrHistogram keeps 3 significant digits: allow its rounding between stages
    assertTrue(
        firstWrite * 1.001 >= decided,
        "frame->write " + firstWrite + " >= frame->decision " + decided);
    long parts =
        decided
            + latency.valueAt(Stage.DECISION_TO_RISK, 0.0)
            + latency.valueAt(Stage.RISK_TO_WRITE, 0.0);
    assertTrue(
        lastWrite * 1.003 >= parts,
        "the stages of one order add up to at most frame->write: " + parts + " vs " + lastWrite);
    assertEquals(0, latency.outOfRange());
  }

  @Test
  void anOrderNoFrameCausedHasNoFrameStages() {
    Rig rig = rig();
    TestProbe<Risk.Decision> decisions = testKit.createTestProbe();
    rig.risk()
        .tell(
            new Risk.Check(
                new OrderIntent.Place(
                    BTC.id(),
                    "lat-0-tool1",
                    Side.BUY,
                    599_000,
                    10,
                    TimeInForce.GTX,
                    false,
                    System.nanoTime()),
                decisions.getRef()));
    assertTrue(decisions.receiveMessage().approved());

    LatencyRecorder latency = rig.latency();
    // the recorder drains stage by stage: a drain descheduled between two stages can take the ack
    // and miss the write stamp recorded just before it (failed once in a clean-clone verify), so
    // wait
    // for all three; a stage that is never recorded still fails here
    Polling.until(
        Duration.ofSeconds(5),
        () -> {
          latency.refresh();
          return latency.count(Stage.WRITE_TO_ACK) == 1
              && latency.count(Stage.DECISION_TO_RISK) == 1
              && latency.count(Stage.RISK_TO_WRITE) == 1;
        });
    assertEquals(0, latency.count(Stage.FRAME_TO_WRITE));
    assertEquals(0, latency.count(Stage.FRAME_TO_DECISION));
  }

  @Test
  void anOrderTheBudgetHoldsBackHasItsWaitAsOwnStageNotAsProcessing() {
    LatencyRecorder latency = new LatencyRecorder();
    StubExchange exchange = new StubExchange();
    // one order per 500 ms window: the second of two orders sent together waits for the next one.
    // Windows are aligned to the server clock, so the clock is set to just after a window began.
    SharedRateBudget budget =
        new SharedRateBudget(List.of(new RateBudget.Limit(RateBudget.Scope.ORDERS, 500, 1)), 0);
    ServerClock clock = ServerClock.fixed(0);
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                        exchange,
                        List.of(BTC),
                        GatewaySettings.fromConfig(CONFIG),
                        clock,
                        testKit.<TimeSync.Command>createTestProbe().getRef(),
                        new SimpleMeterRegistry())
                    .withStages(latency)
                    .withBudget(budget)));
    TestProbe<io.phoenix.model.OrderEvent> events = testKit.createTestProbe();
    // a first order warms the fresh gateway up (its first message pays for class loading)
    gateway.tell(
        new OrderGateway.Submit(
            new OrderIntent.Place(
                BTC.id(),
                "lat-0-warm",
                Side.BUY,
                598_000,
                10,
                TimeInForce.GTX,
                false,
                System.nanoTime()),
            events.getRef(),
            System.nanoTime()));
    Polling.until(
        Duration.ofSeconds(5),
        () -> {
          latency.refresh();
          return latency.count(Stage.WRITE_TO_ACK) == 1;
        });
    latency.reset();
    // ten windows on, 5 ms into a fresh one
    long wall = System.currentTimeMillis();
    clock.update(5_000 + 5 - Math.floorMod(wall, 500L), 0, wall);
    long approved = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      long frame = approved - FRAME_AGE_NANOS;
      OrderIntent.Place p =
          new OrderIntent.Place(
              BTC.id(),
              "lat-0-held" + i,
              Side.BUY,
              599_000 - i,
              10,
              TimeInForce.GTX,
              false,
              frame,
              frame);
      gateway.tell(new OrderGateway.Submit(p, events.getRef(), approved));
    }

    Polling.until(
        Duration.ofSeconds(5),
        () -> {
          latency.refresh();
          return latency.count(Stage.WRITE_TO_ACK) == 2
              && latency.count(Stage.RISK_TO_WRITE) >= 2
              && latency.count(Stage.BUDGET_WAIT) >= 1;
        });
    assertEquals(1, latency.count(Stage.BUDGET_WAIT), "only the second order was held");
    long waited = latency.valueAt(Stage.BUDGET_WAIT, 1.0);
    assertTrue(
        waited >= 200_000_000L, "held until the budget's next window, not " + waited + " ns");
    assertEquals(2, latency.count(Stage.RISK_TO_WRITE));
    long processing = latency.valueAt(Stage.RISK_TO_WRITE, 1.0);
    assertTrue(
        processing < waited / 2,
        "risk->write of the held order ends where the hold began: "
            + processing
            + " ns vs a wait of "
            + waited);
    assertTrue(
        latency.valueAt(Stage.FRAME_TO_WRITE, 1.0) < FRAME_AGE_NANOS + waited / 2,
        "frame->write excludes the wait too");
  }

  /**
   * The gateway the node builds (its budget from phoenix.gateway settings) stops its cancels at the
   * background reserve: with 20 weight a minute and half of it reserved, the eleventh cancel waits
   * for the next minute while a background request (a listenKey, a snapshot) still fits this one.
   */
  @Test
  void theGatewaysCancelsLeaveTheBackgroundReserveOfTheMinute() throws Exception {
    GatewaySettings settings =
        GatewaySettings.fromConfig(
            ConfigFactory.parseString(
                    "phoenix.gateway { safety-margin = 0, background-weight-reserve = 0.5, default-limits.weight-per-minute = 20, recovery.enabled = false }")
                .withFallback(CONFIG));
    SharedRateBudget budget = OrderGatewayDependencies.defaultBudget(settings);
    StubExchange exchange = new StubExchange();
    ServerClock clock = ServerClock.fixed(0);
    long wall = System.currentTimeMillis();
    clock.update(
        600_000 + 5 - Math.floorMod(wall, 60_000L), 0, wall); // 5 ms into a fresh minute window
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                        exchange,
                        List.of(BTC),
                        settings,
                        clock,
                        testKit.<TimeSync.Command>createTestProbe().getRef(),
                        new SimpleMeterRegistry())
                    .withStages(new LatencyRecorder())
                    .withBudget(budget)));
    TestProbe<io.phoenix.model.OrderEvent> events = testKit.createTestProbe();
    // one at a time, each once the previous one is on the wire, so none is batched with another
    for (int i = 0; i < 10; i++) {
      gateway.tell(
          new OrderGateway.Submit(
              new OrderIntent.Cancel(BTC.id(), "old-0-run" + i),
              events.getRef(),
              System.nanoTime()));
      int expected = i + 1;
      // generous: a fresh gateway recovers and warms up before its first send, slow on a loaded
      // machine
      Polling.until(
          Duration.ofSeconds(20),
          Duration.ofMillis(20),
          () -> exchange.sent.size(),
          n -> n == expected,
          n -> n + " requests sent, expected " + expected + ": " + exchange.sent);
    }
    gateway.tell(
        new OrderGateway.Submit(
            new OrderIntent.Cancel(BTC.id(), "old-0-run10"), events.getRef(), System.nanoTime()));
    Polling.pace(Duration.ofMillis(500));
    assertEquals(10, exchange.sent.size(), "the eleventh cancel waits for the next minute");
    assertEquals(
        0,
        budget.acquire(clock.timestampMillis(), RateBudget.Cost.QUERY),
        "a background request still fits");
  }

  /**
   * An order that arrives while a fresh gateway still reads its open orders waits in the recovery
   * phase's stash and, once recovery ends, is written with the stamps it arrived with.
   */
  @Test
  void anOrderHeldDuringStartUpRecoveryIsWrittenWithItsStamps() {
    LatencyRecorder latency = new LatencyRecorder();
    StubExchange exchange = new StubExchange();
    CompletableFuture<RestResult<JsonNode>> openOrders = new CompletableFuture<>();
    ExchangeTransport transport =
        r -> r.path().equals("/fapi/v1/openOrders") ? openOrders : exchange.send(r);
    GatewaySettings settings =
        GatewaySettings.fromConfig(
            ConfigFactory.parseString("phoenix.gateway.recovery.enabled = true")
                .withFallback(CONFIG));
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                        transport,
                        List.of(BTC),
                        settings,
                        ServerClock.fixed(0),
                        testKit.<TimeSync.Command>createTestProbe().getRef(),
                        new SimpleMeterRegistry())
                    .withStages(latency)));
    TestProbe<io.phoenix.model.OrderEvent> events = testKit.createTestProbe();
    long approved = System.nanoTime();
    long frame = approved - FRAME_AGE_NANOS;
    gateway.tell(
        new OrderGateway.Submit(
            new OrderIntent.Place(
                BTC.id(),
                "lat-0-recov",
                Side.BUY,
                599_000,
                10,
                TimeInForce.GTX,
                false,
                frame,
                frame),
            events.getRef(),
            approved));
    // answered while recovering, so the Submit before it has been taken in (and held) by then
    TestProbe<OrderGateway.LatencySnapshot> asked = testKit.createTestProbe();
    gateway.tell(new OrderGateway.GetLatency(asked.getRef()));
    asked.receiveMessage();
    assertEquals(0, exchange.places(), "nothing is sent before the open orders are read");

    openOrders.complete(
        new RestResult.Ok<>(
            BinanceRestClient.mapper().createArrayNode(), 200, RateLimitUsage.NONE));
    // the stages are drained one after another: a drain can catch the ack but not the write
    // stamps the gateway recorded a moment before it, so wait for every stage to show
    Polling.until(
        Duration.ofSeconds(5),
        () -> {
          latency.refresh();
          return latency.count(Stage.WRITE_TO_ACK) == 1
              && latency.count(Stage.RISK_TO_WRITE) + latency.count(Stage.FRAME_TO_WRITE) == 2;
        });
    assertEquals(1, exchange.places());
    assertEquals(1, latency.count(Stage.RISK_TO_WRITE), "the risk stamp survived the hold");
    assertEquals(1, latency.count(Stage.FRAME_TO_WRITE), "the frame stamp survived the hold");
    assertTrue(
        latency.valueAt(Stage.FRAME_TO_WRITE, 1.0) >= FRAME_AGE_NANOS,
        "measured from the frame's own stamp");
  }
}
