package io.phoenix.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import io.phoenix.config.ClusterSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node's actor system a member: starts Akka Management (health checks, cluster routes)
 * when enabled, then joins the way {@link ClusterSettings} says: itself (a one-node cluster), the
 * seed nodes (Akka joins them from its configuration), or Cluster Bootstrap.
 */
public final class ClusterMembership {
  private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

  private ClusterMembership() {}

  /** Whether {@code system} runs as a cluster member (tools and tests of one actor run local). */
  public static boolean isMember(ActorSystem<?> system) {
    return "cluster".equals(system.settings().config().getString("akka.actor.provider"));
  }

  /**
   * Completes with the management endpoint's address ("" when management is off) once it is bound;
   * fails when it cannot bind (the caller stops the node: a member the orchestrator cannot probe
   * would be restarted in a loop).
   */
  public static CompletionStage<String> join(ActorSystem<?> system, ClusterSettings settings) {
    akka.actor.ActorSystem classic = Adapter.toClassic(system);
    CompletionStage<String> management =
        settings.managementEnabled()
            ? AkkaManagement.get(classic).start().thenApply(Object::toString)
            : CompletableFuture.completedFuture("");
    return management.thenApply(
        uri -> {
          Cluster cluster = Cluster.get(system);
          if (settings.bootstrap()) {
            ClusterBootstrap.get(classic).start();
            log.info("cluster: bootstrapping through discovery, management at {}", uri);
          } else if (settings.joinsItself()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            log.info(
                "cluster: one-node cluster at {}, management at {}",
                cluster.selfMember().address(),
                uri.isEmpty() ? "off" : uri);
          } else {
            log.info(
                "cluster: {} joining seed nodes {}, management at {}",
                cluster.selfMember().address(),
                settings.seedNodes(),
                uri.isEmpty() ? "off" : uri);
          }
          return uri;
        });
  }
}
