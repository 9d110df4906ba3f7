package io.phoenix.execution;

import static io.phoenix.account.AccountFixtures.BTC;
import static io.phoenix.account.AccountFixtures.ETH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.account.FakeAccountApi;
import io.phoenix.config.DeadManSwitchSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DeadManSwitchTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final DeadManSwitchSettings SETTINGS =
      new DeadManSwitchSettings(true, Duration.ofSeconds(30), Duration.ofMillis(50));

  private final FakeAccountApi api = new FakeAccountApi();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private long count(String entry) {
    return api.countdowns.stream().filter(entry::equals).count();
  }

  @Test
  void refreshesEverySymbolOnlyWhileHealthy() {
    var dms =
        testKit.spawn(
            DeadManSwitch.create(SETTINGS, List.of(BTC, ETH), api, new SimpleMeterRegistry()));
    TestProbe<DeadManSwitch.Status> status = testKit.createTestProbe();
    dms.tell(new DeadManSwitch.GetStatus(status.getRef()));
    assertEquals(
        Set.of(), status.receiveMessage().armedSymbols(), "nothing armed before the first Healthy");

    dms.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
    status.awaitAssert(
        () -> {
          assertTrue(count("BTCUSDT:30000") >= 2);
          assertTrue(count("ETHUSDT:30000") >= 2);
          return null;
        });

    dms.tell(new DeadManSwitch.Unhealthy(ETH.id(), "book stale"));
    dms.tell(new DeadManSwitch.GetStatus(status.getRef()));
    status.awaitAssert(
        () -> {
          dms.tell(new DeadManSwitch.GetStatus(status.getRef()));
          assertEquals(Set.of("BTCUSDT"), status.receiveMessage().armedSymbols());
          return null;
        });
    long eth = count("ETHUSDT:30000");
    long btc = count("BTCUSDT:30000");
    status.awaitAssert(
        () -> {
          assertTrue(count("BTCUSDT:30000") > btc + 1);
          return null;
        });
    assertEquals(eth, count("ETHUSDT:30000"), "an unhealthy symbol is no longer refreshed");

    dms.tell(new DeadManSwitch.Unhealthy(DeadManSwitch.ALL_SYMBOLS, "risk kill switch"));
    dms.tell(new DeadManSwitch.GetStatus(status.getRef()));
    status.fishForMessage(
        Duration.ofSeconds(1),
        s ->
            s.healthy()
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.complete());
    long frozen = api.countdowns.size();
    status.expectNoMessage(Duration.ofMillis(200));
    assertEquals(frozen, api.countdowns.size(), "unhealthy: no refresh at all");
  }

  @Test
  void disarmSendsZeroForEverySymbolRepliesAndStops() {
    var dms =
        testKit.spawn(
            DeadManSwitch.create(SETTINGS, List.of(BTC, ETH), api, new SimpleMeterRegistry()));
    dms.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
    TestProbe<DeadManSwitch.Disarmed> reply = testKit.createTestProbe();
    dms.tell(new DeadManSwitch.Disarm(reply.getRef()));
    DeadManSwitch.Disarmed disarmed = reply.receiveMessage();
    assertEquals(List.of("BTCUSDT", "ETHUSDT"), disarmed.symbols());
    assertTrue(disarmed.failed().isEmpty());
    assertEquals(1, count("BTCUSDT:0"));
    assertEquals(1, count("ETHUSDT:0"));
    reply.expectTerminated(dms, Duration.ofSeconds(1));
  }

  @Test
  void disabledSwitchNeverCallsTheExchange() {
    var dms =
        testKit.spawn(
            DeadManSwitch.create(
                new DeadManSwitchSettings(false, Duration.ofSeconds(30), Duration.ofMillis(50)),
                List.of(BTC),
                api,
                new SimpleMeterRegistry()));
    dms.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
    TestProbe<DeadManSwitch.Disarmed> reply = testKit.createTestProbe();
    dms.tell(new DeadManSwitch.Disarm(reply.getRef()));
    reply.receiveMessage();
    assertTrue(api.countdowns.isEmpty());
  }
}
