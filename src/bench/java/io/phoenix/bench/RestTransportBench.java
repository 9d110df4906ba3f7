package io.phoenix.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.sim.SimServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * HTTP/1.1 keep-alive pool against HTTP/2 (h2c, prior knowledge) from the node's REST client to the
 * embedded simulator on loopback: post-only orders far from the market placed and cancelled, each
 * request timed from send to decoded answer. Sequential (one request in flight, like a quoter
 * replacing one level) and in bursts of 8 at once (a requote of both sides of four levels).
 *
 * <p>Run: {@code mvn -B -q -o -Pbench -DskipTests package && java -cp target/benchmarks.jar
 * io.phoenix.bench.RestTransportBench [rounds]}
 */
public final class RestTransportBench {
  private RestTransportBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    Config config =
        ConfigFactory.parseString(
                "phoenix.sim { port = 0, http2 = on, model.taker-arrivals-per-second = 0, rate-limits { request-weight-per-minute = 100000000, orders-per-10s = 100000000, orders-per-minute = 100000000 } }")
            .withFallback(ConfigFactory.load())
            .resolve();
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), "rest-transport-bench", config);
    SimServer sim =
        SimServer.start(system, SimSettings.fromConfig(config))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try {
      for (int pass = 0; pass < 2; pass++) {
        for (boolean http2 : new boolean[] {false, true}) {
          BinanceRestSettings settings =
              BinanceRestSettings.fromConfig(
                      ConfigFactory.parseString(
                              "phoenix.binance.rest.http2 = " + (http2 ? "on" : "off"))
                          .withFallback(config))
                  .withRestUrl(sim.restUrl());
          BinanceRestClient client =
              BinanceRestClient.create(system, settings, ServerClock.fixed(0));
          String name = http2 ? "HTTP/2 h2c " : "HTTP/1.1   ";
          Histogram sequential = run(client, rounds, 1, "s" + pass + (http2 ? "h" : "p"));
          Histogram burst = run(client, rounds / 8, 8, "b" + pass + (http2 ? "h" : "p"));
          if (pass == 1) {
            System.out.printf(
                "%s sequential p50 %6.0f us  p90 %6.0f us  p99 %6.0f us | bursts of 8: p50 %6.0f us  p99 %6.0f us (n %d / %d)%n",
                name,
                us(sequential, 50),
                us(sequential, 90),
                us(sequential, 99),
                us(burst, 50),
                us(burst, 99),
                sequential.getTotalCount(),
                burst.getTotalCount());
          }
        }
      }
    } finally {
      sim.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      system.terminate();
    }
  }

  private static double us(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e3;
  }

  /**
   * {@code rounds} times: {@code parallel} places at once, then their cancels at once; every
   * request timed.
   */
  private static Histogram run(BinanceRestClient client, int rounds, int parallel, String tag)
      throws Exception {
    Histogram h = new Histogram(10_000_000_000L, 3);
    for (int r = 0; r < rounds; r++) {
      List<String> ids = new ArrayList<>(parallel);
      List<CompletableFuture<Long>> places = new ArrayList<>(parallel);
      for (int i = 0; i < parallel; i++) {
        String id = "bench-" + tag + "-" + r + "-" + i;
        ids.add(id);
        RestRequest place =
            RestRequest.post("/fapi/v1/order")
                .signed()
                .param("symbol", "BTCUSDT")
                .param("side", "BUY")
                .param("type", "LIMIT")
                .param("timeInForce", "GTX")
                .param("price", Integer.toString(58_000 + i))
                .param("quantity", "0.002")
                .param("newClientOrderId", id)
                .build();
        places.add(timed(() -> client.send(place)));
      }
      for (CompletableFuture<Long> p : places) {
        h.recordValue(p.get(10, TimeUnit.SECONDS));
      }
      List<CompletableFuture<Long>> cancels = new ArrayList<>(parallel);
      for (String id : ids) {
        RestRequest cancel =
            RestRequest.delete("/fapi/v1/order")
                .signed()
                .param("symbol", "BTCUSDT")
                .param("origClientOrderId", id)
                .build();
        cancels.add(timed(() -> client.send(cancel)));
      }
      for (CompletableFuture<Long> c : cancels) {
        h.recordValue(c.get(10, TimeUnit.SECONDS));
      }
    }
    return h;
  }

  private static CompletableFuture<Long> timed(
      java.util.function.Supplier<CompletionStage<RestResult<JsonNode>>> send) {
    long start = System.nanoTime();
    return send.get()
        .toCompletableFuture()
        .thenApply(
            result -> {
              if (!(result instanceof RestResult.Ok<JsonNode>)) {
                throw new IllegalStateException("request failed: " + result);
              }
              return System.nanoTime() - start;
            });
  }
}
