package io.phoenix;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.ops.Metrics;
import io.phoenix.sim.SimServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One running node: the embedded simulator when {@code phoenix.sim.enabled} (in its own actor
 * system, so it stays an external counterparty reached over loopback), then the market maker's
 * actor system with {@link PhoenixGuardian} as its root, pointed at {@code phoenix.binance.*} (the
 * simulator's bound URLs when it runs). CoordinatedShutdown of the market maker first asks the
 * guardian to stop quoting, cancel every order and disarm the dead-man switch.
 */
public final class PhoenixNode {
  private final ActorSystem<Void> simSystem;
  private final SimServer sim;
  private final ActorSystem<PhoenixGuardian.Command> system;
  private final Config config;
  private final Metrics metrics;

  private PhoenixNode(ActorSystem<Void> simSystem, SimServer sim, ActorSystem<PhoenixGuardian.Command> system, Config config, Metrics metrics) {
    this.metrics = metrics;
    this.simSystem = simSystem;
    this.sim = sim;
    this.system = system;
    this.config = config;
  }

  /** Starts the node; blocks until the simulator (if any) accepts connections. */
  public static PhoenixNode start(Config config) throws Exception {
    GuardianSettings guardian = GuardianSettings.fromConfig(config);
    ActorSystem<Void> simSystem = null;
    SimServer sim = null;
    Config effective = config;
    if (config.getBoolean("phoenix.sim.enabled")) {
      simSystem = ActorSystem.create(Behaviors.empty(), "phoenix-sim", config);
      try {
        sim = SimServer.start(simSystem, SimSettings.fromConfig(config)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        simSystem.terminate();
        throw e;
      }
      effective =
          ConfigFactory.parseMap(
                  Map.of(
                      "phoenix.binance.rest-url", sim.restUrl(),
                      "phoenix.binance.ws-url", sim.wsUrl(),
                      "phoenix.binance.ws-api-url", sim.wsUrl() + "/ws-fapi/v1"))
              .withFallback(config);
    }
    Metrics metrics = Metrics.create();
    ActorSystem<PhoenixGuardian.Command> system = ActorSystem.create(PhoenixGuardian.create(effective, metrics), "phoenix", effective);
    Duration grace = guardian.shutdownGrace().plusSeconds(5);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "phoenix-cancel-all",
            () -> AskPattern.<PhoenixGuardian.Command, Done>ask(system, PhoenixGuardian.Shutdown::new, grace, system.scheduler()).exceptionally(e -> Done.getInstance()));
    PhoenixNode node = new PhoenixNode(simSystem, sim, system, effective, metrics);
    if (sim != null) {
      SimServer server = sim;
      ActorSystem<Void> serverSystem = simSystem;
      // the simulator outlives the market maker so the cancel-all on shutdown reaches it
      system.getWhenTerminated().thenRun(() -> server.stop().whenComplete((v, e) -> serverSystem.terminate()));
    }
    return node;
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

  public CompletionStage<PhoenixGuardian.NodeStatus> status(Duration timeout) {
    return AskPattern.ask(system, PhoenixGuardian.GetStatus::new, timeout, system.scheduler());
  }

  /** Runs CoordinatedShutdown (cancel-all first) and waits for both systems to terminate. */
  public void shutdown(Duration timeout) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (simSystem != null) {
      simSystem.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Blocks until the market maker's actor system terminates (SIGTERM runs the shutdown). */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
    if (simSystem != null) {
      simSystem.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
