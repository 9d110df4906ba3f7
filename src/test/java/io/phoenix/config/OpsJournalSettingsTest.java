package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpsJournalSettingsTest {
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void defaultsAreSafe() {
    OpsSettings ops = OpsSettings.fromConfig(with(""));
    assertEquals("127.0.0.1", ops.host());
    assertEquals(Duration.ofSeconds(1), ops.pushInterval());
    JournalSettings journal = JournalSettings.fromConfig(with(""));
    assertEquals("jdbc:h2:file:./data/journal", journal.url());
    assertEquals("phoenix.journal.blocking-dispatcher", journal.dispatcher());
  }

  @Test
  void badValuesNameTheKey() {
    SettingsException port =
        assertThrows(
            SettingsException.class,
            () -> OpsSettings.fromConfig(with("phoenix.ops.port = 70000")));
    assertEquals("phoenix.ops.port", port.key());
    SettingsException url =
        assertThrows(
            SettingsException.class,
            () -> JournalSettings.fromConfig(with("phoenix.journal.url = \"./data/journal\"")));
    assertEquals("phoenix.journal.url", url.key());
    SettingsException batch =
        assertThrows(
            SettingsException.class,
            () -> JournalSettings.fromConfig(with("phoenix.journal.batch-size = 0")));
    assertEquals("phoenix.journal.batch-size", batch.key());
  }

  @Test
  void tokenIsASecret() {
    OpsSettings ops = OpsSettings.fromConfig(with("phoenix.ops.token = \"tok-123456\""));
    assertFalse(ops.toString().contains("tok-123456"), ops.toString());
    assertTrue(ops.token().matches("tok-123456"));
    assertFalse(ops.token().matches("tok-12345"));
    assertFalse(Secret.empty().matches(""), "an empty token must never match");
  }
}
