package io.phoenix.binance.order;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketRequest;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RequestSigner;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.WsApiSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ExchangeTransport} over Binance's WebSocket trading API: {@code POST|PUT|DELETE|GET
 * /fapi/v1/order} become {@code order.place|modify|cancel|status}, pipelined on one long-lived
 * session; every other request (batches, cancel-all, account reads) goes to the fallback transport
 * ({@link ExchangeTransport#of}, REST), and so does everything while the session is down.
 *
 * <p>Each request is signed on its own (HMAC over the parameters sorted by name, Binance's WS
 * rule). Replies are matched by id. Outcomes keep REST's meaning: an error reply with a Binance
 * code is {@link RestResult.Rejected} (or {@link RestResult.RateLimited} for 429/418), while a
 * timeout or a session lost with requests in flight is {@link RestResult.UnknownOutcome}: the
 * request may have reached the engine, so the gateway resolves it by query, never by resending. The
 * usage counters in every reply's {@code rateLimits} feed the same budget as REST's headers.
 *
 * <p>Session: opened by {@link #start}, reopened after a drop with exponential back-off ({@code
 * reconnect-min-backoff} to {@code reconnect-max-backoff}). While it is not up, order requests go
 * over REST; each switch is logged and reported to the state listener (metrics, the dashboard).
 * Thread-safe; stages never complete exceptionally; the API key and secret appear in no log or
 * result.
 */
public final class WsApiTransport implements ExchangeTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WsApiTransport.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();

  /** Parameters Binance types as INT on the WS API (JSON numbers); all others are strings. */
  private static final Set<String> INTEGER_PARAMS =
      Set.of("timestamp", "recvWindow", "orderId", "goodTillDate");

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final WsApiSettings settings;
  private final String apiKey;
  private final RequestSigner signer;
  private final ServerClock clock;
  private final String recvWindow;
  private final ExchangeTransport fallback;
  private final Map<String, CompletableFuture<RestResult<JsonNode>>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong sentOverWs = new AtomicLong();
  private final AtomicLong sentOverFallback = new AtomicLong();
  // the session's queue while it is up (upgraded); null while connecting or down
  private volatile SourceQueueWithComplete<Message> session;
  private volatile java.util.function.Consumer<Boolean> onStateChange = up -> {};
  private boolean started;
  private boolean closed;
  private int failures;

  private WsApiTransport(
      ActorSystem<?> system,
      WsApiSettings settings,
      String apiKey,
      String apiSecret,
      ServerClock clock,
      Duration recvWindow,
      ExchangeTransport fallback) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.settings = settings;
    this.apiKey = apiKey;
    this.signer = new RequestSigner(apiSecret);
    this.clock = clock;
    // zero omits recvWindow: the exchange then applies its default (5000 ms)
    this.recvWindow = recvWindow.isZero() ? null : Long.toString(recvWindow.toMillis());
    this.fallback = fallback;
  }

  /**
   * @param apiKey {@code phoenix.binance.api-key}
   * @param apiSecret {@code phoenix.binance.api-secret} (HMAC)
   * @param clock the shared server clock (timestamps)
   * @param fallback REST, for everything that is not a single-order call
   */
  public static WsApiTransport create(
      ActorSystem<?> system,
      WsApiSettings settings,
      String apiKey,
      String apiSecret,
      ServerClock clock,
      Duration recvWindow,
      ExchangeTransport fallback) {
    return new WsApiTransport(system, settings, apiKey, apiSecret, clock, recvWindow, fallback);
  }

  /**
   * {@code settings.enabled()} ? a WS API transport : {@code rest}; the gateway's config switch.
   */
  public static ExchangeTransport select(
      ActorSystem<?> system,
      WsApiSettings settings,
      String apiKey,
      String apiSecret,
      ServerClock clock,
      Duration recvWindow,
      ExchangeTransport rest) {
    return settings.enabled()
        ? create(system, settings, apiKey, apiSecret, clock, recvWindow, rest).start()
        : rest;
  }

  /** The WS API method for a REST call, or null when it stays on REST. */
  static String method(RestRequest request) {
    if (!request.path().equals(OrderRequests.ORDER)) {
      return null;
    }
    return switch (request.method()) {
      case POST -> "order.place";
      case PUT -> "order.modify";
      case DELETE -> "order.cancel";
      case GET -> "order.status";
    };
  }

  /** {@code listener} hears every change of the session: true = up (orders over the WebSocket). */
  public void onStateChange(java.util.function.Consumer<Boolean> listener) {
    this.onStateChange = listener;
  }

  /** Whether order requests currently go over the WebSocket. */
  public boolean up() {
    return session != null;
  }

  /** While the session is up: batches would go over REST, singles are pipelined on it. */
  @Override
  public boolean prefersSingleOrders() {
    return up();
  }

  /** Order requests sent over the WebSocket so far. */
  public long sentOverWebSocket() {
    return sentOverWs.get();
  }

  /** Order requests sent over the fallback (REST) because the session was down. */
  public long sentOverFallback() {
    return sentOverFallback.get();
  }

  /** Opens the session (once); it is reopened by itself after every drop until {@link #close}. */
  public synchronized WsApiTransport start() {
    if (!started) {
      started = true;
      connect();
    }
    return this;
  }

  @Override
  public CompletionStage<RestResult<JsonNode>> send(RestRequest request) {
    String method = method(request);
    if (method == null) {
      return fallback.send(request);
    }
    SourceQueueWithComplete<Message> queue = session;
    if (queue == null) {
      if (!started) {
        start();
      }
      sentOverFallback.incrementAndGet();
      return fallback.send(request);
    }
    String id = "p" + ids.incrementAndGet();
    String frame;
    try {
      frame = encode(id, method, request);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(
          new RestResult.Rejected<>(
              0, "request not sent: " + e.getClass().getSimpleName(), 0, RateLimitUsage.NONE));
    }
    CompletableFuture<RestResult<JsonNode>> result = new CompletableFuture<>();
    inFlight.put(id, result);
    system
        .scheduler()
        .scheduleOnce(
            settings.requestTimeout(),
            () -> {
              if (inFlight.remove(id) != null) {
                result.complete(
                    new RestResult.UnknownOutcome<>(
                        "no WS API reply within " + settings.requestTimeout().toMillis() + " ms",
                        0,
                        RateLimitUsage.NONE));
              }
            },
            system.executionContext());
    sentOverWs.incrementAndGet();
    queue
        .offer(TextMessage.create(frame))
        .whenComplete(
            (offer, failure) -> {
              if (failure != null || !QueueOfferResult.enqueued().equals(offer)) {
                notSent(id, result, "WS API queue refused the request");
              }
            });
    return result;
  }

  /** Closes the session for good; requests in flight become unknown outcomes. */
  public void close() {
    SourceQueueWithComplete<Message> c;
    synchronized (this) {
      closed = true;
      c = pending;
    }
    if (c != null) {
      c.complete();
    }
  }

  private CompletionStage<RestResult<JsonNode>> notSent(
      String id, CompletableFuture<RestResult<JsonNode>> result, String reason) {
    if (inFlight.remove(id) != null) {
      result.complete(new RestResult.Rejected<>(0, reason, 503, RateLimitUsage.NONE));
    }
    return result;
  }

  // the queue of the connection being opened or open (session is set only once it is upgraded)
  private SourceQueueWithComplete<Message> pending;

  private synchronized void connect() {
    if (closed) {
      return;
    }
    Pair<
            Pair<
                SourceQueueWithComplete<Message>,
                CompletionStage<akka.http.javadsl.model.ws.WebSocketUpgradeResponse>>,
            CompletionStage<Done>>
        mat =
            Source.<Message>queue(1024, OverflowStrategy.dropNew())
                .viaMat(
                    Http.get(system).webSocketClientFlow(WebSocketRequest.create(settings.url())),
                    Keep.both())
                .mapAsync(
                    1,
                    m ->
                        m.isText()
                            // a whole frame needs no stream (toStrict would run one)
                            ? m.asTextMessage().isStrict()
                                ? CompletableFuture.completedFuture(
                                    m.asTextMessage().getStrictText())
                                : m.asTextMessage()
                                    .toStrict(settings.requestTimeout().toMillis(), materializer)
                                    .thenApply(t -> t.getStrictText())
                            : m.asBinaryMessage()
                                .getStreamedData()
                                .runWith(Sink.ignore(), materializer)
                                .thenApply(d -> ""))
                .toMat(Sink.foreach(this::onReply), Keep.both())
                .run(materializer);
    SourceQueueWithComplete<Message> queue = mat.first().first();
    pending = queue;
    mat.first()
        .second()
        .whenComplete(
            (upgrade, failure) -> {
              boolean ok = failure == null && upgrade.response().status().intValue() == 101;
              if (ok) {
                onUpgraded(queue);
              } else {
                queue.fail(
                    new IllegalStateException(
                        "WS API upgrade failed: "
                            + (failure != null
                                ? failure.getClass().getSimpleName()
                                : upgrade.response().status())));
              }
            });
    mat.second().whenComplete((done, failure) -> onConnectionEnded(queue, failure));
  }

  private void onUpgraded(SourceQueueWithComplete<Message> queue) {
    synchronized (this) {
      if (pending != queue || closed) {
        return;
      }
      failures = 0;
      session = queue;
    }
    LOG.info("WS API session up ({}): order entry over the WebSocket", settings.url());
    onStateChange.accept(true);
  }

  private void onConnectionEnded(SourceQueueWithComplete<Message> queue, Throwable failure) {
    boolean wasUp;
    long delay;
    synchronized (this) {
      if (pending != queue) {
        return;
      }
      wasUp = session == queue;
      session = null;
      pending = null;
      delay =
          Math.min(
              settings.reconnectMaxBackoff().toMillis(),
              settings.reconnectMinBackoff().toMillis() << Math.min(failures, 16));
      failures++;
    }
    int lost = 0;
    for (String id : inFlight.keySet()) {
      CompletableFuture<RestResult<JsonNode>> f = inFlight.remove(id);
      if (f != null) {
        lost++;
        f.complete(
            new RestResult.UnknownOutcome<>(
                "WS API connection lost with the request in flight", 0, RateLimitUsage.NONE));
      }
    }
    if (wasUp) {
      LOG.warn(
          "WS API session down ({}); {} requests in flight are now unknown outcomes; order entry over REST"
              + " until it is back",
          failure == null ? "closed" : failure.getClass().getSimpleName(),
          lost);
      onStateChange.accept(false);
    }
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    system
        .scheduler()
        .scheduleOnce(Duration.ofMillis(delay), this::connect, system.executionContext());
  }

  private void onReply(String text) {
    if (text.isEmpty()) {
      return;
    }
    JsonNode reply;
    try {
      reply = MAPPER.readTree(text);
    } catch (IOException e) {
      LOG.warn("Unreadable WS API reply dropped");
      return;
    }
    JsonNode idNode = reply.get("id");
    if (idNode == null || idNode.isNull()) {
      // e.g. {"id":null,"status":401,...}: the key went bad mid-session; the next replies say so
      // too
      LOG.warn("WS API message without a request id: status {}", reply.path("status").asInt());
      return;
    }
    CompletableFuture<RestResult<JsonNode>> f = inFlight.remove(idNode.asText());
    if (f != null) {
      f.complete(classify(reply, settings.defaultRetryAfter()));
    }
  }

  /** Maps one reply to the REST client's outcome classes; package-private for tests. */
  static RestResult<JsonNode> classify(JsonNode reply, Duration defaultRetryAfter) {
    int status = reply.path("status").asInt(0);
    RateLimitUsage usage = usage(reply.get("rateLimits"));
    if (status >= 200 && status < 300 && reply.has("result")) {
      return new RestResult.Ok<>(reply.get("result"), status, usage);
    }
    JsonNode error = reply.path("error");
    int code = error.path("code").asInt(0);
    String msg = error.path("msg").asText("");
    if (status == 429 || status == 418) {
      return new RestResult.RateLimited<>(
          defaultRetryAfter, status == 418, code, msg, status, usage);
    }
    if (BinanceErrors.isUnknownOutcome(code)) {
      return new RestResult.UnknownOutcome<>(code + " " + msg, status, usage);
    }
    if (status == 503) {
      return msg.startsWith(BinanceErrors.UNKNOWN_503_PREFIX)
          ? new RestResult.UnknownOutcome<>("503 " + msg, status, usage)
          : new RestResult.Rejected<>(code, msg, status, usage);
    }
    if (status >= 500 && code != BinanceErrors.THROTTLED) {
      return new RestResult.UnknownOutcome<>(status + " " + msg, status, usage);
    }
    return new RestResult.Rejected<>(code, msg, status, usage);
  }

  private static RateLimitUsage usage(JsonNode limits) {
    if (limits == null || !limits.isArray()) {
      return RateLimitUsage.NONE;
    }
    int weight = RateLimitUsage.ABSENT;
    int orders10s = RateLimitUsage.ABSENT;
    int orders1m = RateLimitUsage.ABSENT;
    for (JsonNode l : limits) {
      String type = l.path("rateLimitType").asText();
      String interval = l.path("interval").asText();
      int num = l.path("intervalNum").asInt();
      int count = l.path("count").asInt(RateLimitUsage.ABSENT);
      if (type.equals("REQUEST_WEIGHT") && interval.equals("MINUTE") && num == 1) {
        weight = count;
      } else if (type.equals("ORDERS") && interval.equals("SECOND") && num == 10) {
        orders10s = count;
      } else if (type.equals("ORDERS") && interval.equals("MINUTE") && num == 1) {
        orders1m = count;
      }
    }
    return new RateLimitUsage(weight, orders10s, orders1m);
  }

  /**
   * The request frame: params plus apiKey, recvWindow, timestamp and the signature over them
   * sorted.
   */
  String encode(String id, String method, RestRequest request) throws IOException {
    TreeMap<String, String> params = new TreeMap<>();
    for (RestRequest.Param p : request.params()) {
      params.put(p.name(), p.value());
    }
    params.put("apiKey", apiKey);
    if (recvWindow != null) {
      params.putIfAbsent("recvWindow", recvWindow);
    }
    params.putIfAbsent("timestamp", Long.toString(clock.timestampMillis()));
    StringBuilder payload = new StringBuilder(256);
    params.forEach(
        (k, v) -> payload.append(payload.length() == 0 ? "" : "&").append(k).append('=').append(v));
    String signature = signer.sign(payload.toString());
    StringWriter out = new StringWriter(320);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("method", method);
      g.writeObjectFieldStart("params");
      for (Map.Entry<String, String> e : params.entrySet()) {
        if (INTEGER_PARAMS.contains(e.getKey())) {
          g.writeNumberField(e.getKey(), Long.parseLong(e.getValue()));
        } else {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      g.writeStringField("signature", signature);
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "WsApiTransport[" + settings.url() + "]";
  }

  /** For tests: requests awaiting a reply. */
  int inFlightCount() {
    return inFlight.size();
  }
}
