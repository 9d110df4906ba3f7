package io.phoenix.sim.engine;

/** Rolling 24h statistics of one symbol. */
public record Ticker24h(
    String symbol,
    long open,
    long high,
    long low,
    long last,
    long volumeSteps,
    double quoteVolume,
    long openTime,
    long closeTime,
    long count,
    long firstId,
    long lastId,
    long lastQtySteps) {}
