package io.phoenix.sim.engine;

/** A new order request; prices in ticks, quantities in steps of the symbol. */
public record NewOrder(
    String symbol,
    Side side,
    PositionSide positionSide,
    OrderType type,
    TimeInForce timeInForce,
    long qtySteps,
    long priceTicks,
    boolean reduceOnly,
    String clientOrderId,
    StpMode stpMode) {}
