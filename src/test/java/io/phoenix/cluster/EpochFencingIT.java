package io.phoenix.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.phoenix.PhoenixNode;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.core.Instrument;
import io.phoenix.execution.ClientOrderIds;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A starting unit takes a fencing epoch from its cluster and puts it in every client order id; an
 * order of ours left open by an earlier incarnation (another epoch) is cancelled before the new
 * incarnation's first order reaches the exchange.
 */
class EpochFencingIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();

  static PhoenixNode node;

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(30));
    }
  }

  static JsonNode send(BinanceRestClient client, RestRequest request) {
    RestResult<JsonNode> r = client.send(request).toCompletableFuture().join();
    if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
      throw new AssertionError(request.describe() + " failed: " + r);
    }
    return ok.body();
  }

  @Test
  void anEarlierIncarnationsOrderIsCancelledBeforeTheFirstOrderOfTheNewEpoch() throws Exception {
    BinanceRestClient client = SIM.restClient();
    Instrument btc = SimulatorFixture.exchangeInfo(client).instruments(List.of("BTCUSDT")).get(0);
    JsonNode top =
        send(
            client,
            RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", "BTCUSDT").build());
    long bid = btc.price().parse(top.path("bidPrice").asText());
    // an earlier incarnation's resting buy, 2 % below the market: epoch 0 in our id format
    String leftover = "phx-0-0-leftover";
    send(
        client,
        RestRequest.post("/fapi/v1/order")
            .signed()
            .param("symbol", "BTCUSDT")
            .param("side", "BUY")
            .param("type", "LIMIT")
            .param("timeInForce", "GTX")
            .param("quantity", "0.010")
            .param("price", btc.price().format(bid - bid / 50))
            .param("newClientOrderId", leftover)
            .build());

    node =
        PhoenixNode.start(
            ConfigFactory.parseString(SIM.nodeSettings() + "phoenix.journal.enabled = false\n")
                .withFallback(ConfigFactory.load())
                .resolve());

    JsonNode orders =
        Polling.until(
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            () ->
                send(
                    client,
                    RestRequest.get("/fapi/v1/allOrders")
                        .signed()
                        .param("symbol", "BTCUSDT")
                        .build()),
            all -> ofEpoch(all, 1).size() >= 2 && status(all, leftover).equals("CANCELED"),
            all -> "no cancel of the leftover and orders of epoch 1: " + all);
    long cancelledAt = find(orders, leftover).path("updateTime").asLong();
    List<JsonNode> mine = ofEpoch(orders, 1);
    for (JsonNode o : mine) {
      assertTrue(
          o.path("time").asLong() >= cancelledAt,
          o.path("clientOrderId").asText() + " placed before the leftover was cancelled");
    }
    // every order the node sent carries its epoch
    for (JsonNode o : orders) {
      String id = o.path("clientOrderId").asText();
      if (!id.equals(leftover)) {
        assertEquals(1, ClientOrderIds.epochOf(id), id);
      }
    }
    assertFalse(mine.isEmpty());
  }

  static List<JsonNode> ofEpoch(JsonNode orders, long epoch) {
    List<JsonNode> out = new ArrayList<>();
    orders.forEach(
        o -> {
          String id = o.path("clientOrderId").asText();
          if (id.startsWith("phx-") && ClientOrderIds.epochOf(id) == epoch) {
            out.add(o);
          }
        });
    return out;
  }

  static JsonNode find(JsonNode orders, String clientOrderId) {
    for (JsonNode o : orders) {
      if (clientOrderId.equals(o.path("clientOrderId").asText())) {
        return o;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static String status(JsonNode orders, String clientOrderId) {
    return find(orders, clientOrderId).path("status").asText();
  }
}
