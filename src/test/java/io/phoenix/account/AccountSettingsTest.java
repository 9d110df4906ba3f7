package io.phoenix.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.DeadManSwitchSettings;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.SettingsException;
import io.phoenix.config.UserStreamSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccountSettingsTest {
  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void referenceDefaultsAreValid() {
    Config c = ConfigFactory.defaultReference();
    assertEquals(Duration.ofMinutes(30), UserStreamSettings.fromConfig(c).keepaliveInterval());
    assertEquals("phx", ReconcileSettings.fromConfig(c).clientOrderIdPrefix());
    assertEquals(Duration.ofSeconds(30), DeadManSwitchSettings.fromConfig(c).countdown());
  }

  @Test
  void keepaliveBeyondKeyLifetimeIsRefusedNamingTheKey() {
    var e =
        assertThrows(
            SettingsException.class,
            () ->
                UserStreamSettings.fromConfig(
                    with("phoenix.user-stream.keepalive-interval = 59m")));
    assertTrue(e.getMessage().contains("phoenix.user-stream.keepalive-interval"), e.getMessage());
  }

  @Test
  void refreshSlowerThanHalfTheCountdownIsRefused() {
    var e =
        assertThrows(
            SettingsException.class,
            () ->
                DeadManSwitchSettings.fromConfig(
                    with("phoenix.dead-man-switch.refresh-interval = 20s")));
    assertTrue(e.getMessage().contains("phoenix.dead-man-switch.refresh-interval"), e.getMessage());
  }

  @Test
  void prefixOutsideBinanceAlphabetIsRefused() {
    var e =
        assertThrows(
            SettingsException.class,
            () ->
                ReconcileSettings.fromConfig(
                    with("phoenix.reconcile.client-order-id-prefix = \"a b\"")));
    assertTrue(e.getMessage().contains("phoenix.reconcile.client-order-id-prefix"), e.getMessage());
  }
}
