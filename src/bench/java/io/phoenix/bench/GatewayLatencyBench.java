package io.phoenix.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.OrderGatewayDependencies;
import io.phoenix.execution.TimeSync;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-process latency of the order gateway: {@code OrderIntent.Place} created (nanoTime stamped by
 * the sender) to the request handed to the transport, with a stub transport that answers at once.
 * Orders are sent one at a time (each after the previous acceptance), the quoting pattern, so the
 * number is the actor hop + queueing + encoding, not batching. Run: {@code java -cp
 * target/benchmarks.jar io.phoenix.bench.GatewayLatencyBench [orders]}.
 */
public final class GatewayLatencyBench {
  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    var config =
        ConfigFactory.parseString(
                "phoenix.gateway.default-limits { weight-per-minute = 1000000,"
                    + " orders-per-10s = 1000000, orders-per-minute = 1000000 }\nakka.loglevel = WARNING")
            .withFallback(ConfigFactory.load())
            .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
    try {
      Instrument btc =
          new Instrument(
              0,
              "BTCUSDT",
              Scale.of("0.10"),
              Scale.of("0.001"),
              1,
              Long.MAX_VALUE,
              1,
              Long.MAX_VALUE,
              0,
              200,
              2,
              0);
      JsonNode ack =
          BinanceRestClient.mapper()
              .readTree(
                  "{\"orderId\":1,\"symbol\":\"BTCUSDT\",\"status\":\"NEW\","
                      + "\"clientOrderId\":\"x\",\"price\":\"60000.10\",\"origQty\":\"0.002\",\"executedQty\":\"0.000\"}");
      var answer =
          CompletableFuture.<RestResult<JsonNode>>completedFuture(
              new RestResult.Ok<>(ack, 200, RateLimitUsage.NONE));
      ExchangeTransport stub = request -> answer;
      ActorRef<TimeSync.Command> noSync =
          system.systemActorOf(Behaviors.ignore(), "no-sync", akka.actor.typed.Props.empty());
      ActorRef<OrderGateway.Command> gateway =
          system.systemActorOf(
              OrderGateway.create(
                  new OrderGatewayDependencies(
                      stub,
                      List.of(btc),
                      GatewaySettings.fromConfig(config),
                      ServerClock.fixed(0),
                      noSync,
                      new SimpleMeterRegistry())),
              "gateway",
              akka.actor.typed.Props.empty());

      int warmup = Math.min(50_000, orders);
      run(system, gateway, warmup, "w");
      OrderGateway.LatencySnapshot before = latency(system, gateway, true);
      long t0 = System.nanoTime();
      run(system, gateway, orders, "m");
      long elapsed = System.nanoTime() - t0;
      OrderGateway.LatencySnapshot after = latency(system, gateway, false);
      System.out.printf(
          "orders=%d (after %d warm-up) elapsed=%d ms (%.0f orders/s sequential)%n",
          orders, warmup, elapsed / 1_000_000, orders * 1e9 / elapsed);
      System.out.printf(
          "intent->request-written over %d measured orders: p50=%.1f us p99=%.1f us max=%.1f us%n",
          after.count(), after.p50Nanos() / 1e3, after.p99Nanos() / 1e3, after.maxNanos() / 1e3);
      System.out.printf(
          "(warm-up alone: p50=%.1f us p99=%.1f us)%n",
          before.p50Nanos() / 1e3, before.p99Nanos() / 1e3);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void run(
      ActorSystem<Void> system, ActorRef<OrderGateway.Command> gateway, int n, String tag)
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    ActorRef<OrderEvent> driver =
        system.systemActorOf(
            Behaviors.setup(
                ctx -> {
                  int[] sent = {0};
                  Runnable next =
                      () ->
                          gateway.tell(
                              new OrderGateway.Submit(
                                  new OrderIntent.Place(
                                      0,
                                      "b" + tag + "-0-" + Integer.toString(sent[0]++, 36),
                                      Side.BUY,
                                      600_001,
                                      2,
                                      TimeInForce.GTX,
                                      false,
                                      System.nanoTime()),
                                  ctx.getSelf()));
                  next.run();
                  return Behaviors.receiveMessage(
                      e -> {
                        if (sent[0] < n) {
                          next.run();
                        } else {
                          done.countDown();
                        }
                        return Behaviors.same();
                      });
                }),
            "driver-" + tag,
            akka.actor.typed.Props.empty());
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("bench did not finish");
    }
  }

  private static OrderGateway.LatencySnapshot latency(
      ActorSystem<Void> system, ActorRef<OrderGateway.Command> gateway, boolean reset)
      throws Exception {
    return AskPattern.<OrderGateway.Command, OrderGateway.LatencySnapshot>ask(
            gateway,
            ref -> new OrderGateway.GetLatency(ref, reset),
            Duration.ofSeconds(5),
            system.scheduler())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }
}
