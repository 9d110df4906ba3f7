package io.phoenix.sim.engine;

/** One settled funding event. */
public record FundingRecord(
    String symbol, double fundingRate, long fundingTime, long markPriceTicks) {}
