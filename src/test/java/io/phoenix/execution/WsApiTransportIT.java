package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.WsApiSettings;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Single-order calls over the simulator's WebSocket trading API; everything else over REST. */
class WsApiTransportIT {
  @RegisterExtension
  static final SimulatorFixture SIM = SimulatorFixture.withDefaults();
  static final Config CONFIG = SIM.config();
  static final ActorTestKit testKit = SIM.testKit();
  static BinanceRestClient rest;
  static WsApiTransport transport;
  static final AtomicInteger restCalls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    BinanceRestSettings restSettings = BinanceRestSettings.fromConfig(CONFIG).withRestUrl(SIM.restUrl());
    rest = BinanceRestClient.create(testKit.system(), restSettings, ServerClock.fixed(0));
    WsApiSettings ws = WsApiSettings.fromConfig(CONFIG).withUrl(SIM.wsUrl() + "/ws-fapi/v1");
    ExchangeTransport counted = r -> {
      restCalls.incrementAndGet();
      return rest.send(r);
    };
    transport = (WsApiTransport) WsApiTransport.select(testKit.system(), new WsApiSettings(true, ws.url(),
        ws.requestTimeout(), ws.defaultRetryAfter()), restSettings.apiKey(), restSettings.apiSecret(),
        ServerClock.fixed(0), restSettings.recvWindow(), counted);
  }

  @AfterAll
  static void stop() throws Exception {
    transport.close();
  }

  private static RestResult<JsonNode> send(RestRequest r) {
    return transport.send(r).toCompletableFuture().join();
  }

  @SuppressWarnings("unchecked")
  private static JsonNode ok(RestResult<JsonNode> r) {
    return ((RestResult.Ok<JsonNode>) assertInstanceOf(RestResult.Ok.class, r, r.toString())).body();
  }

  @Test
  void placeStatusModifyCancelOverTheWebSocket() {
    int restBefore = restCalls.get();
    JsonNode top = ok(send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "ETHUSDT").build()));
    assertEquals(restBefore + 1, restCalls.get(), "market data stays on REST");
    BigDecimal bid = new BigDecimal(top.get("bidPrice").asText());
    BigDecimal ask = new BigDecimal(top.get("askPrice").asText());
    String price = bid.multiply(new BigDecimal("0.98")).setScale(2, java.math.RoundingMode.DOWN).toPlainString();

    JsonNode placed = ok(send(RestRequest.post("/fapi/v1/order").signed().param("symbol", "ETHUSDT").param("side", "BUY")
        .param("type", "LIMIT").param("timeInForce", "GTX").param("quantity", "0.010").param("price", price)
        .param("newClientOrderId", "phx-1-ws1").build()));
    assertEquals("NEW", placed.get("status").asText());
    long orderId = placed.get("orderId").asLong();

    JsonNode status = ok(send(RestRequest.get("/fapi/v1/order").signed().param("symbol", "ETHUSDT")
        .param("origClientOrderId", "phx-1-ws1").build()));
    assertEquals(orderId, status.get("orderId").asLong());

    JsonNode modified = ok(send(RestRequest.put("/fapi/v1/order").signed().param("symbol", "ETHUSDT")
        .param("orderId", orderId).param("side", "BUY").param("quantity", "0.020").param("price", price).build()));
    assertEquals("0.020", modified.get("origQty").asText());

    JsonNode canceled = ok(send(RestRequest.delete("/fapi/v1/order").signed().param("symbol", "ETHUSDT")
        .param("orderId", orderId).build()));
    assertEquals("CANCELED", canceled.get("status").asText());
    var again = send(RestRequest.delete("/fapi/v1/order").signed().param("symbol", "ETHUSDT")
        .param("orderId", orderId).build());
    assertEquals(-2011, assertInstanceOf(RestResult.Rejected.class, again).code());

    var crossing = send(RestRequest.post("/fapi/v1/order").signed().param("symbol", "ETHUSDT").param("side", "BUY")
        .param("type", "LIMIT").param("timeInForce", "GTX").param("quantity", "0.010")
        .param("price", ask.add(new BigDecimal("1.00")).toPlainString()).param("newClientOrderId", "phx-1-ws2").build());
    assertEquals(-5022, assertInstanceOf(RestResult.Rejected.class, crossing).code());
    assertEquals(restBefore + 1, restCalls.get(), "every single-order call went over the WebSocket");
  }

  /**
   * Round trip of place + cancel over each transport against the loopback simulator; logged for
   * the report, asserted only to succeed (loopback numbers say nothing about the real venue).
   */
  @Test
  void measuresOrderRoundTripOverBothTransports() {
    JsonNode top = ok(send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "BTCUSDT").build()));
    String price = new BigDecimal(top.get("bidPrice").asText()).multiply(new BigDecimal("0.98"))
        .setScale(1, java.math.RoundingMode.DOWN).toPlainString();
    ExchangeTransport restOnly = r -> rest.send(r);
    int warmup = 20;
    int samples = 100;
    long[] wsNanos = new long[samples];
    long[] restNanos = new long[samples];
    // interleaved, alternating which goes first, so load on the shared machine hits both alike
    for (int i = 0; i < warmup + samples; i++) {
      boolean wsFirst = i % 2 == 0;
      long a = roundTrip(wsFirst ? transport : restOnly, price, (wsFirst ? "w" : "r") + i);
      long b = roundTrip(wsFirst ? restOnly : transport, price, (wsFirst ? "r" : "w") + i);
      if (i >= warmup) {
        wsNanos[i - warmup] = wsFirst ? a : b;
        restNanos[i - warmup] = wsFirst ? b : a;
      }
    }
    java.util.Arrays.sort(wsNanos);
    java.util.Arrays.sort(restNanos);
    org.slf4j.LoggerFactory.getLogger(WsApiTransportIT.class).info(
        "place+cancel round trip over loopback, {} samples after warm-up: WS API p50 {} us p90 {} us; REST p50 {} us p90 {} us",
        samples, wsNanos[samples / 2] / 1000, wsNanos[samples * 9 / 10] / 1000,
        restNanos[samples / 2] / 1000, restNanos[samples * 9 / 10] / 1000);
  }

  private static long roundTrip(ExchangeTransport t, String price, String tag) {
    String cid = "phx-0-lat" + tag;
    long start = System.nanoTime();
    ok(t.send(RestRequest.post("/fapi/v1/order").signed().param("symbol", "BTCUSDT")
        .param("side", "BUY").param("type", "LIMIT").param("timeInForce", "GTX").param("quantity", "0.002")
        .param("price", price).param("newClientOrderId", cid).build()).toCompletableFuture().join());
    ok(t.send(RestRequest.delete("/fapi/v1/order").signed().param("symbol", "BTCUSDT")
        .param("origClientOrderId", cid).build()).toCompletableFuture().join());
    return System.nanoTime() - start;
  }
}
