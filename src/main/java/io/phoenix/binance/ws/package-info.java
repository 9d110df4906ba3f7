/**
 * Binance USD-M market-data wire codecs: stream frames (diff and partial depth, book ticker,
 * aggregate trade, mark price, the combined-stream wrapper, subscription replies) and the REST
 * depth snapshot, parsed with Jackson's streaming parser straight into reusable primitive holders.
 * Decimal text becomes long ticks and steps through the frame's instrument scale; a frame that
 * cannot be decoded is reported to the handler as one counted error and never throws.
 */
package io.phoenix.binance.ws;
