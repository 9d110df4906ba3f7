package io.phoenix.market;

import io.phoenix.binance.ws.DepthSnapshotReader;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.LevelArray;
import java.util.ArrayDeque;

/**
 * Keeps an {@link OrderBook} equal to the exchange's by Binance USD-M's procedure: buffer diffs,
 * load a REST snapshot with {@code lastUpdateId = L}, drop diffs with {@code u < L}, apply the
 * first diff only if {@code U <= L <= u}, then require {@code pu == previous u}. Any break, or a
 * crossed book after an update, invalidates the book and asks the caller for a new snapshot; diffs
 * keep being buffered meanwhile so the socket never has to drop.
 *
 * <p>Pure and single-threaded; the caller fetches snapshots and applies the returned {@link
 * Result}. Buffering and replay allocate nothing beyond the diffs themselves.
 */
public final class BookSynchronizer {
  /** What the caller has to do after an input. */
  public enum Result {
    /** The diff was applied; the book is valid. */
    APPLIED,
    /** Held until a snapshot arrives (or the snapshot was loaded and awaits its first diff). */
    BUFFERED,
    /** Older than the book: dropped. */
    STALE,
    /** The book is now invalid ({@link #invalidReason()}): fetch a new snapshot. */
    RESYNC
  }

  private enum State {
    AWAITING_SNAPSHOT,
    AWAITING_FIRST_EVENT,
    SYNCED
  }

  private final OrderBook book;
  private final int maxBuffered;
  private final ArrayDeque<DepthDiff> buffer;
  private State state = State.AWAITING_SNAPSHOT;
  private InvalidReason invalidReason = InvalidReason.NOT_SYNCED;
  private long snapshotUpdateId = -1;
  private long lastUpdateId = -1;
  private long bufferOverflows;

  /**
   * @param book the book this synchroniser owns and writes
   * @param maxBuffered diffs kept while waiting for a snapshot; the oldest are dropped beyond it
   *     (they would be older than any snapshot fetched later anyway)
   */
  public BookSynchronizer(OrderBook book, int maxBuffered) {
    this.book = book;
    this.maxBuffered = maxBuffered;
    this.buffer = new ArrayDeque<>(Math.min(maxBuffered, 1024));
  }

  public OrderBook book() {
    return book;
  }

  /** True when the book follows the stream without a break since its snapshot. */
  public boolean isValid() {
    return state == State.SYNCED;
  }

  /** Why the book is invalid, or null when valid. */
  public InvalidReason invalidReason() {
    return state == State.SYNCED ? null : invalidReason;
  }

  /** {@code u} of the last applied diff (or the snapshot's {@code L}); -1 before any. */
  public long lastUpdateId() {
    return lastUpdateId;
  }

  public int buffered() {
    return buffer.size();
  }

  /** Diffs dropped because the buffer was full while waiting for a snapshot. */
  public long bufferOverflows() {
    return bufferOverflows;
  }

  /**
   * Throws the book away and waits for a snapshot, e.g. after a disconnect or an undecodable diff.
   */
  public void invalidate(InvalidReason reason) {
    reset(reason);
    buffer.clear();
  }

  private void reset(InvalidReason reason) {
    state = State.AWAITING_SNAPSHOT;
    invalidReason = reason;
    book.clear();
    lastUpdateId = -1;
  }

  /** Feeds one diff from the stream. */
  public Result onDiff(DepthDiff diff) {
    switch (state) {
      case AWAITING_SNAPSHOT -> {
        if (buffer.size() == maxBuffered) {
          buffer.pollFirst();
          bufferOverflows++;
        }
        buffer.addLast(diff);
        return Result.BUFFERED;
      }
      default -> {
        return sequenced(diff);
      }
    }
  }

  /** Loads a decoded REST snapshot, then replays the buffered diffs that follow it. */
  public Result onSnapshot(DepthSnapshotReader snapshot) {
    book.clear();
    load(snapshot.bids(), true);
    load(snapshot.asks(), false);
    return afterSnapshotLoaded(snapshot.lastUpdateId());
  }

  /** Loads a snapshot given as arrays (prices in ticks, quantities in steps), then replays. */
  public Result onSnapshot(
      long lastUpdateId, long[] bidPrices, long[] bidQtys, long[] askPrices, long[] askQtys) {
    book.clear();
    for (int i = 0; i < bidPrices.length; i++) {
      book.setBid(bidPrices[i], bidQtys[i]);
    }
    for (int i = 0; i < askPrices.length; i++) {
      book.setAsk(askPrices[i], askQtys[i]);
    }
    return afterSnapshotLoaded(lastUpdateId);
  }

