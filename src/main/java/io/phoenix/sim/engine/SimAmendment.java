package io.phoenix.sim.engine;

/**
 * One accepted modification of an order ({@code GET /fapi/v1/orderAmendment}); {@code count} is its
 * ordinal on the order.
 */
public record SimAmendment(
    long amendmentId,
    String symbol,
    long orderId,
    String clientOrderId,
    long time,
    long priceBefore,
    long priceAfter,
    long qtyBefore,
    long qtyAfter,
    int count) {}
