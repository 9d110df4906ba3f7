package io.phoenix.ops;

import static akka.http.javadsl.marshalling.sse.EventStreamMarshalling.toEventStream;

import akka.NotUsed;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.OpsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops server's routes. Every error is a JSON object {@code {"error": code, "detail": text}}.
 * Every text in a response goes through {@link ResponseText} (secrets masked, length limited).
 */
final class OpsRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(OpsRoutes.class);
  private static final int MAX_REASON = 200;
  private static final String BEARER = "Bearer ";
  private static final int RECONNECT_MILLIS = 1000;

  private final OpsSettings settings;
  private final Metrics metrics;
  private final OpsView view;
  // every text out is masked for secrets and length-limited; input is parsed by a plain mapper
  private final ObjectMapper json = ResponseText.mapper();
  private final ObjectMapper input = new ObjectMapper();
  private final long started = System.currentTimeMillis();

  OpsRoutes(OpsSettings settings, Metrics metrics, OpsView view) {
    this.settings = settings;
    this.metrics = metrics;
    this.view = view;
  }

  Route route() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), this::routes));
  }

  private Route routes() {
    return concat(
        pathSingleSlash(
            () -> get(() -> getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8))),
        pathPrefix("dashboard", () -> get(() -> getFromResourceDirectory("dashboard"))),
        path(
            "metrics",
            () ->
                get(
                    () ->
                        complete(
                            HttpResponse.create()
                                .withEntity(
                                    HttpEntities.create(
                                        ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()))))),
        pathPrefix(
            "api",
            () ->
                concat(
                    path("status", () -> get(() -> fromView(view::status))),
                    path("positions", () -> get(() -> fromView(view::positions))),
                    path("orders", () -> get(() -> fromView(view::orders))),
                    path("risk", () -> get(() -> fromView(view::risk))),
                    path("cluster", () -> get(() -> fromView(view::cluster))),
                    path(
                        "latency",
                        () ->
                            get(() -> completeJson(StatusCodes.OK, metrics.latency().snapshot()))),
                    path(
                        "actors",
                        () -> get(() -> completeJson(StatusCodes.OK, metrics.actorRestarts()))),
                    path(
                        "snapshot",
                        () ->
                            get(
                                () ->
                                    completeWithFuture(
                                        snapshot().thenApply(s -> json(StatusCodes.OK, s))))),
                    path("events", () -> get(() -> completeOK(events(), toEventStream()))),
                    path(
                        "kill",
                        () ->
                            post(
                                () ->
                                    authorized(
                                        "kill",
                                        () -> entity(Unmarshaller.entityToString(), this::kill)))),
                    path(
                        "resume",
                        () -> post(() -> authorized("resume", () -> fromView(view::resume)))))));
  }

  private Route kill(String body) {
    String reason;
    try {
      reason = parseReason(body);
    } catch (BadInput e) {
      return badRequest("bad-kill-body", e.getMessage());
    }
    log.warn("kill switch requested through the ops API: {}", reason);
    return fromView(() -> view.kill(reason));
  }

  /** An optional {@code {"reason": "..."}}; empty body means "operator". */
  private String parseReason(String body) throws BadInput {
    if (body == null || body.isBlank()) {
      return "operator";
    }
    JsonNode node;
    try {
      node = input.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadInput("body must be JSON like {\"reason\":\"...\"}: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadInput("body must be a JSON object like {\"reason\":\"...\"}");
    }
    JsonNode r = node.get("reason");
    if (r == null || r.isNull()) {
      return "operator";
    }
    if (!r.isTextual()) {
      throw new BadInput("reason must be a string");
    }
    String text = r.asText().replaceAll("\\p{Cntrl}", " ").strip();
    if (text.length() > MAX_REASON) {
      throw new BadInput("reason longer than " + MAX_REASON + " characters");
    }
    return text.isEmpty() ? "operator" : text;
  }

  private Route authorized(String action, Supplier<Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (settings.token().isEmpty()) {
            metrics.badRequest("token-unset");
            log.warn("ops {} refused: no token configured (set PHOENIX_OPS_TOKEN)", action);
            return completeJson(
                StatusCodes.FORBIDDEN,
                error(
                    "token-unset",
                    action + " is disabled: no ops token configured (PHOENIX_OPS_TOKEN)"));
          }
          String value = header.orElse("");
          boolean ok =
              value.startsWith(BEARER)
                  && settings.token().matches(value.substring(BEARER.length()));
          if (!ok) {
            metrics.badRequest("unauthorized");
            log.warn(
                "ops {} refused: {} bearer token",
                action,
                header.isPresent() ? "wrong" : "missing");
            return respondWithHeader(
                RawHeader.create("WWW-Authenticate", "Bearer realm=\"phoenix-ops\""),
                () ->
                    completeJson(
                        StatusCodes.UNAUTHORIZED,
                        error("unauthorized", "missing or wrong Authorization: Bearer token")));
          }
          return inner.get();
        });
  }

  private <T> Route fromView(Supplier<CompletionStage<T>> call) {
    return completeWithFuture(
        bounded(call)
            .handle(
                (value, failure) -> {
                  if (failure != null) {
                    Throwable cause = unwrap(failure);
                    log.warn("ops view failed: {}", cause.toString());
                    return json(
                        StatusCodes.SERVICE_UNAVAILABLE,
                        error("view-unavailable", cause.toString()));
                  }
                  return json(StatusCodes.OK, value);
                }));
  }

  private <T> CompletableFuture<T> bounded(Supplier<CompletionStage<T>> call) {
    try {
      return call.get()
          .toCompletableFuture()
          .orTimeout(settings.viewTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Everything the dashboard draws, in one object; a failed part is null with its error. */
  CompletionStage<Map<String, Object>> snapshot() {
    Map<String, CompletableFuture<?>> parts = new LinkedHashMap<>();
    parts.put("status", bounded(view::status));
    parts.put("positions", bounded(view::positions));
    parts.put("orders", bounded(view::orders));
    parts.put("risk", bounded(view::risk));
    parts.put("cluster", bounded(view::cluster));
    return CompletableFuture.allOf(
            parts.values().stream()
                .map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, Object> out = new LinkedHashMap<>();
              Map<String, String> errors = new LinkedHashMap<>();
              parts.forEach(
                  (name, f) -> {
                    try {
                      out.put(name, f.join());
                    } catch (RuntimeException e) {
                      out.put(name, null);
                      errors.put(name, unwrap(e).toString());
                    }
                  });
              out.put("latency", metrics.latency().snapshot());
              out.put("actors", metrics.actorRestarts());
              out.put("serverTimeMillis", System.currentTimeMillis());
              out.put("serverUptimeMillis", System.currentTimeMillis() - started);
              out.put("errors", errors);
              return out;
            });
  }

  private Source<ServerSentEvent, NotUsed> events() {
    Duration every = settings.pushInterval();
    return Source.tick(Duration.ZERO, every, "tick")
        .mapMaterializedValue(c -> NotUsed.getInstance())
        .takeWithin(settings.eventStreamMaxDuration())
        .mapAsync(1, t -> snapshot())
        .map(
            s ->
                ServerSentEvent.create(
                    json.writeValueAsString(s),
                    Optional.of("snapshot"),
                    Optional.empty(),
                    OptionalInt.of(RECONNECT_MILLIS)));
  }

  private RejectionHandler rejections() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              int code = response.status().intValue();
              String detail =
                  response.entity().isStrict()
                      ? ((akka.http.javadsl.model.HttpEntity.Strict) response.entity())
                          .getData()
                          .utf8String()
                      : response.status().reason();
              metrics.badRequest("http-" + code);
              log.info("ops request rejected with {}: {}", code, detail);
              return json(response.status(), error(errorCode(code), detail))
                  .addHeaders(response.getHeaders());
            });
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(
            Exception.class,
            e -> {
              metrics.badRequest("exception");
              log.error("ops request failed", e);
              return completeJson(
                  StatusCodes.INTERNAL_SERVER_ERROR,
                  error("internal", e.getClass().getSimpleName()));
            })
        .build();
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 413 -> "too-large";
      case 415 -> "unsupported-media-type";
      default -> "http-" + status;
    };
  }

  private Route badRequest(String reason, String detail) {
    metrics.badRequest(reason);
    log.info("ops bad request ({}): {}", reason, detail);
    return completeJson(StatusCodes.BAD_REQUEST, error(reason, detail));
  }

  private Route completeJson(StatusCode status, Object body) {
    return complete(json(status, body));
  }

  private HttpResponse json(StatusCode status, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      log.error("ops response not serialisable", e);
      status = StatusCodes.INTERNAL_SERVER_ERROR;
      bytes =
          "{\"error\":\"internal\",\"detail\":\"response not serialisable\"}"
              .getBytes(StandardCharsets.UTF_8);
    }
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes));
  }

  private static Map<String, String> error(String code, String detail) {
    return Map.of("error", code, "detail", detail == null ? "" : detail);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }
}
