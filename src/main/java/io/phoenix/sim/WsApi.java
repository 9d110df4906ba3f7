package io.phoenix.sim;

import akka.NotUsed;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The WebSocket trading API ({@code /ws-fapi/v1}): request envelope {@code {id,method,params}},
 * params signed as sorted {@code k=v} pairs, replies {@code {id,status,result|error,rateLimits}}.
 * Shares the REST limiters, faults and handlers.
 */
final class WsApi {
  // decimals keep their exact text (0.250 stays 0.250) so the signed payload can be rebuilt
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final SimApi api;
  private final Auth auth;
  private final RateLimiter limiter;
  private final FaultInjector faults;
  private final ServerClock clock;
  private final Materializer mat;
  private final Map<String, Endpoint> methods = new java.util.HashMap<>();
  private final ReactionMeter reaction;

  WsApi(
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
    map("order.place", "POST", "/fapi/v1/order");
    map("order.cancel", "DELETE", "/fapi/v1/order");
    map("order.modify", "PUT", "/fapi/v1/order");
    map("order.status", "GET", "/fapi/v1/order");
    map("account.position", "GET", "/fapi/v2/positionRisk");
    map("v2/account.position", "GET", "/fapi/v3/positionRisk");
    map("account.balance", "GET", "/fapi/v2/balance");
    map("v2/account.balance", "GET", "/fapi/v3/balance");
    map("account.status", "GET", "/fapi/v2/account");
    map("v2/account.status", "GET", "/fapi/v3/account");
    map("userDataStream.start", "POST", "/fapi/v1/listenKey");
    map("userDataStream.ping", "PUT", "/fapi/v1/listenKey");
    map("userDataStream.stop", "DELETE", "/fapi/v1/listenKey");
    map("depth", "GET", "/fapi/v1/depth");
    map("ticker.book", "GET", "/fapi/v1/ticker/bookTicker");
    map("ticker.price", "GET", "/fapi/v1/ticker/price");
    map("algoOrder.place", "POST", "/fapi/v1/algoOrder");
    map("algoOrder.cancel", "DELETE", "/fapi/v1/algoOrder");
    map("time", "GET", "/fapi/v1/time");
    map("ping", "GET", "/fapi/v1/ping");
  }

  private void map(String method, String http, String path) {
    methods.put(method, api.rest(http, path));
  }

  /**
   * One connection's state: when it opened, the API key it logged on with (session.logon), and
   * whether replies carry rateLimits.
   */
  static final class Session {
    final long connectedSince;
    final boolean returnRateLimits;
    volatile String apiKey;
    volatile long authorizedSince;

    Session(long connectedSince, boolean returnRateLimits) {
      this.connectedSince = connectedSince;
      this.returnRateLimits = returnRateLimits;
    }
  }

  Flow<Message, Message, NotUsed> flow(String ip, boolean returnRateLimits) {
    Session session = new Session(clock.now(), returnRateLimits);
    return Flow.<Message>create()
        .mapAsync(
            1,
            m ->
                m.isText()
                    ? m.asTextMessage().isStrict()
                        ? CompletableFuture.completedFuture(m.asTextMessage().getStrictText())
                        : m.asTextMessage().toStrict(5000, mat).thenApply(t -> t.getStrictText())
                    : m.asBinaryMessage()
                        .getStreamedData()
                        .runWith(Sink.ignore(), mat)
                        .thenApply(d -> ""))
        .filter(t -> !t.isEmpty())
        .mapAsync(4, t -> handle(t, ip, session))
        .map(t -> (Message) TextMessage.create(t));
  }

