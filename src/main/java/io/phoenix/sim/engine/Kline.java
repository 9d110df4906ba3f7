package io.phoenix.sim.engine;

/**
 * One candle. Prices in ticks, volumes in steps; quote volumes in money. For mark and index candles
 * the volumes are 0 and {@code count} is the number of price samples.
 */
public record Kline(
    long openTime,
    long closeTime,
    long open,
    long high,
    long low,
    long close,
    long volumeSteps,
    double quoteVolume,
    long count,
    long takerBuyVolumeSteps,
    double takerBuyQuoteVolume,
    long firstTradeId,
    long lastTradeId) {}
