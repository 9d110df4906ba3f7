package io.phoenix.execution;

import io.phoenix.account.AccountEvent.Side;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The system's own idea of its working orders, as reconciliation needs it. Implemented by
 * whoever tracks orders (the order gateway's in-flight table and the quoters' working orders);
 * an actor-backed implementation answers through {@code AskPattern}.
 *
 * <p>An implementation must include every order it has sent or is about to send that is not yet
 * known to be closed, including PENDING_NEW and UNKNOWN ones: an order missing from this view
 * that carries our prefix will be cancelled on the exchange.
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
}
