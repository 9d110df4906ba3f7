package io.phoenix.ops;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import io.phoenix.config.OpsSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP server: Prometheus {@code /metrics}, the JSON API under {@code /api}, the
 * dashboard at {@code /} with live updates over server-sent events ({@code /api/events}). Loopback
 * by default; the two state-changing endpoints ({@code POST /api/kill}, {@code POST /api/resume})
 * require {@code Authorization: Bearer <phoenix.ops.token>}. Routes are in {@link OpsRoutes}; this
 * class owns the binding.
 */
public final class OpsServer {
  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
  private final ServerBinding binding;

  private OpsServer(ServerBinding binding) {
    this.binding = binding;
  }

  /**
   * Binds {@code settings.host():settings.port()} (0 = a free port) and serves until {@link
   * #stop()}.
   */
  public static CompletionStage<OpsServer> start(
      ActorSystem<?> system, OpsSettings settings, Metrics metrics, OpsView view) {
    Route route = new OpsRoutes(settings, metrics, view).route();
    return Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .bind(route)
        .thenApply(
            b -> {
              log.info(
                  "ops server listening on http://{}:{}/ (kill/resume {})",
                  b.localAddress().getHostString(),
                  b.localAddress().getPort(),
                  settings.token().isEmpty() ? "disabled: PHOENIX_OPS_TOKEN unset" : "enabled");
              return new OpsServer(b);
            });
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String host() {
    return binding.localAddress().getHostString();
  }

  /** Stops accepting, lets in-flight requests finish for up to 3 s, then closes connections. */
  public CompletionStage<Done> stop() {
    return binding.terminate(Duration.ofSeconds(3)).thenApply(t -> Done.getInstance());
  }
}
