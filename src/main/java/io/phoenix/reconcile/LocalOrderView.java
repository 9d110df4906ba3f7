package io.phoenix.reconcile;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.WorkingOrder;
import io.phoenix.model.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The system's own idea of its working orders, as reconciliation needs it. Implemented by whoever
 * tracks orders (the order gateway's in-flight table and the quoters' working orders); an
 * actor-backed implementation answers through {@code AskPattern}.
 *
 * <p>An implementation must include every order it has sent or is about to send that is not yet
 * known to be closed, including PENDING_NEW and UNKNOWN ones: an order missing from this view that
 * carries our prefix will be cancelled on the exchange.
 */
public interface LocalOrderView {

  /**
   * One order the system believes is working.
   *
   * @param orderId exchange order id, 0 while not yet acknowledged
   * @param cumQtySteps filled quantity the system has accounted for
   * @param lastChangeMillis local wall-clock time of the last request or event for this order;
   *     reconciliation leaves orders changed within its grace period alone, since the exchange's
   *     answer may predate the change
   */
  record LocalOrder(
      int symbolId,
      String clientOrderId,
      long orderId,
      Side side,
      long priceTicks,
      long origQtySteps,
      long cumQtySteps,
      long lastChangeMillis) {}

  /** The current working orders of all symbols. */
  CompletionStage<List<LocalOrder>> workingOrders();

  /**
   * A view answered by an actor: {@code request} builds the actor's query message around the
   * reply-to ref. A timeout fails the stage (the reconciliation run then fails and is retried).
   */
  static <T> LocalOrderView ask(
      ActorRef<T> target,
      Function<ActorRef<List<LocalOrder>>, T> request,
      Duration timeout,
      Scheduler scheduler) {
    return () -> AskPattern.ask(target, request::apply, timeout, scheduler);
  }

  /**
   * The order gateway's table of orders not known to be closed (PENDING_NEW, UNKNOWN and
   * PENDING_CANCEL included), through {@link OrderGateway.GetWorkingOrders}.
   */
  static LocalOrderView ofGateway(
      ActorRef<OrderGateway.Command> gateway, Duration timeout, Scheduler scheduler) {
    return () ->
        AskPattern.<OrderGateway.Command, OrderGateway.WorkingOrders>ask(
                gateway, OrderGateway.GetWorkingOrders::new, timeout, scheduler)
            .thenApply(
                reply -> {
                  List<LocalOrder> out = new ArrayList<>(reply.orders().size());
                  for (WorkingOrder w : reply.orders()) {
                    out.add(
                        new LocalOrder(
                            w.symbolId(),
                            w.clientOrderId(),
                            w.orderId(),
                            w.side(),
                            w.priceTicks(),
                            w.origQtySteps(),
                            w.cumQtySteps(),
                            w.lastChangeMillis()));
                  }
                  return out;
                });
  }

  /**
   * Several views as one (say the gateway's in-flight table and the quoters' working orders). An
   * order known to more than one keeps the entry changed most recently. Fails if any part fails: a
   * partial view would make known orders look orphaned.
   */
  static LocalOrderView union(List<LocalOrderView> views) {
    List<LocalOrderView> parts = List.copyOf(views);
    return () -> {
      List<CompletableFuture<List<LocalOrder>>> answers = new ArrayList<>();
      for (LocalOrderView v : parts) {
        answers.add(v.workingOrders().toCompletableFuture());
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .thenApply(
              done -> {
                Map<String, LocalOrder> merged = new LinkedHashMap<>();
                for (CompletableFuture<List<LocalOrder>> answer : answers) {
                  for (LocalOrder o : answer.join()) {
                    merged.merge(
                        o.symbolId() + ":" + o.clientOrderId(),
                        o,
                        (a, b) -> b.lastChangeMillis() > a.lastChangeMillis() ? b : a);
                  }
                }
                return List.copyOf(merged.values());
              });
    };
  }
}
