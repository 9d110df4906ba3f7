package io.phoenix.market;

import static io.phoenix.market.BookSynchronizer.Result.APPLIED;
import static io.phoenix.market.BookSynchronizer.Result.BUFFERED;
import static io.phoenix.market.BookSynchronizer.Result.RESYNC;
import static io.phoenix.market.BookSynchronizer.Result.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BookSynchronizerTest {
  private final OrderBook book = new OrderBook(0);
  private final BookSynchronizer sync = new BookSynchronizer(book, 100);

  @AfterEach
  void invariantsHold() {
    book.validateInvariants();
  }

  private static DepthDiff diff(long first, long last, long prev, long[] bids, long[] asks) {
    long[] bp = new long[bids.length / 2];
    long[] bq = new long[bids.length / 2];
    for (int i = 0; i < bp.length; i++) {
      bp[i] = bids[2 * i];
      bq[i] = bids[2 * i + 1];
    }
    long[] ap = new long[asks.length / 2];
    long[] aq = new long[asks.length / 2];
    for (int i = 0; i < ap.length; i++) {
      ap[i] = asks[2 * i];
      aq[i] = asks[2 * i + 1];
    }
    return new DepthDiff(0, 0, 0, first, last, prev, bp, bq, ap, aq, 0);
  }

  private static DepthDiff diff(long first, long last, long prev) {
    return diff(first, last, prev, new long[0], new long[0]);
  }

  private static long[] levels(long... priceQty) {
    return priceQty;
  }

  /** Snapshot L=100: bids 99x5, 98x5; asks 101x5, 102x5. */
  private BookSynchronizer.Result snapshot100() {
    return sync.onSnapshot(
        100, new long[] {99, 98}, new long[] {5, 5}, new long[] {101, 102}, new long[] {5, 5});
  }

  @Test
  void buffersUntilSnapshotThenDropsStaleAndAppliesSpanningEvent() {
    assertEquals(BUFFERED, sync.onDiff(diff(80, 90, 70, levels(99, 1), levels())));
    assertEquals(BUFFERED, sync.onDiff(diff(91, 99, 90, levels(99, 2), levels())));
    assertEquals(BUFFERED, sync.onDiff(diff(100, 110, 99, levels(99, 7), levels())));
    assertEquals(BUFFERED, sync.onDiff(diff(111, 120, 110, levels(), levels(101, 0))));
    assertFalse(sync.isValid());
    assertEquals(APPLIED, snapshot100());
    assertTrue(sync.isValid());
    assertNull(sync.invalidReason());
    assertEquals(120, sync.lastUpdateId());
    // the two stale events (u < 100) were not applied: 99 holds the spanning event's 7
    assertEquals(7, book.bidQtyAt(99));
    assertEquals(102, book.bestAskPrice());
  }

  @Test
  void spanningEventMayStartExactlyAtOrBeforeL() {
    snapshot100();
    assertEquals(STALE, sync.onDiff(diff(90, 99, 80)));
    assertFalse(sync.isValid());
    assertEquals(APPLIED, sync.onDiff(diff(95, 100, 90, levels(97, 1), levels())));
    assertTrue(sync.isValid());
    assertEquals(1, book.bidQtyAt(97));
  }

  @Test
  void eventEndingBeforeLIsStaleEvenAfterSync() {
    snapshot100();
    sync.onDiff(diff(100, 105, 99));
    assertEquals(STALE, sync.onDiff(diff(90, 104, 80, levels(99, 1), levels())));
    assertEquals(5, book.bidQtyAt(99));
    assertTrue(sync.isValid());
  }

  @Test
  void firstEventAfterLIsAGapAndSnapshotTooOld() {
    snapshot100();
    assertEquals(RESYNC, sync.onDiff(diff(101, 110, 100)));
    assertFalse(sync.isValid());
    assertEquals(InvalidReason.SNAPSHOT_TOO_OLD, sync.invalidReason());
    assertEquals(0, book.bidLevels());
    // the breaking event was kept: a newer snapshot that it spans completes the sync
    assertEquals(1, sync.buffered());
    assertEquals(
        APPLIED,
        sync.onSnapshot(105, new long[] {99}, new long[] {1}, new long[] {101}, new long[] {1}));
    assertEquals(110, sync.lastUpdateId());
  }

  @Test
  void puMismatchRequestsResyncAndKeepsBuffering() {
    snapshot100();
    assertEquals(APPLIED, sync.onDiff(diff(95, 105, 90)));
    assertEquals(APPLIED, sync.onDiff(diff(106, 110, 105)));
    assertEquals(RESYNC, sync.onDiff(diff(115, 120, 112)));
    assertEquals(InvalidReason.SEQUENCE_GAP, sync.invalidReason());
    assertEquals(BUFFERED, sync.onDiff(diff(121, 130, 120, levels(98, 9), levels())));
    assertEquals(
        APPLIED,
        sync.onSnapshot(118, new long[] {98}, new long[] {1}, new long[] {101}, new long[] {1}));
    assertTrue(sync.isValid());
    assertEquals(9, book.bidQtyAt(98));
    assertEquals(130, sync.lastUpdateId());
  }

  @Test
  void gapInsideBufferedReplayKeepsLaterEventsBuffered() {
    sync.onDiff(diff(95, 105, 90));
    sync.onDiff(diff(120, 125, 118)); // gap: pu 118 != 105
    sync.onDiff(diff(126, 130, 125));
    assertEquals(RESYNC, snapshot100());
    assertEquals(InvalidReason.SEQUENCE_GAP, sync.invalidReason());
    assertEquals(2, sync.buffered());
    assertEquals(
        APPLIED,
        sync.onSnapshot(122, new long[] {1}, new long[] {1}, new long[] {2}, new long[] {1}));
    assertEquals(130, sync.lastUpdateId());
  }

  @Test
  void crossedBookAfterUpdateInvalidates() {
    snapshot100();
    sync.onDiff(diff(95, 105, 90));
    assertEquals(RESYNC, sync.onDiff(diff(106, 110, 105, levels(101, 3), levels())));
    assertEquals(InvalidReason.CROSSED_BOOK, sync.invalidReason());
    assertFalse(sync.isValid());
    assertEquals(0, book.bidLevels());
  }

  @Test
  void crossedSnapshotInvalidates() {
    assertEquals(
        RESYNC,
        sync.onSnapshot(100, new long[] {101}, new long[] {1}, new long[] {100}, new long[] {1}));
    assertEquals(InvalidReason.CROSSED_BOOK, sync.invalidReason());
  }

  @Test
  void zeroQuantityRemovesLevelAndUnknownDeletionIsHarmless() {
    snapshot100();
    assertEquals(
        APPLIED, sync.onDiff(diff(95, 105, 90, levels(99, 0, 50, 0), levels(102, 0, 500, 0))));
    assertTrue(sync.isValid());
    assertEquals(98, book.bestBidPrice());
    assertEquals(1, book.bidLevels());
    assertEquals(1, book.askLevels());
  }

  @Test
  void latestUpdateForAPriceWins() {
    snapshot100();
    sync.onDiff(diff(95, 105, 90, levels(97, 1, 97, 4), levels()));
    assertEquals(4, book.bidQtyAt(97));
  }

  @Test
  void invalidateDropsBookAndBuffer() {
    snapshot100();
    sync.onDiff(diff(95, 105, 90));
    sync.invalidate(InvalidReason.DISCONNECTED);
    assertFalse(sync.isValid());
    assertEquals(InvalidReason.DISCONNECTED, sync.invalidReason());
    assertEquals(0, book.askLevels());
    assertEquals(BUFFERED, sync.onDiff(diff(106, 110, 105)));
  }

  @Test
  void bufferOverflowDropsOldest() {
    BookSynchronizer small = new BookSynchronizer(new OrderBook(0), 2);
    small.onDiff(diff(1, 2, 0));
    small.onDiff(diff(3, 4, 2));
    small.onDiff(diff(5, 6, 4));
    assertEquals(2, small.buffered());
    assertEquals(1, small.bufferOverflows());
    assertEquals(APPLIED, small.onSnapshot(3, new long[0], new long[0], new long[0], new long[0]));
    assertEquals(6, small.lastUpdateId());
  }

  @Test
  void snapshotWithNothingBufferedWaitsForSpanningEvent() {
    assertEquals(BUFFERED, snapshot100());
    assertFalse(sync.isValid());
    assertEquals(APPLIED, sync.onDiff(diff(100, 100, 99)));
    assertTrue(sync.isValid());
  }
}
