package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class LatencyBenchTest {
  @Test
  void anExternalVenueMustBeOnThisMachine() {
    assertTrue(LatencyBench.isLoopback("http://127.0.0.1:18765"));
    assertTrue(LatencyBench.isLoopback("http://localhost:8765"));
    assertFalse(LatencyBench.isLoopback("https://fapi.binance.com"));
    assertFalse(LatencyBench.isLoopback("https://testnet.binancefuture.com"));
    assertFalse(LatencyBench.isLoopback("not a url"));
  }

  @Test
  void aBenchAgainstARealVenueIsRefusedBeforeAnythingStarts() {
    int code =
        LatencyBench.run(
            ConfigFactory.parseString("phoenix.binance.rest-url = \"https://fapi.binance.com\"")
                .withFallback(ConfigFactory.load())
                .resolve(),
            0,
            1,
            true,
            "rest");
    assertEquals(2, code);
  }

  @Test
  void anUnknownTransportIsRefusedBeforeAnythingStarts() {
    assertEquals(2, LatencyBench.run(ConfigFactory.load(), 0, 1, false, "fix"));
  }
}
