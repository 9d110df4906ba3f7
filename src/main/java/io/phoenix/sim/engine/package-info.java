/**
 * The simulated Binance USD-M exchange core: per-symbol price-time-priority books on long ticks and
 * steps, Binance filter checks and error codes, cross-margin accounts with positions, fees and
 * funding, and a seeded market model (random-walk fair value, liquidity providers, noise takers).
 * Pure Java and single-threaded; the server in {@code io.phoenix.sim} confines calls to one thread
 * and encodes events.
 */
package io.phoenix.sim.engine;
