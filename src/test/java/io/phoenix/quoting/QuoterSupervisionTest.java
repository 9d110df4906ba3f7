package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import io.phoenix.core.Instrument;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.risk.PreTradeResult;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class QuoterSupervisionTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<Quoter.Command> supervised(Instrument ins, TestProbe<Risk.Command> risk) {
    return testKit.spawn(
        Behaviors.supervise(
                Quoter.create(
                    new Quoter.Dependencies(
                        ins,
                        Fixtures.quoter(QuoterTest.CFG + "\nphoenix.quoter.stale-book-after = 5s"),
                        risk.ref(),
                        Quoter::defaultIds,
                        true)))
            .onFailure(
                RuntimeException.class,
                SupervisorStrategy.restartWithBackoff(
                    Duration.ofMillis(50), Duration.ofMillis(500), 0.1)),
        "quoter-" + ins.symbol() + "-" + ins.id());
  }

  private static void expectStart(TestProbe<Risk.Command> risk) {
    risk.expectMessageClass(Risk.RegisterQuoter.class, Duration.ofSeconds(3));
    assertInstanceOf(
        OrderIntent.CancelAll.class, risk.expectMessageClass(Risk.Check.class).intent());
  }

  private static void book(ActorRef<Quoter.Command> q, Instrument ins, long bid, long ask) {
    q.tell(
        new Quoter.Market(
            new MarketEvent.BookUpdated(
                ins.id(), 1, bid, 10, ask, 10, Double.NaN, 0, 0, System.nanoTime())));
  }

  private static int placesAndCancels(TestProbe<Risk.Command> risk, int n) {
    int places = 0;
    List<Risk.Check> pending = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (pending.isEmpty()) {
        pending.addAll(QuoterTest.nextChecks(risk));
      }
      Risk.Check c = pending.remove(0);
      c.replyTo()
          .tell(
              new Risk.Decision(
                  c.intent(),
                  PreTradeResult.Verdict.APPROVE,
                  RiskReason.NONE,
                  QuoterTest.qty(c.intent()),
                  1));
      if (c.intent() instanceof OrderIntent.Place) {
        places++;
      }
    }
    return places;
  }

  @Test
  void aRestartedQuoterSubscribesAgainAndLearnsTheUserStreamIsUp() {
    Instrument btc = Fixtures.btc(43);
    TestProbe<Risk.Command> risk = testKit.createTestProbe();
    TestProbe<ActorRef<io.phoenix.model.AccountEvent>> subscriptions = testKit.createTestProbe();
    // the user stream answers every new subscriber with its current state: up
    java.util.function.Consumer<ActorRef<io.phoenix.model.AccountEvent>> feed =
        ref -> {
          subscriptions.getRef().tell(ref);
          ref.tell(new io.phoenix.model.AccountEvent.UserStreamUp(System.currentTimeMillis()));
        };
    ActorRef<Quoter.Command> quoter =
        testKit.spawn(
            Behaviors.supervise(
                    Quoter.create(
                        new Quoter.Dependencies(
                                btc,
                                Fixtures.quoter(QuoterTest.CFG),
                                risk.ref(),
                                Quoter::defaultIds,
                                false)
                            .withAccountEvents(feed)))
                .onFailure(
                    RuntimeException.class,
                    SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(50), Duration.ofMillis(500), 0.1)),
            "quoter-resubscribes");
    subscriptions.receiveMessage(Duration.ofSeconds(3));
    expectStart(risk);
    quoter.tell(new Quoter.Crash("drill"));
    subscriptions.receiveMessage(Duration.ofSeconds(3));
    expectStart(risk);
    book(quoter, btc, 500_000, 500_001);
    assertEquals(
        4, placesAndCancels(risk, 4), "quoting again: the new incarnation knows the stream is up");
  }

  @Test
  void aCrashingQuoterRestartsAloneWhileAnotherSymbolKeepsQuoting() {
    Instrument btc = Fixtures.btc(41);
    Instrument eth = Fixtures.eth(42);
    TestProbe<Risk.Command> btcRisk = testKit.createTestProbe();
    TestProbe<Risk.Command> ethRisk = testKit.createTestProbe();
    ActorRef<Quoter.Command> btcQuoter = supervised(btc, btcRisk);
    ActorRef<Quoter.Command> ethQuoter = supervised(eth, ethRisk);
    expectStart(btcRisk);
    expectStart(ethRisk);
    book(btcQuoter, btc, 500_000, 500_001);
    book(ethQuoter, eth, 300_000, 300_001);
    assertEquals(4, placesAndCancels(btcRisk, 4));
    assertEquals(4, placesAndCancels(ethRisk, 4));

    btcQuoter.tell(new Quoter.Crash("drill"));
    // the other symbol keeps quoting while the crashed one is down: a moved book is requoted
    book(ethQuoter, eth, 300_002, 300_003);
    assertEquals(
        2, placesAndCancels(ethRisk, 4), "one level per side moves: two cancels, two places");

    // the crashed quoter comes back: registers again and cancels its symbol's leftovers
    expectStart(btcRisk);
    book(btcQuoter, btc, 500_000, 500_001);
    assertEquals(4, placesAndCancels(btcRisk, 4));
    TestProbe<QuoterStatus> status = testKit.createTestProbe();
    btcQuoter.tell(new Quoter.GetStatus(status.ref()));
    assertEquals(4, status.receiveMessage().ordersSent(), "a fresh incarnation: counters restart");
    ethQuoter.tell(new Quoter.GetStatus(status.ref()));
    assertEquals(6, status.receiveMessage().ordersSent(), "the healthy quoter kept its state");
  }
}
