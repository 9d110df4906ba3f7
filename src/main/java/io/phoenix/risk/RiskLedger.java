package io.phoenix.risk;

/**
 * The money side of the day that must survive a restart of the risk actor: without it a crash would
 * reset the daily-loss and drawdown baselines. Positions are not in it: a restarted risk reads them
 * from the exchange. Marks are indexed by symbol id.
 */
public record RiskLedger(
    double realised,
    double fees,
    double funding,
    double peakPnl,
    double dayStartPnl,
    long day,
    long[] markTicks,
    long[] markAtMillis) {}
