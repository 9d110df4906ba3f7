package io.phoenix.sim.engine;

/** Best bid and ask; zero price and qty for an empty side. */
public record BookTop(
    long updateId,
    long bidPriceTicks,
    long bidQtySteps,
    long askPriceTicks,
    long askQtySteps,
    long time) {}
