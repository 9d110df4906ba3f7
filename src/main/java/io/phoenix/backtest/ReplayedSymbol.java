package io.phoenix.backtest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.ExchangeModel;
import io.phoenix.exchangemodel.ExchangeModelSettings;
import io.phoenix.exchangemodel.Latency;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.OrderBook;
import io.phoenix.market.SyncedBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One symbol of a backtest: its two books (the quoter's, kept by the live {@link SyncedBook} on
 * receive time, and the venue's on exchange time), its {@link ExchangeModel}, and what the report
 * needs of it (mids for markouts, fills, the position over time, counts).
 */
final class ReplayedSymbol {
  /** No time: nothing is scheduled. */
  static final long NONE = Long.MAX_VALUE;

  final Instrument instrument;
  final int id;
  final FeedMetrics metrics;
  final SyncedBook local;
  final OrderBook exBook;
  final BookSynchronizer exSync;
  final ExchangeModel model;
  long fetchDueAt = NONE;
  long lastEventNanos;
  boolean stale;
  boolean hasMark;
  long gaps;
  long snapshotsUsed;
  long ordersSent;
  long cancelsSent;
  // exchange-side mid over time, for markouts and valuation
  long[] midTimes = new long[1024];
  double[] mids = new double[1024];
  int midCount;
  double lastMid = Double.NaN;
  // our fills at exchange time
  final List<Response.Fill> fills = new ArrayList<>();
  long posSteps;
  long posSince;
  double posIntegral;
  double absPosIntegral;
  long maxAbsPos;

  /**
   * @param host the local book's host, made for this symbol: the strategy's reactions and a fetch
   *     timer on virtual time
   * @param clock the backtest's virtual time in nanoseconds
   */
  ReplayedSymbol(
      Instrument instrument,
      FeedSettings feedSettings,
      ExchangeModelSettings exchange,
      Latency latency,
      Logger log,
      Function<ReplayedSymbol, SyncedBook.Host> host,
      LongSupplier clock) {
    this.instrument = instrument;
    this.id = instrument.id();
    this.metrics = new FeedMetrics(new SimpleMeterRegistry(), "backtest", List.of(instrument));
    this.local =
        new SyncedBook(
            instrument,
            (symbol, limit) -> new CompletableFuture<>(),
            feedSettings,
            metrics,
            log,
            host.apply(this),
            clock);
    // the venue's book as the recording shows it, capped like the quoter's: both hold the levels a
    // snapshot and the diffs since can vouch for, and our orders rest far inside either
    this.exBook =
        new OrderBook(instrument.id(), feedSettings.bookMaxLevels(), feedSettings.bookMaxLevels());
    this.exSync = new BookSynchronizer(exBook, feedSettings.maxBufferedDiffs());
    this.model = new ExchangeModel(instrument, exchange, latency, new OrderBookView(exBook));
  }

  void mid(long t) {
    if (!exSync.isValid()) {
      return;
    }
    double mid = exBook.mid();
    if (Double.isNaN(mid) || mid == lastMid) {
      return;
    }
    lastMid = mid;
    if (midCount == midTimes.length) {
      midTimes = Arrays.copyOf(midTimes, midCount * 2);
      mids = Arrays.copyOf(mids, midCount * 2);
    }
    midTimes[midCount] = t;
    mids[midCount] = mid;
    midCount++;
  }

  /** The mid at or before {@code t}, NaN before the first. */
  double midAt(long t) {
    int i = Arrays.binarySearch(midTimes, 0, midCount, t);
    if (i < 0) {
      i = -i - 2;
    } else {
      while (i + 1 < midCount && midTimes[i + 1] == t) {
        i++;
      }
    }
    return i < 0 ? Double.NaN : mids[i];
  }

  void position(long t, long steps) {
    long dt = t - posSince;
    if (dt > 0) {
      posIntegral += (double) posSteps * dt;
      absPosIntegral += (double) Math.abs(posSteps) * dt;
    }
    posSince = t;
    posSteps = steps;
    maxAbsPos = Math.max(maxAbsPos, Math.abs(steps));
  }
}
