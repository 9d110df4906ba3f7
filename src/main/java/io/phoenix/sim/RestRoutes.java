package io.phoenix.sim;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.Materializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance's REST surface over {@link SimApi}: merges query and form parameters, applies faults, the
 * IP ban, request weight, authentication and order counters in that order, and writes the {@code
 * X-MBX-*} headers. Every failure becomes a Binance {@code {code,msg}} body.
 */
final class RestRoutes {
  private static final Logger log = LoggerFactory.getLogger(RestRoutes.class);
  static final String UNKNOWN = "Unknown error, please check your request or try again later.";

  private final SimApi api;
  private final Auth auth;
  private final RateLimiter limiter;
  private final FaultInjector faults;
  private final ServerClock clock;
  private final Materializer mat;
  private final ReactionMeter reaction;

  RestRoutes(
      SimApi api,
      Auth auth,
      RateLimiter limiter,
      FaultInjector faults,
      ServerClock clock,
      Materializer mat,
      ReactionMeter reaction) {
    this.api = api;
    this.reaction = reaction;
    this.auth = auth;
    this.limiter = limiter;
    this.faults = faults;
    this.clock = clock;
    this.mat = mat;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String ip) {
    long arrived = System.nanoTime();
    if (request.entity() instanceof HttpEntity.Strict strict) {
      // the usual case (a small body arrives with its headers): no stream to run, no hop to a
      // future's thread
      return handle(request, ip, strict.getData().utf8String(), arrived);
    }
    return request
        .entity()
        .toStrict(5000, mat)
        .thenCompose(strict -> handle(request, ip, strict.getData().utf8String(), arrived))
        .exceptionally(e -> error(unwrap(e), new ArrayList<>()));
  }

  private CompletionStage<HttpResponse> handle(
      HttpRequest request, String ip, String body, long arrived) {
    String method = request.method().value();
    String path = request.getUri().path();
    String rawQuery = request.getUri().rawQueryString().orElse("");
    List<HttpHeader> headers = new ArrayList<>();
    long now = clock.now();
    try {
      admit(limiter, faults, ip, now);
      Endpoint ep = api.rest(method, path);
      if (ep == null) {
        log.info("sim: no endpoint for {} {}", method, path);
        throw new Rejection(404, -1099, "Not found, unauthenticated, or unauthorized.");
      }
      String form = isForm(request) ? body : "";
      Params params = Params.of(rawQuery, form);
      int used = limiter.addWeight(ip, ep.name(), ep.weight().of(params), now);
      headers.add(RawHeader.create("X-MBX-USED-WEIGHT-1M", Integer.toString(used)));
      String account = null;
      if (ep.security() != Endpoint.Security.NONE) {
        String key = request.getHeader("X-MBX-APIKEY").map(HttpHeader::value).orElse(null);
        account = auth.account(key);
        if (ep.security() == Endpoint.Security.SIGNED) {
          auth.verify(
              key, Auth.withoutSignature(rawQuery, form), params.opt("signature"), params, now);
        }
      }
      boolean unknownOutcome = false;
      if (ep.isOrder()) {
        int[] counts = limiter.addOrders(ip, account, ep.orders10s(), ep.orders1m(), now);
        headers.add(RawHeader.create("X-MBX-ORDER-COUNT-10S", Integer.toString(counts[0])));
        headers.add(RawHeader.create("X-MBX-ORDER-COUNT-1M", Integer.toString(counts[1])));
        unknownOutcome = method.equals("POST") && faults.takeUnknownOrder();
      }
      boolean lost = unknownOutcome;
      boolean orderRequest = account != null && ReactionMeter.isOrderRequest(ep.name());
      if (orderRequest) {
        reaction.orderRequest(account, params, arrived);
      }
      String requester = account;
      CompletionStage<HttpResponse> response =
          EngineLoop.asRequester(requester, () -> ep.handler().handle(params, requester))
              .handle(
                  (json, e) -> {
                    HttpResponse r =
                        lost
                            ? error(new Rejection(503, -1006, UNKNOWN), headers)
                            : e != null ? error(unwrap(e), headers) : ok(json, headers);
                    if (orderRequest) {
                      reaction.answered(arrived, System.nanoTime());
                    }
                    return r;
                  });
      return delayed(response);
    } catch (Rejection r) {
      if (headers.isEmpty()) {
        headers.add(
            RawHeader.create(
                "X-MBX-USED-WEIGHT-1M", Integer.toString(limiter.usedWeight(ip, now))));
      }
      return delayed(CompletableFuture.completedFuture(error(r, headers)));
    } catch (RuntimeException e) {
      log.warn("sim: request {} {} failed", method, path, e);
      return delayed(
          CompletableFuture.completedFuture(
              error(
                  new Rejection(
                      400, -1000, "An unknown error occurred while processing the request."),
                  headers)));
    }
  }

  private static boolean isForm(HttpRequest request) {
    String ct = request.entity().getContentType().mediaType().toString();
    return ct.startsWith("application/x-www-form-urlencoded")
        || ct.startsWith("text/plain")
        || ct.startsWith("application/octet-stream");
  }

  private CompletionStage<HttpResponse> delayed(CompletionStage<HttpResponse> response) {
    return delayed(faults, response);
  }

  /**
   * The checks every request passes before its endpoint runs, shared by REST and the WebSocket API:
   * an active ban, then the injected forced rate limit and server error faults.
   */
  static void admit(RateLimiter limiter, FaultInjector faults, String ip, long now) {
    limiter.checkBan(ip, now);
    if (faults.takeRateLimited()) {
      throw limiter.forced(ip, now);
    }
    if (faults.takeServerError()) {
      throw new Rejection(503, -1001, "Service Unavailable.");
    }
  }

  /** Holds a reply back by the injected delay, if any (REST and WebSocket API alike). */
  static <T> CompletionStage<T> delayed(FaultInjector faults, CompletionStage<T> reply) {
    long delay = faults.delayMillis();
    if (delay <= 0) {
      return reply;
    }
    return reply.thenCompose(
        r ->
            CompletableFuture.supplyAsync(
                () -> r,
                CompletableFuture.delayedExecutor(
                    delay, java.util.concurrent.TimeUnit.MILLISECONDS)));
  }

  static Rejection unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof Rejection r) {
      return r;
    }
    log.warn("sim: internal failure", t);
    return new Rejection(500, -1000, "An unknown error occurred while processing the request.");
  }

  static HttpResponse ok(String json, List<HttpHeader> headers) {
    return HttpResponse.create()
        .withStatus(200)
        .addHeaders(headers)
        .withEntity(ContentTypes.APPLICATION_JSON, json);
  }

  static HttpResponse error(Rejection r, List<HttpHeader> headers) {
    List<HttpHeader> h = new ArrayList<>(headers);
    if (r.retryAfterSeconds > 0) {
      h.add(RawHeader.create("Retry-After", Long.toString(r.retryAfterSeconds)));
    }
    return HttpResponse.create()
        .withStatus(r.status)
        .addHeaders(h)
        .withEntity(ContentTypes.APPLICATION_JSON, r.body());
  }
}
