package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import io.phoenix.exchangemodel.QueueModel;
import io.phoenix.recorder.RecorderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestSettingsTest {

  private static BacktestSettings with(String hocon) {
    return BacktestSettings.fromConfig(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void defaultsAreBinanceVipZeroWithRecordedFeedLatency() {
    BacktestSettings s = with("");
    assertEquals(QueueModel.PROBABILISTIC, s.exchange().queue());
    assertEquals(0.0002, s.exchange().makerFeeRate());
    assertEquals(0.0005, s.exchange().takerFeeRate());
    assertEquals(300, s.exchange().ordersPer10s());
    assertTrue(s.recordedFeedLatency());
    assertEquals(Duration.ofMillis(5), s.orderEntry());
    BacktestSettings constant =
        with("phoenix.backtest.latency.feed = 20ms\nphoenix.backtest.queue-model = Conservative");
    assertFalse(constant.recordedFeedLatency());
    assertEquals(Duration.ofMillis(20), constant.feedLatency());
    assertEquals(QueueModel.CONSERVATIVE, constant.exchange().queue());
  }

  @Test
  void aBadSettingIsRefusedByItsName() {
    assertKey("phoenix.backtest.queue-model", "phoenix.backtest.queue-model = fifo");
    assertKey(
        "phoenix.backtest.latency.order-entry", "phoenix.backtest.latency.order-entry = -1ms");
    assertKey("phoenix.backtest.latency.feed", "phoenix.backtest.latency.feed = soon");
    assertKey("phoenix.backtest.maker-fee-rate", "phoenix.backtest.maker-fee-rate = 0.5");
    SettingsException recorder =
        assertThrows(
            SettingsException.class,
            () ->
                RecorderSettings.fromConfig(
                    ConfigFactory.parseString("phoenix.recorder.queue-capacity = 1")
                        .withFallback(ConfigFactory.load())));
    assertTrue(
        recorder.getMessage().contains("phoenix.recorder.queue-capacity"), recorder.getMessage());
  }

  @Test
  void aMissingRecordingOrOneWithoutUsableDataIsRefused() {
    SettingsException missing =
        assertThrows(
            SettingsException.class,
            () -> BacktestCommand.load(Recordings.config(), List.of(Path.of("no/such/file.gz"))));
    assertTrue(missing.getMessage().contains("--data"), missing.getMessage());
  }

  private static void assertKey(String key, String hocon) {
    SettingsException e = assertThrows(SettingsException.class, () -> with(hocon));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
