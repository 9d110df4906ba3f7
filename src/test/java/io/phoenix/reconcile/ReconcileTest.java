package io.phoenix.reconcile;

import static io.phoenix.account.AccountFixtures.BTC;
import static io.phoenix.account.AccountFixtures.ETH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.account.FakeAccountApi;
import io.phoenix.account.UserDataFeed;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.ExchangeState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The reconcile actor against a probe standing in for the user data feed. */
class ReconcileTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final ReconcileSettings SETTINGS =
      new ReconcileSettings(
          Duration.ofHours(1), Duration.ofSeconds(2), "phx", true, true, Duration.ofSeconds(5));

  private final FakeAccountApi api = new FakeAccountApi();
  private final LocalOrderView none = () -> CompletableFuture.completedFuture(List.of());
  private final TestProbe<UserDataFeed.Command> feed = testKit.createTestProbe();
  private ActorRef<AccountEvent> stream;
  private ActorRef<UserDataFeed.Connected> registration;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Spawns it and takes the subscription and registration it sends the feed. */
  private ActorRef<Reconcile.Command> spawn() {
    ActorRef<Reconcile.Command> reconcile =
        testKit.spawn(
            Reconcile.create(
                SETTINGS,
                64,
                List.of(BTC, ETH),
                api,
                none,
                feed.getRef(),
                new SimpleMeterRegistry()));
    stream = feed.expectMessageClass(UserDataFeed.SubscribeAll.class).subscriber();
    registration = feed.expectMessageClass(UserDataFeed.RegisterReconciler.class).reconciler();
    return reconcile;
  }

  @Test
  void runNowDoesNothingWhileTheStreamIsNotConnected() {
    var reconcile = spawn();
    reconcile.tell(Reconcile.RunNow.INSTANCE);
    feed.expectNoMessage(Duration.ofMillis(200));
    assertEquals(0, api.openOrderFetches.get());
  }

  @Test
  void aConnectRunHandsItsCorrectionsToTheFeedBeforeItsAnswer() {
    spawn();
    api.positions =
        List.of(
            new ExchangeState.Position(
                ETH.id(), PositionSide.BOTH, -250, 3412.57, 0, 1767225606000L));
    registration.tell(new UserDataFeed.Connected(7, 3, 0, true));
    UserDataFeed.ApplyCorrections corrections =
        feed.expectMessageClass(UserDataFeed.ApplyCorrections.class);
    PositionUpdate p = assertInstanceOf(PositionUpdate.class, corrections.events().get(0));
    assertEquals(-250, p.amountSteps());
    UserDataFeed.Reconciled answer = feed.expectMessageClass(UserDataFeed.Reconciled.class);
    assertTrue(answer.afterConnect());
    assertTrue(answer.succeeded());
    assertEquals(3, answer.generation());
    assertEquals(1, answer.runs());
  }

  @Test
  void afterAConnectRunNowReconcilesAndItsOwnCorrectionComingBackChangesNothing() {
    var reconcile = spawn();
    api.positions =
        List.of(
            new ExchangeState.Position(
                ETH.id(), PositionSide.BOTH, -250, 3412.57, 0, 1767225606000L));
    registration.tell(new UserDataFeed.Connected(7, 3, 0, true));
    PositionUpdate correction =
        (PositionUpdate)
            feed.expectMessageClass(UserDataFeed.ApplyCorrections.class).events().get(0);
    feed.expectMessageClass(UserDataFeed.Reconciled.class);
    stream.tell(correction); // the feed's fan-out brings it back

    reconcile.tell(Reconcile.RunNow.INSTANCE);
    UserDataFeed.Reconciled timed = feed.expectMessageClass(UserDataFeed.Reconciled.class);
    assertFalse(timed.afterConnect());
    assertEquals(2, timed.runs());
    assertEquals(1, timed.differences(), "the position agrees now: the second run finds nothing");
  }

  @Test
  void aStreamDownStopsTimedRuns() {
    var reconcile = spawn();
    registration.tell(new UserDataFeed.Connected(7, 3, 0, false));
    stream.tell(new AccountEvent.UserStreamDown("connection closed by the server", 1));
    reconcile.tell(Reconcile.RunNow.INSTANCE);
    feed.expectNoMessage(Duration.ofMillis(200));
    assertEquals(0, api.openOrderFetches.get());
  }
}
