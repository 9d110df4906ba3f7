package io.phoenix.sim.engine;

/** One simulated symbol: its filters, assets, starting fair price and random-walk volatility. */
public record SimSymbolSpec(
    io.phoenix.core.Instrument instrument,
    String baseAsset,
    String quoteAsset,
    long initialFairPriceTicks,
    double volatilityPerSqrtSecond,
    String fundingRateDefault) {}
