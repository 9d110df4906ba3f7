package io.phoenix.binance.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.WsApiSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WsApiTransportTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final WsApiSettings SETTINGS =
      new WsApiSettings(
          true,
          "ws://127.0.0.1:1/ws-fapi/v1",
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          Duration.ofSeconds(1));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void signsParametersSortedByNameLikeTheReferenceExample() throws Exception {
    // reference §10.1/§10.2 composed example, signed with the fake secret of §2.2
    var transport =
        WsApiTransport.create(
            testKit.system(),
            SETTINGS,
            "demoApiKeyNotReal",
            "Zq7Xv3demoSecretNotReal0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0",
            ServerClock.fixed(0),
            Duration.ZERO,
            r -> CompletableFuture.failedFuture(new AssertionError()));
    RestRequest request =
        RestRequest.post("/fapi/v1/order")
            .signed()
            .param("symbol", "ETHUSDT")
            .param("side", "BUY")
            .param("type", "LIMIT")
            .param("timeInForce", "GTX")
            .param("quantity", "0.250")
            .param("price", "3410.12")
            .param("newClientOrderId", "mm-eth-b-000188")
            .param("timestamp", 1767225600456L)
            .build();
    JsonNode frame = MAPPER.readTree(transport.encode("7f3c", "order.place", request));
    assertEquals("order.place", frame.get("method").asText());
    JsonNode params = frame.get("params");
    assertEquals(
        "b23523c28cf38d2244a7f7b9cb1e04e908f9dd8d15d5681394227e1c3e622a59",
        params.get("signature").asText());
    assertTrue(params.get("timestamp").isNumber(), "INT parameters travel as JSON numbers");
    assertTrue(params.get("price").isTextual(), "DECIMAL parameters travel as strings");
  }

  @Test
  void onlySingleOrderCallsUseTheWebSocket() {
    assertEquals("order.place", WsApiTransport.method(RestRequest.post("/fapi/v1/order").build()));
    assertEquals("order.modify", WsApiTransport.method(RestRequest.put("/fapi/v1/order").build()));
    assertEquals(
        "order.cancel", WsApiTransport.method(RestRequest.delete("/fapi/v1/order").build()));
    assertEquals("order.status", WsApiTransport.method(RestRequest.get("/fapi/v1/order").build()));
    assertNull(WsApiTransport.method(RestRequest.post("/fapi/v1/batchOrders").build()));
    assertNull(WsApiTransport.method(RestRequest.delete("/fapi/v1/allOpenOrders").build()));
  }

  @Test
  void repliesKeepTheRestOutcomeClasses() throws Exception {
    Duration retry = Duration.ofSeconds(10);
    var ok =
        WsApiTransport.classify(
            MAPPER.readTree(
                """
        {"id":"1","status":200,"result":{"orderId":5},"rateLimits":[
         {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":7},
         {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":3},
         {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200,"count":4}]}"""),
            retry);
    RestResult.Ok<JsonNode> okResult = assertInstanceOf(RestResult.Ok.class, ok);
    assertEquals(5, okResult.body().get("orderId").asLong());
    assertEquals(7, ok.usage().usedWeight1m());
    assertEquals(3, ok.usage().orderCount10s());
    assertEquals(4, ok.usage().orderCount1m());
    var rejected =
        WsApiTransport.classify(
            MAPPER.readTree(
                "{\"id\":\"2\",\"status\":400,\"error\":{\"code\":-5022,\"msg\":\"Post Only order will be rejected\"}}"),
            retry);
    assertEquals(-5022, assertInstanceOf(RestResult.Rejected.class, rejected).code());
    var unknown =
        WsApiTransport.classify(
            MAPPER.readTree(
                "{\"id\":\"3\",\"status\":503,\"error\":{\"code\":-1006,\"msg\":\"Unknown error, please check\"}}"),
            retry);
    assertInstanceOf(RestResult.UnknownOutcome.class, unknown);
    var banned =
        WsApiTransport.classify(
            MAPPER.readTree(
                "{\"id\":\"4\",\"status\":418,\"error\":{\"code\":-1003,\"msg\":\"banned\"}}"),
            retry);
    assertTrue(assertInstanceOf(RestResult.RateLimited.class, banned).banned());
  }

  @Test
  void withNoSessionOrderRequestsGoOverTheFallbackNeverAThrow() {
    java.util.concurrent.atomic.AtomicInteger fallbackCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    RestResult<JsonNode> restAnswer =
        new RestResult.Rejected<>(
            -2013, "Order does not exist.", 400, io.phoenix.binance.rest.RateLimitUsage.NONE);
    var transport =
        WsApiTransport.create(
            testKit.system(),
            SETTINGS,
            "k",
            "s",
            ServerClock.fixed(0),
            Duration.ofSeconds(5),
            r -> {
              fallbackCalls.incrementAndGet();
              return CompletableFuture.completedFuture(restAnswer);
            });
    RestResult<JsonNode> r =
        transport
            .send(
                RestRequest.get("/fapi/v1/order")
                    .signed()
                    .param("symbol", "BTCUSDT")
                    .param("orderId", 1)
                    .build())
            .toCompletableFuture()
            .join();
    assertEquals(restAnswer, r, "the fallback's answer");
    assertEquals(1, fallbackCalls.get());
    assertEquals(1, transport.sentOverFallback());
    assertEquals(0, transport.inFlightCount());
    transport.close();
  }
}
