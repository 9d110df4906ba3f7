package io.phoenix.sim.engine;

/** One public trade; the simulator does not aggregate so aggTradeId equals tradeId. */
public record PublicTrade(
    long aggTradeId, long tradeId, long priceTicks, long qtySteps, boolean buyerMaker, long time) {}
