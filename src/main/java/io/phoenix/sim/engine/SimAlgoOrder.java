package io.phoenix.sim.engine;

/**
 * A conditional order as the wire shows it. {@code actualOrderId} is 0 until it triggers; then the
 * regular order's fill so far is in {@code executedQtySteps} and {@code avgPrice}.
 */
public record SimAlgoOrder(
    long algoId,
    String clientAlgoId,
    String symbol,
    Side side,
    PositionSide positionSide,
    AlgoType type,
    TimeInForce timeInForce,
    long qtySteps,
    AlgoStatus status,
    long triggerPriceTicks,
    long priceTicks,
    WorkingType workingType,
    boolean closePosition,
    boolean priceProtect,
    boolean reduceOnly,
    long activatePriceTicks,
    double callbackRatePercent,
    StpMode stpMode,
    long createTime,
    long updateTime,
    long triggerTime,
    long actualOrderId,
    OrderType actualType,
    long executedQtySteps,
    double avgPrice,
    String reason) {}
