package io.phoenix.sim.engine;

/** A position snapshot; amountSteps is signed (negative = short). */
public record SimPosition(
    String symbol,
    PositionSide positionSide,
    long amountSteps,
    double entryPrice,
    double breakEvenPrice,
    double markPrice,
    double unrealizedPnl,
    double realizedPnlAccum,
    int leverage,
    boolean isolated,
    long updateTime,
    double isolatedWallet,
    double maintMargin,
    double liquidationPrice) {}
