package io.phoenix.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.ClusterSettings;
import io.phoenix.execution.EpochLease;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fencing epochs on a one-node cluster: each incarnation above the last, the older superseded. */
class UnitEpochTest {
  static ClusterSettings settings;
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    settings =
        ClusterSettings.fromConfig(
            ConfigFactory.parseString(
                    "phoenix.cluster { port = 0, epoch { timeout = 1s, renew-interval = 100ms,"
                        + " lease = 2s } }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    testKit =
        ActorTestKit.create(
            "phoenix",
            settings.akkaConfig().withFallback(ConfigFactory.defaultReference()).resolve());
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> wait = testKit.createTestProbe();
    wait.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void eachIncarnationGetsAHigherEpochAndTheOlderOneStops() {
    TestProbe<UnitEpoch.Acquired> firstAcquired = testKit.createTestProbe();
    TestProbe<UnitEpoch.Superseded> firstSuperseded = testKit.createTestProbe();
    testKit.spawn(
        UnitEpoch.create("alpha", settings, 1, firstAcquired.getRef(), firstSuperseded.getRef()));
    EpochLease first = firstAcquired.receiveMessage(Duration.ofSeconds(5)).lease();
    assertEquals(1, first.epoch());
    assertTrue(first.allowsNewOrders(System.nanoTime()));

    // renewed while it is the newest: still valid well past the first lease
    long renewedPast = System.nanoTime() + settings.lease().toNanos() + 500_000_000L;
    firstSuperseded.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          assertTrue(first.allowsNewOrders(renewedPast - 400_000_000L));
          return null;
        });

    TestProbe<UnitEpoch.Acquired> secondAcquired = testKit.createTestProbe();
    testKit.spawn(
        UnitEpoch.create(
            "alpha",
            settings,
            1,
            secondAcquired.getRef(),
            testKit.<UnitEpoch.Superseded>createTestProbe().getRef()));
    EpochLease second = secondAcquired.receiveMessage(Duration.ofSeconds(5)).lease();
    assertEquals(2, second.epoch());

    UnitEpoch.Superseded superseded = firstSuperseded.receiveMessage(Duration.ofSeconds(5));
    assertEquals(new UnitEpoch.Superseded(1, 2), superseded);
    assertFalse(first.allowsNewOrders(System.nanoTime()));
    assertTrue(second.allowsNewOrders(System.nanoTime()));
  }

  @Test
  void anEpochIsNeverBelowTheAccountsOpenOrders() {
    // the counter lost increments (its only holder died): the open orders of epoch 6 set the floor
    TestProbe<UnitEpoch.Acquired> first = testKit.createTestProbe();
    testKit.spawn(
        UnitEpoch.create(
            "gamma",
            settings,
            7,
            first.getRef(),
            testKit.<UnitEpoch.Superseded>createTestProbe().getRef()));
    assertEquals(7, first.receiveMessage(Duration.ofSeconds(5)).lease().epoch());
    // and the counter itself moved: the next incarnation is above it without any floor
    TestProbe<UnitEpoch.Acquired> next = testKit.createTestProbe();
    testKit.spawn(
        UnitEpoch.create(
            "gamma",
            settings,
            1,
            next.getRef(),
            testKit.<UnitEpoch.Superseded>createTestProbe().getRef()));
    assertEquals(8, next.receiveMessage(Duration.ofSeconds(5)).lease().epoch());
  }

  @Test
  void unitsCountTheirEpochsApart() {
    TestProbe<UnitEpoch.Acquired> acquired = testKit.createTestProbe();
    testKit.spawn(
        UnitEpoch.create(
            "beta",
            settings,
            1,
            acquired.getRef(),
            testKit.<UnitEpoch.Superseded>createTestProbe().getRef()));
    assertEquals(1, acquired.receiveMessage(Duration.ofSeconds(5)).lease().epoch());
  }
}
