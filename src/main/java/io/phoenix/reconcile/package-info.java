/**
 * Reconciliation: the {@link io.phoenix.reconcile.Reconcile} actor (after every user-stream
 * connect, on a timer, on request), the run it drives, which fetches, compares and corrects ({@link
 * io.phoenix.reconcile.Reconciliation}), the pure comparison of the exchange's orders and positions
 * with the local view ({@link io.phoenix.reconcile.Reconciler}), the local order view it compares
 * against and its counters. Depends on {@code model}, the REST account endpoints in {@code
 * binance}, the user data feed it corrects through, and the order gateway's table.
 */
package io.phoenix.reconcile;
