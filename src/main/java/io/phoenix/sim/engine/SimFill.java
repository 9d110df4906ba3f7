package io.phoenix.sim.engine;

/** One account's side of a trade. */
public record SimFill(
    String symbol,
    long tradeId,
    long orderId,
    String clientOrderId,
    Side side,
    long priceTicks,
    long qtySteps,
    double commission,
    String commissionAsset,
    double realizedPnl,
    boolean maker,
    PositionSide positionSide,
    long time) {}
