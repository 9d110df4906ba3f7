package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ActorMetricsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Behavior<String> echo(ActorRef<String> out) {
    return Behaviors.receiveMessage(
        msg -> {
          if (msg.equals("boom")) {
            throw new IllegalStateException("test failure");
          }
          out.tell(msg);
          return Behaviors.same();
        });
  }

  @Test
  void interceptorCountsMessagesTimesThemAndCountsRestarts() {
    try (Metrics metrics = Metrics.create()) {
      TestProbe<String> probe = testKit.createTestProbe();
      ActorMetrics am = metrics.actor("echo");
      ActorRef<String> ref =
          testKit.spawn(
              Behaviors.supervise(am.instrument(String.class, echo(probe.ref())))
                  .onFailure(SupervisorStrategy.restart()),
              "echo");
      ref.tell("a");
      probe.expectMessage("a");
      ref.tell("boom");
      ref.tell("b");
      probe.expectMessage("b");
      // the interceptor counts after the handler returns, which may be after the probe saw "b"
      probe.awaitAssert(
          () -> {
            assertEquals(3, am.messages());
            return null;
          });
      assertEquals(1, am.restarts());
      String body = metrics.scrape();
      assertEquals(
          3.0, PromText.value(body, "phoenix_actor_messages_total{actor=\"echo\",unit=\"none\"}"));
      assertEquals(
          1.0, PromText.value(body, "phoenix_actor_restarts_total{actor=\"echo\",unit=\"none\"}"));
      assertTrue(
          PromText.value(body, "phoenix_actor_handling_seconds_sum{actor=\"echo\",unit=\"none\"}")
              > 0);
      assertEquals(1L, metrics.actorRestarts().get("echo"));
    }
  }

  @Test
  void instrumentNamesMetersAfterTheUnitAndTheActorsName() {
    try (Metrics metrics = Metrics.create()) {
      TestProbe<String> probe = testKit.createTestProbe();
      ActorRef<String> ref =
          testKit.spawn(
              Behaviors.supervise(metrics.instrument(String.class, echo(probe.ref()), "alpha"))
                  .onFailure(SupervisorStrategy.restart()),
              "quoter-SOLUSDT");
      ref.tell("boom");
      ref.tell("x");
      probe.expectMessage("x");
      probe.awaitAssert(
          () -> {
            assertEquals(2, metrics.actor("alpha", "/user/quoter-SOLUSDT").messages());
            return null;
          });
      assertEquals(1L, metrics.actorRestarts().get("alpha:/user/quoter-SOLUSDT"));
      assertTrue(
          metrics
              .scrape()
              .contains(
                  "phoenix_actor_restarts_total{actor=\"/user/quoter-SOLUSDT\",unit=\"alpha\"} 1.0"),
          "unit tag");
    }
  }

  @Test
  void symbolGaugesReadTheirSuppliers() {
    try (Metrics metrics = Metrics.create()) {
      double[] position = {0.5};
      metrics.symbol(
          "BTCUSDT",
          new Metrics.SymbolProbes(
              () -> position[0], () -> 25_000, () -> 12.5, () -> -1.5, () -> -0.2));
      metrics.orderBudgetUsed(() -> 0.25);
      assertEquals(0.5, PromText.value(metrics.scrape(), "phoenix_position{symbol=\"BTCUSDT\"}"));
      position[0] = -0.75;
      String body = metrics.scrape();
      assertEquals(-0.75, PromText.value(body, "phoenix_position{symbol=\"BTCUSDT\"}"));
      assertEquals(25_000, PromText.value(body, "phoenix_notional_usd{symbol=\"BTCUSDT\"}"));
      assertEquals(12.5, PromText.value(body, "phoenix_pnl_realized_usd{symbol=\"BTCUSDT\"}"));
      assertEquals(-1.5, PromText.value(body, "phoenix_pnl_unrealized_usd{symbol=\"BTCUSDT\"}"));
      assertEquals(-0.2, PromText.value(body, "phoenix_funding_usd{symbol=\"BTCUSDT\"}"));
      assertEquals(0.25, PromText.value(body, "phoenix_order_budget_used_ratio"));
      // a restarted owner registers new probes: the gauge follows the new supplier
      metrics.symbol(
          "BTCUSDT", new Metrics.SymbolProbes(() -> 2.0, () -> 1, () -> 1, () -> 1, () -> 1));
      metrics.symbol(
          "ETHUSDT", new Metrics.SymbolProbes(() -> 3.0, () -> 1, () -> 1, () -> 1, () -> 1));
      body = metrics.scrape();
      assertEquals(2.0, PromText.value(body, "phoenix_position{symbol=\"BTCUSDT\"}"));
      assertEquals(3.0, PromText.value(body, "phoenix_position{symbol=\"ETHUSDT\"}"));
    }
  }
}
