package io.phoenix.sim.engine;

import io.phoenix.backtest.MarketData;
import io.phoenix.backtest.OrderBookView;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.ExchangeModel;
import io.phoenix.exchangemodel.ExchangeModelSettings;
import io.phoenix.exchangemodel.Latency;
import io.phoenix.exchangemodel.QueueModel;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.DepthDiff;
import io.phoenix.model.TimeInForce;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recorded market data played into the {@link SimExchange} on its clock: the book and the public
 * trades of the symbols the recording holds follow it, {@code speed} times as fast as recorded,
 * from the moment the exchange starts. The recorded liquidity is everyone else's; where our resting
 * orders stand in its queues, and which recorded trades reach them, the backtester's {@link
 * ExchangeModel} decides (one per symbol, with no latency of its own: the simulator's latency is
 * the real network's), so paper trading on the replay and a backtest of the same file fill by the
 * same rules.
 *
 * <p>The exchange's book of a replayed symbol holds the recorded levels (as resting orders of the
 * liquidity account) plus our orders, as Binance's public book would. After a recorded depth event
 * the exchange's book update id is the recorded one, so a client's snapshot of it can be compared
 * with the recording. Our taking orders consume displayed levels in the exchange's book until the
 * recording next updates those levels (the model itself has no market impact).
 *
 * <p>The book is empty until the recording's first REST snapshot. A sequence gap in the recording
 * leaves the book where it was until the next snapshot. When the recording ends the book stays as
 * last recorded and no recorded trades come any more.
 *
 * <p>Engine thread only, except {@link #nextDueMillis()}, which a timer reads to wake the engine.
 */
public final class RecordedMarket {
  private static final Logger log = LoggerFactory.getLogger(RecordedMarket.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;

  /** What the replay has done so far, for the admin view and tests. */
  public record Status(
      List<String> symbols,
      long events,
      long replayed,
      long skippedLines,
      long gaps,
      long ourFills,
      boolean ended) {}

  private final MarketData data;
  private final double speed;
  private final ExchangeModelSettings modelSettings;
  private final long firstRecvNanos;
  private final List<Replayed> replayed = new ArrayList<>();
  private Replayed[] byDataId = new Replayed[0];
  private Matching exchange;
  private long startMillis;
  private int next;
  private volatile long nextDueMillis = Long.MAX_VALUE;
  private boolean ended;
  private long gaps;
  private long ourFills;

  /**
   * One replayed symbol: the recorded book, the model that queues our orders in it, our orders in
   * it.
   */
  static final class Replayed {
    final SymbolMarket market;
    final io.phoenix.market.OrderBook book;
    final BookSynchronizer sync;
    final ExchangeModel model;
    final boolean hasMark;

    /** The recorded levels as the exchange's book holds them, by price. */
    final Map<Long, WorkingOrder> bidLiquidity = new HashMap<>();

    final Map<Long, WorkingOrder> askLiquidity = new HashMap<>();

    /** Our orders resting in the model, by the model's key (the order id). */
    final Map<String, WorkingOrder> ours = new HashMap<>();

    long modelNanos;

    Replayed(SymbolMarket market, ExchangeModelSettings settings, boolean hasMark) {
      this.market = market;
      this.book = new io.phoenix.market.OrderBook(market.index);
      // a recording holds one snapshot and diffs from before it: keep them all until it comes
      this.sync = new BookSynchronizer(book, 1 << 20);
      this.model =
          new ExchangeModel(
              market.instrument, settings, Latency.constant(0, 0), new OrderBookView(book));
      this.hasMark = hasMark;
    }

    long modelTime(long nowMillis) {
      modelNanos = Math.max(modelNanos, nowMillis * NANOS_PER_MILLI);
      return modelNanos;
    }
  }

  private RecordedMarket(MarketData data, double speed, ExchangeModelSettings modelSettings) {
    this.data = data;
    this.speed = speed;
    this.modelSettings = modelSettings;
    this.firstRecvNanos = data.size() == 0 ? 0 : data.recvNanos(0);
  }

  /**
   * Reads {@code files} for the {@code instruments} the exchange lists (their ids must be the
   * exchange's symbol order). Unreadable lines are skipped, counted and logged by the reader.
   *
   * @param makerFeeRate and {@code takerFeeRate}: only the model's own books use them; the exchange
   *     charges its accounts its configured fees
   */
  public static RecordedMarket load(
      List<Path> files,
      List<Instrument> instruments,
      double speed,
      QueueModel queue,
      double queuePower,
      double makerFeeRate,
      double takerFeeRate)
      throws IOException {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("replay speed must be positive, was " + speed);
    }
    MarketData data = MarketData.load(files, InstrumentRegistry.of(instruments));
    MarketData.Stats stats = data.stats();
    if (stats.skippedLines() > 0 || stats.truncatedFiles() > 0) {
      log.warn(
          "replay: {} of {} recorded lines skipped (not decodable: {}), {} truncated file(s)",
          stats.skippedLines(),
          stats.lines(),
          stats.decodeErrors(),
          stats.truncatedFiles());
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException(
          "the recordings " + files + " hold no market data for the listed symbols");
    }
    // the simulator enforces Binance's order limits itself: the model must never refuse on its own
    // account
    ExchangeModelSettings settings =
        new ExchangeModelSettings(
            queue,
            queuePower,
            makerFeeRate,
            takerFeeRate,
            Integer.MAX_VALUE / 2,
            Integer.MAX_VALUE / 2);
    log.info(
        "replay: {} events of {} from {} at {}x",
        data.size(),
        data.instruments().stream().map(Instrument::symbol).toList(),
        files,
        speed);
    return new RecordedMarket(data, speed, settings);
  }

  /** The symbols the recording replays; the others keep the synthetic model. */
  public List<String> symbols() {
    return data.instruments().stream().map(Instrument::symbol).toList();
  }

  /**
   * Wall-clock time (ms) the next record is due, or {@link Long#MAX_VALUE} once the recording
   * ended.
   */
  public long nextDueMillis() {
    return nextDueMillis;
  }

  // ------------------------------------------------------------------ exchange side

  /** Called by the exchange it replays into, before its market model starts. */
  void attach(Matching exchange, Map<String, SymbolMarket> markets, long startMillis) {
    this.exchange = exchange;
    this.startMillis = startMillis;
    int limit = 0;
    for (Instrument i : data.instruments()) {
      limit = Math.max(limit, i.id() + 1);
    }
    boolean[] marks = new boolean[limit];
    for (int i = 0; i < data.size(); i++) {
      if (data.kind(i) == MarketData.MARK) {
        marks[data.symbolId(i)] = true;
      }
    }
    byDataId = new Replayed[limit];
    for (Instrument i : data.instruments()) {
      SymbolMarket m = markets.get(i.symbol());
      if (m == null) {
        continue;
      }
      m.recorded = true;
      Replayed r = new Replayed(m, modelSettings, marks[i.id()]);
      byDataId[i.id()] = r;
      replayed.add(r);
    }
    nextDueMillis = dueMillis(0);
  }

  private long dueMillis(int i) {
    if (i >= data.size()) {
      return Long.MAX_VALUE;
    }
    return startMillis + (long) ((data.recvNanos(i) - firstRecvNanos) / (NANOS_PER_MILLI * speed));
  }

  /** Plays every record due by {@code nowMillis}. */
  void advanceTo(long nowMillis) {
    int n = data.size();
    while (next < n && dueMillis(next) <= nowMillis) {
      int i = next++;
      Replayed r = byDataId[data.symbolId(i)];
      if (r != null) {
        try {
          play(r, i, nowMillis);
        } catch (RuntimeException e) {
          // one bad record must not stop the market for every client
          log.error("replay: record {} failed", i, e);
        }
      }
    }
    nextDueMillis = dueMillis(next);
    if (next >= n && !ended) {
      ended = true;
      log.info(
          "replay: the recording ended; the replayed books stay as last recorded and no recorded trades follow");
    }
  }

  private void play(Replayed r, int i, long now) {
    SymbolMarket m = r.market;
    switch (data.kind(i)) {
      case MarketData.DEPTH -> {
        DepthDiff d = data.depth(i);
        BookSynchronizer.Result result = r.sync.onDiff(d);
        if (result == BookSynchronizer.Result.APPLIED) {
          applyDiff(r, d, now);
        } else if (result == BookSynchronizer.Result.RESYNC) {
          gaps++;
          log.warn(
              "replay: {} recording has a gap at update {} ({}): its book stands still until the next snapshot",
              m.symbol,
              d.finalUpdateId(),
              r.sync.invalidReason());
        }
      }
      case MarketData.SNAPSHOT -> {
        if (!r.sync.isValid()) {
          MarketData.Snapshot s = data.snapshot(i);
          BookSynchronizer.Result result =
              r.sync.onSnapshot(
                  s.lastUpdateId(), s.bidPrices(), s.bidQtys(), s.askPrices(), s.askQtys());
          if (result != BookSynchronizer.Result.RESYNC) {
            reload(r, now);
          }
        }
      }
      case MarketData.TRADE -> {
        long flags = data.c(i);
        boolean buyerMaker = (flags & MarketData.BUYER_MAKER) != 0;
        exchange.recordedTrade(m, data.a(i), data.b(i), buyerMaker, now);
        if (!r.ours.isEmpty()) {
          r.model.onTrade(
              r.modelTime(now),
              data.a(i),
              data.b(i),
              buyerMaker,
              (flags & MarketData.BOOK_TRADE) != 0);
          fills(r, now);
        }
      }
      case MarketData.MARK -> {
        m.markPriceTicks = data.a(i);
        m.indexPriceTicks = data.a(i);
        m.fundingRate = data.b(i) / 1e8;
      }
      default -> {
        // book tickers: the exchange derives its own from the replayed book
      }
    }
  }

  private void applyDiff(Replayed r, DepthDiff d, long now) {
    SymbolMarket m = r.market;
    int changes = d.bidPrices().length + d.askPrices().length;
    // each level change takes one id: start below the recorded final id so the last one is it
    exchange.raiseUpdateId(m, d.finalUpdateId() - changes);
    long t = r.modelTime(now);
    boolean ours = !r.ours.isEmpty();
    for (int k = 0; k < d.bidPrices().length; k++) {
      exchange.setRecordedLevel(m, Side.BUY, d.bidPrices()[k], d.bidQtys()[k], r.bidLiquidity, now);
      if (ours) {
        r.model.onLevel(t, true, d.bidPrices()[k], d.bidQtys()[k]);
      }
    }
    for (int k = 0; k < d.askPrices().length; k++) {
      exchange.setRecordedLevel(
          m, Side.SELL, d.askPrices()[k], d.askQtys()[k], r.askLiquidity, now);
      if (ours) {
        r.model.onLevel(t, false, d.askPrices()[k], d.askQtys()[k]);
      }
    }
    if (ours) {
      r.model.afterDepth(t);
      fills(r, now);
    }
    markFromBook(r);
  }

  /**
   * Replaces the exchange's recorded levels with the synchroniser's book (a snapshot was loaded).
   */
  private void reload(Replayed r, long now) {
    SymbolMarket m = r.market;
    io.phoenix.market.OrderBook b = r.book;
    Map<Long, Long> bids = new HashMap<>();
    Map<Long, Long> asks = new HashMap<>();
    for (int k = 0; k < b.bidLevels(); k++) {
      bids.put(b.bidPrice(k), b.bidQty(k));
    }
    for (int k = 0; k < b.askLevels(); k++) {
      asks.put(b.askPrice(k), b.askQty(k));
    }
    List<Long> goneBids = new ArrayList<>();
    for (Long p : r.bidLiquidity.keySet()) {
      if (!bids.containsKey(p)) {
        goneBids.add(p);
      }
    }
    List<Long> goneAsks = new ArrayList<>();
    for (Long p : r.askLiquidity.keySet()) {
      if (!asks.containsKey(p)) {
        goneAsks.add(p);
      }
    }
    exchange.raiseUpdateId(
        m, r.sync.lastUpdateId() - (goneBids.size() + goneAsks.size() + bids.size() + asks.size()));
    for (Long p : goneBids) {
      exchange.setRecordedLevel(m, Side.BUY, p, 0, r.bidLiquidity, now);
    }
    for (Long p : goneAsks) {
      exchange.setRecordedLevel(m, Side.SELL, p, 0, r.askLiquidity, now);
    }
    for (int k = 0; k < b.bidLevels(); k++) {
      exchange.setRecordedLevel(m, Side.BUY, b.bidPrice(k), b.bidQty(k), r.bidLiquidity, now);
    }
    for (int k = 0; k < b.askLevels(); k++) {
      exchange.setRecordedLevel(m, Side.SELL, b.askPrice(k), b.askQty(k), r.askLiquidity, now);
    }
    if (!r.ours.isEmpty()) {
      r.model.onBookReloaded(r.modelTime(now));
      fills(r, now);
    }
    markFromBook(r);
  }

  /**
   * Recordings without mark prices (the shipped one): the mid stands in, as the backtester's proxy
   * does.
   */
  private void markFromBook(Replayed r) {
    if (r.hasMark) {
      return;
    }
    double mid = r.book.mid();
    if (!Double.isNaN(mid)) {
      long ticks = Math.round(mid);
      r.market.markPriceTicks = ticks;
      r.market.indexPriceTicks = ticks;
    }
  }

  /** Hands the model's fills of our orders to the exchange. */
  private void fills(Replayed r, long now) {
    Response x;
    while ((x = r.model.pollResponse(Long.MAX_VALUE)) != null) {
      if (x instanceof Response.Fill f) {
        WorkingOrder o = r.ours.get(f.clientId());
        if (o == null || !o.isOpen()) {
          continue;
        }
        // the exchange may have filled part of the order itself (another account's taker)
        long qty = Math.min(f.qtySteps(), o.remaining());
        if (qty > 0) {
          ourFills++;
          exchange.fillFromRecording(o, qty, f.priceTicks(), now);
        }
      }
    }
  }

  // ------------------------------------------------------------------ our orders

  /**
   * The exchange's matching tells the queue model through this when our orders join or leave a
   * book.
   */
  Matching.RestingWatcher queueWatcher() {
    return new Matching.RestingWatcher() {
      @Override
      public void rested(WorkingOrder o, long now) {
        RecordedMarket.this.rested(o, now);
      }

      @Override
      public void left(WorkingOrder o, long now) {
        RecordedMarket.this.left(o, now);
      }
    };
  }

  /**
   * Our order {@code o} now rests in the exchange's book of a replayed symbol: it joins the model's
   * queue.
   */
  void rested(WorkingOrder o, long now) {
    Replayed r = replayedOf(o.market);
    if (r == null) {
      return;
    }
    String key = Long.toString(o.orderId);
    r.ours.put(key, o);
    long t = r.modelTime(now);
    // post-only: an order the exchange let rest does not cross the recorded book, unless our own
    // taking
    // emptied levels the recording still shows; the model then refuses it and it waits for others'
    // trades
    r.model.place(t, key, o.side == Side.BUY, o.priceTicks, o.remaining(), TimeInForce.GTX);
    r.model.advanceTo(t);
    Response x;
    while ((x = r.model.pollResponse(Long.MAX_VALUE)) != null) {
      if (x instanceof Response.Rejected rej) {
        r.ours.remove(key);
        log.debug("replay: order {} rests outside the queue model ({})", key, rej.code());
      }
    }
  }

  /**
   * Our order {@code o} left the exchange's book (cancelled, amended, filled by the exchange's own
   * matching).
   */
  void left(WorkingOrder o, long now) {
    Replayed r = replayedOf(o.market);
    if (r == null || r.ours.remove(Long.toString(o.orderId)) == null) {
      return;
    }
    String key = Long.toString(o.orderId);
    if (r.model.queueAhead(key) >= 0) {
      long t = r.modelTime(now);
      r.model.cancel(t, key);
      r.model.advanceTo(t);
      // only the cancel's answer is waiting: fills are always handed over at once
      while (r.model.pollResponse(Long.MAX_VALUE) != null) {
        // drained
      }
    }
  }

  private Replayed replayedOf(SymbolMarket m) {
    for (int k = 0; k < replayed.size(); k++) {
      if (replayed.get(k).market == m) {
        return replayed.get(k);
      }
    }
    return null;
  }

  /** The queue ahead of our order (steps), or -1 when it is not in the model: for tests. */
  double queueAhead(SymbolMarket m, long orderId) {
    Replayed r = replayedOf(m);
    return r == null ? -1 : r.model.queueAhead(Long.toString(orderId));
  }

  public Status status() {
    return new Status(
        symbols(), data.size(), next, data.stats().skippedLines(), gaps, ourFills, ended);
  }
}
