/**
 * The account as the exchange reports it: the user data stream (listenKey lifecycle, order and
 * account updates, routed per symbol to quoters and to every subscriber), with positions and
 * balances ({@code model}) derived from it, fills de-duplicated by trade id. The feed drives the
 * reconciliation of {@code io.phoenix.reconcile} after every reconnect and on a timer. Everything
 * downstream sees only the normalized {@link io.phoenix.model.AccountEvent}s.
 */
package io.phoenix.account;