  private void load(LevelArray levels, boolean bids) {
    for (int i = 0; i < levels.size(); i++) {
      if (bids) {
        book.setBid(levels.price(i), levels.quantity(i));
      } else {
        book.setAsk(levels.price(i), levels.quantity(i));
      }
    }
  }

  private Result afterSnapshotLoaded(long snapshotId) {
    if (book.isCrossed()) {
      reset(InvalidReason.CROSSED_BOOK);
      return Result.RESYNC;
    }
    snapshotUpdateId = snapshotId;
    lastUpdateId = snapshotId;
    state = State.AWAITING_FIRST_EVENT;
    Result result = Result.BUFFERED;
    while (!buffer.isEmpty()) {
      Result step = onDiff(buffer.pollFirst());
      if (step == Result.RESYNC) {
        // keep what is still buffered: the next snapshot may well span it
        return Result.RESYNC;
      }
      if (step == Result.APPLIED) {
        result = Result.APPLIED;
      }
    }
    return result;
  }

  private static final int APPLY = 0;
  private static final int DROP = 1;
  private static final int TOO_OLD = 2;
  private static final int GAP = 3;

  /** The procedure's rules for a diff with ids {@code first/last/prev} in the current state. */
  private int verdict(long first, long last, long prev) {
    if (state == State.AWAITING_FIRST_EVENT) {
      if (last < snapshotUpdateId) {
        return DROP;
      }
      // the stream has moved past the snapshot: events between them are lost to us
      return first > snapshotUpdateId ? TOO_OLD : APPLY;
    }
    if (last < lastUpdateId) {
      return DROP;
    }
    return prev != lastUpdateId ? GAP : APPLY;
  }

  private Result decided(int verdict, DepthDiff diff) {
    return switch (verdict) {
      case DROP -> Result.STALE;
      case TOO_OLD -> resync(InvalidReason.SNAPSHOT_TOO_OLD, diff);
      case GAP -> resync(InvalidReason.SEQUENCE_GAP, diff);
      default -> apply(diff);
    };
  }

  private Result sequenced(DepthDiff diff) {
    return decided(
        verdict(diff.firstUpdateId(), diff.finalUpdateId(), diff.previousFinalUpdateId()), diff);
  }

  /**
   * Feeds a decoded frame in place, for a caller that decodes on its own thread (a quoter owning
   * its feed): nothing is allocated unless the frame must be buffered.
   */
  public Result onDiff(DepthUpdateFrame frame, long receiveNanos) {
    if (state == State.AWAITING_SNAPSHOT) {
      return onDiff(DepthDiff.copyOf(frame, receiveNanos));
    }
    int verdict =
        verdict(frame.firstUpdateId(), frame.finalUpdateId(), frame.previousFinalUpdateId());
    if (verdict != APPLY) {
      return decided(verdict, verdict == DROP ? null : DepthDiff.copyOf(frame, receiveNanos));
    }
    LevelArray bids = frame.bids();
    for (int i = 0; i < bids.size(); i++) {
      book.setBid(bids.price(i), bids.quantity(i));
    }
    LevelArray asks = frame.asks();
    for (int i = 0; i < asks.size(); i++) {
      book.setAsk(asks.price(i), asks.quantity(i));
    }
    return applied(frame.finalUpdateId());
  }

  private Result apply(DepthDiff diff) {
    long[] prices = diff.bidPrices();
    long[] qtys = diff.bidQtys();
    for (int i = 0; i < prices.length; i++) {
      book.setBid(prices[i], qtys[i]);
    }
    prices = diff.askPrices();
    qtys = diff.askQtys();
    for (int i = 0; i < prices.length; i++) {
      book.setAsk(prices[i], qtys[i]);
    }
    return applied(diff.finalUpdateId());
  }

  private Result applied(long finalUpdateId) {
    lastUpdateId = finalUpdateId;
    if (book.isCrossed()) {
      reset(InvalidReason.CROSSED_BOOK);
      return Result.RESYNC;
    }
    state = State.SYNCED;
    return Result.APPLIED;
  }

  private Result resync(InvalidReason reason, DepthDiff pending) {
    reset(reason);
    // the breaking diff is newer than anything applied and older than anything still buffered
    // (replay polls from the front): the next snapshot may start before it
    buffer.addFirst(pending);
    return Result.RESYNC;
  }
}
