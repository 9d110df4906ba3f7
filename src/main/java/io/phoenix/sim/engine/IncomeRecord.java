package io.phoenix.sim.engine;

/**
 * One line of an account's income history ({@code GET /fapi/v1/income}): types REALIZED_PNL,
 * COMMISSION, FUNDING_FEE and INSURANCE_CLEAR (the liquidation clearance fee); {@code tradeId} is
 * the trade behind it or 0.
 */
public record IncomeRecord(
    String symbol,
    String incomeType,
    double income,
    String asset,
    long time,
    long tranId,
    long tradeId) {}
