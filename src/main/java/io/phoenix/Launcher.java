package io.phoenix;

import com.typesafe.config.Config;

/** Starts the actor system for each command and blocks until it terminates. */
final class Launcher {
  private Launcher() {}

  /**
   * Starts the embedded simulator when {@code phoenix.sim.enabled}, then the market maker pointed
   * at {@code phoenix.binance.*} (with the journal and the ops server, see {@link PhoenixNode}),
   * and blocks until it terminates (SIGTERM runs the shutdown sequence: cancel every order first).
   */
  static int run(Config config) {
    PhoenixNode node;
    try {
      node = PhoenixNode.start(config);
    } catch (io.phoenix.config.SettingsException e) {
      throw e;
    } catch (Exception e) {
      System.err.println("phoenix: failed to start: " + e.getMessage());
      return 2;
    }
    if (node.sim() != null) {
      System.out.println(
          "Simulator listening on " + node.sim().restUrl() + "; market maker started");
    }
    if (node.ops() != null) {
      System.out.println(
          "Dashboard and API on http://"
              + node.ops().host()
              + ":"
              + node.ops().port()
              + "/ (metrics: /metrics)");
    }
    node.awaitTermination();
    return 0;
  }

  /**
   * Starts only the simulator on {@code phoenix.sim.host/port} and blocks until the actor system
   * terminates (SIGTERM runs CoordinatedShutdown, which unbinds the server first).
   */
  static int exchange(Config config) {
    io.phoenix.config.SimSettings settings = io.phoenix.config.SimSettings.fromConfig(config);
    akka.actor.typed.ActorSystem<Void> system =
        akka.actor.typed.ActorSystem.create(
            akka.actor.typed.javadsl.Behaviors.empty(), "phoenix-sim", config);
    io.phoenix.sim.SimServer server;
    try {
      server =
          io.phoenix.sim.SimServer.start(system, settings)
              .toCompletableFuture()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("phoenix: simulator failed to start: " + e.getMessage());
      system.terminate();
      return 2;
    }
    akka.actor.CoordinatedShutdown.get(system)
        .addTask(
            akka.actor.CoordinatedShutdown.PhaseServiceUnbind(),
            "sim-server-stop",
            () -> server.stop().thenApply(v -> akka.Done.getInstance()));
    System.out.println("Simulator listening on " + server.restUrl() + " (" + server.wsUrl() + ")");
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  /**
   * The latency benchmark: simulator plus the whole node, {@code warmupSeconds} to settle, then
   * {@code seconds} measured; prints the stage table and shuts the node down (cancel all).
   */
  static int bench(
      Config config, int warmupSeconds, int seconds, boolean externalVenue, String transport) {
    return LatencyBench.run(config, warmupSeconds, seconds, externalVenue, transport);
  }
}
