/**
 * Binance USD-M REST wire layer: request building and HMAC signing over the exact bytes sent, an
 * Akka HTTP client that classifies every response into ok / rejected / rate-limited / unknown
 * outcome with the exchange's rate counters attached, the raw response records ({@code Rest*}) that
 * only this package and its direct callers see, and the endpoints beyond orders: the account
 * ({@link io.phoenix.binance.rest.AccountRestApi}: listenKey, open orders, positions, balances,
 * trades, fees), the position mode and the depth snapshot.
 */
package io.phoenix.binance.rest;
