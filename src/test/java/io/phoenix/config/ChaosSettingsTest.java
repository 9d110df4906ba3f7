package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChaosSettingsTest {

  @Test
  void defaultsMatchTheIssuesThresholds() {
    ChaosSettings s = ChaosSettings.fromConfig(ConfigFactory.load());
    assertEquals(Duration.ofSeconds(10), s.limits().orphanMaxAge());
    assertEquals(Duration.ofSeconds(10), s.limits().phantomMaxAge());
    assertEquals(0.95, s.limits().minUptime());
    assertEquals(Duration.ofSeconds(3), s.limits().recoveryP99());
    assertEquals(0.20, s.limits().heapTolerance());
    assertEquals(Duration.ofMinutes(1), s.heapBaselineAfter());
    assertEquals(12, s.schedule().types().size());
    assertTrue(s.sampleInterval().compareTo(Duration.ofSeconds(1)) <= 0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "schedule.gap-max = 1s|phoenix.chaos.schedule.gap-max",
        "schedule.duration-max = 1s|phoenix.chaos.schedule.duration-max",
        "schedule.types = []|phoenix.chaos.schedule.types",
        "schedule.unknown-orders-max = 0|phoenix.chaos.schedule.unknown-orders-max",
        "limits.min-uptime = 1.5|phoenix.chaos.limits.min-uptime",
        "limits.orphan-max-age = 0s|phoenix.chaos.limits.orphan-max-age",
        "sample-interval = 0s|phoenix.chaos.sample-interval"
      })
  void rejectsBadValuesNamingTheKey(String override, String key) {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                ChaosSettings.fromConfig(
                    ConfigFactory.parseString("phoenix.chaos." + override)
                        .withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
