/**
 * The journal: an append-only SQL record of every order request, acknowledgement, reject, amend,
 * cancel, fill and funding payment, written in batches off the hot path on a blocking dispatcher,
 * with the schema migrated by Flyway (H2 file by default, PostgreSQL by URL), a per-symbol, per-day
 * PnL report, and crash completion of fills from the exchange's trade history.
 */
package io.phoenix.journal;
