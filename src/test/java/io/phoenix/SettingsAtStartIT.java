package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every setting is read before the node's first request: a bad key of a component that starts late
 * (reconciliation, the user stream: both built only after exchangeInfo and the position mode) stops
 * the start with the key named, and the simulator sees no request at all.
 */
class SettingsAtStartIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();

  static Config nodeConfig(String extra) {
    return ConfigFactory.parseString(
            SIM.nodeSettings() + "phoenix.journal.enabled = false\n" + extra)
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @Test
  void aBadReconcileKeyStopsTheNodeBeforeAnyRequest() {
    long before = SIM.server().restRequests();
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> PhoenixNode.start(nodeConfig("phoenix.reconcile.timeout = 0s\n")));
    assertEquals("phoenix.reconcile.timeout", e.key());
    assertEquals(
        before,
        SIM.server().restRequests(),
        "requests reached the simulator before the bad key was found");
  }

  @Test
  void theGuardianFailsOnABadUserStreamKeyBeforeAskingForExchangeInfo() throws Exception {
    long before = SIM.server().restRequests();
    Config bad = nodeConfig("phoenix.user-stream.keepalive-interval = soon\n");
    ActorSystem<PhoenixGuardian.Command> system =
        ActorSystem.create(PhoenixGuardian.create(bad), "bad-settings", bad);
    // a guardian that fails stops its actor system
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(
        before,
        SIM.server().restRequests(),
        "requests reached the simulator before the bad key was found");
  }

  @Test
  void withGoodSettingsTheGuardiansFirstRequestDoesReachTheSimulator() throws Exception {
    long before = SIM.server().restRequests();
    Config good = nodeConfig("");
    ActorSystem<PhoenixGuardian.Command> system =
        ActorSystem.create(PhoenixGuardian.create(good), "good-settings", good);
    try {
      Polling.until(Duration.ofSeconds(15), () -> SIM.server().restRequests() > before);
      assertTrue(SIM.server().restRequests() > before);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
