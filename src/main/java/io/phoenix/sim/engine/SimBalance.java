package io.phoenix.sim.engine;

/** An asset balance of one account. */
public record SimBalance(
    String asset,
    double walletBalance,
    double crossUnrealizedPnl,
    double availableBalance,
    long updateTime) {}
