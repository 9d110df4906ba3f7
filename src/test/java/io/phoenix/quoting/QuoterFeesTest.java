package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.core.Instrument;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.Side;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The quoter reads its fee rates at start, retries a failed read, and quotes on what it read. */
class QuoterFeesTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aFailedReadKeepsTheConfiguredRatesAndIsRetriedThenTheExchangesRatesFloorTheQuotes() {
    Instrument ins = Fixtures.btc(901);
    AtomicInteger reads = new AtomicInteger();
    Quoter.FeeSource source =
        i ->
            reads.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("503 from the venue"))
                : CompletableFuture.completedFuture(new AccountRestApi.FeeRates(0.0005, 0.0007));
    TestProbe<Risk.Command> risk = testKit.createTestProbe();
    ActorRef<Quoter.Command> q =
        testKit.spawn(
            Quoter.create(
                new Quoter.Dependencies(
                        ins,
                        Fixtures.quoter(
                            "phoenix.quoter { base-spread = 0.6, levels = 1, fair-value = mid, min-quote-life = 0ms, require-mark-price = false,"
                                + " volatility.spread-factor = 0, fees { maker-rate = 0.0002, taker-rate = 0.0005, read-from-exchange = true,"
                                + " retry-interval = 200ms, min-edge-bps = 1 } }"),
                        risk.ref(),
                        Quoter::defaultIds,
                        true)
                    .withFees(source)),
            "fee-quoter");
    risk.expectMessageClass(Risk.RegisterQuoter.class);
    assertInstanceOf(
        io.phoenix.model.OrderIntent.CancelAll.class,
        risk.expectMessageClass(Risk.Check.class).intent());

    TestProbe<QuoterStatus> status = testKit.createTestProbe();
    QuoterStatus.Edge edge =
        status.awaitAssert(
            Duration.ofSeconds(5),
            () -> {
              q.tell(new Quoter.GetStatus(status.ref()));
              QuoterStatus.Edge e = status.receiveMessage().edge();
              assertTrue(e.feesFromExchange(), "not read yet: " + e);
              return e;
            });
    assertEquals(2, reads.get(), "one failure, one retry");
    assertEquals(1, edge.feeReadFailures());
    assertEquals(0.0005, edge.makerRate());
    assertEquals(0.0007, edge.takerRate());
    assertEquals(11.0, edge.feeFloorBps(), 1e-9);

    q.tell(
        new Quoter.Market(
            new MarketEvent.BookUpdated(
                ins.id(), 1, 500_000, 10, 500_001, 10, Double.NaN, 0, 0, System.nanoTime())));
    List<io.phoenix.model.OrderIntent.Place> placed = new ArrayList<>();
    while (placed.size() < 2) {
      for (Risk.Check check : QuoterTest.nextChecks(risk)) {
        if (check.intent() instanceof io.phoenix.model.OrderIntent.Place p) {
          placed.add(p);
        }
        check
            .replyTo()
            .tell(
                new Risk.Decision(
                    check.intent(),
                    io.phoenix.risk.PreTradeResult.Verdict.APPROVE,
                    io.phoenix.risk.RiskReason.NONE,
                    QuoterTest.qty(check.intent()),
                    1));
      }
    }
    long bid =
        placed.stream()
            .filter(p -> p.side() == Side.BUY)
            .mapToLong(p -> p.priceTicks())
            .max()
            .orElseThrow();
    long ask =
        placed.stream()
            .filter(p -> p.side() != Side.BUY)
            .mapToLong(p -> p.priceTicks())
            .min()
            .orElseThrow();
    // 2 x 5 + 1 = 11 bps of 50 000 = 55 USDT = 550 ticks, where the configured 2 bps would give 250
    assertTrue(ask - bid >= 550 && ask - bid <= 552, "quotes " + bid + " / " + ask);
  }
}
