package io.phoenix.model;

/**
 * What the exchange says about one order outside a request's own answer: a user-stream {@code
 * ORDER_TRADE_UPDATE}, or a reconciliation's restatement of an order it found changed. The order
 * gateway's table settles orders from these exactly as from REST answers, whichever comes first.
 *
 * @param orderId exchange order id, 0 when not reported
 * @param priceTicks limit price, 0 when not reported
 * @param cumQtySteps cumulative filled quantity (absolute, so a repeat changes nothing)
 * @param unknownToExchange reconciliation asked and the exchange does not know the order at all
 *     ({@code -2013}); {@code state} is then {@link OrderState#REJECTED}
 */
public record OrderReport(
    int symbolId,
    String clientOrderId,
    long orderId,
    Side side,
    OrderState state,
    long priceTicks,
    long origQtySteps,
    long cumQtySteps,
    boolean unknownToExchange) {}
