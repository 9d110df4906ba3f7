/**
 * The account as the exchange reports it: the user data stream (listenKey lifecycle, the socket,
 * order and account updates fanned out per symbol to quoters and to every subscriber), fills
 * de-duplicated by trade id. After every connect the feed waits for the reconciler of {@code
 * io.phoenix.reconcile}, which subscribes to it, before it reports the stream up, and fans out the
 * reconciler's corrections like stream events. Everything downstream sees only the normalized
 * {@link io.phoenix.model.AccountEvent}s.
 */
package io.phoenix.account;
