package io.phoenix.binance.rest;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.BinanceRestSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import scala.util.Try;

/**
 * Binance USD-M REST client on Akka HTTP's pooled keep-alive client (or one HTTP/2 connection, see
 * {@code phoenix.binance.rest.http2}). It signs, sends, and classifies every response into a {@link
 * RestResult}; it never throws from a send and never retries by itself, because only the caller
 * knows whether a retry is safe.
 *
 * <p>Thread-safe; one instance per account. Signed requests take their {@code timestamp} from the
 * shared {@link ServerClock}. The API key and secret appear in no log, result or toString.
 *
 * <p>Create with {@link #create(ActorSystem, BinanceRestSettings, ServerClock)}.
 */
public final class BinanceRestClient {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final JavaType JSON_NODE = MAPPER.constructType(JsonNode.class);
  // a marker type: the body is returned as it came, not decoded
  private static final JavaType RAW = MAPPER.constructType(byte[].class);
  private static final JavaType ORDER_LIST =
      MAPPER.getTypeFactory().constructCollectionType(List.class, RestOrderResponse.class);

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final BinanceRestSettings settings;
  private final ServerClock clock;
  private final RequestSigner signer;
  private final RawHeader apiKeyHeader;
  private static final int MAX_CACHED_URIS = 64;
  private final java.util.concurrent.ConcurrentHashMap<String, Uri> uris =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final String recvWindow;
  private final Function<HttpRequest, CompletionStage<HttpResponse>> transport;
  // null: the caller charges the budget itself (the order gateway)
  private final BudgetGate gate;

