package io.phoenix;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestDepthSnapshotClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.SettingsException;
import io.phoenix.core.Instrument;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.FeedPlan;
import io.phoenix.market.MarketFeed;
import io.phoenix.recorder.Recorder;
import io.phoenix.recorder.RecorderSettings;
import io.phoenix.recorder.Taps;
import io.phoenix.sim.SimServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code phoenix.jar record}: the node's market feeds without the trading, every frame to a {@link
 * Recorder}. Each feed keeps its symbols' books itself, so it fetches a REST snapshot at start and
 * after every resync, and those snapshots land in the same files. Against the embedded simulator
 * when {@code phoenix.sim.enabled}, else against {@code phoenix.binance.*}.
 */
public final class RecordCommand {
  private RecordCommand() {}

  /** A running recording: its feeds' metrics and the recorder; {@link #stop} ends it. */
  public static final class Recording implements AutoCloseable {
    private final ActorSystem<Void> system;
    private final ActorSystem<Void> simSystem;
    private final SimServer sim;
    private final Recorder recorder;
    private final List<FeedMetrics> metrics;
    private final List<Instrument> instruments;

    private Recording(
        ActorSystem<Void> system,
        ActorSystem<Void> simSystem,
        SimServer sim,
        Recorder recorder,
        List<FeedMetrics> metrics,
        List<Instrument> instruments) {
      this.system = system;
      this.simSystem = simSystem;
      this.sim = sim;
      this.recorder = recorder;
      this.metrics = metrics;
      this.instruments = instruments;
    }

    public Recorder recorder() {
      return recorder;
    }

    public List<Instrument> instruments() {
      return instruments;
    }

    /**
     * The metrics of every feed (depth feeds count diffs and book tickers, the others trades and
     * marks).
     */
    public List<FeedMetrics> feedMetrics() {
      return metrics;
    }

    /** Stops the feeds first, then writes and closes the files. */
    public void stop() throws Exception {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      recorder.close();
      if (sim != null) {
        sim.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        simSystem.terminate();
      }
    }

    @Override
    public void close() throws Exception {
      stop();
    }
  }

  /** Starts recording {@code symbols} into {@code dir}. */
  public static Recording start(Config config, List<String> symbols, Path dir) throws Exception {
    RecorderSettings settings = RecorderSettings.fromConfig(config).withDir(dir);
    FeedSettings feedSettings = FeedSettings.fromConfig(config);
    GuardianSettings guardian = GuardianSettings.fromConfig(config);
    ActorSystem<Void> simSystem = null;
    SimServer sim = null;
    Config effective = config;
    if (config.getBoolean("phoenix.sim.enabled")) {
      PhoenixNode.EmbeddedSim embedded = PhoenixNode.startSimulator(config);
      simSystem = embedded.system();
      sim = embedded.server();
      effective = embedded.config();
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "phoenix-recorder", effective);
    try {
      BinanceRestSettings rest = BinanceRestSettings.fromConfig(effective);
      RestResult<RestExchangeInfo> info =
          BinanceRestClient.create(system, rest, ServerClock.fixed(0))
              .exchangeInfo()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      if (!(info instanceof RestResult.Ok<RestExchangeInfo> ok)) {
        throw new IllegalStateException("exchangeInfo not available: " + info);
      }
      List<String> upper = symbols.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
      List<Instrument> instruments = ok.body().instruments(upper);
      if (instruments.size() != upper.size()) {
        throw new SettingsException("--symbols", "the venue does not list all of " + upper);
      }
      MeterRegistry meters = new SimpleMeterRegistry();
      Recorder recorder = Recorder.start(settings, meters);
      recorder.instruments(instruments);
      // snapshots paced by the venue's own limits, as in the node: a gap storm must not earn a ban
      SharedRateBudget budget =
          new SharedRateBudget(RateBudget.fromExchange(ok.body().rateLimits()), 0.1);
      BinanceRestClient background =
          BinanceRestClient.background(
              system,
              rest,
              ServerClock.fixed(0),
              budget,
              (event, millis) ->
                  meters.counter("phoenix.rest.background", "event", event).increment());
      var snapshots = Taps.snapshots(new RestDepthSnapshotClient(background), recorder);
      String wsUrl = effective.getString("phoenix.binance.ws-url");
      List<FeedMetrics> metrics = new ArrayList<>();
      for (FeedPlan plan : FeedPlan.plan(feedSettings, instruments)) {
        FeedMetrics m = new FeedMetrics(meters, plan.name(), plan.instruments());
        metrics.add(m);
        // a failing feed restarts alone, as in the node; its restart resyncs the books (new
        // snapshots recorded)
        system.systemActorOf(
            Behaviors.supervise(
                    MarketFeed.create(
                        new MarketFeed.Dependencies(
                                plan, feedSettings, wsUrl, snapshots, m, Map.of())
                            .withTap(recorder.tap())))
                .onFailure(
                    RuntimeException.class,
                    SupervisorStrategy.restartWithBackoff(
                        guardian.restartMinBackoff(),
                        guardian.restartMaxBackoff(),
                        guardian.restartJitter())),
            "market-feed-" + plan.name(),
            akka.actor.typed.Props.empty());
      }
      return new Recording(system, simSystem, sim, recorder, metrics, instruments);
    } catch (Exception e) {
      system.terminate();
      if (simSystem != null) {
        simSystem.terminate();
      }
      throw e;
    }
  }

  /** The command: records until {@code seconds} have passed (0: until the process is stopped). */
  public static int run(Config config, List<String> symbols, Path dir, long seconds) {
    Recording recording;
    try {
      recording = start(config, symbols, dir);
    } catch (SettingsException e) {
      throw e;
    } catch (Exception e) {
      System.err.println("phoenix: recorder failed to start: " + e.getMessage());
      return 2;
    }
    System.out.println(
        "recording "
            + symbols
            + " to "
            + dir.toAbsolutePath()
            + (seconds > 0 ? " for " + seconds + " s" : " (Ctrl-C stops)"));
    // the files must be complete however the recording ends: the stop runs once, from here or from
    // the hook
    java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch interrupted = new CountDownLatch(1);
    int[] exit = {0};
    Runnable stopOnce =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            try {
              recording.stop();
            } catch (Exception e) {
              System.err.println("phoenix: recorder did not stop cleanly: " + e.getMessage());
              exit[0] = 1;
            }
          }
        };
    Thread hook =
        new Thread(
            () -> {
              interrupted.countDown();
              stopOnce.run();
            },
            "recorder-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (seconds > 0) {
        interrupted.await(seconds, TimeUnit.SECONDS);
      } else {
        interrupted.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopOnce.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook has run the stop
    }
    if (exit[0] != 0) {
      return exit[0];
    }
    Recorder r = recording.recorder();
    System.out.printf(
        Locale.ROOT,
        "recorded %d market messages and %d snapshots; dropped %d, write errors %d%n",
        r.written("market"),
        r.written("snapshot"),
        r.dropped(),
        r.errors());
    return r.dropped() == 0 && r.errors() == 0 ? 0 : 1;
  }
}
