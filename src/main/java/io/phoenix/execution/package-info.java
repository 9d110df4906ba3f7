/**
 * Order execution: the {@link io.phoenix.execution.OrderGateway} actor that owns the account's
 * request budget and turns {@link io.phoenix.model.OrderIntent}s into Binance requests and {@link
 * io.phoenix.model.OrderEvent}s, the {@link io.phoenix.execution.TimeSync} clock actor, and the
 * pure pieces they delegate to: order states and their legal transitions, client order ids, and the
 * rate budget. Unknown outcomes are first-class: they are resolved by query on the client order id,
 * never by resending.
 */
package io.phoenix.execution;
