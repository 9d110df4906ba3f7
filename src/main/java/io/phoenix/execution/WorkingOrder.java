package io.phoenix.execution;

import io.phoenix.model.OrderState;
import io.phoenix.model.Side;

/**
 * One order the gateway believes may be working, as {@link OrderGateway.GetWorkingOrders} lists it
 * for reconciliation and the ops API. {@code orderId} 0 while not acknowledged.
 */
public record WorkingOrder(
    int symbolId,
    String clientOrderId,
    long orderId,
    Side side,
    long priceTicks,
    long origQtySteps,
    long cumQtySteps,
    OrderState state,
    long lastChangeMillis) {}
