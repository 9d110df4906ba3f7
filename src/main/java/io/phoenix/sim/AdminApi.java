package io.phoenix.sim;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Test and operator hooks under {@code /sim/admin}: read and set faults ({@code GET|POST
 * /sim/admin/faults}, JSON body or form/query params), one-shot helpers ({@code POST
 * /sim/admin/drop-websockets}, {@code depth-gap?symbol=}, {@code expire-listen-key?listenKey=},
 * {@code reset}), the engine's book ({@code GET /sim/admin/book?symbol=&limit=}) that other
 * components' integration tests compare their local book against, and the exchange-side reaction
 * per API key ({@code GET /sim/admin/reaction[?apiKey=]}, {@code POST /sim/admin/reaction/reset};
 * see {@link ReactionMeter}).
 */
final class AdminApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FaultInjector faults;
  private final EngineLoop engine;
  private final Wire wire;
  private final RateLimiter limiter;
  private final Materializer mat;
  private final ReactionMeter reaction;

  AdminApi(
      FaultInjector faults,
      EngineLoop engine,
      Wire wire,
      RateLimiter limiter,
      Materializer mat,
      ReactionMeter reaction) {
    this.faults = faults;
    this.reaction = reaction;
    this.engine = engine;
    this.wire = wire;
    this.limiter = limiter;
    this.mat = mat;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    return request
        .entity()
        .toStrict(5000, mat)
        .thenCompose(
            strict -> {
              try {
                return route(request, strict.getData().utf8String());
              } catch (Rejection r) {
                return CompletableFuture.completedFuture(RestRoutes.error(r, List.of()));
              } catch (Exception e) {
                return CompletableFuture.completedFuture(
                    RestRoutes.error(Rejection.bad(-1130, "Invalid JSON body."), List.of()));
              }
            })
        .exceptionally(e -> RestRoutes.error(RestRoutes.unwrap(e), List.of()));
  }

  private CompletionStage<HttpResponse> route(HttpRequest request, String body) throws Exception {
    String method = request.method().value();
    String path = request.getUri().path().substring("/sim/admin".length());
    String query = request.getUri().rawQueryString().orElse("");
    Params params;
    if (body.trim().startsWith("{")) {
      JsonNode node = MAPPER.readTree(body);
      Map<String, String> map = Params.textMap(node);
      Params.of(query, "").asMap().forEach(map::put);
      params = new Params(map);
    } else {
      params = Params.of(query, body);
    }
    switch (method + " " + path) {
      case "GET /faults" -> {
        return ok(state());
      }
      case "POST /faults" -> {
        apply(params);
        return ok(state());
      }
      case "POST /drop-websockets" -> {
        faults.dropWebSockets();
        return ok("{}");
      }
      case "POST /depth-gap" -> {
        faults.depthGap(params.req("symbol"));
        return ok("{}");
      }
      case "POST /expire-listen-key" -> {
        return ok("{\"expired\":" + faults.expireListenKey(params.req("listenKey")) + "}");
      }
      case "POST /reset" -> {
        faults.reset();
        limiter.reset();
        return ok(state());
      }
      case "POST /price" -> {
        // a jump of fair value (and with it mark and index): drives stops, take-profits and
        // liquidations
        String symbol = params.req("symbol");
        long ticks = params.decimal("price", wire.instrument(symbol).price(), true);
        return engine
            .call(
                (ex, now) -> {
                  ex.setFairValue(symbol, ticks);
                  return "{\"symbol\":\""
                      + symbol
                      + "\",\"price\":\""
                      + wire.price(symbol, ticks)
                      + "\"}";
                })
            .thenApply(AdminApi::okNow);
      }
      case "GET /book" -> {
        String symbol = params.req("symbol");
        wire.instrument(symbol);
        int limit = params.optInt("limit", 1000);
        return engine
            .call((ex, now) -> wire.depth(symbol, ex.depth(symbol, limit)))
            .thenApply(AdminApi::okNow);
      }
      case "GET /reaction" -> {
        return ok(reaction(params.opt("apiKey")));
      }
      case "POST /reaction/reset" -> {
        reaction.reset();
        return ok(reaction(null));
      }
      case "GET /replay" -> {
        // the replay's progress and what it could not read (skipped lines, sequence gaps)
        return engine
            .call(
                (ex, now) -> {
                  io.phoenix.sim.engine.RecordedMarket.Status s = ex.replayStatus();
                  if (s == null) {
                    return "{\"replaying\":false}";
                  }
                  Json j = new Json().obj().bool("replaying", true).arr("symbols");
                  for (String symbol : s.symbols()) {
                    j.str(symbol);
                  }
                  return j.endArr()
                      .num("events", s.events())
                      .num("replayed", s.replayed())
                      .num("skippedLines", s.skippedLines())
                      .num("gaps", s.gaps())
                      .num("ourFills", s.ourFills())
                      .bool("ended", s.ended())
                      .end()
                      .toString();
                })
            .thenApply(AdminApi::okNow);
      }
      default -> throw new Rejection(404, -1099, "Not found.");
    }
  }

  private void apply(Params p) {
    if (p.has("delayMs")) {
      faults.delay(Duration.ofMillis(p.optLong("delayMs", 0)));
    }
    if (p.has("clockSkewMs")) {
      faults.clockSkew(Duration.ofMillis(p.optLong("clockSkewMs", 0)));
    }
    if (p.has("unknownOrders")) {
      faults.unknownOrders(p.optInt("unknownOrders", 0));
    }
    if (p.has("serverErrors")) {
      faults.serverErrors(p.optInt("serverErrors", 0));
    }
    if (p.has("rateLimited")) {
      faults.rateLimited(p.optInt("rateLimited", 0));
    }
    if (p.has("depthGap")) {
      faults.depthGap(p.req("depthGap"));
    }
    if (p.optBool("dropWebSockets", false)) {
      faults.dropWebSockets();
    }
    if (p.has("expireListenKey")) {
      faults.expireListenKey(p.req("expireListenKey"));
    }
  }

  /**
   * Every key's reaction, or only {@code apiKey}'s when given; keys are shown shortened, as an
   * operator recognises them, since this page has no authentication.
   */
  private String reaction(String apiKey) {
    Json j = new Json().obj().arr("keys");
    for (ReactionMeter.Snapshot s : reaction.snapshot()) {
      if (apiKey != null && !apiKey.equals(s.apiKey())) {
        continue;
      }
      j.obj()
          .str("apiKey", shortKey(s.apiKey()))
          .num("count", s.count())
          .num("p50Nanos", s.p50Nanos())
          .num("p90Nanos", s.p90Nanos())
          .num("p99Nanos", s.p99Nanos())
          .num("maxNanos", s.maxNanos())
          .num("pending", s.pending())
          .num("overrun", s.overrun())
          .num("latestCount", s.latestCount())
          .num("latestP50Nanos", s.latestP50Nanos())
          .num("latestP90Nanos", s.latestP90Nanos())
          .num("latestP99Nanos", s.latestP99Nanos())
          .end();
    }
    long[] a = reaction.answering();
    j.endArr()
        .obj("answering")
        .num("count", a[0])
        .num("p50Nanos", a[1])
        .num("p99Nanos", a[2])
        .num("maxNanos", a[3])
        .end();
    return j.end().toString();
  }

  static String shortKey(String key) {
    return key.length() < 12
        ? "***"
        : key.substring(0, 4) + "..." + key.substring(key.length() - 4);
  }

  private String state() {
    return new Json()
        .obj()
        .num("delayMs", faults.delayMillis())
        .num("clockSkewMs", faults.clockSkewMillis())
        .num("unknownOrders", faults.pendingUnknownOrders())
        .num("serverErrors", faults.pendingServerErrors())
        .num("rateLimited", faults.pendingRateLimited())
        .end()
        .toString();
  }

  private static CompletionStage<HttpResponse> ok(String json) {
    return CompletableFuture.completedFuture(okNow(json));
  }

  private static HttpResponse okNow(String json) {
    return RestRoutes.ok(json, List.of());
  }
}
