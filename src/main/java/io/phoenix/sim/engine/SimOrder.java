package io.phoenix.sim.engine;

/** Order snapshot as Binance's order object needs it. */
public record SimOrder(
    String symbol,
    long orderId,
    String clientOrderId,
    Side side,
    PositionSide positionSide,
    OrderType type,
    TimeInForce timeInForce,
    long priceTicks,
    long origQtySteps,
    long executedQtySteps,
    double cumQuote,
    double avgPrice,
    OrderStatus status,
    boolean reduceOnly,
    StpMode stpMode,
    long time,
    long updateTime,
    String origType,
    long stopPriceTicks,
    WorkingType workingType,
    boolean closePosition,
    boolean priceProtect) {}
