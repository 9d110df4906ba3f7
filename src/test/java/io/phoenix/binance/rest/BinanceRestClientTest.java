package io.phoenix.binance.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.core.Instrument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BinanceRestClientTest {
  private static final String KEY = "test-api-key-ABCDEF";
  private static final String SECRET = "test-api-secret-0123456789";
  private static final ActorTestKit testKit = ActorTestKit.create();

  /** What the stub server saw last: method, path, raw query, body, api key header. */
  record Seen(String method, String path, String rawQuery, String body, String apiKey) {}

  private static final AtomicReference<Seen> seen = new AtomicReference<>();
  private static ServerBinding binding;
  private static BinanceRestClient client;
  private static BinanceRestSettings settings;

  @BeforeAll
  static void start() throws Exception {
    Materializer mat = Materializer.matFromSystem(testKit.system());
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(
                (akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>)
                    req -> handle(req, mat))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    settings = settingsFor("http://127.0.0.1:" + binding.localAddress().getPort(), "2s");
    client = BinanceRestClient.create(testKit.system(), settings, ServerClock.fixed(0));
  }

  static BinanceRestSettings settingsFor(String url, String timeout) {
    return BinanceRestSettings.fromConfig(
        ConfigFactory.parseString(
                "phoenix.binance { rest-url = \""
                    + url
                    + "\", api-key = \""
                    + KEY
                    + "\", api-secret = \""
                    + SECRET
                    + "\", rest.request-timeout = "
                    + timeout
                    + " }")
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  private static CompletionStage<HttpResponse> handle(HttpRequest req, Materializer mat) {
    return req.entity()
        .toStrict(2000, mat)
        .thenCompose(
            strict -> {
              String body = strict.getData().utf8String();
              seen.set(
                  new Seen(
                      req.method().value(),
                      req.getUri().path(),
                      req.getUri().rawQueryString().orElse(""),
                      body,
                      req.getHeader("X-MBX-APIKEY").map(h -> h.value()).orElse(null)));
              return respond(req.getUri().path());
            });
  }

  private static CompletionStage<HttpResponse> respond(String path) {
    switch (path) {
      case "/fapi/v1/order":
        return json(
            200,
            "{\"orderId\":42,\"symbol\":\"BTCUSDT\",\"status\":\"NEW\",\"clientOrderId\":\"phx-0-1\","
                + "\"price\":\"60000.10\",\"origQty\":\"0.002\",\"executedQty\":\"0.000\",\"side\":\"BUY\",\"timeInForce\":\"GTX\","
                + "\"type\":\"LIMIT\",\"updateTime\":1767225600131,\"newField\":1}",
            RawHeader.create("X-MBX-USED-WEIGHT-1M", "17"),
            RawHeader.create("X-MBX-ORDER-COUNT-10S", "3"),
            RawHeader.create("X-MBX-ORDER-COUNT-1M", "9"));
      case "/reject":
        return json(
            400,
            "{\"code\":-2011,\"msg\":\"Unknown order sent.\"}",
            RawHeader.create("X-MBX-USED-WEIGHT-1M", "5"));
      case "/echo-secret":
        return json(400, "{\"code\":-2015,\"msg\":\"bad key " + KEY + " secret " + SECRET + "\"}");
      case "/echo-secret-500":
        return text(500, "upstream said key=" + KEY + " secret=" + SECRET);
      case "/throttle":
        return json(
            429,
            "{\"code\":-1003,\"msg\":\"Too many requests\"}",
            RawHeader.create("Retry-After", "7"));
      case "/ban":
        return json(418, "{\"code\":-1003,\"msg\":\"banned\"}");
      case "/503-unknown":
        return text(503, "Unknown error, please check your request or try again later.");
      case "/503-unavailable":
        return text(503, "Service Unavailable.");
      case "/timeout-code":
        return json(
            408, "{\"code\":-1007,\"msg\":\"Timeout waiting for response from backend server.\"}");
      case "/garbage":
        return text(200, "not json");
      case "/batch":
        return json(
            200,
            "[{\"orderId\":1,\"symbol\":\"ETHUSDT\",\"status\":\"NEW\",\"clientOrderId\":\"b1\"},"
                + "{\"code\":-5022,\"msg\":\"post only\"}]");
      case "/hang":
        return new CompletableFuture<>();
      case "/chunked":
        // a body that arrives in pieces: the client must assemble it (the non-strict path)
        return CompletableFuture.completedFuture(
            HttpResponse.create()
                .withEntity(
                    HttpEntities.createChunked(
                        ContentTypes.APPLICATION_JSON,
                        Source.from(
                            List.of(
                                ByteString.fromString("[{\"orderId\":1,\"symbol\":\"ETHUSDT\","),
                                ByteString.fromString(
                                    "\"status\":\"NEW\",\"clientOrderId\":\"c1\"},"),
                                ByteString.fromString(
                                    "{\"code\":-5022,\"msg\":\"post only\"}]"))))));
      case "/fapi/v1/exchangeInfo":
        return json(200, EXCHANGE_INFO);
      default:
        return json(404, "{\"code\":-1099,\"msg\":\"not found\"}");
    }
  }

  static final String EXCHANGE_INFO =
      "{\"timezone\":\"UTC\",\"serverTime\":1,\"rateLimits\":["
          + "{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":2400},"
          + "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":300}],"
          + "\"symbols\":[{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\",\"contractType\":\"PERPETUAL\",\"filters\":["
          + "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"556.80\",\"maxPrice\":\"4529764\",\"tickSize\":\"0.10\"},"
          + "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000\",\"stepSize\":\"0.001\"},"
          + "{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"100\"},{\"filterType\":\"MAX_NUM_ORDERS\",\"limit\":200},"
          + "{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"1.0500\",\"multiplierDown\":\"0.9500\",\"multiplierDecimal\":\"4\"}]}]}";

  private static CompletionStage<HttpResponse> json(int status, String body, RawHeader... headers) {
    HttpResponse r =
        HttpResponse.create()
            .withStatus(StatusCodes.get(status))
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    for (RawHeader h : headers) {
      r = r.addHeader(h);
    }
    return CompletableFuture.completedFuture(r);
  }

  private static CompletionStage<HttpResponse> text(int status, String body) {
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withStatus(StatusCodes.get(status))
            .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body)));
  }

  private static <T> RestResult<T> await(CompletionStage<RestResult<T>> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void signedPostSendsParamsInTheBodySignedWithKeyHeaderAndSurfacesCounters() throws Exception {
    RestRequest req =
        RestRequest.post("/fapi/v1/order")
            .signed()
            .param("symbol", "BTCUSDT")
            .param("side", "BUY")
            .param("newClientOrderId", "phx-0-1")
            .build();
    RestResult<RestOrderResponse> r = await(client.send(req, RestOrderResponse.class));

    RestResult.Ok<RestOrderResponse> ok = assertInstanceOf(RestResult.Ok.class, r);
    assertEquals(42, ok.body().orderId());
    assertEquals("60000.10", ok.body().price());
    assertEquals(new RateLimitUsage(17, 3, 9), ok.usage());
    Seen s = seen.get();
    assertEquals("POST", s.method());
    assertEquals(KEY, s.apiKey());
    assertEquals("", s.rawQuery());
    assertTrue(
        s.body()
            .startsWith(
                "symbol=BTCUSDT&side=BUY&newClientOrderId=phx-0-1&recvWindow=5000&timestamp="),
        s.body());
    int sig = s.body().indexOf("&signature=");
    String signed = s.body().substring(0, sig);
    assertEquals(
        new RequestSigner(SECRET).sign(signed), s.body().substring(sig + "&signature=".length()));
  }

  @Test
  void signedGetSendsEverythingInTheQueryAndPercentEncodesJson() throws Exception {
    RestRequest req =
        RestRequest.delete("/fapi/v1/order")
            .signed()
            .param("symbol", "ETHUSDT")
            .param("origClientOrderIdList", "[\"a\",\"b\"]")
            .build();
    await(client.send(req));
    Seen s = seen.get();
    assertEquals("DELETE", s.method());
    assertTrue(
        s.rawQuery()
            .startsWith("symbol=ETHUSDT&origClientOrderIdList=%5B%22a%22%2C%22b%22%5D&recvWindow="),
        s.rawQuery());
    int sig = s.rawQuery().indexOf("&signature=");
    assertEquals(
        new RequestSigner(SECRET).sign(s.rawQuery().substring(0, sig)),
        s.rawQuery().substring(sig + "&signature=".length()));
  }

  @Test
  void unsignedGetCarriesNoKeyAndNoSignature() throws Exception {
    RestResult<RestExchangeInfo> r = await(client.exchangeInfo());
    RestExchangeInfo info =
        assertInstanceOf(RestResult.Ok.class, r).body() instanceof RestExchangeInfo i ? i : null;
    assertNotNull(info);
    assertEquals(null, seen.get().apiKey());
    assertEquals(2, info.rateLimits().size());
    assertEquals(10_000, info.rateLimits().get(1).windowMillis());
    Instrument btc = info.instruments(List.of("BTCUSDT")).get(0);
    assertEquals(0, btc.id());
    assertEquals(5568, btc.minPriceTicks());
    assertEquals(1, btc.minQtySteps());
    assertEquals(1_000_000, btc.maxQtySteps());
    assertEquals(100.0, btc.minNotional());
    assertEquals(1.05, btc.percentUp());
  }

  @Test
  void businessErrorIsRejectedWithCodeAndStatus() throws Exception {
    RestResult<?> r = await(client.send(RestRequest.get("/reject").build()));
    RestResult.Rejected<?> rej = assertInstanceOf(RestResult.Rejected.class, r);
    assertEquals(-2011, rej.code());
    assertEquals(400, rej.httpStatus());
    assertEquals(5, rej.usage().usedWeight1m());
    assertFalse(rej.retryable());
  }

  @Test
  void http429IsRateLimitedWithRetryAfterAnd418IsABan() throws Exception {
    RestResult.RateLimited<?> limited =
        assertInstanceOf(
            RestResult.RateLimited.class, await(client.send(RestRequest.get("/throttle").build())));
    assertEquals(Duration.ofSeconds(7), limited.retryAfter());
    assertFalse(limited.banned());
    RestResult.RateLimited<?> ban =
        assertInstanceOf(
            RestResult.RateLimited.class, await(client.send(RestRequest.get("/ban").build())));
    assertTrue(ban.banned());
    assertEquals(settings.defaultRetryAfter(), ban.retryAfter());
  }

  @Test
  void unknown503AndTimeoutCodesAreUnknownButServiceUnavailableIsADefiniteRetryableFailure()
      throws Exception {
    assertInstanceOf(
        RestResult.UnknownOutcome.class,
        await(client.send(RestRequest.post("/503-unknown").build())));
    assertInstanceOf(
        RestResult.UnknownOutcome.class,
        await(client.send(RestRequest.post("/timeout-code").build())));
    RestResult.Rejected<?> unavailable =
        assertInstanceOf(
            RestResult.Rejected.class,
            await(client.send(RestRequest.post("/503-unavailable").build())));
    assertTrue(unavailable.retryable());
  }

  @Test
  void undecodableSuccessIsUnknownNotRejected() throws Exception {
    assertInstanceOf(
        RestResult.UnknownOutcome.class,
        await(client.send(RestRequest.post("/garbage").build(), RestOrderResponse.class)));
  }

  @Test
  void noResponseWithinTheTimeoutIsUnknown() throws Exception {
    BinanceRestClient impatient =
        BinanceRestClient.create(
            testKit.system(),
            settingsFor("http://127.0.0.1:" + binding.localAddress().getPort(), "300ms"),
            ServerClock.fixed(0));
    RestResult.UnknownOutcome<?> u =
        assertInstanceOf(
            RestResult.UnknownOutcome.class,
            await(impatient.send(RestRequest.get("/hang").build())));
    assertTrue(u.reason().contains("no response"), u.reason());
  }

  @Test
  void connectionRefusedIsUnknown() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    BinanceRestClient nowhere =
        BinanceRestClient.create(
            testKit.system(),
            settingsFor("http://127.0.0.1:" + closedPort, "2s"),
            ServerClock.fixed(0));
    assertInstanceOf(
        RestResult.UnknownOutcome.class, await(nowhere.send(RestRequest.get("/x").build())));
  }

  @Test
  void aBodyInPiecesIsAssembledLikeAWholeOne() throws Exception {
    RestResult<List<RestBatchSlot>> r =
        await(client.sendBatch(RestRequest.post("/chunked").build()));
    List<RestBatchSlot> slots =
        r instanceof RestResult.Ok<List<RestBatchSlot>> ok ? ok.body() : List.of();
    assertEquals(2, slots.size(), "decoded " + r);
    assertEquals("c1", slots.get(0).order().clientOrderId());
    assertEquals(-5022, slots.get(1).error().code());
  }

  @Test
  void batchResponsesSplitIntoOrderAndErrorSlots() throws Exception {
    RestResult<List<RestBatchSlot>> r = await(client.sendBatch(RestRequest.post("/batch").build()));
    List<RestBatchSlot> slots =
        assertInstanceOf(RestResult.Ok.class, r).body() instanceof List<?> l
            ? r instanceof RestResult.Ok<List<RestBatchSlot>> ok ? ok.body() : null
            : null;
    assertNotNull(slots);
    assertTrue(slots.get(0).ok());
    assertEquals("b1", slots.get(0).order().clientOrderId());
    assertEquals(-5022, slots.get(1).error().code());
  }

  @Test
  void secretsNeverAppearInResultsSettingsOrToString() throws Exception {
    RestResult<?> r = await(client.send(RestRequest.get("/echo-secret").build()));
    String all = r + " " + settings + " " + client + " " + new RequestSigner(SECRET);
    assertFalse(all.contains(SECRET), all);
    assertFalse(all.contains(KEY), all);
    RestResult.Rejected<?> rej = assertInstanceOf(RestResult.Rejected.class, r);
    assertTrue(rej.msg().contains("***"), rej.msg());
    RestResult.UnknownOutcome<?> unknown =
        assertInstanceOf(
            RestResult.UnknownOutcome.class,
            await(
                client.send(
                    RestRequest.post("/echo-secret-500").signed().param("symbol", "X").build())));
    assertFalse(
        unknown.reason().contains(SECRET) || unknown.reason().contains(KEY), unknown.reason());
    // the signed request itself carries neither: the key travels only in the header
    RestRequest signed = RestRequest.get("/fapi/v1/order").signed().param("symbol", "X").build();
    String wire = client.toHttp(signed).getUri().toString();
    assertFalse(wire.contains(SECRET) || wire.contains(KEY), wire);
    assertFalse(signed.toString().contains("symbol=X"), signed.toString());
  }

  @Test
  void http2PriorKnowledgeTransportWorksAgainstAnH2cServer() throws Exception {
    ActorTestKit h2Kit =
        ActorTestKit.create(
            ConfigFactory.parseString("akka.http.server.preview.enable-http2 = on")
                .withFallback(ConfigFactory.load()));
    try {
      Materializer mat = Materializer.matFromSystem(h2Kit.system());
      ServerBinding h2 =
          Http.get(h2Kit.system())
              .newServerAt("127.0.0.1", 0)
              .bind(
                  (akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>)
                      req -> handle(req, mat))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      BinanceRestSettings base =
          settingsFor("http://127.0.0.1:" + h2.localAddress().getPort(), "3s");
      BinanceRestSettings h2Settings =
          new BinanceRestSettings(
              base.restUrl(),
              base.apiKey(),
              base.apiSecret(),
              base.recvWindow(),
              base.requestTimeout(),
              base.defaultRetryAfter(),
              true,
              base.orderPool(),
              base.backgroundPool());
      BinanceRestClient h2Client =
          BinanceRestClient.create(h2Kit.system(), h2Settings, ServerClock.fixed(0));
      for (int i = 0; i < 3; i++) {
        RestResult<RestOrderResponse> r =
            await(
                h2Client.send(
                    RestRequest.get("/fapi/v1/order").signed().param("symbol", "BTCUSDT").build(),
                    RestOrderResponse.class));
        assertEquals(
            42,
            assertInstanceOf(RestResult.Ok.class, r, r::toString).body()
                    instanceof RestOrderResponse o
                ? o.orderId()
                : 0);
      }
    } finally {
      h2Kit.shutdownTestKit();
    }
  }

  @Test
  void percentEncodingLeavesUnreservedAndEncodesUtf8() {
    StringBuilder sb = new StringBuilder();
    RestRequest.percentEncode("a-Z_0.~ {\"x\"}币", sb);
    assertEquals("a-Z_0.~%20%7B%22x%22%7D%E5%B8%81", sb.toString());
    assertEquals("body".length(), "body".getBytes(StandardCharsets.UTF_8).length);
  }
}
