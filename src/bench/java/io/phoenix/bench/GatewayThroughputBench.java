package io.phoenix.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.OrderGatewayDependencies;
import io.phoenix.execution.TimeSync;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.sim.SimServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Orders per second through the real gateway, REST client and simulator on loopback: N post-only
 * orders (spread over BTC/ETH/SOL, below the bid so they rest) are submitted at once, then all
 * cancelled; the gateway paces, batches and reports. Mode {@code binance} keeps the simulator at
 * Binance's limits (300 orders/10 s, 1200/min, 2400 weight/min) and lets the gateway read them from
 * exchangeInfo; mode {@code unlimited} raises them to show the stack's own capacity. Run: {@code
 * java -cp target/benchmarks.jar io.phoenix.bench.GatewayThroughputBench binance 500}.
 */
public final class GatewayThroughputBench {
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "binance";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    String limits =
        mode.equals("unlimited")
            ? "phoenix.sim.rate-limits { request-weight-per-minute = 10000000, orders-per-10s = 10000000,"
                + " orders-per-minute = 10000000 }\n"
            : "";
    Config config =
        ConfigFactory.parseString("phoenix.sim.port = 0\nakka.loglevel = WARNING\n" + limits)
            .withFallback(ConfigFactory.load())
            .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
    SimServer server =
        SimServer.start(system, SimSettings.fromConfig(config))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    try {
      ServerClock clock = new ServerClock();
      BinanceRestClient rest =
          BinanceRestClient.create(
              system, BinanceRestSettings.fromConfig(config).withRestUrl(server.restUrl()), clock);
      RestExchangeInfo info =
          ((RestResult.Ok<RestExchangeInfo>)
                  rest.exchangeInfo().toCompletableFuture().get(10, TimeUnit.SECONDS))
              .body();
      List<Instrument> instruments = info.instruments(List.of("BTCUSDT", "ETHUSDT", "SOLUSDT"));
      GatewaySettings settings = GatewaySettings.fromConfig(config);
      ActorRef<TimeSync.Command> timeSync =
          system.systemActorOf(
              TimeSync.create(rest::serverTime, clock, settings.timeSync()),
              "time-sync",
              Props.empty());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ActorRef<OrderGateway.Command> gateway =
          system.systemActorOf(
              OrderGateway.create(
                  new OrderGatewayDependencies(
                      ExchangeTransport.of(rest),
                      instruments,
                      settings,
                      clock,
                      timeSync,
                      registry)),
              "gateway",
              Props.empty());
      List<RateBudget.Limit> budget = RateBudget.fromExchange(info.rateLimits());
      gateway.tell(
          new OrderGateway.UpdateRateLimits(
              mode.equals("unlimited")
                  ? List.of(new RateBudget.Limit(RateBudget.Scope.ORDERS, 10_000, 10_000_000))
                  : budget));

      long[] basePrice = new long[3];
      long[] qtySteps = new long[3];
      for (Instrument inst : instruments) {
        JsonNode top =
            ((RestResult.Ok<JsonNode>)
                    rest.send(
                            RestRequest.get("/fapi/v1/ticker/bookTicker")
                                .param("symbol", inst.symbol())
                                .build())
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .body();
        long bid = inst.price().parse(top.get("bidPrice").asText());
        basePrice[inst.id()] = bid - bid / 50;
        long qty = inst.minQtySteps();
        while (inst.notional(basePrice[inst.id()] - n, qty) < inst.minNotional() * 1.2) {
          qty++;
        }
        qtySteps[inst.id()] = qty;
      }
      List<OrderIntent.Place> places = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int id = i % 3;
        places.add(
            new OrderIntent.Place(
                id,
                "tp-" + id + "-" + Integer.toString(i, 36),
                Side.BUY,
                basePrice[id] - i / 3,
                qtySteps[id],
                TimeInForce.GTX,
                false,
                System.nanoTime()));
      }

      // the clock must be synced before timing
      while (!clock.reading().valid()) {
        Thread.onSpinWait();
      }
      CountDownLatch accepted = new CountDownLatch(n);
      CountDownLatch canceled = new CountDownLatch(n);
      AtomicInteger rejects = new AtomicInteger();
      ActorRef<OrderEvent> sink =
          system.systemActorOf(
              Behaviors.receiveMessage(
                  e -> {
                    if (e instanceof OrderEvent.OrderAccepted) {
                      accepted.countDown();
                    } else if (e instanceof OrderEvent.OrderCanceled) {
                      canceled.countDown();
                    } else {
                      rejects.incrementAndGet();
                      System.out.println("unexpected " + e);
                      accepted.countDown();
                      canceled.countDown();
                    }
                    return Behaviors.same();
                  }),
              "sink",
              Props.empty());

      long t0 = System.nanoTime();
      for (OrderIntent.Place p : places) {
        gateway.tell(new OrderGateway.Submit(p, sink));
      }
      accepted.await(3, TimeUnit.MINUTES);
      long t1 = System.nanoTime();
      for (OrderIntent.Place p : places) {
        gateway.tell(
            new OrderGateway.Submit(new OrderIntent.Cancel(p.symbolId(), p.clientOrderId()), sink));
      }
      canceled.await(3, TimeUnit.MINUTES);
      long t2 = System.nanoTime();
      System.out.printf(
          "mode=%s orders=%d place: %d ms (%.0f orders/s)  cancel: %d ms (%.0f cancels/s)  "
              + "unexpected=%d  429s=%.0f  418s=%.0f  requests=%s%n",
          mode,
          n,
          (t1 - t0) / 1_000_000,
          n * 1e9 / (t1 - t0),
          (t2 - t1) / 1_000_000,
          n * 1e9 / (t2 - t1),
          rejects.get(),
          registry.counter("phoenix.gateway.rate.limited").count(),
          registry.counter("phoenix.gateway.banned").count(),
          registry.find("phoenix.gateway.requests").counters().stream()
              .map(c -> c.getId().getTag("kind") + "=" + (long) c.count())
              .toList());
    } finally {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
