/**
 * The exchange model: how a venue would have treated our orders, given recorded market data as
 * everyone else's liquidity. Pure and single-threaded, driven by a host on its own clock: the
 * backtester on virtual time, the simulator's replay mode on wall-clock time. It depends only on
 * {@code core}, so either host can carry it.
 */
package io.phoenix.exchangemodel;
