package io.phoenix.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What Akka Management's health checks ask of the node ({@code akka.management.health-checks}):
 * whether its trading has started (readiness) and whether its guardian still answers (liveness).
 * The node sets both when its actor system exists; until then readiness is false and liveness true
 * (a node still starting is alive).
 */
public final class NodeHealth implements Extension {
  private volatile Supplier<CompletionStage<Boolean>> ready =
      () -> CompletableFuture.completedFuture(false);
  private volatile Supplier<CompletionStage<Boolean>> alive =
      () -> CompletableFuture.completedFuture(true);

  private static final ExtensionId<NodeHealth> ID =
      new ExtensionId<>() {
        @Override
        public NodeHealth createExtension(ActorSystem<?> system) {
          return new NodeHealth();
        }
      };

  public static NodeHealth get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** Installs the node's answers (each must complete within the checks' timeout). */
  public void install(
      Supplier<CompletionStage<Boolean>> readiness, Supplier<CompletionStage<Boolean>> liveness) {
    this.ready = readiness;
    this.alive = liveness;
  }

  /** Readiness check, instantiated by Akka Management with the classic system. */
  public static final class Readiness implements Supplier<CompletionStage<Boolean>> {
    private final NodeHealth health;

    public Readiness(akka.actor.ActorSystem system) {
      this.health = NodeHealth.get(Adapter.toTyped(system));
    }

    @Override
    public CompletionStage<Boolean> get() {
      return health.ready.get();
    }
  }

  /** Liveness check, instantiated by Akka Management with the classic system. */
  public static final class Liveness implements Supplier<CompletionStage<Boolean>> {
    private final NodeHealth health;

    public Liveness(akka.actor.ActorSystem system) {
      this.health = NodeHealth.get(Adapter.toTyped(system));
    }

    @Override
    public CompletionStage<Boolean> get() {
      return health.alive.get();
    }
  }
}
