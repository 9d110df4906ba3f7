package io.phoenix.binance.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Binance's order object (response of new, cancel, query and modify; items of batch responses and
 * of openOrders), as on the wire: decimals stay text and are converted to ticks/steps with the
 * instrument's {@code Scale} by the caller. Unknown fields are ignored; absent ones are null/0.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestOrderResponse(
    long orderId,
    String symbol,
    String status,
    String clientOrderId,
    String price,
    String avgPrice,
    String origQty,
    String executedQty,
    String cumQuote,
    String timeInForce,
    String type,
    boolean reduceOnly,
    String side,
    String positionSide,
    String selfTradePreventionMode,
    long time,
    long updateTime) {}
