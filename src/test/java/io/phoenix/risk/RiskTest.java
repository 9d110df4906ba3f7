package io.phoenix.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.quoting.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RiskTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final int BTC = 0;
  private static final int ETH = 1;
  private static final long MARK = 500_000;
  private static final long ETH_MARK = 300_000;
  private static final String BASE =
      "phoenix.risk { max-order-notional = 1000, max-position-notional = 2000, max-gross-notional = 3000,"
          + " price-band-bps = 100, daily-loss-limit = 1000, max-drawdown = 1000, max-consecutive-rejects = 3 }";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  record Rig(
      ActorRef<Risk.Command> risk,
      TestProbe<Risk.Outbound> gateway,
      TestProbe<Risk.QuoterNotice> quoter,
      TestProbe<Risk.Decision> decisions) {
    void mark(int symbol, long ticks) {
      risk.tell(new Risk.Market(new MarketEvent.MarkPrice(symbol, ticks, 0.0001, 0, 0)));
    }

    Risk.Decision place(String id, int symbol, boolean buy, long price, long qty) {
      risk.tell(
          new Risk.Check(
              new OrderIntent.Place(
                  symbol,
                  id,
                  buy ? Side.BUY : Side.SELL,
                  price,
                  qty,
                  TimeInForce.GTX,
                  false,
                  System.nanoTime()),
              decisions.ref()));
      return decisions.receiveMessage();
    }

    void fill(String id, int symbol, boolean buy, long qty, long price, long tradeId) {
      risk.tell(
          new Risk.Account(
              new AccountEvent.OrderUpdate(
                  symbol,
                  id,
                  tradeId,
                  buy ? Side.BUY : Side.SELL,
                  AccountEvent.ExecutionType.TRADE,
                  OrderState.FILLED,
                  price,
                  qty,
                  qty,
                  qty,
                  price,
                  tradeId,
                  0.0,
                  0,
                  true,
                  0,
                  0,
                  "LIMIT",
                  "GTX",
                  0,
                  "USDT",
                  false,
                  AccountEvent.PositionSide.BOTH,
                  0)));
    }

    /**
     * The kill switch tripped: every quoter told to stop, the gateway told to cancel all, new
     * orders refused.
     */
    void expectKillSwitch(RiskReason reason) {
      Risk.QuoterNotice.Stop stop =
          quoter.expectMessageClass(Risk.QuoterNotice.Stop.class, Duration.ofSeconds(3));
      assertEquals(reason.name(), stop.reason());
      expectCancelAllOfEverySymbol(gateway);
      Risk.Decision after = place("after-" + SEQ.incrementAndGet(), BTC, true, MARK - 100, 1);
      assertEquals(RiskReason.KILL_SWITCH, after.reason());
      gateway.expectNoMessage(Duration.ofMillis(50));
      TestProbe<Risk.RiskState> state = testKit.createTestProbe();
      risk.tell(new Risk.GetState(state.ref()));
      Risk.RiskState s = state.receiveMessage();
      assertTrue(s.tripped());
      assertEquals(reason, s.tripReason());
    }

    void resetAndExpectResume() {
      TestProbe<Risk.RiskState> state = testKit.createTestProbe();
      risk.tell(new Risk.Reset(state.ref()));
      assertFalse(state.receiveMessage().tripped());
      quoter.expectMessage(Risk.QuoterNotice.Resume.INSTANCE);
    }
  }

  /** Approved intents sent earlier are skipped; then one cancel-all per symbol. */
  static void expectCancelAllOfEverySymbol(TestProbe<Risk.Outbound> gateway) {
    java.util.Set<Integer> symbols = new java.util.HashSet<>();
    gateway.fishForMessage(
        Duration.ofSeconds(3),
        m -> {
          if (((Risk.Outbound.Send) m).intent() instanceof OrderIntent.CancelAll all) {
            symbols.add(all.symbolId());
            return symbols.size() == 2
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore();
          }
          return FishingOutcomes.continueAndIgnore();
        });
    assertEquals(java.util.Set.of(BTC, ETH), symbols);
  }

  static Rig rig(String extra) {
    TestProbe<Risk.Outbound> gateway = testKit.createTestProbe();
    TestProbe<Risk.QuoterNotice> quoter = testKit.createTestProbe();
    ActorRef<Risk.Command> risk =
        testKit.spawn(
            Risk.create(
                new Risk.Dependencies(
                    Fixtures.risk(BASE + "\n" + extra),
                    List.of(Fixtures.btc(BTC), Fixtures.eth(ETH)),
                    Risk.Outlet.of(gateway.ref()),
                    Duration.ofMillis(100))),
            "risk-" + SEQ.incrementAndGet());
    expectCancelAllOfEverySymbol(gateway); // a (re)started risk cancels everything first
    risk.tell(new Risk.RegisterQuoter(BTC, quoter.ref()));
    Risk.QuoterNotice.Restore restore = quoter.expectMessageClass(Risk.QuoterNotice.Restore.class);
    assertFalse(restore.riskStopped());
    Rig r = new Rig(risk, gateway, quoter, testKit.createTestProbe());
    r.mark(BTC, MARK);
    r.mark(ETH, ETH_MARK);
    return r;
  }

  @Test
  void approvedIntentsAreForwardedAndRejectedOnesAreNot() {
    Rig r = rig("");
    Risk.Decision ok = r.place("a1", BTC, true, MARK - 10, 5);
    assertEquals(PreTradeResult.Verdict.APPROVE, ok.verdict());
    Risk.Outbound.Send sent = r.gateway().expectMessageClass(Risk.Outbound.Send.class);
    assertEquals("a1", ((OrderIntent.Place) sent.intent()).clientOrderId());
    Risk.Decision band = r.place("a2", BTC, true, MARK - 6000, 5);
    assertEquals(RiskReason.PRICE_BAND, band.reason());
    r.gateway().expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void clampedIntentsAreForwardedWithTheReducedQuantity() {
    Rig r = rig("");
    Risk.Decision d = r.place("c1", BTC, true, MARK - 10, 100);
    assertEquals(PreTradeResult.Verdict.CLAMP, d.verdict());
    assertEquals(RiskReason.MAX_ORDER_NOTIONAL, d.reason());
    OrderIntent.Place sent =
        (OrderIntent.Place) r.gateway().expectMessageClass(Risk.Outbound.Send.class).intent();
    assertEquals(20, sent.qtySteps());
    assertEquals(d.approvedQty(), sent.qtySteps());
  }

  @Test
  void cancelsPassEvenWhenTripped() {
    Rig r = rig("");
    r.risk().tell(new Risk.Trip("drill"));
    r.expectKillSwitch(RiskReason.OPERATOR);
    r.risk().tell(new Risk.Check(new OrderIntent.Cancel(BTC, "x"), r.decisions().ref()));
    assertTrue(r.decisions().receiveMessage().approved());
    r.gateway().expectMessageClass(Risk.Outbound.Send.class);
    r.resetAndExpectResume();
  }

  /**
   * The intents of one requote: checked in order against the exposure of those before them,
   * approved ones forwarded in order.
   */
  @Test
  void aRequoteIsCheckedInOrderAndOnlyItsApprovedIntentsGoOn() {
    Rig r = rig("");
    // 0.015 BTC at ~50,000 = 750 USDT each; the position limit (2,000) counts the first two as in
    // flight
    List<OrderIntent> requote =
        List.of(
            new OrderIntent.Cancel(BTC, "old-1"),
            new OrderIntent.Place(
                BTC, "rq-1", Side.BUY, MARK - 10, 15, TimeInForce.GTX, false, System.nanoTime()),
            new OrderIntent.Place(
                BTC, "rq-2", Side.BUY, MARK - 20, 15, TimeInForce.GTX, false, System.nanoTime()),
            new OrderIntent.Place(
                BTC, "rq-3", Side.BUY, MARK - 30, 15, TimeInForce.GTX, false, System.nanoTime()),
            new OrderIntent.Place(
                BTC, "rq-4", Side.BUY, MARK - 6000, 1, TimeInForce.GTX, false, System.nanoTime()));
    r.risk().tell(new Risk.CheckAll(requote, r.decisions().ref()));
    List<Risk.Decision> decisions =
        List.of(
            r.decisions().receiveMessage(),
            r.decisions().receiveMessage(),
            r.decisions().receiveMessage(),
            r.decisions().receiveMessage(),
            r.decisions().receiveMessage());
    assertEquals(
        List.of("old-1", "rq-1", "rq-2", "rq-3", "rq-4"),
        decisions.stream().map(d -> idOf(d.intent())).toList(),
        "one decision per intent, in order");
    assertTrue(decisions.get(0).approved());
    assertEquals(PreTradeResult.Verdict.APPROVE, decisions.get(1).verdict());
    assertEquals(PreTradeResult.Verdict.APPROVE, decisions.get(2).verdict());
    assertTrue(
        decisions.get(3).verdict() != PreTradeResult.Verdict.APPROVE,
        "the third buy sees the first two in flight: " + decisions.get(3));
    assertEquals(RiskReason.MAX_POSITION, decisions.get(3).reason());
    assertEquals(RiskReason.PRICE_BAND, decisions.get(4).reason());
    List<String> forwarded = new java.util.ArrayList<>();
    for (Risk.Decision d : decisions) {
      if (d.approved()) {
        forwarded.add(idOf(r.gateway().expectMessageClass(Risk.Outbound.Send.class).intent()));
      }
    }
    r.gateway().expectNoMessage(Duration.ofMillis(100));
    assertEquals(
        decisions.get(3).approved()
            ? List.of("old-1", "rq-1", "rq-2", "rq-3")
            : List.of("old-1", "rq-1", "rq-2"),
        forwarded);
  }

  private static String idOf(OrderIntent intent) {
    return intent instanceof OrderIntent.Place p
        ? p.clientOrderId()
        : ((OrderIntent.Cancel) intent).clientOrderId();
  }

  @Test
  void anIpBanTripsTheKillSwitchUntilAnOperatorResetsIt() {
    Rig r = rig("");
    r.risk()
        .tell(
            new Risk.GatewayAlert(
                new OrderEvent.GatewayHalted(
                    "HTTP 418 IP ban: Way too many requests",
                    System.currentTimeMillis() + 120_000,
                    true)));
    r.expectKillSwitch(RiskReason.IP_BANNED);
    r.resetAndExpectResume();
    assertTrue(r.place("after-reset", BTC, true, MARK - 10, 1).approved());
  }

  @Test
  void aRateLimitPauseAloneDoesNotStopTrading() {
    Rig r = rig("");
    r.risk()
        .tell(
            new Risk.GatewayAlert(
                new OrderEvent.GatewayHalted(
                    "repeated HTTP 429", System.currentTimeMillis() + 1_000, false)));
    assertTrue(r.place("still-ok", BTC, true, MARK - 10, 1).approved());
    r.quoter().expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void dailyLossTripsTheKillSwitch() {
    Rig r = rig("phoenix.risk { daily-loss-limit = 5, max-drawdown = 1000 }");
    r.place("d1", BTC, true, MARK, 20);
    r.fill("d1", BTC, true, 20, MARK, 1);
    r.mark(BTC, MARK - 10_000); // -1000 USDT/BTC on 0.02 BTC = -20
    r.expectKillSwitch(RiskReason.DAILY_LOSS);
  }

  @Test
  void drawdownTripsTheKillSwitch() {
    Rig r = rig("phoenix.risk { daily-loss-limit = 1000, max-drawdown = 5 }");
    r.place("w1", BTC, true, MARK, 20);
    r.fill("w1", BTC, true, 20, MARK, 2);
    r.mark(BTC, MARK + 20_000); // +40 peak
    r.mark(BTC, MARK + 10_000); // +20: 20 below the peak
    r.expectKillSwitch(RiskReason.DRAWDOWN);
    r.resetAndExpectResume();
  }

  @Test
  void consecutiveRejectsTripTheKillSwitch() {
    Rig r = rig("");
    for (int i = 0; i < 3; i++) {
      r.place("r" + i, BTC, true, MARK - 10 - i, 1);
      Risk.Outbound.Send sent = r.gateway().expectMessageClass(Risk.Outbound.Send.class);
      // the gateway answers risk's adapter; risk relays the outcome to the quoter
      sent.replyTo()
          .tell(
              new OrderEvent.OrderRejected(
                  BTC, "r" + i, OrderEvent.RequestKind.PLACE, -2019, "margin is insufficient"));
      Risk.QuoterNotice.OrderOutcome relayed =
          r.quoter().expectMessageClass(Risk.QuoterNotice.OrderOutcome.class);
      assertInstanceOf(OrderEvent.OrderRejected.class, relayed.event());
    }
    r.expectKillSwitch(RiskReason.CONSECUTIVE_REJECTS);
  }

  @Test
  void aKillSwitchTrippedByRejectsClearsItselfAfterTheCooldownAndQuotingResumes() {
    Rig r = rig("phoenix.risk.consecutive-rejects-cooldown = 400ms");
    for (int i = 0; i < 3; i++) {
      r.place("c" + i, BTC, true, MARK - 10 - i, 1);
      Risk.Outbound.Send sent = r.gateway().expectMessageClass(Risk.Outbound.Send.class);
      sent.replyTo()
          .tell(
              new OrderEvent.OrderRejected(
                  BTC, "c" + i, OrderEvent.RequestKind.PLACE, -2019, "margin is insufficient"));
      r.quoter().expectMessageClass(Risk.QuoterNotice.OrderOutcome.class);
    }
    r.expectKillSwitch(RiskReason.CONSECUTIVE_REJECTS);
    // no operator: the risk actor's own check clears it once the cool-down has passed
    r.quoter().expectMessage(Duration.ofSeconds(3), Risk.QuoterNotice.Resume.INSTANCE);
    TestProbe<Risk.RiskState> state = testKit.createTestProbe();
    r.risk().tell(new Risk.GetState(state.ref()));
    assertFalse(state.receiveMessage().tripped());
    r.place("c-after", BTC, true, MARK - 20, 1);
    r.gateway().expectMessageClass(Risk.Outbound.Send.class);
  }

  @Test
  void aDrawdownTripWaitsForTheOperatorWhateverTheCooldown() {
    Rig r =
        rig(
            "phoenix.risk { daily-loss-limit = 1000, max-drawdown = 5, consecutive-rejects-cooldown = 100ms }");
    r.place("w1", BTC, true, MARK, 20);
    r.fill("w1", BTC, true, 20, MARK, 2);
    r.mark(BTC, MARK + 20_000);
    r.mark(BTC, MARK + 10_000);
    r.expectKillSwitch(RiskReason.DRAWDOWN);
    r.quoter().expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  void positionBeyondTheLimitTripsTheKillSwitch() {
    Rig r = rig("");
    r.risk()
        .tell(
            new Risk.Account(
                new AccountEvent.PositionUpdate(
                    BTC, 60, 50_000.0, 0, AccountEvent.PositionSide.BOTH, "RECONCILE", 0)));
    r.expectKillSwitch(RiskReason.POSITION_BREACH);
  }

  @Test
  void grossExposureBeyondTheLimitTripsTheKillSwitch() {
    Rig r = rig("");
    r.risk()
        .tell(
            new Risk.Account(
                new AccountEvent.PositionUpdate(
                    BTC, 38, 50_000.0, 0, AccountEvent.PositionSide.BOTH, "RECONCILE", 0)));
    r.risk()
        .tell(
            new Risk.Account(
                new AccountEvent.PositionUpdate(
                    ETH, -630, 3_000.0, 0, AccountEvent.PositionSide.BOTH, "RECONCILE", 0)));
    r.expectKillSwitch(RiskReason.GROSS_BREACH);
  }

  @Test
  void fillsAreCountedOnceAndReportedInTheState() {
    Rig r = rig("");
    r.place("f1", BTC, true, MARK - 10, 10);
    r.fill("f1", BTC, true, 10, MARK - 10, 7);
    r.fill("f1", BTC, true, 10, MARK - 10, 7);
    TestProbe<Risk.RiskState> state = testKit.createTestProbe();
    r.risk().tell(new Risk.GetState(state.ref()));
    Risk.RiskState s = state.receiveMessage();
    assertEquals(10, s.symbols().get(0).positionSteps());
    assertEquals(0, s.openOrders());
    assertTrue(s.decisionP99Nanos() > 0);
  }

  /**
   * A (re)started risk reads the exchange's positions before it approves a new order: until then
   * new orders are refused (cancels pass), afterwards the position limit counts the position read
   * and the quoters are told it. A restart keeps an operator's trip.
   */
  @Test
  void aRestartedRiskReadsThePositionsFirstAndKeepsTheKillSwitchTripped() {
    TestProbe<Risk.Outbound> gateway = testKit.createTestProbe();
    TestProbe<Risk.QuoterNotice> quoter = testKit.createTestProbe();
    TestProbe<Risk.Decision> decisions = testKit.createTestProbe();
    java.util.concurrent.LinkedBlockingQueue<
            java.util.concurrent.CompletableFuture<List<io.phoenix.model.ExchangeState.Position>>>
        reads = new java.util.concurrent.LinkedBlockingQueue<>();
    Risk.PositionSource source =
        () -> {
          var f =
              new java.util.concurrent.CompletableFuture<
                  List<io.phoenix.model.ExchangeState.Position>>();
          reads.add(f);
          return f;
        };
    ActorRef<Risk.Command> risk =
        testKit.spawn(
            akka.actor.typed.javadsl.Behaviors.supervise(
                    Risk.create(
                        new Risk.Dependencies(
                                Fixtures.risk(BASE),
                                List.of(Fixtures.btc(BTC), Fixtures.eth(ETH)),
                                Risk.Outlet.of(gateway.ref()),
                                Duration.ofMillis(100))
                            .withPositions(source)))
                .onFailure(
                    RuntimeException.class,
                    akka.actor.typed.SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(20), Duration.ofMillis(200), 0.1)),
            "risk-restoring");
    expectCancelAllOfEverySymbol(gateway);
    risk.tell(new Risk.RegisterQuoter(BTC, quoter.ref()));
    quoter.expectMessageClass(Risk.QuoterNotice.Restore.class);
    risk.tell(new Risk.Market(new MarketEvent.MarkPrice(BTC, MARK, 0.0001, 0, 0)));
    java.util.function.Supplier<Risk.Decision> buy =
        () -> {
          risk.tell(
              new Risk.Check(
                  new OrderIntent.Place(
                      BTC,
                      "p-" + SEQ.incrementAndGet(),
                      Side.BUY,
                      MARK - 10,
                      15,
                      TimeInForce.GTX,
                      false,
                      System.nanoTime()),
                  decisions.ref()));
          return decisions.receiveMessage();
        };
    assertEquals(
        RiskReason.POSITIONS_UNKNOWN,
        buy.get().reason(),
        "no new order before the positions are read");
    risk.tell(new Risk.Check(new OrderIntent.Cancel(BTC, "c-1"), decisions.ref()));
    assertTrue(decisions.receiveMessage().approved(), "cancels pass meanwhile");
    gateway.expectMessageClass(Risk.Outbound.Send.class);

    // the exchange holds 0.030 BTC long (1,500 USDT of the 2,000 limit): 0.015 more would exceed it
    reads
        .remove()
        .complete(
            List.of(
                new io.phoenix.model.ExchangeState.Position(
                    BTC, AccountEvent.PositionSide.BOTH, 30, 49_900.0, 3.0, 0)));
    Risk.QuoterNotice.Restore restored = quoter.expectMessageClass(Risk.QuoterNotice.Restore.class);
    assertEquals(30, restored.positionSteps());
    Risk.Decision limited = buy.get();
    assertTrue(
        limited.verdict() != PreTradeResult.Verdict.APPROVE,
        "the position read counts: " + limited);
    assertEquals(RiskReason.MAX_POSITION, limited.reason());

    // a fill with fees before the crash: the day's accounts must carry over
    risk.tell(
        new Risk.Account(
            new AccountEvent.OrderUpdate(
                BTC,
                "filled-1",
                9,
                Side.SELL,
                AccountEvent.ExecutionType.TRADE,
                OrderState.FILLED,
                MARK + 20,
                10,
                10,
                10,
                MARK + 20,
                901,
                0.25,
                0,
                true,
                0,
                0,
                "LIMIT",
                "GTX",
                0,
                "USDT",
                false,
                AccountEvent.PositionSide.BOTH,
                0)));
    TestProbe<Risk.RiskState> before = testKit.createTestProbe();
    risk.tell(new Risk.GetState(before.ref()));
    Risk.RiskState beforeCrash = before.receiveMessage();
    assertEquals(0.25, beforeCrash.fees(), 1e-9);
    risk.tell(new Risk.Trip("operator stop before the crash"));
    quoter.expectMessageClass(Risk.QuoterNotice.Stop.class);
    expectCancelAllOfEverySymbol(gateway);
    risk.tell(new Risk.InjectFailure("drill"));
    expectCancelAllOfEverySymbol(gateway);
    TestProbe<Risk.RiskState> state = testKit.createTestProbe();
    risk.tell(new Risk.GetState(state.ref()));
    Risk.RiskState s = state.receiveMessage();
    assertTrue(s.tripped(), "a crash does not undo the kill switch");
    assertEquals(RiskReason.OPERATOR, s.tripReason());
    assertEquals(
        0,
        s.symbols().get(0).positionSteps(),
        "the new incarnation has not read the positions yet");
    assertEquals(beforeCrash.fees(), s.fees(), 1e-9, "fees of the day survive the restart");
    assertEquals(
        beforeCrash.realised(), s.realised(), 1e-9, "realised PnL of the day survives the restart");
    assertEquals(MARK, s.symbols().get(0).markTicks(), "the last mark survives the restart");
    reads
        .remove()
        .complete(
            List.of(
                new io.phoenix.model.ExchangeState.Position(
                    BTC, AccountEvent.PositionSide.BOTH, 30, 49_900.0, 3.0, 0)));
    Risk.QuoterNotice.Restore again = quoter.expectMessageClass(Risk.QuoterNotice.Restore.class);
    assertEquals(30, again.positionSteps());
    assertTrue(again.riskStopped());
  }

  @Test
  void aRestartedRiskCancelsEverythingAndStillKnowsItsQuoters() {
    TestProbe<Risk.Outbound> gateway = testKit.createTestProbe();
    TestProbe<Risk.QuoterNotice> quoter = testKit.createTestProbe();
    ActorRef<Risk.Command> risk =
        testKit.spawn(
            akka.actor.typed.javadsl.Behaviors.supervise(
                    Risk.create(
                        new Risk.Dependencies(
                            Fixtures.risk(BASE),
                            List.of(Fixtures.btc(BTC), Fixtures.eth(ETH)),
                            Risk.Outlet.of(gateway.ref()),
                            Duration.ofMillis(100))))
                .onFailure(
                    RuntimeException.class,
                    akka.actor.typed.SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(20), Duration.ofMillis(200), 0.1)),
            "risk-supervised");
    expectCancelAllOfEverySymbol(gateway);
    risk.tell(new Risk.RegisterQuoter(BTC, quoter.ref()));
    quoter.expectMessageClass(Risk.QuoterNotice.Restore.class);
    risk.tell(new Risk.InjectFailure("drill"));
    expectCancelAllOfEverySymbol(gateway);
    risk.tell(new Risk.Trip("after restart"));
    assertEquals("OPERATOR", quoter.expectMessageClass(Risk.QuoterNotice.Stop.class).reason());
  }
}
