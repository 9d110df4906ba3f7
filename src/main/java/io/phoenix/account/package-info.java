/**
 * The account as the exchange reports it: the user data stream (listenKey lifecycle, order and
 * account updates, routed per symbol to quoters and to every subscriber), positions and balances
 * derived from it with fills de-duplicated by trade id, and the reconciliation that corrects the
 * local view from REST after every reconnect and on a timer. Everything downstream sees only the
 * normalized {@link io.phoenix.model.AccountEvent}s.
 */
package io.phoenix.account;
