package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.cluster.ClusterMembership;
import io.phoenix.cluster.NodeHealth;
import io.phoenix.config.ClusterSettings;
import io.phoenix.config.JournalSettings;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.PhoenixSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.config.UnitSettings;
import io.phoenix.journal.JournalStore;
import io.phoenix.ops.Logs;
import io.phoenix.ops.Metrics;
import io.phoenix.ops.OpsServer;
import io.phoenix.recorder.Recorder;
import io.phoenix.recorder.RecorderSettings;
import io.phoenix.sim.SimServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: the embedded simulator when {@code phoenix.sim.enabled} (in its own actor
 * system, so it stays an external counterparty reached over loopback), then the market maker's
 * actor system with {@link PhoenixGuardian} as its root, pointed at {@code phoenix.binance.*} (the
 * simulator's bound URLs when it runs), with the journal ({@code phoenix.journal}, opened here and
 * closed after the actor system terminated) and the ops HTTP server ({@code phoenix.ops}: metrics,
 * API, dashboard). Secrets are registered with the log guard before anything logs. Every setting is
 * read and validated first ({@link PhoenixSettings}). Shutdown runs {@link NodeShutdown}: stop
 * quoting, cancel every order and wait for the gateway to hold none (bounded), flush the journal,
 * close the feeds and the ops server.
 */
public final class PhoenixNode {
  private static final Logger log = LoggerFactory.getLogger(PhoenixNode.class);
  private final ActorSystem<Void> simSystem;
  private final SimServer sim;
  private final ActorSystem<PhoenixGuardian.Command> system;
  private final Config config;
  private final Metrics metrics;
  private final JournalStore journal;
  private final OpsServer ops;
  // completes once the journal's connection is closed after the actor system stopped: H2 closes
  // the database file then, and opening it again before that finished has read a half-written file
  private final CompletableFuture<Void> journalClosed;
  private final Recorder recorder;
  private final UnitDirectory directory;

  private PhoenixNode(
      ActorSystem<Void> simSystem,
      SimServer sim,
      ActorSystem<PhoenixGuardian.Command> system,
      Config config,
      Metrics metrics,
      JournalStore journal,
      OpsServer ops,
      CompletableFuture<Void> journalClosed,
      Recorder recorder,
      UnitDirectory directory) {
    this.directory = directory;
    this.journalClosed = journalClosed;
    this.recorder = recorder;
    this.metrics = metrics;
    this.journal = journal;
    this.ops = ops;
    this.simSystem = simSystem;
    this.sim = sim;
    this.system = system;
    this.config = config;
  }

  /** Starts the node; blocks until the simulator (if any) accepts connections. */
  public static PhoenixNode start(Config config) throws Exception {
    return start(config, System::getenv);
  }

