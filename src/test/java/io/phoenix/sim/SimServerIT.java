package io.phoenix.sim;

import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator over real HTTP and WebSocket on a free port: orders, streams, depth chain, auth, WS
 * API.
 */
class SimServerIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig("phoenix.sim.ping-interval = 300ms");

  static final Duration WAIT = Duration.ofSeconds(5);
  static SimClient client;

  @BeforeAll
  static void start() {
    client = new SimClient(SIM.server());
  }

  @AfterEach
  void resetFaults() {
    SIM.faults().reset();
  }

  private static BigDecimal bestBid(String symbol) {
    return new BigDecimal(
        client
            .get("/fapi/v1/ticker/bookTicker", params("symbol", symbol))
            .body()
            .get("bidPrice")
            .asText());
  }

  @Test
  void orderLifecycleIsVisibleOnRestAndUserStream() {
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn user = client.connect("/private/ws/" + key);
    try {
      String price = bestBid("BTCUSDT").subtract(new BigDecimal("500")).setScale(1).toPlainString();
      SimClient.Resp placed =
          client.signed(
              "POST",
              "/fapi/v1/order",
              params(
                  "symbol",
                  "BTCUSDT",
                  "side",
                  "BUY",
                  "type",
                  "LIMIT",
                  "timeInForce",
                  "GTX",
                  "quantity",
                  "0.010",
                  "price",
                  price,
                  "newClientOrderId",
                  "it-life-1"));
      assertEquals(200, placed.status(), placed.body().toString());
      assertEquals("NEW", placed.body().get("status").asText());
      assertEquals("it-life-1", placed.body().get("clientOrderId").asText());
      assertEquals("0.010", placed.body().get("origQty").asText());
      assertNotNull(placed.header("X-MBX-ORDER-COUNT-10S"));
      assertNotNull(placed.header("X-MBX-ORDER-COUNT-1M"));
      assertNotNull(placed.header("X-MBX-USED-WEIGHT-1M"));
      long orderId = placed.body().get("orderId").asLong();

      JsonNode created =
          user.await(
              n ->
                  "ORDER_TRADE_UPDATE".equals(n.path("e").asText())
                      && "it-life-1".equals(n.path("o").path("c").asText()),
              WAIT);
      JsonNode o = created.get("o");
      assertEquals("NEW", o.get("x").asText());
      assertEquals("NEW", o.get("X").asText());
      assertEquals(orderId, o.get("i").asLong());
      for (String field :
          List.of(
              "s", "c", "S", "o", "f", "q", "p", "ap", "sp", "x", "X", "i", "l", "z", "L", "T", "t",
              "b", "a", "m", "R", "wt", "ot", "ps", "cp", "pP", "si", "ss", "rp", "V", "pm", "gtd",
              "er")) {
        assertTrue(o.has(field), "ORDER_TRADE_UPDATE lacks " + field);
      }

      SimClient.Resp queried =
          client.signed(
              "GET",
              "/fapi/v1/order",
              params("symbol", "BTCUSDT", "origClientOrderId", "it-life-1"));
      assertEquals("NEW", queried.body().get("status").asText());
      SimClient.Resp open =
          client.signed("GET", "/fapi/v1/openOrders", params("symbol", "BTCUSDT"));
      assertTrue(open.body().toString().contains("it-life-1"));

      SimClient.Resp modified =
          client.signed(
              "PUT",
              "/fapi/v1/order",
              params(
                  "symbol",
                  "BTCUSDT",
                  "orderId",
                  Long.toString(orderId),
                  "side",
                  "BUY",
                  "quantity",
                  "0.020",
                  "price",
                  price));
      assertEquals(200, modified.status(), modified.body().toString());
      // a modify costs 0 IP weight: the minute's weight is the query's (or 0 if a new minute began)
      int weightBefore = Integer.parseInt(open.header("X-MBX-USED-WEIGHT-1M"));
      int weightAfter = Integer.parseInt(modified.header("X-MBX-USED-WEIGHT-1M"));
      assertTrue(
          weightAfter == weightBefore || weightAfter == 0,
          "modify charged IP weight: " + weightBefore + " -> " + weightAfter);
      assertEquals("0.020", modified.body().get("origQty").asText());
      user.await(n -> "AMENDMENT".equals(n.path("o").path("x").asText()), WAIT);

      SimClient.Resp canceled =
          client.signed(
              "DELETE",
              "/fapi/v1/order",
              params("symbol", "BTCUSDT", "orderId", Long.toString(orderId)));
      assertEquals("CANCELED", canceled.body().get("status").asText());
      user.await(
          n ->
              "CANCELED".equals(n.path("o").path("x").asText())
                  && n.path("o").path("i").asLong() == orderId,
          WAIT);
      SimClient.Resp again =
          client.signed(
              "DELETE",
              "/fapi/v1/order",
              params("symbol", "BTCUSDT", "orderId", Long.toString(orderId)));
      assertEquals(-2011, again.code());

      SimClient.Resp market =
          client.signed(
              "POST",
              "/fapi/v1/order",
              params(
                  "symbol",
                  "BTCUSDT",
                  "side",
                  "BUY",
                  "type",
                  "MARKET",
                  "quantity",
                  "0.005",
                  "newClientOrderId",
                  "it-life-mkt"));
      assertEquals(200, market.status(), market.body().toString());
      JsonNode trade =
          user.await(
              n ->
                  "TRADE".equals(n.path("o").path("x").asText())
                      && "it-life-mkt".equals(n.path("o").path("c").asText()),
              WAIT);
      assertEquals("USDT", trade.get("o").get("N").asText());
      JsonNode account = user.await(n -> "ACCOUNT_UPDATE".equals(n.path("e").asText()), WAIT);
      assertEquals("ORDER", account.get("a").get("m").asText());
      SimClient.Resp positions =
          client.signed("GET", "/fapi/v3/positionRisk", params("symbol", "BTCUSDT"));
      assertTrue(
          positions.body().toString().contains("\"positionAmt\":\"0.005\""),
          positions.body().toString());
      SimClient.Resp trades =
          client.signed("GET", "/fapi/v1/userTrades", params("symbol", "BTCUSDT"));
      assertTrue(trades.body().size() >= 1);
      // flatten so other tests start from a flat position
      client.signed(
          "POST",
          "/fapi/v1/order",
          params(
              "symbol",
              "BTCUSDT",
              "side",
              "SELL",
              "type",
              "MARKET",
              "quantity",
              "0.005",
              "reduceOnly",
              "true"));
    } finally {
      user.close();
    }
  }

  @Test
  void depthDiffsChainAndSnapshotPlusDiffsReproduceTheBook() {
    SimClient.Conn conn = client.connect("/public/stream?streams=ethusdt@depth@100ms");
    try {
      JsonNode first = conn.await(n -> n.has("data"), WAIT);
      assertEquals("ethusdt@depth@100ms", first.get("stream").asText());
      SimClient.Resp snap =
          client.get("/fapi/v1/depth", params("symbol", "ETHUSDT", "limit", "1000"));
      long lastUpdateId = snap.body().get("lastUpdateId").asLong();
      TreeMap<BigDecimal, String> bids = new TreeMap<>();
      TreeMap<BigDecimal, String> asks = new TreeMap<>();
      load(bids, snap.body().get("bids"));
      load(asks, snap.body().get("asks"));
      List<JsonNode> events = new ArrayList<>();
      events.add(first.get("data"));
      long prevU = -1;
      boolean started = false;
      int applied = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      boolean matched = false;
      while (!matched && System.nanoTime() < deadline) {
        JsonNode e =
            events.isEmpty() ? conn.await(n -> n.has("data"), WAIT).get("data") : events.remove(0);
        long u = e.get("u").asLong();
        if (u < lastUpdateId) {
          continue;
        }
        if (!started) {
          assertTrue(
              e.get("U").asLong() <= lastUpdateId && u >= lastUpdateId,
              "first event must span the snapshot");
          started = true;
        } else {
          assertEquals(prevU, e.get("pu").asLong(), "pu must equal the previous event's u");
        }
        prevU = u;
        apply(bids, e.get("b"));
        apply(asks, e.get("a"));
        applied++;
        if (applied >= 5) {
          SimClient.Resp book =
              client.get("/sim/admin/book", params("symbol", "ETHUSDT", "limit", "1000"));
          if (book.body().get("lastUpdateId").asLong() == u) {
            TreeMap<BigDecimal, String> eb = new TreeMap<>();
            TreeMap<BigDecimal, String> ea = new TreeMap<>();
            load(eb, book.body().get("bids"));
            load(ea, book.body().get("asks"));
            assertEquals(eb, bids);
            assertEquals(ea, asks);
            matched = true;
          }
        }
      }
      assertTrue(matched, "local book never caught up with the simulator's book");
    } finally {
      conn.close();
    }
  }

  private static void load(TreeMap<BigDecimal, String> side, JsonNode levels) {
    for (JsonNode l : levels) {
      side.put(new BigDecimal(l.get(0).asText()), l.get(1).asText());
    }
  }

  private static void apply(TreeMap<BigDecimal, String> side, JsonNode levels) {
    for (JsonNode l : levels) {
      BigDecimal p = new BigDecimal(l.get(0).asText());
      if (new BigDecimal(l.get(1).asText()).signum() == 0) {
        side.remove(p);
      } else {
        side.put(p, l.get(1).asText());
      }
    }
  }

  @Test
  void marketStreamsServeEveryStreamTypeAndControlMessages() {
    SimClient.Conn conn = client.connect("/ws/btcusdt@bookTicker");
    try {
      JsonNode bt = conn.await(n -> "bookTicker".equals(n.path("e").asText()), WAIT);
      assertEquals("BTCUSDT", bt.get("s").asText());
      conn.send(
          "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth5@100ms\",\"btcusdt@markPrice@1s\",\"btcusdt@aggTrade\"],\"id\":41}");
      conn.await(
          n -> n.path("id").asInt() == 41 && n.has("result") && n.get("result").isNull(), WAIT);
      JsonNode partial = conn.await(n -> "depthUpdate".equals(n.path("e").asText()), WAIT);
      assertEquals(5, partial.get("b").size());
      conn.await(n -> "markPriceUpdate".equals(n.path("e").asText()), WAIT);
      conn.await(n -> "aggTrade".equals(n.path("e").asText()), Duration.ofSeconds(10));
      conn.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"abc\"}");
      JsonNode list = conn.await(n -> "abc".equals(n.path("id").asText()), WAIT);
      assertTrue(list.get("result").toString().contains("btcusdt@markPrice@1s"));
      conn.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":44}");
      conn.await(n -> n.path("id").asInt() == 44, WAIT);
      conn.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":45}");
      assertTrue(conn.await(n -> n.path("id").asInt() == 45, WAIT).get("result").asBoolean());
      conn.await(n -> "btcusdt@bookTicker".equals(n.path("stream").asText()), WAIT);
      conn.send(
          "{\"method\":\"SUBSCRIBE\",\"params\":[\"!bookTicker\",\"!markPrice@arr@1s\"],\"id\":48}");
      conn.await(n -> n.path("id").asInt() == 48, WAIT);
      conn.await(n -> "!bookTicker".equals(n.path("stream").asText()), WAIT);
      JsonNode arr = conn.await(n -> "!markPrice@arr@1s".equals(n.path("stream").asText()), WAIT);
      assertEquals(3, arr.get("data").size());
      conn.send("{not json");
      assertEquals(3, conn.await(n -> n.path("code").asInt() == 3, WAIT).get("code").asInt());
      conn.send("{\"method\":\"FROB\",\"id\":46}");
      assertEquals(
          2,
          conn.await(n -> n.path("id").asInt() == 46 && n.has("code"), WAIT).get("code").asInt());
      conn.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"nosuch@depth\"],\"id\":47}");
      assertEquals(
          2,
          conn.await(n -> n.path("id").asInt() == 47 && n.has("code"), WAIT).get("code").asInt());
    } finally {
      conn.close();
    }
  }

  @Test
  void streamClientsOverTheInboundLimitAreDisconnected() throws Exception {
    SimClient.Conn conn = client.connect("/ws");
    for (int i = 0; i < StreamRoutes.INBOUND_PER_SECOND + 5; i++) {
      conn.socket.sendText("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}", true).join();
    }
    assertNotNull(conn.closed.get(5, TimeUnit.SECONDS));
  }

  @Test
  void orderTestValidatesWithoutPlacing() {
    assertEquals(
        200,
        client
            .signed(
                "POST",
                "/fapi/v1/order/test",
                params("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.010"))
            .status());
    assertEquals(
        -1117,
        client
            .signed(
                "POST",
                "/fapi/v1/order/test",
                params("symbol", "BTCUSDT", "side", "NO", "type", "MARKET", "quantity", "0.010"))
            .code());
    assertEquals(2, client.signed("GET", "/fapi/v1/rateLimit/order", params()).body().size());
  }

  @Test
  void userStreamBySubscribeOnThePrivateRoute() {
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn conn = client.connect("/private/stream");
    try {
      conn.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"" + key + "\"],\"id\":\"u-1\"}");
      conn.await(n -> "u-1".equals(n.path("id").asText()) && n.has("result"), WAIT);
      assertEquals(
          10,
          client
              .signed("POST", "/fapi/v1/leverage", params("symbol", "SOLUSDT", "leverage", "10"))
              .body()
              .get("leverage")
              .asInt());
      JsonNode config =
          conn.await(n -> "ACCOUNT_CONFIG_UPDATE".equals(n.path("data").path("e").asText()), WAIT);
      assertEquals(10, config.get("data").get("ac").get("l").asInt());
      String price = bestBid("SOLUSDT").subtract(new BigDecimal("20")).setScale(4).toPlainString();
      client.signed(
          "POST",
          "/fapi/v1/order",
          params(
              "symbol",
              "SOLUSDT",
              "side",
              "BUY",
              "type",
              "LIMIT",
              "timeInForce",
              "GTC",
              "quantity",
              "1",
              "price",
              price,
              "newClientOrderId",
              "it-sub-1"));
      JsonNode ev =
          conn.await(n -> "it-sub-1".equals(n.path("data").path("o").path("c").asText()), WAIT);
      assertEquals(key, ev.get("stream").asText());
    } finally {
      conn.close();
      client.signed("DELETE", "/fapi/v1/allOpenOrders", params("symbol", "SOLUSDT"));
    }
  }

  @Test
  void malformedAndUnauthenticatedRequestsGetBinanceErrors() {
    SimClient.Resp unknownKey =
        client.signedWith("nobody", "x", "GET", "/fapi/v2/balance", params());
    assertEquals(401, unknownKey.status());
    assertEquals(-2015, unknownKey.code());
    assertEquals(
        -1022,
        client
            .signedWith(SimClient.KEY, "wrong-secret", "GET", "/fapi/v2/balance", params())
            .code());
    SimClient.Resp old =
        client.signed(
            "GET",
            "/fapi/v2/balance",
            params("timestamp", Long.toString(System.currentTimeMillis() - 10_000)));
    assertEquals(-1021, old.code());
    SimClient.Resp ahead =
        client.signed(
            "GET",
            "/fapi/v2/balance",
            params("timestamp", Long.toString(System.currentTimeMillis() + 5_000)));
    assertEquals(-1021, ahead.code());
    assertEquals(
        -1102,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params("symbol", "BTCUSDT", "side", "BUY", "type", "LIMIT"))
            .code());
    assertEquals(
        -1121,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params("symbol", "NOPE", "side", "BUY", "type", "MARKET", "quantity", "1"))
            .code());
    assertEquals(
        -1117,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params("symbol", "BTCUSDT", "side", "UP", "type", "MARKET", "quantity", "1"))
            .code());
    assertEquals(
        -1116,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params("symbol", "BTCUSDT", "side", "BUY", "type", "ICEBERG", "quantity", "1"))
            .code());
    assertEquals(
        -1115,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params(
                    "symbol",
                    "BTCUSDT",
                    "side",
                    "BUY",
                    "type",
                    "LIMIT",
                    "timeInForce",
                    "FOREVER",
                    "quantity",
                    "1",
                    "price",
                    "100"))
            .code());
    assertEquals(
        -1100,
        client
            .signed("GET", "/fapi/v1/order", params("symbol", "BTCUSDT", "orderId", "12ab"))
            .code());
    assertEquals(
        -1111,
        client
            .signed(
                "POST",
                "/fapi/v1/order",
                params("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.00001"))
            .code());
    assertEquals(
        -1130,
        client
            .signed("POST", "/fapi/v1/batchOrders", params("batchOrders", "[{'symbol':1}]"))
            .code());
    StringBuilder six = new StringBuilder("[");
    for (int i = 0; i < 6; i++) {
      six.append(i == 0 ? "" : ",")
          .append(
              "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.001\"}");
    }
    assertEquals(
        -4082,
        client
            .signed(
                "POST", "/fapi/v1/batchOrders", params("batchOrders", six.append("]").toString()))
            .code());
    SimClient.Resp notFound = client.get("/fapi/v1/nothing", params());
    assertEquals(404, notFound.status());
    assertTrue(notFound.code() < 0);
    SimClient.Resp weight = client.get("/fapi/v1/ping", params());
    assertNotNull(weight.header("X-MBX-USED-WEIGHT-1M"));
  }

  @Test
  void batchPlaceAnswersPerSlotInRequestOrder() {
    String price = bestBid("BTCUSDT").subtract(new BigDecimal("400")).setScale(1).toPlainString();
    String batch =
        "[{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"0.010\",\"price\":\""
            + price
            + "\",\"newClientOrderId\":\"it-b1\"},{\"symbol\":\"BTCUSDT\",\"side\":\"SIDEWAYS\",\"type\":\"LIMIT\"}]";
    SimClient.Resp r = client.signed("POST", "/fapi/v1/batchOrders", params("batchOrders", batch));
    assertEquals(200, r.status(), r.body().toString());
    assertEquals("it-b1", r.body().get(0).get("clientOrderId").asText());
    assertEquals(-1117, r.body().get(1).get("code").asInt());
    SimClient.Resp cancel =
        client.signed(
            "DELETE",
            "/fapi/v1/batchOrders",
            params("symbol", "BTCUSDT", "origClientOrderIdList", "[\"it-b1\",\"it-none\"]"));
    assertEquals("CANCELED", cancel.body().get(0).get("status").asText());
    assertEquals(-2011, cancel.body().get(1).get("code").asInt());
  }

  @Test
  void webSocketApiPlacesAndRejectsWithRateLimits() {
    SimClient.Conn conn = client.connect("/ws-fapi/v1");
    try {
      String price = bestBid("SOLUSDT").subtract(new BigDecimal("10")).setScale(4).toPlainString();
      TreeMap<String, String> p =
          new TreeMap<>(
              Map.of(
                  "apiKey",
                  SimClient.KEY,
                  "symbol",
                  "SOLUSDT",
                  "side",
                  "BUY",
                  "type",
                  "LIMIT",
                  "timeInForce",
                  "GTC",
                  "quantity",
                  "1",
                  "price",
                  price,
                  "newClientOrderId",
                  "it-ws-1",
                  "timestamp",
                  Long.toString(System.currentTimeMillis())));
      String payload = SimClient.encode(p);
      StringBuilder params = new StringBuilder("{");
      p.forEach((k, v) -> params.append('"').append(k).append("\":\"").append(v).append("\","));
      params
          .append("\"signature\":\"")
          .append(Auth.hmacHex(SimClient.SECRET, payload))
          .append("\"}");
      conn.send("{\"id\":\"req-1\",\"method\":\"order.place\",\"params\":" + params + "}");
      JsonNode ok = conn.await(n -> "req-1".equals(n.path("id").asText()), WAIT);
      assertEquals(200, ok.get("status").asInt(), ok.toString());
      assertEquals("it-ws-1", ok.get("result").get("clientOrderId").asText());
      assertEquals(3, ok.get("rateLimits").size());
      conn.send(
          "{\"id\":7,\"method\":\"order.status\",\"params\":{\"apiKey\":\""
              + SimClient.KEY
              + "\",\"symbol\":\"SOLUSDT\",\"origClientOrderId\":\"it-ws-1\",\"timestamp\":1,\"signature\":\"00\"}}");
      JsonNode bad = conn.await(n -> n.path("id").asInt() == 7, WAIT);
      assertEquals(-1022, bad.get("error").get("code").asInt());
      conn.send(
          "{\"id\":8,\"method\":\"userDataStream.start\",\"params\":{\"apiKey\":\""
              + SimClient.KEY
              + "\"}}");
      assertFalse(
          conn.await(n -> n.path("id").asInt() == 8, WAIT)
              .get("result")
              .get("listenKey")
              .asText()
              .isEmpty());
    } finally {
      conn.close();
      client.signed("DELETE", "/fapi/v1/allOpenOrders", params("symbol", "SOLUSDT"));
    }
  }
}
