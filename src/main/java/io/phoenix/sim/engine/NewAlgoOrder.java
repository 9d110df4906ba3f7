package io.phoenix.sim.engine;

/**
 * A conditional order request. Prices in ticks, quantity in steps (0 with {@code closePosition});
 * {@code priceTicks} only for STOP and TAKE_PROFIT; {@code activatePriceTicks} (0 = the current
 * price) and {@code callbackRatePercent} only for TRAILING_STOP_MARKET.
 */
public record NewAlgoOrder(
    String symbol,
    Side side,
    PositionSide positionSide,
    AlgoType type,
    TimeInForce timeInForce,
    long qtySteps,
    long priceTicks,
    long triggerPriceTicks,
    WorkingType workingType,
    boolean closePosition,
    boolean priceProtect,
    boolean reduceOnly,
    long activatePriceTicks,
    double callbackRatePercent,
    String clientAlgoId,
    StpMode stpMode) {}
