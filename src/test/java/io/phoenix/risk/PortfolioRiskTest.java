package io.phoenix.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The portfolio singleton halts every unit once the sum passes a limit, and late ones too. */
class PortfolioRiskTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyUnitIsHaltedOnceTheSumPassesALimitAndAResumedOneAgain() {
    ActorRef<PortfolioRisk.Command> portfolio =
        testKit.spawn(PortfolioRisk.create(PortfolioBookTest.LIMITS));
    TestProbe<PortfolioRisk.Halt> a = testKit.createTestProbe();
    TestProbe<PortfolioRisk.Halt> b = testKit.createTestProbe();
    portfolio.tell(new PortfolioRisk.Report("a", 600, 0, false, a.getRef()));
    portfolio.tell(new PortfolioRisk.Report("b", 300, 0, false, b.getRef()));
    a.expectNoMessage(Duration.ofMillis(100));
    portfolio.tell(new PortfolioRisk.Report("b", 500, 0, false, b.getRef()));
    PortfolioRisk.Halt halt = a.receiveMessage();
    assertEquals(halt, b.receiveMessage());
    // a unit tripped already is left alone; one that reports itself running again is halted again
    portfolio.tell(new PortfolioRisk.Report("a", 0, 0, true, a.getRef()));
    a.expectNoMessage(Duration.ofMillis(100));
    portfolio.tell(new PortfolioRisk.Report("a", 0, 0, false, a.getRef()));
    assertEquals(halt, a.receiveMessage());

    TestProbe<PortfolioRisk.Portfolio> reply = testKit.createTestProbe();
    portfolio.tell(new PortfolioRisk.Reset(reply.getRef()));
    assertNull(reply.receiveMessage().tripReason());
    portfolio.tell(new PortfolioRisk.Report("a", 0, 0, false, a.getRef()));
    a.expectNoMessage(Duration.ofMillis(100));
    portfolio.tell(new PortfolioRisk.GetPortfolio(reply.getRef()));
    assertEquals(500, reply.receiveMessage().grossNotional(), 1e-9);
  }
}
