package io.phoenix.sim.engine;

/** A modify (PUT /fapi/v1/order) request; orderId 0 or origClientOrderId null when absent. */
public record ModifyOrder(
    String symbol,
    long orderId,
    String origClientOrderId,
    Side side,
    long qtySteps,
    long priceTicks) {}
