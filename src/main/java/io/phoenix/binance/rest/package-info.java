/**
 * Binance USD-M REST wire layer: request building and HMAC signing over the exact bytes sent, an
 * Akka HTTP client that classifies every response into ok / rejected / rate-limited / unknown
 * outcome with the exchange's rate counters attached, and the raw response records
 * ({@code Rest*}) that only this package and its direct callers see.
 */
package io.phoenix.binance.rest;
