package io.phoenix.market;

import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.LevelArray;

/**
 * One diff-depth event in domain units, immutable so that it can be buffered during a resync or
 * cross to another actor. The arrays are owned by the record: never mutate them.
 *
 * @param symbolId interned instrument id
 * @param eventTime {@code E}, epoch ms
 * @param transactionTime {@code T}, epoch ms
 * @param firstUpdateId {@code U}
 * @param finalUpdateId {@code u}
 * @param previousFinalUpdateId {@code pu}
 * @param bidPrices bid prices in ticks, parallel to {@code bidQtys} (absolute steps, 0 = remove)
 * @param askPrices ask prices in ticks, parallel to {@code askQtys}
 * @param receiveNanos {@link System#nanoTime()} when the frame arrived, for latency accounting
 */
public record DepthDiff(
    int symbolId,
    long eventTime,
    long transactionTime,
    long firstUpdateId,
    long finalUpdateId,
    long previousFinalUpdateId,
    long[] bidPrices,
    long[] bidQtys,
    long[] askPrices,
    long[] askQtys,
    long receiveNanos) {

  /** Copies a decoded frame (the decoder reuses it) into an immutable diff. */
  public static DepthDiff copyOf(DepthUpdateFrame frame, long receiveNanos) {
    LevelArray bids = frame.bids();
    LevelArray asks = frame.asks();
    return new DepthDiff(
        frame.symbolId(),
        frame.eventTime(),
        frame.transactionTime(),
        frame.firstUpdateId(),
        frame.finalUpdateId(),
        frame.previousFinalUpdateId(),
        bids.copyPrices(),
        bids.copyQuantities(),
        asks.copyPrices(),
        asks.copyQuantities(),
        receiveNanos);
  }
}
