package io.phoenix.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestDepthSnapshotClient;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.FeedPlan;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.MarketFeed;
import io.phoenix.sim.SimServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Market-data lag of one feed connection carrying 20 symbols at the simulator's fastest market
 * (depth@100ms, a model step per engine tick), the measurement {@code FeedThroughputIT} printed
 * (the IT keeps its checks: every book synchronises, nothing fails to decode, no gaps):
 *
 * <ul>
 *   <li>receive minus event time ({@code E}, millisecond resolution), per symbol, from the feed's
 *       own lag histograms;
 *   <li>frame in (the feed's receive stamp) to {@link MarketEvent.BookUpdated} at a consumer:
 *       decode, one hop to the book actor, apply, one hop to the consumer.
 * </ul>
 *
 * <p>The first seconds are JIT warm-up and 20 snapshot fetches and are left out. Run (after {@code
 * mvn -B -q -o -Pbench -DskipTests package}): {@code flock /tmp/phoenix-heavy.lock java -cp
 * target/benchmarks.jar io.phoenix.bench.FeedLagBench [--warmup S] [--seconds S]}.
 */
public final class FeedLagBench {
  static final int SYMBOLS = 20;

  private FeedLagBench() {}

  public static void main(String[] args) throws Exception {
    int warmupSeconds = 3;
    int seconds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Config config =
        ConfigFactory.parseString(
                "phoenix.sim.port = 0\nakka.loglevel = WARNING\n"
                    + simSymbols()
                    + """
            phoenix.sim.tick = 10ms
            phoenix.sim.model.step = 10ms
            phoenix.sim.model.taker-arrivals-per-second = 20
            phoenix.feed { symbols-per-connection = 20, routing = legacy }
            """)
            .withFallback(ConfigFactory.load())
            .resolve();
    List<Instrument> instruments = new ArrayList<>();
    for (int i = 0; i < SYMBOLS; i++) {
      instruments.add(
          new Instrument(
              i,
              "S" + i + "USDT",
              Scale.of("0.01"),
              Scale.of("0.001"),
              1,
              100_000_000,
              1,
              1_000_000_000,
              5.0,
              200,
              1.05,
              0.95));
    }
    FeedSettings settings = FeedSettings.fromConfig(config);
    FeedPlan plan = FeedPlan.plan(settings, instruments).get(0);
    FeedMetrics metrics = new FeedMetrics(new SimpleMeterRegistry(), plan.name(), instruments);
    Histogram inProcess = new Histogram(3);
    AtomicLong updates = new AtomicLong();

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "feed-lag-bench", config);
    SimServer server =
        SimServer.start(system, SimSettings.fromConfig(config))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try {
      BinanceRestClient rest =
          BinanceRestClient.background(
              system,
              BinanceRestSettings.fromConfig(config).withRestUrl(server.restUrl()),
              ServerClock.fixed(0),
              new SharedRateBudget(RateBudget.binanceDefaults(), 0.1),
              (why, ms) -> {});
      ActorRef<MarketEvent> consumer =
          system.systemActorOf(
              consumer(inProcess, updates), "consumer", akka.actor.typed.Props.empty());
      Map<String, List<ActorRef<MarketEvent>>> consumers = new HashMap<>();
      instruments.forEach(instrument -> consumers.put(instrument.symbol(), List.of(consumer)));
      system.systemActorOf(
          MarketFeed.create(
              new MarketFeed.Dependencies(
                  plan,
                  settings,
                  server.wsUrl(),
                  new RestDepthSnapshotClient(rest),
                  metrics,
                  consumers)),
          "feed",
          akka.actor.typed.Props.empty());

      Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
      Histogram[] warmUpLag = new Histogram[SYMBOLS];
      for (Instrument instrument : instruments) {
        warmUpLag[instrument.id()] = metrics.lagMicros(instrument.id());
      }
      long warmUpdates = updates.get();
      synchronized (inProcess) {
        inProcess.reset();
      }
      long start = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      double elapsed = (System.nanoTime() - start) / 1e9;

      Histogram lag = new Histogram(3);
      long events = 0;
      long gaps = 0;
      long decodeErrors = 0;
      for (Instrument instrument : instruments) {
        Histogram symbolLag = metrics.lagMicros(instrument.id());
        symbolLag.subtract(warmUpLag[instrument.id()]);
        lag.add(symbolLag);
        events += metrics.events(instrument.id());
        gaps += metrics.gaps(instrument.id());
        decodeErrors += metrics.decodeErrors(instrument.id());
      }
      synchronized (inProcess) {
        System.out.printf(
            Locale.ROOT,
            "feed lag: %d symbols, %d events in all, %d book updates in %.1f s after %d s warm-up (gaps %d, decode errors %d)%n"
                + "  receive - E: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
                + "  frame in -> BookUpdated at consumer: p50 %d us, p99 %d us, max %d us%n",
            SYMBOLS,
            events,
            updates.get() - warmUpdates,
            elapsed,
            warmupSeconds,
            gaps,
            decodeErrors,
            lag.getValueAtPercentile(50) / 1000.0,
            lag.getValueAtPercentile(99) / 1000.0,
            lag.getMaxValue() / 1000.0,
            inProcess.getValueAtPercentile(50),
            inProcess.getValueAtPercentile(99),
            inProcess.getMaxValue());
      }
    } finally {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Records frame-in to arrival of every book update; the histogram is read from the main thread.
   */
  private static Behavior<MarketEvent> consumer(Histogram inProcess, AtomicLong updates) {
    return Behaviors.receive(MarketEvent.class)
        .onMessage(
            MarketEvent.BookUpdated.class,
            u -> {
              updates.incrementAndGet();
              if (u.receiveNanos() > 0) {
                long micros = Math.max(0, (System.nanoTime() - u.receiveNanos()) / 1000);
                synchronized (inProcess) {
                  inProcess.recordValue(micros);
                }
              }
              return Behaviors.same();
            })
        .build();
  }

  private static String simSymbols() {
    StringBuilder s = new StringBuilder("phoenix.sim.symbols = [\n");
    for (int i = 0; i < SYMBOLS; i++) {
      s.append("{ symbol = \"S")
          .append(i)
          .append("USDT\", base-asset = \"S")
          .append(i)
          .append(
              "\", quote-asset = \"USDT\", tick-size = \"0.01\", step-size = \"0.001\", min-price = \"0.01\","
                  + " max-price = \"1000000\", min-qty = \"0.001\", max-qty = \"10000\", min-notional = 5,"
                  + " max-open-orders = 200, percent-up = 1.05, percent-down = 0.95, initial-price = \"")
          .append(100 + i)
          .append(".00\", volatility-per-sqrt-second = 0.001, funding-rate = \"0.00010000\" }\n");
    }
    return s.append("]\n").toString();
  }
}
