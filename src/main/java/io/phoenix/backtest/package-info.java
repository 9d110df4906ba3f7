/**
 * The backtester: recordings replayed on virtual time through the node's own book keeping, quoter
 * core and risk engine ({@link io.phoenix.backtest.PhoenixStrategy}) against the exchange model,
 * with the JSON and HTML reports and sweeps over settings. No actors and no sockets in the loop.
 */
package io.phoenix.backtest;
