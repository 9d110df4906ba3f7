package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway of one incarnation of a trading unit against the orders of others: it cancels older
 * epochs' orders before anything of its own goes out, stops sending new orders when a newer epoch
 * shows up or its lease lapses, and then cancels only its own orders.
 */
class OrderGatewayFencingTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long HOUR = Duration.ofHours(1).toNanos();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  record Rig(
      ActorRef<OrderGateway.Command> gateway,
      OrderGatewayRecoveryTest.Exchange exchange,
      ScriptedTransport transport,
      TestProbe<OrderEvent> requester) {

    void submit(OrderIntent intent) {
      gateway.tell(new OrderGateway.Submit(intent, requester.getRef()));
    }

    List<String> deletedIds() {
      return transport.matching("DELETE", "/fapi/v1/order").stream()
          .map(s -> s.request().param("origClientOrderId"))
          .sorted()
          .toList();
    }

    int indexOf(String method, String path, String param, String value) {
      for (int i = 0; i < transport.sent.size(); i++) {
        ScriptedTransport.Sent s = transport.sent.get(i);
        if (s.request().method().name().equals(method)
            && s.request().path().equals(path)
            && value.equals(s.request().param(param))) {
          return i;
        }
      }
      return -1;
    }
  }

  static Rig rig(EpochLease lease, OrderGatewayRecoveryTest.Exchange exchange) {
    ScriptedTransport transport = new ScriptedTransport(exchange::handle);
    ActorRef<OrderGateway.Command> gw =
        testKit.spawn(
            OrderGateway.create(
                new OrderGatewayDependencies(
                        transport,
                        List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
                        OrderGatewayTest.settings(
                            ", max-batch = 1, recovery.enabled = on, recovery.timeout = 2s"),
                        ServerClock.fixed(0),
                        testKit.<TimeSync.Command>createTestProbe().getRef(),
                        new SimpleMeterRegistry())
                    .withLease(lease)));
    return new Rig(gw, exchange, transport, testKit.createTestProbe());
  }

  @Test
  void aNewIncarnationCancelsOlderEpochsOrdersBeforeSendingItsOwn() {
    OrderGatewayRecoveryTest.Exchange exchange = new OrderGatewayRecoveryTest.Exchange();
    exchange.open.put("phx-2-0-older", "BTCUSDT");
    exchange.open.put("phx-0-before.epochs", "ETHUSDT");
    exchange.open.put("phx-3-0-mine", "BTCUSDT");
    exchange.open.put("web_manual", "BTCUSDT");
    Rig rig = rig(EpochLease.of(3, System.nanoTime() + HOUR), exchange);
    // submitted while the gateway still recovers: held, then sent after the fencing cancels
    String own = "phx-3-0-new";
    rig.submit(OrderGatewayTest.place(own, 0, 600_000, 2));
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(List.of("phx-0-before.epochs", "phx-2-0-older"), rig.deletedIds());
              return null;
            });
    int place = rig.indexOf("POST", "/fapi/v1/order", "newClientOrderId", own);
    assertTrue(place >= 0);
    assertTrue(
        rig.indexOf("DELETE", "/fapi/v1/order", "origClientOrderId", "phx-2-0-older") < place);
    assertTrue(
        rig.indexOf("DELETE", "/fapi/v1/order", "origClientOrderId", "phx-0-before.epochs")
            < place);
    // this epoch's order is adopted, a foreign one left alone
    assertTrue(exchange.open.containsKey("phx-3-0-mine"));
    assertTrue(exchange.open.containsKey("web_manual"));
  }

  @Test
  void anOrderOfANewerEpochStopsNewOrdersAndTheCancelAllSparesIt() {
    OrderGatewayRecoveryTest.Exchange exchange = new OrderGatewayRecoveryTest.Exchange();
    Rig rig = rig(EpochLease.of(4, System.nanoTime() + HOUR), exchange);
    String mine = "phx-4-0-mine";
    rig.submit(OrderGatewayTest.place(mine, 0, 600_000, 2));
    rig.requester().expectMessageClass(OrderEvent.OrderAccepted.class, WAIT);

    // the user stream shows an order of epoch 5 that this gateway never sent
    String newer = "phx-5-0-theirs";
    exchange.open.put(newer, "BTCUSDT");
    rig.gateway()
        .tell(
            new OrderGateway.Report(
                new OrderReport(0, newer, 77, Side.BUY, OrderState.NEW, 600_000, 2, 0, false)));

    String refused = "phx-4-0-refused";
    rig.submit(OrderGatewayTest.place(refused, 0, 600_100, 2));
    OrderEvent.OrderRejected rejected =
        assertInstanceOf(
            OrderEvent.OrderRejected.class, rig.requester().receiveMessage(WAIT), "refused");
    assertTrue(rejected.reason().contains("superseded by epoch 5"), rejected.reason());
    assertEquals(-1, rig.indexOf("POST", "/fapi/v1/order", "newClientOrderId", refused));

    // a kill switch's cancel-all now cancels this incarnation's own order only
    rig.submit(new OrderIntent.CancelAll(0));
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(List.of(mine), rig.deletedIds());
              return null;
            });
    assertTrue(rig.transport().matching("DELETE", "/fapi/v1/allOpenOrders").isEmpty());
    assertTrue(exchange.open.containsKey(newer));
    assertFalse(exchange.open.containsKey(mine));
  }

  @Test
  void aLapsedLeaseHoldsNewOrdersUntilRenewedAndCancelsStillGo() {
    OrderGatewayRecoveryTest.Exchange exchange = new OrderGatewayRecoveryTest.Exchange();
    exchange.open.put("phx-6-0-resting", "BTCUSDT");
    EpochLease lease = EpochLease.of(6, System.nanoTime() - 1);
    Rig rig = rig(lease, exchange);

    rig.submit(OrderGatewayTest.place("phx-6-0-held", 0, 600_000, 2));
    OrderEvent.OrderRejected rejected =
        assertInstanceOf(OrderEvent.OrderRejected.class, rig.requester().receiveMessage(WAIT));
    assertTrue(rejected.reason().contains("lease expired"), rejected.reason());
    rig.submit(new OrderIntent.Cancel(0, "phx-6-0-resting"));
    rig.requester()
        .awaitAssert(
            WAIT,
            () -> {
              assertEquals(List.of("phx-6-0-resting"), rig.deletedIds());
              return null;
            });

    lease.renew(System.nanoTime() + HOUR);
    rig.submit(OrderGatewayTest.place("phx-6-0-later", 0, 600_000, 2));
    rig.requester()
        .fishForMessage(
            WAIT,
            e ->
                e instanceof OrderEvent.OrderAccepted a && a.clientOrderId().equals("phx-6-0-later")
                    ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                    : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }
}
