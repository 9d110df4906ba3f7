package io.phoenix;

import com.typesafe.config.Config;

/** Starts the actor system for each command and blocks until it terminates. */
final class Launcher {
  private Launcher() {}

  static int run(Config config) {
    System.err.println("phoenix: the market-making loop is not built yet; use `exchange`");
    return 1;
  }

  /**
   * Starts only the simulator on {@code phoenix.sim.host/port} and blocks until the actor system
   * terminates (SIGTERM runs CoordinatedShutdown, which unbinds the server first).
   */
  static int exchange(Config config) {
    io.phoenix.config.SimSettings settings = io.phoenix.config.SimSettings.fromConfig(config);
    akka.actor.typed.ActorSystem<Void> system =
        akka.actor.typed.ActorSystem.create(akka.actor.typed.javadsl.Behaviors.empty(), "phoenix-sim", config);
    io.phoenix.sim.SimServer server;
    try {
      server = io.phoenix.sim.SimServer.start(system, settings).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("phoenix: simulator failed to start: " + e.getMessage());
      system.terminate();
      return 2;
    }
    akka.actor.CoordinatedShutdown.get(system).addTask(
        akka.actor.CoordinatedShutdown.PhaseServiceUnbind(), "sim-server-stop",
        () -> server.stop().thenApply(v -> akka.Done.getInstance()));
    System.out.println("Simulator listening on " + server.restUrl() + " (" + server.wsUrl() + ")");
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }
}
