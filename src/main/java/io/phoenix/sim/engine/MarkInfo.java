package io.phoenix.sim.engine;

/** Mark price, index price and funding for one symbol. */
public record MarkInfo(
    String symbol,
    long markPriceTicks,
    long indexPriceTicks,
    double fundingRate,
    long nextFundingTime,
    long time) {}
