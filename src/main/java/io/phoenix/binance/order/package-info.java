/**
 * Binance USD-M order entry on the wire: the order endpoints' paths and request shapes ({@link
 * io.phoenix.binance.order.OrderRequests}), typed decoding of their answers ({@link
 * io.phoenix.binance.order.OrderResponses}), and the one transport interface the order gateway
 * sends through ({@link io.phoenix.binance.order.ExchangeTransport}) with its two implementations:
 * REST ({@code ExchangeTransport.of}) and the WebSocket trading API ({@link
 * io.phoenix.binance.order.WsApiTransport}, {@code phoenix.gateway.ws-api}), which carries
 * single-order calls and hands everything else to REST. Depends on {@code binance.rest}, {@code
 * core}, {@code model} and {@code config}.
 */
package io.phoenix.binance.order;
