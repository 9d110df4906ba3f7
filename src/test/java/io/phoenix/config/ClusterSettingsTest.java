package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void aNodeAloneJoinsItselfOnLoopback() {
    ClusterSettings s = ClusterSettings.fromConfig(with(""));
    assertTrue(s.joinsItself());
    assertEquals("127.0.0.1", s.hostname());
    assertEquals(25520, s.port());
    Config akka = s.akkaConfig();
    assertEquals("cluster", akka.getString("akka.actor.provider"));
    assertEquals(25520, akka.getInt("akka.remote.artery.canonical.port"));
    assertEquals(List.of(), akka.getStringList("akka.cluster.seed-nodes"));
  }

  @Test
  void seedNodesReachAkka() {
    ClusterSettings s =
        ClusterSettings.fromConfig(
            with("phoenix.cluster.seed-nodes = [\"akka://phoenix@10.0.0.5:25520\"]"));
    assertFalse(s.joinsItself());
    assertEquals(
        List.of("akka://phoenix@10.0.0.5:25520"),
        s.akkaConfig().getStringList("akka.cluster.seed-nodes"));
  }

  @Test
  void badValuesNameTheKey() {
    assertEquals(
        "phoenix.cluster.seed-nodes",
        assertThrows(
                SettingsException.class,
                () ->
                    ClusterSettings.fromConfig(
                        with("phoenix.cluster.seed-nodes = [\"akka://other@h:1\"]")))
            .key());
    assertEquals(
        "phoenix.cluster.bootstrap",
        assertThrows(
                SettingsException.class,
                () ->
                    ClusterSettings.fromConfig(
                        with(
                            "phoenix.cluster { bootstrap = on, seed-nodes ="
                                + " [\"akka://phoenix@h:1\"] }")))
            .key());
    assertEquals(
        "phoenix.cluster.management.enabled",
        assertThrows(
                SettingsException.class,
                () ->
                    ClusterSettings.fromConfig(
                        with("phoenix.cluster { bootstrap = on, management.enabled = off }")))
            .key());
    assertEquals(
        "phoenix.cluster.port",
        assertThrows(
                SettingsException.class,
                () -> ClusterSettings.fromConfig(with("phoenix.cluster.port = 70000")))
            .key());
  }

  @Test
  void aDownedMembersUnitsStartElsewhereAfterTheRemovalMarginNotAfterStableAfter() {
    Config akka = ClusterSettings.fromConfig(with("")).akkaConfig();
    assertEquals(
        java.time.Duration.ofSeconds(1), akka.getDuration("akka.cluster.down-removal-margin"));
    assertEquals(
        java.time.Duration.ofMillis(2500),
        ClusterSettings.fromConfig(with("phoenix.cluster.down-removal-margin = 2500ms"))
            .akkaConfig()
            .getDuration("akka.cluster.down-removal-margin"));
  }

  @Test
  void theLeaseMustLapseBeforeTheMajorityCanTakeAUnitOver() {
    // Akka's default pause 3 s + the resolver's 20 s: a 5 s lease is fine, so is 22 s
    ClusterSettings.fromConfig(with("phoenix.cluster.epoch.lease = 22s"));
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                ClusterSettings.fromConfig(
                    with(
                        "phoenix.cluster.epoch.lease = 5s\n"
                            + "akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s\n"
                            + "akka.cluster.split-brain-resolver.stable-after = 3s")));
    assertEquals("phoenix.cluster.epoch.lease", e.key());
    assertTrue(e.getMessage().contains("stable-after"), e.getMessage());
  }
}