  private BinanceRestClient(
      ActorSystem<?> system,
      BinanceRestSettings settings,
      ServerClock clock,
      BinanceRestSettings.Pool pool,
      boolean retryIdempotent,
      BudgetGate gate) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.settings = settings;
    this.clock = clock;
    this.signer = settings.apiSecret().isEmpty() ? null : new RequestSigner(settings.apiSecret());
    this.apiKeyHeader =
        settings.apiKey().isEmpty() ? null : RawHeader.create("X-MBX-APIKEY", settings.apiKey());
    this.recvWindow = Long.toString(settings.recvWindow().toMillis());
    this.transport = settings.http2() ? http2Transport() : pooledTransport(pool, retryIdempotent);
    this.gate = gate;
  }

  /**
   * The order-entry client: its own connection pool ({@code phoenix.binance.rest.order-pool}), no
   * automatic retries (an order request that failed mid-flight is resolved by query, never resent
   * by the transport), and no pacing: its one caller, the order gateway, charges the shared budget
   * on its own thread before each send.
   *
   * @param clock supplies signed timestamps; share the instance {@code TimeSync} updates
   */
  public static BinanceRestClient create(
      ActorSystem<?> system, BinanceRestSettings settings, ServerClock clock) {
    return new BinanceRestClient(system, settings, clock, settings.orderPool(), false, null);
  }

  /**
   * The client for everything but order entry: its own connection pool ({@code
   * phoenix.binance.rest.background-pool}), every request admitted by a {@link BudgetGate} on
   * {@code budget} (at most {@code max-connections} in flight, each charged its weight, none while
   * a 429/418 pause lasts). A request the gate refuses completes as a {@link RestResult.Rejected}
   * with code 0: it was not sent.
   */
  public static BinanceRestClient background(
      ActorSystem<?> system,
      BinanceRestSettings settings,
      ServerClock clock,
      SharedRateBudget budget,
      java.util.function.BiConsumer<String, Long> onEvent) {
    BinanceRestSettings.Pool pool = settings.backgroundPool();
    BudgetGate gate =
        new BudgetGate(
            budget,
            clock::timestampMillis,
            (delay, task) ->
                system.scheduler().scheduleOnce(delay, task, system.executionContext()),
            pool.maxConnections(),
            pool.queueSize(),
            onEvent);
    return new BinanceRestClient(system, settings, clock, pool, true, gate);
  }

  /** The gate pacing this client's requests, or null for the order-entry client. */
  public BudgetGate gate() {
    return gate;
  }

  /** The JSON mapper used for responses (case-sensitive, unknown fields ignored). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public ServerClock clock() {
    return clock;
  }

  public Duration recvWindow() {
    return settings.recvWindow();
  }

  // ---------------------------------------------------------------- generic sends

  /** Sends and decodes a 2xx body as a JSON tree. */
  public CompletionStage<RestResult<JsonNode>> send(RestRequest request) {
    return send(request, JSON_NODE);
  }

  /** Sends and decodes a 2xx body as {@code type}. */
  public <T> CompletionStage<RestResult<T>> send(RestRequest request, Class<T> type) {
    return send(request, MAPPER.constructType(type));
  }

  /** Sends and decodes a 2xx body as {@code type} (generic collections). */
  public <T> CompletionStage<RestResult<T>> send(RestRequest request, TypeReference<T> type) {
    return send(request, MAPPER.getTypeFactory().constructType(type));
  }

  /** Sends and decodes a 2xx body as {@code type}. Never completes exceptionally. */
  public <T> CompletionStage<RestResult<T>> send(RestRequest request, JavaType type) {
    if (gate == null) {
      return sendNow(request, type);
    }
    return gate.admit(request)
        .thenCompose(
            refused -> {
              if (refused != null) {
                RestResult<T> notSent =
                    new RestResult.Rejected<>(
                        0, "request not sent: " + refused.reason(), 0, RateLimitUsage.NONE);
                return CompletableFuture.completedFuture(notSent);
              }
              long sentMillis = clock.timestampMillis();
              CompletionStage<RestResult<T>> sent = sendNow(request, type);
              return sent.whenComplete((result, error) -> gate.answered(result, sentMillis));
            });
  }

  /**
   * Sends and returns a 2xx body as raw bytes (for a streaming decoder). Never completes
   * exceptionally.
   */
  public CompletionStage<RestResult<byte[]>> sendRaw(RestRequest request) {
    return send(request, RAW);
  }

  private <T> CompletionStage<RestResult<T>> sendNow(RestRequest request, JavaType type) {
    HttpRequest http;
    try {
      http = toHttp(request);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new RestResult.Rejected<>(
              0, "request not sent: " + safe(e.getMessage()), 0, RateLimitUsage.NONE));
    }
    CompletableFuture<RestResult<T>> result = new CompletableFuture<>();
    var timeout =
        system
            .scheduler()
            .scheduleOnce(
                settings.requestTimeout(),
                () ->
                    result.complete(
                        new RestResult.UnknownOutcome<>(
                            "no response within " + settings.requestTimeout().toMillis() + " ms",
                            0,
                            RateLimitUsage.NONE)),
                system.executionContext());
    CompletionStage<HttpResponse> sent;
    try {
      sent = transport.apply(http);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (response, error) -> {
          if (error instanceof NotSent notSent) {
            timeout.cancel();
            result.complete(
                new RestResult.Rejected<>(
                    0, "request not sent: " + notSent.getMessage(), 0, RateLimitUsage.NONE));
            return;
          }
          if (error != null) {
            timeout.cancel();
            result.complete(
                new RestResult.UnknownOutcome<>(
                    "connection failure: "
                        + error.getClass().getSimpleName()
                        + ": "
                        + safe(error.getMessage()),
                    0,
                    RateLimitUsage.NONE));
            return;
          }
          if (result.isDone()) {
            // timed out already: the bytes must still be drained or the pooled connection stalls
            response.discardEntityBytes(materializer);
            return;
          }
          if (response.entity() instanceof HttpEntity.Strict strict) {
            // the usual case: a small body arrives with its headers. Akka HTTP 10.2's toStrict
            // runs a stream even for a strict entity, which cost ~1 ms (p50) per answer on the
            // order path under load. The timeout is cancelled only once the result is in: should
            // classifying ever throw, the request still ends as an unknown outcome, never hangs
            result.complete(classify(response, strict.getData().toArray(), type));
            timeout.cancel();
            return;
          }
          response
              .entity()
              .toStrict(settings.requestTimeout().toMillis(), materializer)
              .whenComplete(
                  (strict, bodyError) -> {
                    if (bodyError != null) {
                      result.complete(
                          new RestResult.UnknownOutcome<>(
                              "response body lost: " + bodyError.getClass().getSimpleName(),
                              response.status().intValue(),
                              usage(response)));
                    } else {
                      result.complete(classify(response, strict.getData().toArray(), type));
                    }
                    timeout.cancel();
                  });
        });
    return result;
  }

  // ---------------------------------------------------------------- typed endpoints

  /** {@code GET /fapi/v1/time}. */
  public CompletionStage<RestResult<RestServerTime>> serverTime() {
    return send(RestRequest.get("/fapi/v1/time").build(), RestServerTime.class);
  }

  /** {@code GET /fapi/v1/exchangeInfo}. */
  public CompletionStage<RestResult<RestExchangeInfo>> exchangeInfo() {
    return send(RestRequest.get("/fapi/v1/exchangeInfo").build(), RestExchangeInfo.class);
  }

  /** {@code GET /fapi/v1/depth}; weight follows the limit. */
  public CompletionStage<RestResult<RestDepth>> depth(String symbol, int limit) {
    return send(depthRequest(symbol, limit), RestDepth.class);
  }

  /**
   * {@code GET /fapi/v1/depth} with its weight, which follows the limit (2 up to 50 levels, 20 for
   * 1000).
   */
  public static RestRequest depthRequest(String symbol, int limit) {
    int weight = limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
    return RestRequest.get("/fapi/v1/depth")
        .param("symbol", symbol)
        .param("limit", limit)
        .weight(weight)
        .build();
  }

  /** {@code GET /fapi/v1/order} by client order id (any state; {@code -2013} if none). */
  public CompletionStage<RestResult<RestOrderResponse>> queryOrder(
      String symbol, String origClientOrderId) {
    return send(
        RestRequest.get("/fapi/v1/order")
            .signed()
            .param("symbol", symbol)
            .param("origClientOrderId", origClientOrderId)
            .build(),
        RestOrderResponse.class);
  }

  /** {@code GET /fapi/v1/openOrders}, one symbol (weight 1) or all (weight 40) when null. */
  public CompletionStage<RestResult<List<RestOrderResponse>>> openOrders(String symbolOrNull) {
    RestRequest.Builder b =
        RestRequest.get("/fapi/v1/openOrders").signed().weight(symbolOrNull == null ? 40 : 1);
    b.optional("symbol", symbolOrNull);
    return send(b.build(), ORDER_LIST);
  }

  /** {@code DELETE /fapi/v1/order} by client order id. */
  public CompletionStage<RestResult<RestOrderResponse>> cancelOrder(
      String symbol, String origClientOrderId) {
    return send(
        RestRequest.delete("/fapi/v1/order")
            .signed()
            .param("symbol", symbol)
            .param("origClientOrderId", origClientOrderId)
            .build(),
        RestOrderResponse.class);
  }

  /** {@code DELETE /fapi/v1/allOpenOrders}. */
  public CompletionStage<RestResult<JsonNode>> cancelAll(String symbol) {
    return send(
        RestRequest.delete("/fapi/v1/allOpenOrders").signed().param("symbol", symbol).build());
  }

  /** Sends a batch request and splits the response array into per-slot results. */
  public CompletionStage<RestResult<List<RestBatchSlot>>> sendBatch(RestRequest request) {
    return send(request)
        .thenApply(
            r -> {
              if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
                return r.castFailure();
              }
              try {
                return new RestResult.Ok<>(decodeBatch(ok.body()), ok.httpStatus(), ok.usage());
              } catch (RuntimeException e) {
                return new RestResult.UnknownOutcome<>(
                    "undecodable batch response", ok.httpStatus(), ok.usage());
              }
            });
  }

  /** Splits a batch response array into order-or-error slots, in request order. */
  public static List<RestBatchSlot> decodeBatch(JsonNode array) {
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("batch response is not an array");
    }
    List<RestBatchSlot> slots = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      if (item.has("code") && !item.has("orderId")) {
        slots.add(
            new RestBatchSlot(
                null, new RestError(item.path("code").asInt(), item.path("msg").asText(""))));
      } else {
        slots.add(new RestBatchSlot(MAPPER.convertValue(item, RestOrderResponse.class), null));
      }
    }
    return slots;
  }

  // ---------------------------------------------------------------- encoding

  /** The HTTP request exactly as it will be sent; visible for tests. */
  /**
   * The HTTP request {@link #send} would write for {@code request} (timestamped and signed), not
   * sent. Used to warm the order path up at start.
   */
  public HttpRequest prepare(RestRequest request) {
    return toHttp(request);
  }

  HttpRequest toHttp(RestRequest request) {
    String params = request.encodedParams();
    if (request.security() == RestRequest.Security.SIGNED) {
      if (signer == null) {
        throw new IllegalStateException("signed request but no API secret is configured");
      }
      StringBuilder total = new StringBuilder(params.length() + 96).append(params);
      if (request.param("recvWindow") == null) {
        total.append(total.length() == 0 ? "" : "&").append("recvWindow=").append(recvWindow);
      }
      if (request.param("timestamp") == null) {
        total
            .append(total.length() == 0 ? "" : "&")
            .append("timestamp=")
            .append(clock.timestampMillis());
      }
      byte[] message = total.toString().getBytes(StandardCharsets.UTF_8);
      total.append("&signature=").append(signer.sign(message));
      params = total.toString();
    }
    if ((request.security() != RestRequest.Security.NONE) && apiKeyHeader == null) {
      throw new IllegalStateException("request needs an API key but none is configured");
    }
    HttpRequest http;
    if (request.paramsInBody()) {
      http =
          HttpRequest.create()
              .withMethod(
                  request.method() == RestRequest.Method.POST ? HttpMethods.POST : HttpMethods.PUT)
              .withUri(uri(request.path()))
              .withEntity(
                  HttpEntities.create(
                      ContentTypes.APPLICATION_X_WWW_FORM_URLENCODED,
                      params.getBytes(StandardCharsets.UTF_8)));
    } else {
      Uri uri = uri(request.path());
      if (!params.isEmpty()) {
        uri = uri.rawQueryString(params);
      }
      http =
          HttpRequest.create()
              .withMethod(
                  request.method() == RestRequest.Method.GET ? HttpMethods.GET : HttpMethods.DELETE)
              .withUri(uri);
    }
    if (request.security() != RestRequest.Security.NONE) {
      http = http.addHeader(apiKeyHeader);
    }
    return http;
  }

  /**
   * The parsed URI of {@code rest-url + path}: parsing it per request cost more than signing on the
   * order path, and the paths are a handful of constants ({@link Uri} is immutable).
   */
  private Uri uri(String path) {
    Uri uri = uris.get(path);
    if (uri == null) {
      uri = Uri.create(settings.restUrl() + path);
      if (uris.size() < MAX_CACHED_URIS) {
        uris.putIfAbsent(path, uri);
      }
    }
    return uri;
  }

  // ---------------------------------------------------------------- decoding

  private <T> RestResult<T> classify(HttpResponse response, byte[] body, JavaType type) {
    int status = response.status().intValue();
    RateLimitUsage usage = usage(response);
    if (status >= 200 && status < 300) {
      if (type == RAW) {
        @SuppressWarnings("unchecked")
        T raw = (T) body;
        return new RestResult.Ok<>(raw, status, usage);
      }
      try {
        T decoded = MAPPER.readValue(body, type);
        return new RestResult.Ok<>(decoded, status, usage);
      } catch (Exception e) {
        // a 2xx we cannot read may still be an accepted order: unknown, not rejected
        return new RestResult.UnknownOutcome<>(
            "undecodable " + status + " response for " + type.getRawClass().getSimpleName(),
            status,
            usage);
      }
    }
    RestError error = decodeError(body);
    int code = error == null ? 0 : error.code();
    String msg = error == null ? safeText(body) : safe(error.msg());
    if (status == 429 || status == 418) {
      return new RestResult.RateLimited<>(
          retryAfter(response), status == 418, code, msg, status, usage);
    }
    if (BinanceErrors.isUnknownOutcome(code)) {
      return new RestResult.UnknownOutcome<>(code + " " + msg, status, usage);
    }
    if (status == 503) {
      boolean unknown = msg.startsWith(BinanceErrors.UNKNOWN_503_PREFIX);
      return unknown
          ? new RestResult.UnknownOutcome<>("503 " + msg, status, usage)
          : new RestResult.Rejected<>(code, msg, status, usage);
    }
    if (status >= 500 || status == 408) {
      if (code == BinanceErrors.THROTTLED) {
        return new RestResult.Rejected<>(code, msg, status, usage);
      }
      return new RestResult.UnknownOutcome<>(status + " " + msg, status, usage);
    }
    return new RestResult.Rejected<>(code, msg, status, usage);
  }

  private static RestError decodeError(byte[] body) {
    if (body.length == 0 || body[0] != '{') {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node.has("code")) {
        return new RestError(node.path("code").asInt(), node.path("msg").asText(""));
      }
    } catch (Exception e) {
      // not JSON: fall through to the raw text
    }
    return null;
  }

  private String safeText(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return safe(text);
  }

  /** Masks the key and secret should a server or library echo them. */
  String safe(String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    if (!settings.apiSecret().isEmpty()) {
      out = out.replace(settings.apiSecret(), "***");
    }
    if (!settings.apiKey().isEmpty()) {
      out = out.replace(settings.apiKey(), "***");
    }
    int query = out.indexOf("signature=");
    if (query >= 0) {
      out = out.substring(0, query) + "signature=***";
    }
    return out;
  }

  private Duration retryAfter(HttpResponse response) {
    Optional<akka.http.javadsl.model.HttpHeader> h = response.getHeader("Retry-After");
    if (h.isPresent()) {
      try {
        return Duration.ofSeconds(Long.parseLong(h.get().value().trim()));
      } catch (NumberFormatException e) {
        // HTTP-date form is not used by Binance; fall back to the default
      }
    }
    return settings.defaultRetryAfter();
  }

  static RateLimitUsage usage(HttpResponse response) {
    int weight = RateLimitUsage.ABSENT;
    int orders10s = RateLimitUsage.ABSENT;
    int orders1m = RateLimitUsage.ABSENT;
    for (akka.http.javadsl.model.HttpHeader h : response.getHeaders()) {
      String name = h.lowercaseName();
      if (!name.startsWith("x-mbx-")) {
        continue;
      }
      if (name.equals("x-mbx-used-weight-1m")) {
        weight = parseInt(h.value());
      } else if (name.equals("x-mbx-order-count-10s")) {
        orders10s = parseInt(h.value());
      } else if (name.equals("x-mbx-order-count-1m")) {
        orders1m = parseInt(h.value());
      }
    }
    return weight == RateLimitUsage.ABSENT
            && orders10s == RateLimitUsage.ABSENT
            && orders1m == RateLimitUsage.ABSENT
        ? RateLimitUsage.NONE
        : new RateLimitUsage(weight, orders10s, orders1m);
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return RateLimitUsage.ABSENT;
    }
  }

  // ---------------------------------------------------------------- HTTP/1.1 pool

  /**
   * A connection pool of this client's own, fed by one queue materialised once: requests of another
   * client (another pool) can never wait behind these, and no stream is materialised per request. A
   * full queue refuses the request unsent.
   */
  private Function<HttpRequest, CompletionStage<HttpResponse>> pooledTransport(
      BinanceRestSettings.Pool pool, boolean retryIdempotent) {
    ConnectionPoolSettings poolSettings =
        ConnectionPoolSettings.create(system.classicSystem())
            .withMaxConnections(pool.maxConnections())
            .withMaxRetries(retryIdempotent ? 3 : 0);
    // superPool, not newHostConnectionPool: the latter's javadsl in Akka HTTP 10.2 always speaks
    // TLS.
    // A pool is per (host, settings): these settings differ between the two clients, so they never
    // share one.
    Flow<
            Pair<HttpRequest, CompletableFuture<HttpResponse>>,
            Pair<Try<HttpResponse>, CompletableFuture<HttpResponse>>,
            ?>
        flow = Http.get(system).superPool(poolSettings, system.classicSystem().log());
    BoundedSourceQueue<Pair<HttpRequest, CompletableFuture<HttpResponse>>> queue =
        Source.<Pair<HttpRequest, CompletableFuture<HttpResponse>>>queue(pool.queueSize())
            .via(flow)
            .to(
                Sink.foreach(
                    answer -> {
                      Try<HttpResponse> response = answer.first();
                      if (response.isSuccess()) {
                        answer.second().complete(response.get());
                      } else {
                        answer.second().completeExceptionally(response.failed().get());
                      }
                    }))
            .run(materializer);
    return request -> {
      CompletableFuture<HttpResponse> response = new CompletableFuture<>();
      QueueOfferResult offer = queue.offer(Pair.create(request, response));
      if (offer != QueueOfferResult.enqueued()) {
        return CompletableFuture.failedFuture(
            new NotSent("connection pool queue refused the request: " + offer));
      }
      return response;
    };
  }

  /**
   * The request never left this process (a full queue): a definite local refusal, not an unknown.
   */
  static final class NotSent extends RuntimeException {
    NotSent(String message) {
      super(message, null, false, false);
    }
  }

  // ---------------------------------------------------------------- HTTP/2

  /**
   * Carried by a request to its response: HTTP/2 answers in any order. It implements the scaladsl
   * trait because Akka HTTP 10.2's client copies only attributes of that type to the response; a
   * class implementing just the javadsl interface is silently dropped and the response is lost.
   */
  private static final class ResponseFuture
      implements akka.http.scaladsl.model.RequestResponseAssociation {
    static final AttributeKey<ResponseFuture> KEY =
        AttributeKey.create("phoenix-response", ResponseFuture.class);
    final CompletableFuture<HttpResponse> future = new CompletableFuture<>();
  }

  private Function<HttpRequest, CompletionStage<HttpResponse>> http2Transport() {
    URI uri = URI.create(settings.restUrl());
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    var builder = Http.get(system).connectionTo(uri.getHost()).toPort(port);
    Flow<HttpRequest, HttpResponse, NotUsed> flow =
        tls ? builder.managedPersistentHttp2() : builder.managedPersistentHttp2WithPriorKnowledge();
    BoundedSourceQueue<HttpRequest> queue =
        Source.<HttpRequest>queue(1024)
            .via(flow)
            .to(
                Sink.foreach(
                    res ->
                        res.getAttribute(ResponseFuture.KEY)
                            .ifPresent(f -> f.future.complete(res))))
            .run(materializer);
    return request -> {
      ResponseFuture association = new ResponseFuture();
      QueueOfferResult offer = queue.offer(request.addAttribute(ResponseFuture.KEY, association));
      if (offer != QueueOfferResult.enqueued()) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("HTTP/2 queue refused: " + offer));
      }
      return association.future;
    };
  }

  @Override
  public String toString() {
    return "BinanceRestClient[" + settings.restUrl() + ", http2=" + settings.http2() + "]";
  }
}