  /**
   * As {@link #start(Config)}, the units' credentials read from {@code environment} (tests; the
   * process environment otherwise).
   */
  public static PhoenixNode start(Config config, Function<String, String> environment)
      throws Exception {
    Logs.registerSecrets(config);
    // every component's settings, before the simulator, the journal or any client starts
    PhoenixSettings settings = PhoenixSettings.fromConfig(config);
    OpsSettings opsSettings = settings.ops();
    ActorSystem<Void> simSystem = null;
    SimServer sim = null;
    Config effective = config;
    if (config.getBoolean("phoenix.sim.enabled")) {
      EmbeddedSim embedded = startSimulator(config);
      simSystem = embedded.system();
      sim = embedded.server();
      effective = embedded.config();
    }
    // every unit this node may host: a unit can come here whenever its node leaves the cluster
    List<UnitSettings> units;
    Map<String, JournalStore> journals = new LinkedHashMap<>();
    try {
      units = UnitSettings.fromConfig(effective, environment);
      for (UnitSettings unit : units) {
        Logs.registerSecrets(unit.config());
        PhoenixSettings.fromConfig(unit.config());
        JournalSettings unitJournal = JournalSettings.fromConfig(unit.config());
        if (unitJournal.enabled()) {
          journals.put(unit.name(), JournalStore.open(unitJournal));
        }
      }
    } catch (RuntimeException e) {
      journals.values().forEach(JournalStore::close);
      if (simSystem != null) {
        simSystem.terminate();
      }
      throw e;
    }
    JournalStore journal = journals.get(units.get(0).name());
    Metrics metrics = Metrics.create();
    NodeProbes probes = new NodeProbes();
    RecorderSettings recorderSettings = RecorderSettings.fromConfig(config);
    Recorder recorder =
        recorderSettings.enabled() ? Recorder.start(recorderSettings, metrics.registry()) : null;
    UnitDirectory directory = new UnitDirectory(units.stream().map(UnitSettings::name).toList());
    List<UnitSettings> placed = units;
    ActorSystem<PhoenixGuardian.Command> system =
        ActorSystem.create(
            NodeGuardian.create(
                directory,
                i ->
                    PhoenixGuardian.create(
                        placed.get(i).config(),
                        metrics,
                        // the gauges and the ops view follow the first unit
                        i == 0 ? probes : new NodeProbes(),
                        journals.get(placed.get(i).name()),
                        recorder,
                        NodeShutdown::handOff)),
            ClusterSettings.SYSTEM_NAME,
            settings.cluster().akkaConfig().withFallback(effective));
    installHealth(system, directory, opsSettings.viewTimeout());
    try {
      ClusterMembership.join(system, settings.cluster())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
    CompletableFuture<Void> journalClosed = CompletableFuture.completedFuture(null);
    if (!journals.isEmpty()) {
      // the journal's PostStop writes what is left; only then may the connection go
      journalClosed =
          system
              .getWhenTerminated()
              .toCompletableFuture()
              .thenRun(() -> journals.values().forEach(JournalStore::close));
    }
    if (recorder != null) {
      // the feeds have stopped with the actor system: what they handed over is written, the files
      // closed
      CompletableFuture<Void> journalDone = journalClosed;
      journalClosed =
          system
              .getWhenTerminated()
              .toCompletableFuture()
              .thenCompose(terminated -> journalDone)
              .thenRun(recorder::close);
    }
    OpsServer ops = null;
    if (opsSettings.enabled()) {
      GuardianOpsView view =
          new GuardianOpsView(
              system,
              probes,
              settings.risk(),
              opsSettings.viewTimeout(),
              metrics.registry(),
              directory);
      try {
        ops =
            OpsServer.start(system, opsSettings, metrics, view)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        system.terminate();
        throw e;
      }
    }
    NodeShutdown.register(
        system,
        directory::local,
        opsSettings.shutdownCancelTimeout(),
        settings.guardian().shutdownGrace(),
        ops);
    PhoenixNode node =
        new PhoenixNode(
            simSystem,
            sim,
            system,
            effective,
            metrics,
            journal,
            ops,
            journalClosed,
            recorder,
            directory);
    if (sim != null) {
      SimServer server = sim;
      ActorSystem<Void> serverSystem = simSystem;
      // the simulator outlives the market maker so the cancel-all on shutdown reaches it
      system
          .getWhenTerminated()
          .thenRun(() -> server.stop().whenComplete((v, e) -> serverSystem.terminate()));
    }
    return node;
  }

  /**
   * Readiness (with Akka Management's own check that the member is Up): every unit of the cluster
   * runs somewhere, and every unit on this node has started trading (exchangeInfo read, position
   * mode checked, epoch taken). A member hosting no unit is ready once all are placed (or a rolling
   * update would wait for it forever); while a unit moves, no member is, so a rolling update waits
   * for it to land before it takes the next member. Liveness: the node's guardian answers a status
   * ask within {@code timeout}.
   */
  private static void installHealth(
      ActorSystem<PhoenixGuardian.Command> system, UnitDirectory directory, Duration timeout) {
    NodeHealth.get(system)
        .install(
            () -> {
              if (directory.placement("").values().stream().anyMatch(List::isEmpty)) {
                return CompletableFuture.completedFuture(false);
              }
              List<CompletableFuture<Boolean>> started =
                  directory.local().stream()
                      .map(
                          unit ->
                              AskPattern.<PhoenixGuardian.Command, PhoenixGuardian.NodeStatus>ask(
                                      unit,
                                      PhoenixGuardian.GetStatus::new,
                                      timeout,
                                      system.scheduler())
                                  .thenApply(PhoenixGuardian.NodeStatus::started)
                                  .toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                  .thenApply(v -> started.stream().allMatch(CompletableFuture::join));
            },
            () ->
                AskPattern.ask(system, PhoenixGuardian.GetStatus::new, timeout, system.scheduler())
                    .handle((status, failure) -> failure == null));
  }

  /**
   * The embedded simulator in its own actor system (an external counterparty reached over
   * loopback), and {@code config} pointed at its bound URLs.
   */
  public record EmbeddedSim(ActorSystem<Void> system, SimServer server, Config config) {}

  /** Starts the simulator of {@code phoenix.sim}; blocks until it accepts connections. */
  public static EmbeddedSim startSimulator(Config config) throws Exception {
    ActorSystem<Void> simSystem = ActorSystem.create(Behaviors.empty(), "phoenix-sim", config);
    SimServer sim;
    try {
      sim =
          SimServer.start(simSystem, SimSettings.fromConfig(config))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      simSystem.terminate();
      throw e;
    }
    Config effective =
        ConfigFactory.parseMap(
                Map.of(
                    "phoenix.binance.rest-url", sim.restUrl(),
                    "phoenix.binance.ws-url", sim.wsUrl(),
                    "phoenix.binance.ws-api-url", sim.wsUrl() + "/ws-fapi/v1"))
            .withFallback(config);
    return new EmbeddedSim(simSystem, sim, effective);
  }

  /** The trading units running on this node now, in {@code phoenix.units} order. */
  public List<ActorRef<PhoenixGuardian.Command>> units() {
    return directory.local();
  }

  /** The ops HTTP server, or null when {@code phoenix.ops.enabled} is false. */
  public OpsServer ops() {
    return ops;
  }

  /** The journal's store, or null when {@code phoenix.journal.enabled} is false. */
  JournalStore journal() {
    return journal;
  }

  /** The recorder ({@code phoenix.recorder.enabled}), or null. */
  public Recorder recorder() {
    return recorder;
  }

  public ActorSystem<PhoenixGuardian.Command> system() {
    return system;
  }

  /** The process's metrics: Prometheus registry and stage latency histograms. */
  public Metrics metrics() {
    return metrics;
  }

  /** The embedded simulator, or null when {@code phoenix.sim.enabled} is false. */
  public SimServer sim() {
    return sim;
  }

  /** The configuration in effect (with the simulator's URLs when it runs). */
  public Config config() {
    return config;
  }

  /**
   * The status as of the guardian's last status tick ({@code phoenix.guardian.status-interval}).
   */
  public CompletionStage<PhoenixGuardian.NodeStatus> status(Duration timeout) {
    return AskPattern.ask(system, PhoenixGuardian.GetStatus::new, timeout, system.scheduler());
  }

  /** Every quoter's status as it is now, asked of the quoters themselves, in symbol order. */
  public CompletionStage<java.util.List<io.phoenix.quoting.QuoterStatus>> quoterStatuses(
      Duration timeout) {
    return AskPattern.ask(system, PhoenixGuardian.GetParts::new, timeout, system.scheduler())
        .thenCompose(
            parts -> {
              java.util.List<CompletableFuture<io.phoenix.quoting.QuoterStatus>> asks =
                  new java.util.ArrayList<>();
              parts
                  .quoters()
                  .values()
                  .forEach(
                      q ->
                          asks.add(
                              AskPattern.ask(
                                      q,
                                      io.phoenix.quoting.Quoter.GetStatus::new,
                                      timeout,
                                      system.scheduler())
                                  .toCompletableFuture()));
              return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                  .thenApply(v -> asks.stream().map(CompletableFuture::join).toList());
            });
  }

  /** Runs CoordinatedShutdown (cancel-all first) and waits for both systems to terminate. */
  public void shutdown(Duration timeout) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    journalClosed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (simSystem != null) {
      simSystem
          .getWhenTerminated()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Blocks until the market maker's actor system terminates (SIGTERM runs the shutdown). */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
    journalClosed.join();
    if (simSystem != null) {
      simSystem.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
