package io.phoenix.sim.engine;

/**
 * A conditional order as the wire shows it: the request as accepted (position side, time in force,
 * working type, STP mode and client id filled in) and its state. {@code actualOrderId} is 0 until
 * it triggers; then the regular order's fill so far is in {@code executedQtySteps} and {@code
 * avgPrice}.
 */
public record SimAlgoOrder(
    long algoId,
    NewAlgoOrder order,
    AlgoStatus status,
    long createTime,
    long updateTime,
    long triggerTime,
    long actualOrderId,
    OrderType actualType,
    long executedQtySteps,
    double avgPrice,
    String reason) {}
