package io.phoenix.sim;

import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every injected fault observably happens; rate limits escalate from 429 to 418. */
class SimFaultsIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      phoenix.sim.ping-interval = 200ms
      phoenix.sim.rate-limits { request-weight-per-minute = 100000, orders-per-10s = 100000, orders-per-minute = 100000 }
      """);

  static final Duration WAIT = Duration.ofSeconds(5);
  static SimClient client;

  @BeforeAll
  static void start() {
    client = new SimClient(SIM.server());
  }

  @AfterEach
  void reset() {
    client.admin("POST", "/reset", null);
  }

  @Test
  void delayHoldsEveryResponse() {
    client.admin("POST", "/faults", "{\"delayMs\":300}");
    long t0 = System.nanoTime();
    assertEquals(200, client.get("/fapi/v1/ping", params()).status());
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(290));
    assertEquals(300, client.admin("GET", "/faults", null).body().get("delayMs").asInt());
  }

  @Test
  void unknownOutcomeExecutesTheOrderButAnswers503() {
    client.admin("POST", "/faults", "{\"unknownOrders\":1}");
    BigDecimal bid =
        new BigDecimal(
            client
                .get("/fapi/v1/ticker/bookTicker", params("symbol", "ETHUSDT"))
                .body()
                .get("bidPrice")
                .asText());
    SimClient.Resp r =
        client.signed(
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
                "0.010",
                "price",
                bid.subtract(new BigDecimal("50")).toPlainString(),
                "newClientOrderId",
                "it-unknown-1"));
    assertEquals(503, r.status());
    assertTrue(r.body().get("msg").asText().startsWith("Unknown error"));
    SimClient.Resp q =
        client.signed(
            "GET",
            "/fapi/v1/order",
            params("symbol", "ETHUSDT", "origClientOrderId", "it-unknown-1"));
    assertEquals(
        "NEW", q.body().get("status").asText(), "the order must exist although the reply was lost");
    client.signed("DELETE", "/fapi/v1/allOpenOrders", params("symbol", "ETHUSDT"));
  }

  @Test
  void serverErrorsAndForcedRateLimitsHitTheNextRequests() {
    client.admin("POST", "/faults", "{\"serverErrors\":2}");
    assertEquals(503, client.get("/fapi/v1/time", params()).status());
    assertEquals(503, client.get("/fapi/v1/time", params()).status());
    assertEquals(200, client.get("/fapi/v1/time", params()).status());
    client.admin("POST", "/faults", "{\"rateLimited\":1}");
    SimClient.Resp limited = client.get("/fapi/v1/time", params());
    assertEquals(429, limited.status());
    assertEquals(-1003, limited.code());
    assertNotNull(limited.header("Retry-After"));
    assertEquals(200, client.get("/fapi/v1/time", params()).status());
  }

  @Test
  void clockSkewShiftsServerTimeAndTheRecvWindowCheck() {
    client.admin("POST", "/faults", "{\"clockSkewMs\":20000}");
    long serverTime = client.get("/fapi/v1/time", params()).body().get("serverTime").asLong();
    assertTrue(serverTime - System.currentTimeMillis() > 15_000);
    assertEquals(-1021, client.signed("GET", "/fapi/v2/balance", params()).code());
  }

  @Test
  void droppedWebSocketsAreClosed() throws Exception {
    SimClient.Conn conn = client.connect("/ws/btcusdt@bookTicker");
    conn.await(n -> true, WAIT);
    client.admin("POST", "/drop-websockets", null);
    assertNotNull(conn.closed.get(5, TimeUnit.SECONDS));
  }

  @Test
  void depthGapBreaksThePuChain() {
    SimClient.Conn conn = client.connect("/market/ws/btcusdt@depth@100ms");
    try {
      long prevU =
          conn.await(n -> "depthUpdate".equals(n.path("e").asText()), WAIT).get("u").asLong();
      client.admin("POST", "/depth-gap?symbol=BTCUSDT", null);
      boolean gap = false;
      for (int i = 0; i < 100 && !gap; i++) {
        JsonNode e = conn.await(n -> "depthUpdate".equals(n.path("e").asText()), WAIT);
        gap = e.get("pu").asLong() != prevU;
        prevU = e.get("u").asLong();
      }
      assertTrue(gap, "an event with pu != previous u must arrive");
    } finally {
      conn.close();
    }
  }

  @Test
  void listenKeyExpiryIsPushedAndKeepAliveThenFails() {
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    assertEquals(key, client.keyOnly("PUT", "/fapi/v1/listenKey").body().get("listenKey").asText());
    SimClient.Conn user = client.connect("/ws?listenKey=" + key);
    try {
      assertTrue(
          client
              .admin("POST", "/expire-listen-key?listenKey=" + key, null)
              .body()
              .get("expired")
              .asBoolean());
      JsonNode ev = user.await(n -> "listenKeyExpired".equals(n.path("e").asText()), WAIT);
      assertEquals(key, ev.get("listenKey").asText());
      assertEquals(-1125, client.keyOnly("PUT", "/fapi/v1/listenKey").code());
    } finally {
      user.close();
    }
  }

  @Test
  void deletingTheListenKeyClosesItsStream() throws Exception {
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn user = client.connect("/private/ws/" + key);
    assertEquals(200, client.keyOnly("DELETE", "/fapi/v1/listenKey").status());
    assertNotNull(user.closed.get(5, TimeUnit.SECONDS));
    assertEquals(-1125, client.keyOnly("PUT", "/fapi/v1/listenKey").code());
  }

  @Test
  void serverPingsQuietConnections() {
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn user = client.connect("/private/ws/" + key);
    try {
      Polling.until(WAIT, () -> user.pings.get() >= 2);
    } finally {
      user.close();
    }
  }

  @Test
  void connectionsCloseAtTheirMaximumLife() throws Exception {
    try (SimulatorFixture.Extra shortLife =
        SIM.startExtra("phoenix.sim.max-connection-life = 500ms")) {
      SimClient.Conn conn = new SimClient(shortLife.server()).connect("/ws/btcusdt@depth@100ms");
      assertNotNull(conn.closed.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void fundingIsPushedAsAccountUpdate() throws Exception {
    try (SimulatorFixture.Extra fastFunding = SIM.startExtra("phoenix.sim.funding-interval = 1s")) {
      SimClient c = new SimClient(fastFunding.server());
      String key = c.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
      SimClient.Conn user = c.connect("/ws/" + key);
      try {
        assertEquals(
            200,
            c.signed(
                    "POST",
                    "/fapi/v1/order",
                    params(
                        "symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.010"))
                .status());
        JsonNode funding =
            user.await(n -> "FUNDING_FEE".equals(n.path("a").path("m").asText()), WAIT);
        assertEquals("USDT", funding.get("a").get("B").get(0).get("a").asText());
        assertTrue(c.get("/fapi/v1/fundingRate", params("symbol", "BTCUSDT")).body().size() >= 1);
      } finally {
        user.close();
      }
    }
  }

  @Test
  void rateLimitsAnswer429ThenBan418() throws Exception {
    String tight =
        "phoenix.sim.rate-limits { request-weight-per-minute = 30, orders-per-10s = 2, ban-after-violations = 2 }";
    try (SimulatorFixture.Extra limited = SIM.startExtra(tight)) {
      SimClient c = new SimClient(limited.server());
      SimClient.Resp info = c.get("/fapi/v1/exchangeInfo", params());
      assertEquals(30, info.body().get("rateLimits").get(0).get("limit").asInt());
      for (int i = 0; i < 2; i++) {
        assertEquals(
            200,
            c.signed(
                    "POST",
                    "/fapi/v1/order",
                    params(
                        "symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.002"))
                .status());
      }
      SimClient.Resp orders =
          c.signed(
              "POST",
              "/fapi/v1/order",
              params("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.002"));
      assertEquals(429, orders.status());
      assertEquals(-1015, orders.code());
      int status = 200;
      SimClient.Resp last = null;
      for (int i = 0; i < 40 && status != 429; i++) {
        last = c.get("/fapi/v1/depth", params("symbol", "BTCUSDT", "limit", "500"));
        status = last.status();
      }
      assertEquals(429, status);
      assertEquals(-1003, last.code());
      assertNotNull(last.header("Retry-After"));
      for (int i = 0; i < 5 && status != 418; i++) {
        last = c.get("/fapi/v1/depth", params("symbol", "BTCUSDT", "limit", "500"));
        status = last.status();
      }
      assertEquals(418, status);
      assertNotNull(last.header("Retry-After"));
      assertEquals(418, c.get("/fapi/v1/time", params()).status(), "a banned IP stays banned");
    }
  }
}
