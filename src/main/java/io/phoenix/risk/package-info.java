/**
 * Risk: pure pre-trade checks applied to every order intent (exchange filters, order, position,
 * gross and open-order limits counting working and in-flight orders, order-rate budget, price band,
 * self-cross) and portfolio checks (daily loss, drawdown, consecutive rejects, stale data), with
 * the {@code Risk} actor that owns them and trips the kill switch on a hard breach.
 */
package io.phoenix.risk;
