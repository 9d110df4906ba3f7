package io.phoenix.market;

import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthSnapshotReader;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One symbol's local book kept in sync with the exchange: the {@link OrderBook}, its {@link
 * BookSynchronizer} and the REST snapshot fetches a break calls for (at most one per {@code
 * snapshot-min-interval}, while diffs keep arriving).
 *
 * <p>Not an actor: its host supplies, through {@link Host}, a timer, a way of getting a future's
 * result back onto its own thread, and where the book's news goes. In the running system the host
 * is an actor through {@link HostedBook} (the symbol's quoter, or a {@link BookActor} for a feed
 * used alone); the backtester hosts it on virtual time. Everything here runs on the host's thread.
 */
public final class SyncedBook implements TopOfBook {

  /** Where the book's news goes: the host's own reaction. */
  public interface Listener {
    /**
     * The top may have moved: a diff applied, a snapshot completed a resync, or a {@code
     * bookTicker} newer than the book arrived (read the top from {@link SyncedBook}, which knows).
     */
    void bookUpdated(long eventTime, long receiveNanos);

    /** The book broke and is being resynchronised: quotes built on it must go. */
    void bookInvalidated(InvalidReason reason);
  }

  /**
   * What the host provides: its reaction to the book's news, a timer and a way back onto its
   * thread.
   */
  public interface Host extends Listener {
    /** Deliver the fetch's outcome to {@link #onSnapshot} on the host's thread. */
    void pipeSnapshot(CompletionStage<byte[]> fetch);

    /** Call {@link #onFetchDue} after {@code delay} (one pending timer at most). */
    void scheduleFetch(Duration delay);

    boolean fetchScheduled();
  }

  private final Instrument instrument;
  private final DepthSnapshotClient client;
  private final FeedSettings settings;
  private final FeedMetrics metrics;
  private final Logger log;
  private final Host host;
  private final LongSupplier nanoClock;
  private final OrderBook book;
  private final BookSynchronizer sync;
  private final DepthSnapshotReader snapshot = new DepthSnapshotReader();
  private boolean fetching;
  private long lastFetchNanos = Long.MIN_VALUE;
  // the newest bookTicker; its top stands while it is newer than the last applied diff
  private long tickerUpdateId;
  private long tickerBidPrice;
  private long tickerBidQty;
  private long tickerAskPrice;
  private long tickerAskQty;

  public SyncedBook(
      Instrument instrument,
      DepthSnapshotClient client,
      FeedSettings settings,
      FeedMetrics metrics,
      Logger log,
      Host host) {
    this(instrument, client, settings, metrics, log, host, System::nanoTime);
  }

  /**
   * @param nanoClock the host's clock in nanoseconds: {@link System#nanoTime} for an actor, the
   *     virtual time of a backtest (snapshot pacing then follows replayed time, not the machine's)
   */
  public SyncedBook(
      Instrument instrument,
      DepthSnapshotClient client,
      FeedSettings settings,
      FeedMetrics metrics,
      Logger log,
      Host host,
      LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.instrument = instrument;
    this.client = client;
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    this.host = host;
    this.book = new OrderBook(instrument.id(), settings.bookMaxLevels(), settings.bookMaxLevels());
    this.sync = new BookSynchronizer(book, settings.maxBufferedDiffs());
  }

  /**
   * The book, for reading only (top of book, depth, microprice); valid only if {@link #isValid}.
   */
  public OrderBook book() {
    return book;
  }

  public boolean isValid() {
    return sync.isValid();
  }

  /** Whether the top comes from a {@code bookTicker} newer than the book's last diff. */
  public boolean tickerAhead() {
    return tickerUpdateId > sync.lastUpdateId() && sync.isValid();
  }

  @Override
  public long bestBidPrice() {
    return tickerAhead() ? tickerBidPrice : book.bestBidPrice();
  }

  @Override
  public long bestBidQty() {
    return tickerAhead() ? tickerBidQty : book.bestBidQty();
  }

  @Override
  public long bestAskPrice() {
    return tickerAhead() ? tickerAskPrice : book.bestAskPrice();
  }

  @Override
  public long bestAskQty() {
    return tickerAhead() ? tickerAskQty : book.bestAskQty();
  }

  /**
   * A {@code bookTicker} ({@link TickerTop}): newer than the book and than the last ticker, its top
   * is the book's top until a diff at least as new is applied, and the host hears of it at once.
   * Ignored with {@code phoenix.feed.ticker-top = off}, while the book is out of sync (its ids mean
   * nothing then), when older, or when crossed or one-sided.
   *
   * @return whether it became the top
   */
  public boolean onTicker(TickerTop top) {
    if (!settings.tickerTop()
        || !sync.isValid()
        || top.updateId() <= sync.lastUpdateId()
        || top.updateId() <= tickerUpdateId
        || !top.sane()) {
      return false;
    }
    tickerUpdateId = top.updateId();
    tickerBidPrice = top.bidPrice();
    tickerBidQty = top.bidQty();
    tickerAskPrice = top.askPrice();
    tickerAskQty = top.askQty();
    host.bookUpdated(top.eventTime(), top.receiveNanos());
    return true;
  }

