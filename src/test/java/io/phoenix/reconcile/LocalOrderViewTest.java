package io.phoenix.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.WorkingOrder;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LocalOrderViewTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record Query(ActorRef<List<LocalOrder>> replyTo) {}

  private static LocalOrder order(String cid, long changed) {
    return new LocalOrder(1, cid, 0, Side.BUY, 100, 5, 0, changed);
  }

  @Test
  void askAdapterReturnsTheActorsAnswer() {
    ActorRef<Query> quoter =
        testKit.spawn(
            Behaviors.receiveMessage(
                q -> {
                  q.replyTo().tell(List.of(order("phx-1-a", 1)));
                  return Behaviors.same();
                }));
    LocalOrderView view =
        LocalOrderView.ask(quoter, Query::new, Duration.ofSeconds(3), testKit.scheduler());
    assertEquals(List.of(order("phx-1-a", 1)), view.workingOrders().toCompletableFuture().join());
  }

  @Test
  void unionKeepsTheMostRecentEntryAndFailsIfAnyPartFails() {
    LocalOrderView gateway =
        () -> CompletableFuture.completedFuture(List.of(order("phx-1-a", 5), order("phx-1-b", 1)));
    LocalOrderView quoter =
        () -> CompletableFuture.completedFuture(List.of(order("phx-1-a", 3), order("phx-1-c", 2)));
    var merged =
        LocalOrderView.union(List.of(gateway, quoter)).workingOrders().toCompletableFuture().join();
    assertEquals(List.of(order("phx-1-a", 5), order("phx-1-b", 1), order("phx-1-c", 2)), merged);
    LocalOrderView broken =
        () -> CompletableFuture.failedFuture(new IllegalStateException("timeout"));
    assertThrows(
        CompletionException.class,
        () ->
            LocalOrderView.union(List.of(gateway, broken))
                .workingOrders()
                .toCompletableFuture()
                .join());
  }

  @Test
  void gatewayAdapterMapsWorkingOrders() {
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(
            Behaviors.receive(OrderGateway.Command.class)
                .onMessage(
                    OrderGateway.GetWorkingOrders.class,
                    q -> {
                      q.replyTo()
                          .tell(
                              new OrderGateway.WorkingOrders(
                                  List.of(
                                      new WorkingOrder(
                                          1,
                                          "phx-1-z",
                                          0,
                                          Side.SELL,
                                          100,
                                          5,
                                          2,
                                          OrderState.PENDING_NEW,
                                          9))));
                      return Behaviors.same();
                    })
                .build());
    var view = LocalOrderView.ofGateway(gateway, Duration.ofSeconds(3), testKit.scheduler());
    assertEquals(
        List.of(new LocalOrder(1, "phx-1-z", 0, Side.SELL, 100, 5, 2, 9)),
        view.workingOrders().toCompletableFuture().join());
  }
}
