/**
 * Market data: WebSocket feeds ({@link io.phoenix.market.MarketFeed}, one actor per connection),
 * local order books kept equal to the exchange's by the USD-M snapshot-and-diff procedure ({@link
 * io.phoenix.market.OrderBook}, {@link io.phoenix.market.BookSynchronizer} and the snapshot pacing
 * of {@link io.phoenix.market.SyncedBook}), and the normalized {@link
 * io.phoenix.market.MarketEvent}s that quoters and risk consume. Whichever actor keeps a symbol's
 * book (its quoter in the node, a {@link io.phoenix.market.BookActor} for a feed used alone) speaks
 * {@link io.phoenix.market.BookCommand} and hosts the book through a {@link
 * io.phoenix.market.HostedBook}; the feed reaches it as a {@link io.phoenix.market.BookOwner}.
 * Books and sequencing are plain classes on primitive ticks and steps; the actors only move frames
 * and events.
 */
package io.phoenix.market;
