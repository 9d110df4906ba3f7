package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway asks for a reconciliation run when its table may be incomplete: on a report of an
 * order of ours it does not know (at most one ask per interval, later ones merged into one at its
 * end) and once a restarted incarnation's recovery is done, but not after the first start.
 */
class OrderGatewayReconcileAskTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration INTERVAL = Duration.ofMillis(600);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Rig(
      ActorRef<OrderGateway.Command> gateway,
      TestProbe<String> asks,
      SimpleMeterRegistry registry) {

    double asked(String reason) {
      var c = registry.find("phoenix.gateway.reconcile.asks").tag("reason", reason).counter();
      return c == null ? 0 : c.count();
    }

    List<WorkingOrder> workingOrders() {
      TestProbe<OrderGateway.WorkingOrders> probe = testKit.createTestProbe();
      gateway.tell(new OrderGateway.GetWorkingOrders(probe.getRef()));
      return probe.receiveMessage(WAIT).orders();
    }
  }

  private static Rig rig(String overrides) {
    return rig(overrides, new OrderGatewayRecoveryTest.Exchange());
  }

  private static Rig rig(String overrides, OrderGatewayRecoveryTest.Exchange exchange) {
    GatewaySettings settings =
        OrderGatewayTest.settings(
            ", reconcile-request-interval = " + INTERVAL.toMillis() + "ms " + overrides);
    TestProbe<String> asks = testKit.createTestProbe();
    ActorRef<String> askRef = asks.getRef();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            Behaviors.supervise(
                    OrderGateway.create(
                        new OrderGatewayDependencies(
                                new ScriptedTransport(exchange::handle),
                                List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
                                settings,
                                ServerClock.fixed(0),
                                testKit.<TimeSync.Command>createTestProbe().getRef(),
                                registry)
                            .withReconciliation(() -> askRef.tell("run"))))
                .onFailure(SupervisorStrategy.restart()));
    return new Rig(gateway, asks, registry);
  }

  /** Filled on the exchange: a report the table settles nothing with, and sends nothing for. */
  private static OrderGateway.Report filled(String clientOrderId) {
    return new OrderGateway.Report(
        new OrderReport(
            OrderGatewayTest.BTC.id(),
            clientOrderId,
            77,
            Side.BUY,
            OrderState.FILLED,
            600_000,
            2,
            2,
            false));
  }

  @Test
  void unknownReportsOfOursAskOncePerInterval() {
    Rig rig = rig("");
    // not ours (a manual order on the account): nothing for reconciliation to fix in the table
    rig.gateway().tell(filled("manual-1"));
    rig.asks().expectNoMessage(Duration.ofMillis(200));
    rig.gateway().tell(filled("phx-BTCUSDT-1"));
    long first = System.nanoTime();
    assertEquals("run", rig.asks().receiveMessage(WAIT));
    // within the interval: merged into one ask at its end, not sent now
    rig.gateway().tell(filled("phx-BTCUSDT-2"));
    rig.gateway().tell(filled("phx-BTCUSDT-3"));
    rig.asks().expectNoMessage(Duration.ofMillis(300));
    assertEquals("run", rig.asks().receiveMessage(WAIT));
    long sinceFirst = Duration.ofNanos(System.nanoTime() - first).toMillis();
    assertTrue(sinceFirst >= INTERVAL.toMillis() - 50, "merged ask after " + sinceFirst + " ms");
    rig.asks().expectNoMessage(INTERVAL.plusMillis(200));
    assertEquals(1.0, rig.asked("unknown_report"));
    assertEquals(1.0, rig.asked("merged"));
    // the interval has passed: the next unknown report asks at once
    rig.gateway().tell(filled("phx-BTCUSDT-4"));
    assertEquals("run", rig.asks().receiveMessage(Duration.ofMillis(INTERVAL.toMillis() / 2)));
    assertEquals(2.0, rig.asked("unknown_report"));
  }

  @Test
  void aRestartedGatewayAsksOnceItsRecoveryIsDone() {
    var exchange = new OrderGatewayRecoveryTest.Exchange();
    exchange.open.put("phx-BTCUSDT-5", "BTCUSDT");
    Rig rig = rig(", recovery.enabled = on, recovery.timeout = 2s", exchange);
    // the first start adopts the open order without asking: reconcile runs at the stream's connect
    assertEquals(
        List.of("phx-BTCUSDT-5"),
        rig.workingOrders().stream().map(WorkingOrder::clientOrderId).toList());
    rig.asks().expectNoMessage(Duration.ofMillis(300));

    rig.gateway().tell(new OrderGateway.InjectFailure("drill"));
    assertEquals("run", rig.asks().receiveMessage(WAIT));
    assertEquals(1.0, rig.asked("restart"));
    assertEquals(
        List.of("phx-BTCUSDT-5"),
        rig.workingOrders().stream().map(WorkingOrder::clientOrderId).toList());
    rig.asks().expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void aRestartedGatewayWithoutRecoveryAsksOnceTheHandoverIsSettled() {
    Rig rig = rig("");
    rig.workingOrders();
    rig.gateway().tell(new OrderGateway.InjectFailure("drill"));
    assertEquals("run", rig.asks().receiveMessage(WAIT));
    assertEquals(1.0, rig.asked("restart"));
  }
}
