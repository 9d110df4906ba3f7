package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class SimSettingsTest {
  @Test
  void defaultsDescribeTheLocalSimulator() {
    SimSettings s = SimSettings.fromConfig(ConfigFactory.load());
    assertEquals(8765, s.port());
    assertEquals("phoenix-local-key", s.firstApiKey());
    assertEquals(
        "phoenix-local-secret-do-not-use-on-a-real-venue", s.apiKeys().get("phoenix-local-key"));
    assertEquals(3, s.symbols().size());
    assertEquals(600_000, s.symbols().get(0).initialPriceTicks());
    assertEquals(2400, s.rateLimits().requestWeightPerMinute());
    assertEquals(java.time.Duration.ofMinutes(3), s.pingInterval());
    assertEquals(java.time.Duration.ofMinutes(10), s.pongTimeout());
    assertEquals(java.time.Duration.ofHours(24), s.maxConnectionLife());
  }

  @Test
  void aPongTimeoutNotLongerThanThePingIntervalNamesItsKey() {
    Config bad =
        ConfigFactory.parseString("phoenix.sim { ping-interval = 5s, pong-timeout = 5s }")
            .withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.pong-timeout",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(bad)).key());
  }

  @Test
  void badValuesNameTheirKey() {
    Config bad =
        ConfigFactory.parseString("phoenix.sim.port = 70000").withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.port",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(bad)).key());
    Config tick =
        ConfigFactory.parseString(
                """
        phoenix.sim.symbols = [{ symbol = "X", base-asset = "X", quote-asset = "USDT", tick-size = "0.10", step-size = "1",
          min-price = "0.15", max-price = "10", min-qty = "1", max-qty = "10", min-notional = 1, max-open-orders = 10,
          percent-up = 1.1, percent-down = 0.9, initial-price = "1.00", volatility-per-sqrt-second = 0.001, funding-rate = "0" }]
        """)
            .withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.symbols[0].min-price",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(tick)).key());
  }

  @Test
  void replayIsOffByDefaultAndReadsFilesSpeedAndTheBacktestersQueueModel() {
    SimSettings off = SimSettings.fromConfig(ConfigFactory.load());
    assertEquals(false, off.replay().enabled());
    assertEquals(1.0, off.replay().speed());
    assertEquals(io.phoenix.exchangemodel.QueueModel.PROBABILISTIC, off.replay().queue());
    // indexed keys, as -Dphoenix.sim.replay.0=FILE gives them, make a list too
    Config on =
        ConfigFactory.parseMap(
                java.util.Map.of(
                    "phoenix.sim.replay.0", RECORDING, "phoenix.sim.replay-speed", "2.5"))
            .withFallback(ConfigFactory.load());
    SimSettings s = SimSettings.fromConfig(on);
    assertEquals(java.util.List.of(RECORDING), s.replay().files());
    assertEquals(2.5, s.replay().speed());
  }

  static final String RECORDING = "src/test/resources/recordings/btcusdt_20240808_head4000.gz";

  @Test
  void badReplaySettingsNameTheirKey() {
    Config missing =
        ConfigFactory.parseString("phoenix.sim.replay = [\"no/such/file.gz\"]")
            .withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.replay",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(missing)).key());
    Config speed =
        ConfigFactory.parseString("phoenix.sim.replay-speed = 0")
            .withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.replay-speed",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(speed)).key());
    Config queue =
        ConfigFactory.parseString("phoenix.sim.replay-queue-model = fifo")
            .withFallback(ConfigFactory.load());
    assertEquals(
        "phoenix.sim.replay-queue-model",
        assertThrows(SettingsException.class, () -> SimSettings.fromConfig(queue)).key());
  }
}
