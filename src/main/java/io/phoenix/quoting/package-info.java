/**
 * Quoting: one {@code Quoter} actor per symbol owning its book view, position and working orders,
 * and the pure strategy it delegates to (fair value, volatility-adaptive spread, inventory and
 * funding skew, rounding to the instrument's filters) plus the diff that turns desired quotes into
 * place / cancel / amend actions with a refresh tolerance and a minimum quote life.
 */
package io.phoenix.quoting;
