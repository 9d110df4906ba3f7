package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.SettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OrderPathWarmUpTest {

  @Test
  void buildsEveryOrderPathShapeTheGatewaySendsForEverySymbol() {
    List<RestRequest> built = new ArrayList<>();
    int n = OrderPathWarmUp.run(List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH), 3, built::add);
    assertEquals(built.size(), n);
    Map<String, Integer> shapes = new TreeMap<>();
    for (RestRequest r : built) {
      assertEquals(RestRequest.Security.SIGNED, r.security(), r.path());
      shapes.merge(r.method() + " " + r.path(), 1, Integer::sum);
    }
    assertEquals(
        Map.of(
            "POST /fapi/v1/order",
            6,
            "POST /fapi/v1/batchOrders",
            6,
            "DELETE /fapi/v1/order",
            6,
            "DELETE /fapi/v1/batchOrders",
            6),
        shapes);
    RestRequest place = built.get(0);
    assertEquals("BTCUSDT", place.param("symbol"));
    assertEquals("GTX", place.param("timeInForce"));
    assertTrue(
        place.param("price").matches("\\d+\\.\\d{2}"),
        "formatted on the tick grid: " + place.param("price"));
  }

  @Test
  void aNegativeRoundCountIsRefusedNamingTheKey() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                GatewaySettings.fromConfig(
                    ConfigFactory.parseString("phoenix.gateway.warm-up-rounds = -1")
                        .withFallback(ConfigFactory.defaultReference())
                        .resolve()));
    assertTrue(e.getMessage().contains("phoenix.gateway.warm-up-rounds"), e.getMessage());
  }
}
