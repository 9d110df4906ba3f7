package io.phoenix.sim;

import static io.phoenix.sim.DocShapes.assertShape;
import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator as a drop-in Binance USD-M testnet: the REST paths, streams, conditional orders,
 * liquidations and WebSocket API sessions that third-party clients use, each checked against
 * Binance's documented example (field names and types) and against its behaviour.
 */
class SimTestnetIT {
  static final String HIST_KEY = "it-history-key";
  static final String HIST_SECRET = "it-history-secret";
  static final String ALGO_KEY = "it-algo-key";
  static final String ALGO_SECRET = "it-algo-secret";
  static final String ED_KEY = "phoenix-local-ed25519-key";

  /**
   * The private half of the documented local Ed25519 key (README; reference.conf has the public
   * half).
   */
  static final String ED_PRIVATE =
      "MC4CAQAwBQYDK2VwBCIEIHKzJRmCPtSvbCHRIVS3EaUBhMO4BpL4YrnpNOBWAN6Y";

  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      phoenix.sim.api-keys = [
        { key = "phoenix-local-key", secret = "phoenix-local-secret-do-not-use-on-a-real-venue" }
        { key = "phoenix-local-ed25519-key", public-key = "MCowBQYDK2VwAyEApRi2ww2JXo902o37ZmtT1uKeJwi6DUju/mEvIwIe7hw=" }
        { key = "it-history-key", secret = "it-history-secret" }
        { key = "it-algo-key", secret = "it-algo-secret" }
      ]
      phoenix.sim.rate-limits { request-weight-per-minute = 1000000, orders-per-10s = 100000, orders-per-minute = 100000 }
      """);

  static SimClient client;

  @BeforeAll
  static void start() {
    client = new SimClient(SIM.server());
    // the market model trades within a second or two: klines, tickers and trade streams have data
    Polling.until(
        WAIT,
        () ->
            client.get("/fapi/v1/trades", params("symbol", "BTCUSDT", "limit", "5")).body().size()
                >= 5);
  }

  static SimClient.Resp hist(String method, String path, Map<String, String> p) {
    return client.signedWith(HIST_KEY, HIST_SECRET, method, path, p);
  }

  static SimClient.Resp algo(String method, String path, Map<String, String> p) {
    return client.signedWith(ALGO_KEY, ALGO_SECRET, method, path, p);
  }

  static BigDecimal mark(String symbol) {
    return new BigDecimal(
        client
            .get("/fapi/v1/premiumIndex", params("symbol", symbol))
            .body()
            .get("markPrice")
            .asText());
  }

  static void setPrice(SimClient c, String symbol, BigDecimal price) {
    assertEquals(
        200,
        c.admin(
                "POST",
                "/price",
                "{\"symbol\":\"" + symbol + "\",\"price\":\"" + price.toPlainString() + "\"}")
            .status());
  }

  // ------------------------------------------------------------------ market data

  @Test
  void klinesOfEveryIntervalFromTradesMarkAndIndex() {
    Map<String, Long> minutes =
        Map.ofEntries(
            Map.entry("1m", 1L),
            Map.entry("3m", 3L),
            Map.entry("5m", 5L),
            Map.entry("15m", 15L),
            Map.entry("30m", 30L),
            Map.entry("1h", 60L),
            Map.entry("2h", 120L),
            Map.entry("4h", 240L),
            Map.entry("6h", 360L),
            Map.entry("8h", 480L),
            Map.entry("12h", 720L),
            Map.entry("1d", 1440L),
            Map.entry("3d", 4320L),
            Map.entry("1w", 10080L));
    for (String interval :
        List.of(
            "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w",
            "1M")) {
      SimClient.Resp r =
          client.get(
              "/fapi/v1/klines", params("symbol", "BTCUSDT", "interval", interval, "limit", "2"));
      assertEquals(200, r.status(), interval);
      assertShape("klines.json", r.body());
      JsonNode last = r.body().get(r.body().size() - 1);
      assertTrue(last.get(8).asLong() > 0, interval + " kline counts the trades: " + last);
      long open = last.get(0).asLong();
      if (minutes.containsKey(interval)) {
        assertEquals(
            minutes.get(interval) * 60_000 - 1,
            last.get(6).asLong() - open,
            interval + " spans its interval");
        assertEquals(
            0,
            (open - (interval.equals("1w") ? 4 * 86_400_000L : 0))
                % (minutes.get(interval) * 60_000),
            interval + " opens on its grid");
      }
    }
    SimClient.Resp minute =
        client.get("/fapi/v1/klines", params("symbol", "BTCUSDT", "interval", "1m", "limit", "1"));
    assertEquals(
        59_999, minute.body().get(0).get(6).asLong() - minute.body().get(0).get(0).asLong());
    SimClient.Resp month =
        client.get("/fapi/v1/klines", params("symbol", "BTCUSDT", "interval", "1M"));
    assertEquals(1, month.body().size());
    assertEquals(
        0,
        java.time.Instant.ofEpochMilli(month.body().get(0).get(0).asLong())
            .atZone(java.time.ZoneOffset.UTC)
            .getHour());
    assertEquals(
        1,
        java.time.Instant.ofEpochMilli(month.body().get(0).get(0).asLong())
            .atZone(java.time.ZoneOffset.UTC)
            .getDayOfMonth());

    SimClient.Resp markK =
        client.get("/fapi/v1/markPriceKlines", params("symbol", "BTCUSDT", "interval", "1m"));
    assertShape("markPriceKlines.json", markK.body());
    assertEquals("0", markK.body().get(0).get(5).asText(), "no volume on a price series");
    SimClient.Resp indexK =
        client.get("/fapi/v1/indexPriceKlines", params("pair", "BTCUSDT", "interval", "5m"));
    assertShape("markPriceKlines.json", indexK.body());
    SimClient.Resp cont =
        client.get(
            "/fapi/v1/continuousKlines",
            params("pair", "BTCUSDT", "contractType", "PERPETUAL", "interval", "1m"));
    assertShape("klines.json", cont.body());
    assertEquals(
        -1121,
        client
            .get(
                "/fapi/v1/continuousKlines",
                params("pair", "BTCUSDT", "contractType", "CURRENT_QUARTER", "interval", "1m"))
            .code());
    assertEquals(
        -1120, client.get("/fapi/v1/klines", params("symbol", "BTCUSDT", "interval", "2m")).code());
    assertEquals(
        -1130,
        client
            .get("/fapi/v1/klines", params("symbol", "BTCUSDT", "interval", "1m", "limit", "1501"))
            .code());

    long before =
        Long.parseLong(client.get("/fapi/v1/ping", params()).header("X-MBX-USED-WEIGHT-1M"));
    long after =
        Long.parseLong(
            client
                .get(
                    "/fapi/v1/klines",
                    params("symbol", "ETHUSDT", "interval", "1m", "limit", "1000"))
                .header("X-MBX-USED-WEIGHT-1M"));
    assertEquals(5, after - before, "limit 1000 weighs 5");
  }

  @Test
  void lastPricesOpenInterestTradesFundingInfoAndTheFixed24hTicker() {
    SimClient.Resp one = client.get("/fapi/v1/ticker/price", params("symbol", "ETHUSDT"));
    assertShape("tickerPrice.json", one.body());
    SimClient.Resp all = client.get("/fapi/v2/ticker/price", params());
    assertEquals(3, all.body().size());
    assertShape("tickerPrice.json", all.body().get(0));
    assertShape(
        "openInterest.json",
        client.get("/fapi/v1/openInterest", params("symbol", "BTCUSDT")).body());
    assertShape("fundingInfo.json", client.get("/fapi/v1/fundingInfo", params()).body());

    HttpRequest noKey =
        HttpRequest.newBuilder(
                URI.create(client.rest + "/fapi/v1/historicalTrades?symbol=BTCUSDT&limit=3"))
            .GET()
            .build();
    assertEquals(-2015, client.send(noKey).code(), "historicalTrades needs an API key");
    HttpRequest withKey =
        HttpRequest.newBuilder(
                URI.create(client.rest + "/fapi/v1/historicalTrades?symbol=BTCUSDT&limit=3"))
            .header("X-MBX-APIKEY", SimClient.KEY)
            .GET()
            .build();
    JsonNode trades = client.send(withKey).body();
    assertShape("historicalTrades.json", trades);
    assertEquals(3, trades.size());
    long from = trades.get(0).get("id").asLong();
    HttpRequest fromId =
        HttpRequest.newBuilder(
                URI.create(
                    client.rest
                        + "/fapi/v1/historicalTrades?symbol=BTCUSDT&limit=2&fromId="
                        + from))
            .header("X-MBX-APIKEY", SimClient.KEY)
            .GET()
            .build();
    assertEquals(from, client.send(fromId).body().get(0).get("id").asLong());

    JsonNode ticker = client.get("/fapi/v1/ticker/24hr", params("symbol", "BTCUSDT")).body();
    assertShape("ticker24hr.json", ticker);
    assertTrue(
        new BigDecimal(ticker.get("lastQty").asText()).signum() > 0,
        "lastQty is the last trade's size: " + ticker);
    assertEquals(1, ticker.get("firstId").asLong(), "the first trade id is 1");
    assertEquals(
        ticker.get("count").asLong(),
        ticker.get("lastId").asLong() - ticker.get("firstId").asLong() + 1);
  }

  // ------------------------------------------------------------------ account history

  @Test
  void incomeOrderHistoryAmendmentsAndAccountSettings() {
    BigDecimal bid =
        new BigDecimal(
            client
                .get("/fapi/v1/ticker/bookTicker", params("symbol", "ETHUSDT"))
                .body()
                .get("bidPrice")
                .asText());
    assertEquals(
        200,
        hist(
                "POST",
                "/fapi/v1/order",
                params("symbol", "ETHUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.100"))
            .status());
    assertEquals(
        200,
        hist(
                "POST",
                "/fapi/v1/order",
                params("symbol", "ETHUSDT", "side", "SELL", "type", "MARKET", "quantity", "0.050"))
            .status());
    JsonNode resting =
        hist(
                "POST",
                "/fapi/v1/order",
                params(
                    "symbol",
                    "ETHUSDT",
                    "side",
                    "BUY",
                    "type",
                    "LIMIT",
                    "timeInForce",
                    "GTC",
                    "quantity",
                    "0.050",
                    "price",
                    bid.subtract(new BigDecimal("30")).toPlainString(),
                    "newClientOrderId",
                    "it-hist-1"))
            .body();
    assertEquals(
        200,
        hist(
                "PUT",
                "/fapi/v1/order",
                params(
                    "symbol",
                    "ETHUSDT",
                    "orderId",
                    resting.get("orderId").asText(),
                    "side",
                    "BUY",
                    "quantity",
                    "0.050",
                    "price",
                    bid.subtract(new BigDecimal("31")).toPlainString()))
            .status());

    JsonNode income = hist("GET", "/fapi/v1/income", params()).body();
    assertShape("income.json", income);
    List<String> types = new ArrayList<>();
    income.forEach(i -> types.add(i.get("incomeType").asText()));
    assertTrue(types.contains("COMMISSION") && types.contains("REALIZED_PNL"), types.toString());
    assertEquals(
        2,
        hist("GET", "/fapi/v1/income", params("incomeType", "COMMISSION", "limit", "2"))
            .body()
            .size());

    JsonNode orders = hist("GET", "/fapi/v1/allOrders", params("symbol", "ETHUSDT")).body();
    assertShape("allOrders.json", orders);
    assertEquals(3, orders.size());
    assertEquals("FILLED", orders.get(0).get("status").asText());
    assertTrue(
        orders.get(0).get("orderId").asLong() < orders.get(2).get("orderId").asLong(),
        "oldest first");

    JsonNode amendments =
        hist(
                "GET",
                "/fapi/v1/orderAmendment",
                params("symbol", "ETHUSDT", "orderId", resting.get("orderId").asText()))
            .body();
    assertShape("orderAmendment.json", amendments);
    assertEquals(
        bid.subtract(new BigDecimal("31")).setScale(2).toPlainString(),
        amendments.get(0).get("amendment").get("price").get("after").asText());

    assertEquals(0, hist("GET", "/fapi/v1/forceOrders", params("symbol", "ETHUSDT")).body().size());
    JsonNode adl = hist("GET", "/fapi/v1/adlQuantile", params("symbol", "ETHUSDT")).body();
    assertShape("adlQuantile one-way", DocShapes.example("adlQuantile.json").get(1), adl.get(0));
    assertEquals(
        -4053,
        hist(
                "POST",
                "/fapi/v1/positionMargin",
                params("symbol", "ETHUSDT", "amount", "10", "type", "1"))
            .code());

    assertShape("accountConfig.json", hist("GET", "/fapi/v1/accountConfig", params()).body());
    // the simulator locks no one: its indicators map is empty, so only the envelope is compared
    com.fasterxml.jackson.databind.node.ObjectNode status =
        DocShapes.example("apiTradingStatus.json").deepCopy();
    status.putObject("indicators");
    assertShape(
        "apiTradingStatus.json", status, hist("GET", "/fapi/v1/apiTradingStatus", params()).body());
    assertEquals(
        false,
        hist("GET", "/fapi/v1/multiAssetsMargin", params())
            .body()
            .get("multiAssetsMargin")
            .asBoolean());
    assertEquals(
        200,
        hist("POST", "/fapi/v1/multiAssetsMargin", params("multiAssetsMargin", "true"))
            .body()
            .get("code")
            .asInt());
    assertTrue(
        hist("GET", "/fapi/v1/multiAssetsMargin", params())
            .body()
            .get("multiAssetsMargin")
            .asBoolean());
    hist("POST", "/fapi/v1/multiAssetsMargin", params("multiAssetsMargin", "false"));

    // isolated margin on SOL: switch, open, add margin
    assertEquals(
        200,
        hist("POST", "/fapi/v1/marginType", params("symbol", "SOLUSDT", "marginType", "ISOLATED"))
            .status());
    assertEquals(
        200,
        hist(
                "POST",
                "/fapi/v1/order",
                params("symbol", "SOLUSDT", "side", "BUY", "type", "MARKET", "quantity", "10"))
            .status());
    JsonNode added =
        hist(
                "POST",
                "/fapi/v1/positionMargin",
                params("symbol", "SOLUSDT", "amount", "12.5", "type", "1"))
            .body();
    assertShape("positionMargin.json", added);
    JsonNode pos = hist("GET", "/fapi/v3/positionRisk", params("symbol", "SOLUSDT")).body().get(0);
    assertTrue(
        new BigDecimal(pos.get("isolatedWallet").asText()).compareTo(new BigDecimal("12.5")) > 0,
        pos.toString());
    assertTrue(new BigDecimal(pos.get("liquidationPrice").asText()).signum() > 0, pos.toString());
    assertTrue(new BigDecimal(pos.get("maintMargin").asText()).signum() > 0, pos.toString());
    hist(
        "POST",
        "/fapi/v1/order",
        params(
            "symbol",
            "SOLUSDT",
            "side",
            "SELL",
            "type",
            "MARKET",
            "quantity",
            "10",
            "reduceOnly",
            "true"));
    hist("DELETE", "/fapi/v1/allOpenOrders", params("symbol", "ETHUSDT"));
  }

  @Test
  void batchCancelAcceptsTheLowerCaseListNames() {
    BigDecimal bid =
        new BigDecimal(
            client
                .get("/fapi/v1/ticker/bookTicker", params("symbol", "BTCUSDT"))
                .body()
                .get("bidPrice")
                .asText());
    String price = bid.subtract(new BigDecimal("500")).toPlainString();
    JsonNode a =
        hist(
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
                    "GTC",
                    "quantity",
                    "0.002",
                    "price",
                    price))
            .body();
    hist(
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
            "GTC",
            "quantity",
            "0.002",
            "price",
            price,
            "newClientOrderId",
            "it-lower-2"));
    JsonNode byId =
        hist(
                "DELETE",
                "/fapi/v1/batchOrders",
                params("symbol", "BTCUSDT", "orderidlist", "[" + a.get("orderId").asText() + "]"))
            .body();
    assertEquals("CANCELED", byId.get(0).get("status").asText(), byId.toString());
    JsonNode byCid =
        hist(
                "DELETE",
                "/fapi/v1/batchOrders",
                params("symbol", "BTCUSDT", "origclientorderidlist", "[\"it-lower-2\"]"))
            .body();
    assertEquals("CANCELED", byCid.get(0).get("status").asText(), byCid.toString());
  }

  // ------------------------------------------------------------------ streams

  @Test
  void everyNewMarketStreamIsServedWithTheDocumentedShape() {
    SimClient.Conn c = client.connect("/ws/0");
    try {
      c.send(
          "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@kline_1m\",\"btcusdt@kline_1M\","
              + "\"btcusdt_perpetual@continuousKline_1m\",\"btcusdt@ticker\",\"btcusdt@miniTicker\",\"!ticker@arr\","
              + "\"!miniTicker@arr\",\"btcusdt@forceOrder\",\"!forceOrder@arr\",\"!contractInfo\",\"btcusdt@compositeIndex\"],\"id\":7}");
      assertTrue(c.await(n -> n.path("id").asInt() == 7, WAIT).get("result").isNull());
      JsonNode trade = c.await(n -> "trade".equals(n.path("e").asText()), WAIT);
      assertEquals("BTCUSDT", trade.get("s").asText());
      assertTrue(trade.get("t").asLong() > 0 && trade.has("p") && trade.has("q") && trade.has("m"));
      JsonNode kline =
          c.await(
              n ->
                  "kline".equals(n.path("e").asText())
                      && "1m".equals(n.path("k").path("i").asText()),
              WAIT);
      assertShape("klineStream.json", kline);
      JsonNode month =
          c.await(
              n ->
                  "kline".equals(n.path("e").asText())
                      && "1M".equals(n.path("k").path("i").asText()),
              WAIT);
      assertTrue(
          month.get("k").get("T").asLong() - month.get("k").get("t").asLong() > 27L * 86_400_000,
          "1M is a month, not a minute");
      assertShape(
          "continuousKlineStream.json",
          c.await(n -> "continuous_kline".equals(n.path("e").asText()), WAIT));
      assertShape(
          "tickerStream.json", c.await(n -> "24hrTicker".equals(n.path("e").asText()), WAIT));
      assertShape(
          "miniTickerStream.json",
          c.await(n -> "24hrMiniTicker".equals(n.path("e").asText()), WAIT));
      JsonNode arr =
          c.await(
              n -> n.isArray() && n.size() > 0 && "24hrTicker".equals(n.get(0).path("e").asText()),
              WAIT);
      assertShape("tickerStream.json", arr.get(0));
      JsonNode miniArr =
          c.await(
              n ->
                  n.isArray()
                      && n.size() > 0
                      && "24hrMiniTicker".equals(n.get(0).path("e").asText()),
              WAIT);
      assertShape("miniTickerStream.json", miniArr.get(0));
      c.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":8}");
      assertEquals(12, c.await(n -> n.path("id").asInt() == 8, WAIT).get("result").size());
    } finally {
      c.close();
    }
  }

  // ------------------------------------------------------------------ conditional orders

  record AlgoCase(
      String type,
      String openSide,
      String side,
      String workingType,
      long triggerBps,
      long priceBps,
      long moveBps,
      Map<String, String> extra) {}

  /**
   * One lifecycle per type on the user stream: NEW, TRIGGERING, TRIGGERED, FINISHED, and the
   * regular order it placed.
   */
  @Test
  void everyConditionalTypeRunsItsLifecycleOnTheUserStream() {
    String key =
        client
            .send(
                HttpRequest.newBuilder(URI.create(client.rest + "/fapi/v1/listenKey"))
                    .header("X-MBX-APIKEY", ALGO_KEY)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build())
            .body()
            .get("listenKey")
            .asText();
    SimClient.Conn user = client.connect("/ws/" + key);
    try {
      List<AlgoCase> cases =
          List.of(
              new AlgoCase(
                  "STOP_MARKET",
                  "BUY",
                  "SELL",
                  "MARK_PRICE",
                  -50,
                  0,
                  -100,
                  Map.of("closePosition", "true")),
              new AlgoCase(
                  "TAKE_PROFIT_MARKET",
                  "SELL",
                  "BUY",
                  "MARK_PRICE",
                  -50,
                  0,
                  -100,
                  Map.of("quantity", "0.100", "reduceOnly", "true")),
              new AlgoCase(
                  "STOP",
                  "SELL",
                  "BUY",
                  "MARK_PRICE",
                  50,
                  150,
                  100,
                  Map.of("quantity", "0.100", "priceProtect", "true")),
              new AlgoCase(
                  "TAKE_PROFIT",
                  "BUY",
                  "SELL",
                  "CONTRACT_PRICE",
                  50,
                  -150,
                  100,
                  Map.of("quantity", "0.100")),
              new AlgoCase(
                  "TRAILING_STOP_MARKET",
                  "BUY",
                  "SELL",
                  "MARK_PRICE",
                  0,
                  0,
                  -100,
                  Map.of("quantity", "0.100", "callbackRate", "0.5")));
      for (AlgoCase ac : cases) {
        runAlgoCase(user, ac);
      }
    } finally {
      user.close();
    }
  }

  private void runAlgoCase(SimClient.Conn user, AlgoCase ac) {
    String symbol = "ETHUSDT";
    assertEquals(
        200,
        algo(
                "POST",
                "/fapi/v1/order",
                params(
                    "symbol", symbol, "side", ac.openSide(), "type", "MARKET", "quantity", "0.100"))
            .status());
    BigDecimal m = mark(symbol);
    if (ac.workingType().equals("CONTRACT_PRICE")) {
      // a previous case moved the price and back: wait for trades at the current price again
      Polling.until(
          WAIT,
          () ->
              lastPrice(symbol)
                      .subtract(mark(symbol))
                      .abs()
                      .compareTo(mark(symbol).movePointLeft(3))
                  < 0);
    }
    Map<String, String> p =
        new java.util.LinkedHashMap<>(
            params(
                "algoType",
                "CONDITIONAL",
                "symbol",
                symbol,
                "side",
                ac.side(),
                "type",
                ac.type(),
                "workingType",
                ac.workingType(),
                "clientAlgoId",
                "it-" + ac.type().toLowerCase()));
    if (ac.triggerBps() != 0) {
      p.put("triggerPrice", bps(m, ac.triggerBps()));
    }
    if (ac.priceBps() != 0) {
      p.put("price", bps(m, ac.priceBps()));
      p.put("timeInForce", "GTC");
    }
    p.putAll(ac.extra());
    SimClient.Resp placed = algo("POST", "/fapi/v1/algoOrder", p);
    assertEquals(200, placed.status(), ac + " " + placed.body());
    assertShape("newAlgoOrder.json", placed.body());
    long algoId = placed.body().get("algoId").asLong();
    assertShape("algo_update.json", algoStatus(user, algoId, "NEW"));
    if (ac.type().equals("TRAILING_STOP_MARKET")) {
      setPrice(client, symbol, new BigDecimal(bps(m, 100)));
      // the trailing stop follows the mark once per model step (100 ms): let a few steps see the
      // high
      long movedAt = engineTime(symbol);
      Polling.until(WAIT, () -> engineTime(symbol) >= movedAt + 300);
    }
    BigDecimal target =
        new BigDecimal(
            bps(ac.type().equals("TRAILING_STOP_MARKET") ? mark(symbol) : m, ac.moveBps()));
    setPrice(client, symbol, target);
    List<JsonNode> seen = new ArrayList<>();
    JsonNode finished;
    try {
      finished =
          user.await(
              n -> {
                seen.add(n);
                return "ALGO_UPDATE".equals(n.path("e").asText())
                    && n.path("o").path("aid").asLong() == algoId
                    && !List.of("NEW", "TRIGGERING", "TRIGGERED")
                        .contains(n.path("o").path("X").asText());
              },
              WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(
          ac.type()
              + ": no final ALGO_UPDATE; algo "
              + algo("GET", "/fapi/v1/algoOrder", params("algoId", Long.toString(algoId))).body()
              + ", mark "
              + mark(symbol)
              + ", target "
              + target
              + ", seen "
              + seen,
          e);
    }
    assertEquals("FINISHED", finished.get("o").get("X").asText(), ac.type() + " " + finished);
    List<String> steps =
        seen.stream()
            .filter(n -> n.path("o").path("aid").asLong() == algoId)
            .map(n -> n.path("o").path("X").asText())
            .toList();
    assertEquals(List.of("TRIGGERING", "TRIGGERED", "FINISHED"), steps, ac.type());
    String actual = finished.get("o").get("ai").asText();
    assertFalse(actual.isEmpty(), finished.toString());
    JsonNode order =
        seen.stream()
            .filter(
                n ->
                    "ORDER_TRADE_UPDATE".equals(n.path("e").asText())
                        && actual.equals(n.path("o").path("i").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no order update " + seen));
    assertEquals(ac.type(), order.get("o").get("ot").asText());
    assertEquals(
        ac.type().endsWith("MARKET") ? "MARKET" : "LIMIT", order.get("o").get("o").asText());
    assertEquals(ac.workingType(), order.get("o").get("wt").asText());
    assertTrue(
        new BigDecimal(finished.get("o").get("aq").asText()).signum() > 0, finished.toString());
    JsonNode queried =
        algo("GET", "/fapi/v1/algoOrder", params("algoId", Long.toString(algoId))).body();
    assertShape("queryAlgoOrder.json", queried);
    assertEquals("FINISHED", queried.get("algoStatus").asText());
    assertEquals(actual, queried.get("actualOrderId").asText());
    JsonNode position = algo("GET", "/fapi/v3/positionRisk", params("symbol", symbol)).body();
    assertTrue(
        position.size() == 0
            || new BigDecimal(position.get(0).get("positionAmt").asText()).signum() == 0,
        ac.type() + " closed the position: " + position);
    setPrice(client, symbol, m);
  }

  static long engineTime(String symbol) {
    return client
        .get("/fapi/v1/premiumIndex", params("symbol", symbol))
        .body()
        .get("time")
        .asLong();
  }

  static BigDecimal lastPrice(String symbol) {
    return new BigDecimal(
        client.get("/fapi/v1/ticker/price", params("symbol", symbol)).body().get("price").asText());
  }

  private static String bps(BigDecimal price, long bps) {
    return price
        .multiply(BigDecimal.ONE.add(BigDecimal.valueOf(bps, 4)))
        .setScale(2, java.math.RoundingMode.HALF_UP)
        .toPlainString();
  }

  private static JsonNode algoStatus(SimClient.Conn user, long algoId, String status) {
    return user.await(
        n ->
            "ALGO_UPDATE".equals(n.path("e").asText())
                && n.path("o").path("aid").asLong() == algoId
                && status.equals(n.path("o").path("X").asText()),
        WAIT);
  }

  @Test
  void algoOrderRefusalsCancelAndOpenLists() {
    BigDecimal m = mark("BTCUSDT");
    assertEquals(
        -2021,
        algo(
                "POST",
                "/fapi/v1/algoOrder",
                params(
                    "algoType",
                    "CONDITIONAL",
                    "symbol",
                    "BTCUSDT",
                    "side",
                    "SELL",
                    "type",
                    "STOP_MARKET",
                    "quantity",
                    "0.010",
                    "triggerPrice",
                    bps(m, 100).replaceAll("\\.\\d+$", ".0"),
                    "workingType",
                    "MARK_PRICE"))
            .code());
    assertEquals(
        -4120,
        algo(
                "POST",
                "/fapi/v1/order",
                params(
                    "symbol",
                    "BTCUSDT",
                    "side",
                    "SELL",
                    "type",
                    "STOP_MARKET",
                    "quantity",
                    "0.010",
                    "stopPrice",
                    "1000"))
            .code());
    JsonNode placed =
        algo(
                "POST",
                "/fapi/v1/algoOrder",
                params(
                    "algoType",
                    "CONDITIONAL",
                    "symbol",
                    "BTCUSDT",
                    "side",
                    "SELL",
                    "type",
                    "STOP_MARKET",
                    "quantity",
                    "0.010",
                    "triggerPrice",
                    "1000.0"))
            .body();
    assertEquals(
        1, algo("GET", "/fapi/v1/openAlgoOrders", params("symbol", "BTCUSDT")).body().size());
    JsonNode canceled =
        algo("DELETE", "/fapi/v1/algoOrder", params("algoId", placed.get("algoId").asText()))
            .body();
    assertShape("cancelAlgoOrder.json", canceled);
    assertEquals(
        -2011,
        algo("DELETE", "/fapi/v1/algoOrder", params("algoId", placed.get("algoId").asText()))
            .code());
    algo(
        "POST",
        "/fapi/v1/algoOrder",
        params(
            "algoType",
            "CONDITIONAL",
            "symbol",
            "BTCUSDT",
            "side",
            "SELL",
            "type",
            "STOP_MARKET",
            "quantity",
            "0.010",
            "triggerPrice",
            "1000.0"));
    assertEquals(
        200,
        algo("DELETE", "/fapi/v1/algoOpenOrders", params("symbol", "BTCUSDT"))
            .body()
            .get("code")
            .asInt());
    assertEquals(0, algo("GET", "/fapi/v1/openAlgoOrders", params()).body().size());
    assertTrue(
        algo("GET", "/fapi/v1/allAlgoOrders", params("symbol", "BTCUSDT")).body().size() >= 2);
  }

  // ------------------------------------------------------------------ liquidation

  @Test
  void aLeveragedPositionIsLiquidatedWhenThePriceMovesAgainstIt() throws Exception {
    try (SimulatorFixture.Extra extra = SIM.startExtra("phoenix.sim.initial-wallet-usdt = 1000")) {
      SimClient c = new SimClient(extra.server());
      String key = c.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
      SimClient.Conn user = c.connect("/ws/" + key);
      SimClient.Conn market = c.connect("/ws/btcusdt@forceOrder");
      try {
        assertEquals(
            200,
            c.signed("POST", "/fapi/v1/leverage", params("symbol", "BTCUSDT", "leverage", "50"))
                .status());
        assertEquals(
            200,
            c.signed(
                    "POST",
                    "/fapi/v1/order",
                    params(
                        "symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.500"))
                .status());
        JsonNode pos =
            c.signed("GET", "/fapi/v3/positionRisk", params("symbol", "BTCUSDT")).body().get(0);
        BigDecimal liq = new BigDecimal(pos.get("liquidationPrice").asText());
        BigDecimal entry = new BigDecimal(pos.get("entryPrice").asText());
        assertTrue(liq.compareTo(entry) < 0 && liq.signum() > 0, pos.toString());
        setPrice(
            c, "BTCUSDT", liq.add(new BigDecimal("150")).setScale(1, java.math.RoundingMode.UP));
        Polling.until(WAIT, () -> mark2(c).compareTo(liq) > 0 && mark2(c).compareTo(entry) < 0);
        assertEquals(
            "0.500",
            c.signed("GET", "/fapi/v3/positionRisk", params("symbol", "BTCUSDT"))
                .body()
                .get(0)
                .get("positionAmt")
                .asText(),
            "not liquidated above the liquidation price");
        setPrice(
            c,
            "BTCUSDT",
            liq.subtract(new BigDecimal("150")).setScale(1, java.math.RoundingMode.DOWN));
        JsonNode liquidation =
            user.await(
                n ->
                    "ORDER_TRADE_UPDATE".equals(n.path("e").asText())
                        && "CALCULATED".equals(n.path("o").path("x").asText()),
                WAIT);
        assertEquals("LIQUIDATION", liquidation.get("o").get("o").asText());
        assertEquals("SELL", liquidation.get("o").get("S").asText());
        assertEquals("FILLED", liquidation.get("o").get("X").asText());
        assertTrue(liquidation.get("o").get("c").asText().startsWith("autoclose-"));
        JsonNode account =
            user.await(
                n ->
                    "ACCOUNT_UPDATE".equals(n.path("e").asText())
                        && n.path("a").path("P").path(0).path("pa").asText().equals("0.000"),
                WAIT);
        assertEquals(
            0,
            new BigDecimal(account.get("a").get("B").get(0).get("wb").asText())
                .compareTo(BigDecimal.ZERO),
            "an insurance-fund close leaves the wallet at 0: " + account);
        JsonNode force = market.await(n -> "forceOrder".equals(n.path("e").asText()), WAIT);
        assertShape("forceOrderStream.json", force);
        assertEquals("0.500", force.get("o").get("z").asText());
        JsonNode rest =
            c.signed(
                    "GET",
                    "/fapi/v1/forceOrders",
                    params("symbol", "BTCUSDT", "autoCloseType", "LIQUIDATION"))
                .body();
        assertShape("forceOrders.json", rest);
        assertEquals(1, rest.size());
        List<String> income = new ArrayList<>();
        c.signed("GET", "/fapi/v1/income", params("symbol", "BTCUSDT"))
            .body()
            .forEach(i -> income.add(i.get("incomeType").asText()));
        assertTrue(
            income.contains("INSURANCE_CLEAR") && income.contains("REALIZED_PNL"),
            income.toString());
        assertEquals(
            "0.000",
            c.signed("GET", "/fapi/v2/positionRisk", params("symbol", "BTCUSDT"))
                .body()
                .get(0)
                .get("positionAmt")
                .asText());
      } finally {
        user.close();
        market.close();
      }
    }
  }

  private static BigDecimal mark2(SimClient c) {
    return new BigDecimal(
        c.get("/fapi/v1/premiumIndex", params("symbol", "BTCUSDT"))
            .body()
            .get("markPrice")
            .asText());
  }

  // ------------------------------------------------------------------ WebSocket API sessions

  static String ed25519(String payload) throws Exception {
    PrivateKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(ED_PRIVATE)));
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(payload.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(s.sign());
  }

  static String sortedPayload(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(params)
        .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=').append(v));
    return sb.toString();
  }

  @Test
  void ed25519SessionsLogOnTradeWithoutSignaturesAndLogOut() throws Exception {
    SimClient.Conn api = client.connect("/ws-fapi/v1?returnRateLimits=false");
    try {
      long ts = System.currentTimeMillis();
      Map<String, String> logon = params("apiKey", ED_KEY, "timestamp", Long.toString(ts));
      String sig = ed25519(sortedPayload(logon));
      api.send(
          "{\"id\":\"logon\",\"method\":\"session.logon\",\"params\":{\"apiKey\":\""
              + ED_KEY
              + "\",\"timestamp\":"
              + ts
              + ",\"signature\":\""
              + sig
              + "\"}}");
      JsonNode result = api.await(n -> "logon".equals(n.path("id").asText()), WAIT);
      assertEquals(200, result.get("status").asInt(), result.toString());
      assertShape("sessionLogon.json", result.get("result"));
      assertEquals(ED_KEY, result.get("result").get("apiKey").asText());

      api.send("{\"id\":\"status\",\"method\":\"session.status\"}");
      assertEquals(
          ED_KEY,
          api.await(n -> "status".equals(n.path("id").asText()), WAIT)
              .get("result")
              .get("apiKey")
              .asText());

      api.send(
          "{\"id\":\"bal\",\"method\":\"v2/account.balance\",\"params\":{\"timestamp\":"
              + System.currentTimeMillis()
              + "}}");
      assertEquals(
          200,
          api.await(n -> "bal".equals(n.path("id").asText()), WAIT).get("status").asInt(),
          "no apiKey or signature in a session");

      api.send("{\"id\":\"px\",\"method\":\"ticker.price\",\"params\":{\"symbol\":\"BTCUSDT\"}}");
      assertShape(
          "tickerPrice.json",
          api.await(n -> "px".equals(n.path("id").asText()), WAIT).get("result"));

      api.send(
          "{\"id\":\"algo\",\"method\":\"algoOrder.place\",\"params\":{\"algoType\":\"CONDITIONAL\",\"symbol\":\"BTCUSDT\","
              + "\"side\":\"SELL\",\"type\":\"STOP_MARKET\",\"quantity\":\"0.010\",\"triggerprice\":1000,\"timestamp\":"
              + System.currentTimeMillis()
              + "}}");
      JsonNode placed = api.await(n -> "algo".equals(n.path("id").asText()), WAIT);
      assertEquals(200, placed.get("status").asInt(), placed.toString());
      api.send(
          "{\"id\":\"cxl\",\"method\":\"algoOrder.cancel\",\"params\":{\"symbol\":\"BTCUSDT\",\"algoId\":"
              + placed.get("result").get("algoId").asLong()
              + ",\"timestamp\":"
              + System.currentTimeMillis()
              + "}}");
      assertEquals(
          "success",
          api.await(n -> "cxl".equals(n.path("id").asText()), WAIT)
              .get("result")
              .get("msg")
              .asText());

      api.send("{\"id\":\"out\",\"method\":\"session.logout\"}");
      assertTrue(
          api.await(n -> "out".equals(n.path("id").asText()), WAIT)
              .get("result")
              .get("apiKey")
              .isNull());
      api.send(
          "{\"id\":\"bal2\",\"method\":\"v2/account.balance\",\"params\":{\"timestamp\":"
              + System.currentTimeMillis()
              + "}}");
      assertEquals(
          -2015,
          api.await(n -> "bal2".equals(n.path("id").asText()), WAIT)
              .get("error")
              .get("code")
              .asInt());

      long ts2 = System.currentTimeMillis();
      String hmac = Auth.hmacHex(SimClient.SECRET, "apiKey=" + SimClient.KEY + "&timestamp=" + ts2);
      api.send(
          "{\"id\":\"hmac\",\"method\":\"session.logon\",\"params\":{\"apiKey\":\""
              + SimClient.KEY
              + "\",\"timestamp\":"
              + ts2
              + ",\"signature\":\""
              + hmac
              + "\"}}");
      assertEquals(
          -4056,
          api.await(n -> "hmac".equals(n.path("id").asText()), WAIT)
              .get("error")
              .get("code")
              .asInt());
    } finally {
      api.close();
    }
  }

  @Test
  void restAcceptsEd25519AndRsaSignaturesAndRsaSessionsLogOn() throws Exception {
    long ts = System.currentTimeMillis();
    String query = "timestamp=" + ts;
    String sig = URLEncoder.encode(ed25519(query), StandardCharsets.UTF_8);
    HttpRequest balance =
        HttpRequest.newBuilder(
                URI.create(client.rest + "/fapi/v2/balance?" + query + "&signature=" + sig))
            .header("X-MBX-APIKEY", ED_KEY)
            .GET()
            .build();
    assertEquals(200, client.send(balance).status());
    HttpRequest bad =
        HttpRequest.newBuilder(
                URI.create(
                    client.rest + "/fapi/v2/balance?" + query + "&signature=" + sig.substring(4)))
            .header("X-MBX-APIKEY", ED_KEY)
            .GET()
            .build();
    assertEquals(-1022, client.send(bad).code());

    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair rsa = gen.generateKeyPair();
    String pub = Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
    try (SimulatorFixture.Extra extra =
        SIM.startExtra(
            "phoenix.sim.api-keys = [ { key = \"hmac\", secret = \"s\" }, "
                + "{ key = \"rsa-key\", public-key = \""
                + pub
                + "\" } ]")) {
      SimClient c = new SimClient(extra.server());
      SimClient.Conn api = c.connect("/ws-fapi/v1");
      try {
        long t = System.currentTimeMillis();
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(("apiKey=rsa-key&timestamp=" + t).getBytes(StandardCharsets.UTF_8));
        String rsaSig = Base64.getEncoder().encodeToString(s.sign());
        api.send(
            "{\"id\":1,\"method\":\"session.logon\",\"params\":{\"apiKey\":\"rsa-key\",\"timestamp\":"
                + t
                + ",\"signature\":\""
                + rsaSig
                + "\"}}");
        JsonNode r = api.await(n -> n.path("id").asInt() == 1, WAIT);
        assertEquals("rsa-key", r.get("result").get("apiKey").asText(), r.toString());
        assertNotNull(r.get("rateLimits"));
      } finally {
        api.close();
      }
    }
  }
}
