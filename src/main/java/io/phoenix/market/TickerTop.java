package io.phoenix.market;

import io.phoenix.binance.ws.BookTickerFrame;

/**
 * One {@code bookTicker} event as the book uses it. Binance pushes it the moment the best price or
 * quantity changes, while depth diffs come in batches (100 ms on the futures streams; even the
 * recording's {@code @0ms} diffs arrive tens of milliseconds after the ticker that showed the same
 * change), and its {@code u} is the order book's own update id: a ticker newer than the last
 * applied diff is the freshest top there is.
 *
 * @param eventTime exchange event time, ms
 * @param receiveNanos when its frame arrived ({@link System#nanoTime}, or virtual time in a
 *     backtest)
 */
public record TickerTop(
    long updateId,
    long bidPrice,
    long bidQty,
    long askPrice,
    long askQty,
    long eventTime,
    long receiveNanos) {

  /** Copies the decoder's reused frame. */
  public static TickerTop of(BookTickerFrame frame, long receiveNanos) {
    return new TickerTop(
        frame.updateId(),
        frame.bidPrice(),
        frame.bidQuantity(),
        frame.askPrice(),
        frame.askQuantity(),
        frame.eventTime(),
        receiveNanos);
  }

  /** Both sides present and not crossed. */
  public boolean sane() {
    return bidQty > 0 && askQty > 0 && bidPrice > 0 && bidPrice < askPrice;
  }
}