  public long lastUpdateId() {
    return sync.lastUpdateId();
  }

  /** One diff, in arrival order, from the feed carrying this symbol's depth stream. */
  public void onDiff(DepthDiff diff) {
    handle(sync.onDiff(diff), diff.eventTime(), diff.receiveNanos());
  }

  /**
   * The socket carrying the symbol dropped (or its feed restarted): events may have been lost. The
   * snapshot is fetched once diffs flow again; one taken now would predate them.
   */
  public void onDisconnected() {
    tickerUpdateId = 0;
    sync.invalidate(InvalidReason.DISCONNECTED);
    host.bookInvalidated(InvalidReason.DISCONNECTED);
  }

  /** The whole book (diagnostics and tests; allocates). */
  public BookSnapshot snapshot() {
    return new BookSnapshot(
        instrument.id(),
        sync.isValid(),
        sync.invalidReason(),
        sync.lastUpdateId(),
        book.bidPrices(Integer.MAX_VALUE),
        book.bidQtys(Integer.MAX_VALUE),
        book.askPrices(Integer.MAX_VALUE),
        book.askQtys(Integer.MAX_VALUE));
  }

  /** The host's fetch timer fired. */
  public void onFetchDue() {
    if (!fetching && !sync.isValid()) {
      fetch();
    }
  }

  /** The outcome of a fetch started through {@link Host#pipeSnapshot}. */
  public void onSnapshot(byte[] body, Throwable failure) {
    fetching = false;
    if (failure != null) {
      log.warn("Depth snapshot of {} failed: {}", instrument.symbol(), failure.toString());
      retryLater();
      return;
    }
    DecodeError error = snapshot.decode(body, instrument);
    if (error != null) {
      metrics.decodeError(instrument.id());
      log.warn("Depth snapshot of {} rejected: {}", instrument.symbol(), error);
      retryLater();
      return;
    }
    BookSynchronizer.Result outcome = sync.onSnapshot(snapshot);
    log.info(
        "Loaded depth snapshot of {} at update id {}: {}",
        instrument.symbol(),
        snapshot.lastUpdateId(),
        outcome);
    if (outcome != BookSynchronizer.Result.BUFFERED) {
      // BUFFERED here means loaded and waiting for the first spanning diff: nothing to fetch
      handle(outcome, snapshot.eventTime(), nanoClock.getAsLong());
    }
  }

  private void handle(BookSynchronizer.Result result, long eventTime, long receiveNanos) {
    switch (result) {
      case APPLIED -> host.bookUpdated(eventTime, receiveNanos);
      case BUFFERED -> requestSnapshot();
      case RESYNC -> {
        InvalidReason reason = sync.invalidReason();
        if (reason == InvalidReason.SEQUENCE_GAP || reason == InvalidReason.SNAPSHOT_TOO_OLD) {
          metrics.gap(instrument.id());
        }
        tickerUpdateId = 0;
        log.warn("Book of {} invalid ({}); resynchronising", instrument.symbol(), reason);
        host.bookInvalidated(reason);
        requestSnapshot();
      }
      case STALE -> {
        // older than the book: nothing to do
      }
    }
  }

  /** Fetches a snapshot now, or once the minimum interval since the last one has passed. */
  private void requestSnapshot() {
    if (fetching || host.fetchScheduled() || sync.isValid()) {
      return;
    }
    long sinceLast = nanoClock.getAsLong() - lastFetchNanos;
    long minInterval = settings.snapshotMinInterval().toNanos();
    if (lastFetchNanos != Long.MIN_VALUE && sinceLast < minInterval) {
      host.scheduleFetch(Duration.ofNanos(minInterval - sinceLast));
      return;
    }
    fetch();
  }

  private void fetch() {
    fetching = true;
    lastFetchNanos = nanoClock.getAsLong();
    metrics.resync(instrument.id());
    host.pipeSnapshot(
        client
            .fetch(instrument.symbol(), settings.snapshotLimit())
            .toCompletableFuture()
            .orTimeout(settings.snapshotTimeout().toMillis(), TimeUnit.MILLISECONDS));
  }

  private void retryLater() {
    if (!host.fetchScheduled()) {
      host.scheduleFetch(settings.snapshotMinInterval());
    }
  }
}
