/**
 * Reconciliation: the pure comparison of the exchange's orders with the local view
 * ({@link io.phoenix.reconcile.Reconciler}), the run that fetches, compares and corrects
 * ({@link io.phoenix.reconcile.Reconciliation}, driven today by the user data feed after every
 * reconnect and on a timer), the local order view it compares against and its counters. Depends
 * on {@code model}, the REST account endpoints in {@code binance} and the order gateway's table.
 */
package io.phoenix.reconcile;
