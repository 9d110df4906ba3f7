package io.phoenix.sim;

import akka.NotUsed;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Market and user data stream connections: raw ({@code /ws/a/b}), combined ({@code
 * /stream?streams=a/b}) and listenKey ({@code /ws/<key>}, {@code ?listenKey=}) forms, under the
 * legacy root and the {@code /public}, {@code /market}, {@code /private} routes. Handles the JSON
 * control messages; each connection gets a bounded outbound queue so a slow client only loses its
 * own frames.
 */
final class StreamRoutes {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StreamRoutes.class);

  /** Binance's inbound limit per market/user stream connection. */
  static final int INBOUND_PER_SECOND = 10;

  private final StreamHub hub;
  private final EngineLoop engine;
  private final Materializer mat;
  private final int buffer;

  StreamRoutes(StreamHub hub, EngineLoop engine, Materializer mat, int buffer) {
    this.hub = hub;
    this.engine = engine;
    this.mat = mat;
    this.buffer = buffer;
  }

  /**
   * Path without the route prefix ({@code /ws/...} or {@code /stream}); null response = not ours.
   */
  CompletionStage<HttpResponse> handle(
      WsConnections sockets,
      WebSocketUpgrade upgrade,
      String path,
      akka.http.javadsl.model.Query query) {
    boolean combined = path.equals("/stream");
    List<String> names = new ArrayList<>();
    String listenKey = query.get("listenKey").orElse(null);
    if (combined) {
      query
          .get("streams")
          .ifPresent(
              s -> {
                for (String n : s.split("/")) {
                  if (!n.isEmpty()) {
                    names.add(n);
                  }
                }
              });
    } else if (path.startsWith("/ws/")) {
      for (String n : path.substring(4).split("/")) {
        if (!n.isEmpty()) {
          names.add(n);
        }
      }
    } else if (!path.equals("/ws")) {
      return CompletableFuture.completedFuture(
          RestRoutes.error(new Rejection(404, -1099, "Not found."), List.of()));
    }
    List<String> streams = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    if (listenKey != null) {
      keys.add(listenKey);
    }
    for (String n : names) {
      if (n.indexOf('@') < 0 && !n.startsWith("!")) {
        // Binance ignores path words that are no stream (ccxt connects to /ws/0 and then
        // SUBSCRIBEs);
        // only something shaped like a listenKey is treated as one
        if (isListenKey(n)) {
          keys.add(n);
        }
      } else if (hub.canonical(n) == null) {
        return CompletableFuture.completedFuture(
            RestRoutes.error(Rejection.bad(-1121, "Invalid stream name: " + n), List.of()));
      } else {
        streams.add(n);
      }
    }
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(
          connect(sockets, upgrade, combined, streams, List.of()));
    }
    return resolveKeys(keys)
        .thenApply(
            resolved ->
                resolved == null
                    ? RestRoutes.error(
                        Rejection.bad(-1125, "This listenKey does not exist."), List.of())
                    : connect(sockets, upgrade, combined, streams, resolved));
  }

  private HttpResponse connect(
      WsConnections sockets,
      WebSocketUpgrade upgrade,
      boolean combined,
      List<String> streams,
      List<String[]> keys) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> pre =
        Source.<Message>queue(buffer).preMaterialize(mat);
    WsClient client = new WsClient(pre.first(), combined);
    hub.register(client);
    for (String s : streams) {
      hub.subscribe(client, hub.canonical(s), s);
    }
    for (String[] k : keys) {
      hub.bindKey(k[1], k[0]);
      hub.attachUser(client, k[0]);
    }
    Sink<Message, CompletionStage<akka.Done>> in =
        Flow.<Message>create()
            .mapAsync(
                1,
                m ->
                    m.isText()
                        ? m.asTextMessage().toStrict(5000, mat).thenApply(t -> t.getStrictText())
                        : m.asBinaryMessage()
                            .getStreamedData()
                            .runWith(Sink.ignore(), mat)
                            .thenApply(d -> ""))
            .toMat(Sink.foreach(text -> control(client, text)), akka.stream.javadsl.Keep.right());
    Flow<Message, Message, NotUsed> flow =
        Flow.fromSinkAndSourceCoupled(in, pre.second())
            .watchTermination(
                (nu, done) -> {
                  done.whenComplete((d, e) -> hub.unregister(client));
                  return NotUsed.getInstance();
                });
    return sockets.accept(upgrade, flow);
  }

  /**
   * SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, replies echo the
   * id.
   */
  void control(WsClient client, String text) {
    if (text.isEmpty()) {
      return;
    }
    if (!client.admitInbound(System.currentTimeMillis(), INBOUND_PER_SECOND)) {
      log.info(
          "sim: stream client sent more than {} messages/s, disconnecting", INBOUND_PER_SECOND);
      client.close();
      return;
    }
    JsonNode req;
    try {
      req = MAPPER.readTree(text);
    } catch (Exception e) {
      client.sendRaw("{\"code\":3,\"msg\":\"Invalid JSON: " + jsonSafe(e.getMessage()) + "\"}");
      return;
    }
    if (req == null || !req.isObject()) {
      client.sendRaw("{\"code\":3,\"msg\":\"Invalid JSON: expected an object\"}");
      return;
    }
    JsonNode idNode = req.get("id");
    if (idNode != null && !(idNode.isIntegralNumber() || idNode.isTextual() || idNode.isNull())) {
      client.sendRaw(
          "{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}");
      return;
    }
    String id = idNode == null ? "null" : idNode.toString();
    JsonNode methodNode = req.get("method");
    if (methodNode == null || !methodNode.isTextual()) {
      client.sendRaw(
          "{\"code\":2,\"msg\":\"Invalid request: missing field `method`\",\"id\":" + id + "}");
      return;
    }
    JsonNode params = req.get("params");
    switch (methodNode.asText()) {
      case "SUBSCRIBE", "UNSUBSCRIBE" -> {
        if (params == null || !params.isArray()) {
          client.sendRaw(
              "{\"code\":2,\"msg\":\"Invalid request: missing or invalid params\",\"id\":"
                  + id
                  + "}");
          return;
        }
        boolean sub = methodNode.asText().equals("SUBSCRIBE");
        if (sub
            && params.size() > 0
            && params.get(0).isTextual()
            && isListenKey(params.get(0).asText())) {
          subscribeUser(client, params, id);
          return;
        }
        for (JsonNode p : params) {
          String name = p.asText();
          String canonical = p.isTextual() ? hub.canonical(name) : null;
          if (canonical == null) {
            client.sendRaw(
                "{\"code\":2,\"msg\":\"Invalid request: unknown stream "
                    + jsonSafe(name)
                    + "\",\"id\":"
                    + id
                    + "}");
            return;
          }
        }
        for (JsonNode p : params) {
          String canonical = hub.canonical(p.asText());
          if (sub) {
            hub.subscribe(client, canonical, p.asText());
          } else {
            hub.unsubscribe(client, canonical);
          }
        }
        client.sendRaw("{\"result\":null,\"id\":" + id + "}");
      }
      case "LIST_SUBSCRIPTIONS" -> {
        Json j = new Json().obj().arr("result");
        for (String s : client.streams.values()) {
          j.str(s);
        }
        client.sendRaw(j.endArr().raw("id", id).end().toString());
      }
      case "SET_PROPERTY" -> {
        if (params == null || !params.isArray() || params.size() != 2) {
          client.sendRaw(
              "{\"code\":2,\"msg\":\"Invalid request: invalid params\",\"id\":" + id + "}");
        } else if (!"combined".equals(params.get(0).asText())) {
          client.sendRaw("{\"code\":0,\"msg\":\"Unknown property\",\"id\":" + id + "}");
        } else if (!params.get(1).isBoolean()) {
          client.sendRaw(
              "{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\",\"id\":" + id + "}");
        } else {
          client.combined = params.get(1).asBoolean();
          client.sendRaw("{\"result\":null,\"id\":" + id + "}");
        }
      }
      case "GET_PROPERTY" -> {
        if (params == null || !params.isArray() || params.size() != 1) {
          client.sendRaw(
              "{\"code\":2,\"msg\":\"Invalid request: invalid params\",\"id\":" + id + "}");
        } else if (!"combined".equals(params.get(0).asText())) {
          client.sendRaw("{\"code\":0,\"msg\":\"Unknown property\",\"id\":" + id + "}");
        } else {
          client.sendRaw("{\"result\":" + client.combined + ",\"id\":" + id + "}");
        }
      }
      default ->
          client.sendRaw(
              "{\"code\":2,\"msg\":\"Invalid request: unknown variant `"
                  + jsonSafe(methodNode.asText())
                  + "`\",\"id\":"
                  + id
                  + "}");
    }
  }

  /**
   * Looks the listen keys up on the engine thread (where the key registry lives): each as {@code
   * {key, account}}, or null when any of them is unknown.
   */
  private CompletionStage<List<String[]>> resolveKeys(List<String> keys) {
    return engine.call(
        (ex, now) -> {
          List<String[]> resolved = new ArrayList<>();
          for (String k : keys) {
            String account = engine.listenKeys().account(k);
            if (account == null) {
              return null;
            }
            resolved.add(new String[] {k, account});
          }
          return resolved;
        });
  }

  private static boolean isListenKey(String s) {
    return s.length() >= 32 && s.indexOf('@') < 0 && !s.startsWith("!");
  }

  /** {@code SUBSCRIBE [listenKey...]} on the private route, as the official connector sends it. */
  private void subscribeUser(WsClient client, JsonNode params, String id) {
    List<String> keys = new ArrayList<>();
    for (JsonNode p : params) {
      keys.add(p.asText());
    }
    resolveKeys(keys)
        .whenComplete(
            (resolved, e) -> {
              if (e != null || resolved == null) {
                client.sendRaw(
                    "{\"code\":2,\"msg\":\"Invalid request: unknown listenKey\",\"id\":"
                        + id
                        + "}");
                return;
              }
              for (String[] k : resolved) {
                hub.bindKey(k[1], k[0]);
                hub.attachUser(client, k[0]);
              }
              client.sendRaw("{\"result\":null,\"id\":" + id + "}");
            });
  }

  private static String jsonSafe(String s) {
    String q = Json.quote(s == null ? "" : s);
    return q.substring(1, q.length() - 1);
  }
}
