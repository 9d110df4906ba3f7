/**
 * The embedded Binance USD-M exchange simulator's server side: Akka HTTP serving Binance's REST
 * paths, market and user data streams and the WebSocket trading API with Binance's field names,
 * signatures, error codes and rate limits, plus fault injection and admin hooks for tests. The
 * matching engine itself lives in {@code io.phoenix.sim.engine} and is confined to one thread.
 */
package io.phoenix.sim;