  CompletionStage<String> handle(String text, String ip, Session session) {
    long arrived = System.nanoTime();
    boolean returnRateLimits = session.returnRateLimits;
    long now = clock.now();
    String id = "null";
    CompletionStage<String> reply;
    String[] account = new String[1];
    try {
      JsonNode req = MAPPER.readTree(text);
      if (req == null || !req.isObject()) {
        throw new Rejection(400, -1102, "Invalid request.");
      }
      JsonNode idNode = req.get("id");
      id = idNode == null ? "null" : idNode.toString();
      String method = req.path("method").asText("");
      JsonNode paramsNode = req.get("params");
      Map<String, String> map =
          paramsNode != null && paramsNode.isObject()
              ? Params.textMap(paramsNode)
              : new TreeMap<>();
      Params params = new Params(map);
      if (method.startsWith("session.")) {
        RestRoutes.admit(limiter, faults, ip, now);
        limiter.addWeight(ip, 2, now);
        String result = session(method, params, session, now);
        String rid = id;
        reply =
            CompletableFuture.completedFuture(
                "{\"id\":"
                    + rid
                    + ",\"status\":200,\"result\":"
                    + result
                    + rateLimits(ip, session.apiKey, returnRateLimits)
                    + "}");
        return RestRoutes.delayed(faults, reply);
      }
      Endpoint ep = methods.get(method);
      if (ep == null) {
        throw new Rejection(400, -1099, "Unknown method: " + method);
      }
      RestRoutes.admit(limiter, faults, ip, now);
      limiter.addWeight(ip, "ws " + ep.name(), Math.max(1, ep.weight().of(params)), now);
      if (ep.security() != Endpoint.Security.NONE) {
        String key = params.opt("apiKey");
        boolean signed = params.has("signature");
        if (key == null && session.apiKey != null) {
          // a logged-on session signs for its requests: only the timestamp is still checked
          key = session.apiKey;
          signed = false;
        }
        account[0] = auth.account(key);
        if (ep.security() == Endpoint.Security.SIGNED) {
          if (signed || !key.equals(session.apiKey)) {
            auth.verify(key, signedPayload(map), params.opt("signature"), params, now);
          } else {
            auth.checkTime(params, now);
          }
        }
      }
      boolean lost = false;
      if (ep.isOrder()) {
        limiter.addOrders(ip, account[0], ep.orders10s(), ep.orders1m(), now);
        lost = ep.name().startsWith("POST") && faults.takeUnknownOrder();
      }
      boolean orderRequest = account[0] != null && ReactionMeter.isOrderRequest(ep.name());
      if (orderRequest) {
        reaction.orderRequest(account[0], params, arrived);
      }
      String rid = id;
      boolean unknown = lost;
      reply =
          EngineLoop.asRequester(account[0], () -> ep.handler().handle(params, account[0]))
              .handle(
                  (json, e) -> {
                    if (unknown) {
                      return failure(
                          rid,
                          new Rejection(503, -1006, RestRoutes.UNKNOWN),
                          ip,
                          account[0],
                          returnRateLimits);
                    }
                    if (e != null) {
                      return failure(rid, RestRoutes.unwrap(e), ip, account[0], returnRateLimits);
                    }
                    String ok =
                        "{\"id\":"
                            + rid
                            + ",\"status\":200,\"result\":"
                            + json
                            + rateLimits(ip, account[0], returnRateLimits)
                            + "}";
                    if (orderRequest) {
                      reaction.answered(arrived, System.nanoTime());
                    }
                    return ok;
                  });
    } catch (Rejection r) {
      reply = CompletableFuture.completedFuture(failure(id, r, ip, account[0], returnRateLimits));
    } catch (Exception e) {
      reply =
          CompletableFuture.completedFuture(
              failure(
                  id,
                  new Rejection(400, -1102, "Invalid JSON request."),
                  ip,
                  account[0],
                  returnRateLimits));
    }
    return RestRoutes.delayed(faults, reply);
  }

  /**
   * Payload of a WS API signature: every param except {@code signature}, sorted, {@code k=v&...}.
   */
  private static String signedPayload(Map<String, String> map) {
    TreeMap<String, String> sorted = new TreeMap<>(map);
    sorted.remove("signature");
    StringBuilder payload = new StringBuilder();
    sorted.forEach(
        (k, v) -> {
          if (payload.length() > 0) {
            payload.append('&');
          }
          payload.append(k).append('=').append(v);
        });
    return payload.toString();
  }

  /**
   * session.logon (an Ed25519 or RSA key signs the request; the connection then acts for it),
   * session.status and session.logout; each answers the session's state.
   */
  private String session(String method, Params params, Session session, long now) {
    switch (method) {
      case "session.logon" -> {
        String key = params.req("apiKey");
        auth.account(key);
        if (!auth.asymmetric(key)) {
          throw new Rejection(400, -4056, "HMAC_SHA256 API key is not supported.");
        }
        auth.verify(key, signedPayload(params.asMap()), params.opt("signature"), params, now);
        session.apiKey = key;
        session.authorizedSince = now;
      }
      case "session.status" -> {
        // state only
      }
      case "session.logout" -> {
        session.apiKey = null;
        session.authorizedSince = 0;
      }
      default -> throw new Rejection(400, -1099, "Unknown method: " + method);
    }
    String key = session.apiKey;
    return new Json()
        .obj()
        .str("apiKey", key)
        .raw("authorizedSince", key == null ? "null" : Long.toString(session.authorizedSince))
        .num("connectedSince", session.connectedSince)
        .bool("returnRateLimits", session.returnRateLimits)
        .num("serverTime", now)
        .end()
        .toString();
  }

  private String failure(String id, Rejection r, String ip, String account, boolean rl) {
    return "{\"id\":"
        + id
        + ",\"status\":"
        + r.status
        + ",\"error\":"
        + r.body()
        + rateLimits(ip, account, rl)
        + "}";
  }

  private String rateLimits(String ip, String account, boolean enabled) {
    if (!enabled) {
      return "";
    }
    long now = clock.now();
    var l = limiter.limits();
    int[] orders = account == null ? new int[] {0, 0} : limiter.orderCounts(account, now);
    return new Json(new StringBuilder(",\"rateLimits\":"))
        .arr()
        .obj()
        .str("rateLimitType", "REQUEST_WEIGHT")
        .str("interval", "MINUTE")
        .num("intervalNum", 1)
        .num("limit", l.requestWeightPerMinute())
        .num("count", limiter.usedWeight(ip, now))
        .end()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "SECOND")
        .num("intervalNum", 10)
        .num("limit", l.ordersPer10s())
        .num("count", orders[0])
        .end()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "MINUTE")
        .num("intervalNum", 1)
        .num("limit", l.ordersPerMinute())
        .num("count", orders[1])
        .end()
        .endArr()
        .toString();
  }
}
