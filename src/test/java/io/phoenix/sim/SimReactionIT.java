package io.phoenix.sim;

import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /sim/admin/reaction}: the time from a top-of-book change the simulator published to a
 * key's next order request, over REST and the WebSocket API, bounded by what the client saw.
 */
class SimReactionIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static BigDecimal bestBid(SimClient client) {
    return new BigDecimal(
        client
            .get("/fapi/v1/ticker/bookTicker", params("symbol", "BTCUSDT"))
            .body()
            .get("bidPrice")
            .asText());
  }

  private static JsonNode reactionOf(SimClient client) {
    SimClient.Resp r = client.get("/sim/admin/reaction", params("apiKey", SimClient.KEY));
    assertEquals(200, r.status(), r.body().toString());
    assertFalse(
        r.raw().body().contains(SimClient.KEY), "the page shows keys shortened: " + r.raw().body());
    JsonNode keys = r.body().get("keys");
    return keys.isEmpty() ? null : keys.get(0);
  }

  /**
   * Moves fair value by {@code usd} and waits for the book ticker that shows the bid past half of
   * it.
   */
  private static long jumpAndSee(
      SimClient client, SimClient.Conn ticker, BigDecimal from, int usd) {
    BigDecimal to = from.add(BigDecimal.valueOf(usd));
    assertEquals(
        200,
        client
            .admin(
                "POST", "/price", "{\"symbol\":\"BTCUSDT\",\"price\":\"" + to.setScale(1) + "\"}")
            .status());
    BigDecimal half = from.add(BigDecimal.valueOf(usd / 2));
    ticker.await(
        n -> {
          BigDecimal bid = new BigDecimal(n.path("b").asText("0"));
          return usd > 0 ? bid.compareTo(half) > 0 : bid.compareTo(half) < 0 && bid.signum() > 0;
        },
        WAIT);
    return System.nanoTime();
  }

  @Test
  void countsTheFirstOrderRequestOfAKeyAfterEachTopChangeOverRestAndTheWebSocketApi() {
    SimClient client = new SimClient(SIM.server());
    SimClient.Conn ticker = client.connect("/ws/btcusdt@bookTicker");
    SimClient.Conn wsApi = client.connect("/ws-fapi/v1");
    try {
      long resetAt = System.nanoTime();
      assertEquals(200, client.admin("POST", "/reaction/reset", null).status());
      assertEquals(null, reactionOf(client), "nothing counted right after a reset");

      BigDecimal bid = bestBid(client);
      long seenAt = jumpAndSee(client, ticker, bid, 500);
      long sentAt = System.nanoTime();
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
                  "GTC",
                  "quantity",
                  "0.010",
                  "price",
                  bid.subtract(new BigDecimal("1000")).setScale(1).toPlainString(),
                  "newClientOrderId",
                  "reaction-1"));
      long doneAt = System.nanoTime();
      assertEquals(200, placed.status(), placed.body().toString());

      JsonNode afterRest = reactionOf(client);
      long count = afterRest.get("count").asLong();
      assertTrue(count >= 1, "the change the client saw is counted: " + afterRest);
      // the change the client waited for went out before the client saw it, the order arrived after
      // it was sent
      assertTrue(
          afterRest.get("maxNanos").asLong() >= sentAt - seenAt,
          afterRest + " vs " + (sentAt - seenAt));
      // every counted change went out after the reset, and the order arrived before its reply
      assertTrue(
          afterRest.get("maxNanos").asLong() <= (doneAt - resetAt) * 1.01,
          afterRest + " vs " + (doneAt - resetAt));
      assertTrue(afterRest.get("p50Nanos").asLong() > 0);

      jumpAndSee(client, ticker, bid.add(new BigDecimal("500")), -500);
      TreeMap<String, String> p =
          new TreeMap<>(
              Map.of(
                  "apiKey",
                  SimClient.KEY,
                  "symbol",
                  "BTCUSDT",
                  "origClientOrderId",
                  "reaction-1",
                  "timestamp",
                  Long.toString(System.currentTimeMillis())));
      StringBuilder json = new StringBuilder("{");
      p.forEach((k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
      json.append("\"signature\":\"")
          .append(Auth.hmacHex(SimClient.SECRET, SimClient.encode(p)))
          .append("\"}");
      wsApi.send("{\"id\":\"cancel-1\",\"method\":\"order.cancel\",\"params\":" + json + "}");
      JsonNode canceled = wsApi.await(n -> "cancel-1".equals(n.path("id").asText()), WAIT);
      assertEquals(200, canceled.get("status").asInt(), canceled.toString());

      JsonNode afterWs = reactionOf(client);
      assertTrue(
          afterWs.get("count").asLong() > count,
          "the WebSocket API cancel answered the changes after the REST order: " + afterWs);

      assertEquals(200, client.admin("POST", "/reaction/reset", null).status());
      assertEquals(null, reactionOf(client));
    } finally {
      ticker.close();
      wsApi.close();
      client.signed("DELETE", "/fapi/v1/allOpenOrders", params("symbol", "BTCUSDT"));
    }
  }
}
