package io.phoenix.sim.engine;

/** Shape of the synthetic market: step, resting depth of the liquidity providers, noise takers. */
public record MarketModelConfig(
    long stepMillis,
    int levelsPerSide,
    long levelQtySteps,
    double takerArrivalsPerSecond,
    long takerQtySteps) {}
