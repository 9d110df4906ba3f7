package io.phoenix.sim.engine;

/** One aggregated price level. */
public record Level(long priceTicks, long qtySteps) {}
