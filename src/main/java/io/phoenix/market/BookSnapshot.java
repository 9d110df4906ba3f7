package io.phoenix.market;

/**
 * A copy of one symbol's book, best level first on each side: the answer to {@link
 * BookCommand.GetBook} from whoever keeps the book.
 *
 * @param valid the book follows the stream without a break since its snapshot
 * @param reason why it is not valid, or null
 */
public record BookSnapshot(
    int symbolId,
    boolean valid,
    InvalidReason reason,
    long lastUpdateId,
    long[] bidPrices,
    long[] bidQtys,
    long[] askPrices,
    long[] askQtys) {}
