package io.phoenix.backtest;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.ExchangeModel;
import io.phoenix.exchangemodel.Latency;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.DepthDiff;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.InvalidReason;
import io.phoenix.market.OrderBook;
import io.phoenix.market.SyncedBook;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backtest: recorded market data replayed on virtual time through a {@link Strategy} (the
 * node's own quoter and risk code, {@link PhoenixStrategy}) and an {@link ExchangeModel} per
 * symbol. No actors, no sockets, one thread.
 *
 * <p>Two clocks run over the same events. The exchange side applies each message at its exchange
 * time (the event time on the recorder's clock, or the receive time less a constant feed latency)
 * to its own copy of the book, which is the liquidity our orders meet. The local side gets each
 * message at its recorded receive time: depth goes through the live {@link SyncedBook} (snapshot
 * and diff sequencing as the quoter does it), and the strategy reacts after its decision latency.
 * Orders travel with the model's entry latency, answers and fills come back with its response
 * latency. Events are handled in time order; at equal times exchange-side data goes first.
 */
public final class Backtest {
  private static final Logger log = LoggerFactory.getLogger(Backtest.class);
  /** Markout horizons of the curve; 100 ms, 1 s and 10 s also go into the summary. */
  static final long[] MARKOUT_MILLIS = {0, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000};
  private static final long NONE = Long.MAX_VALUE;
  private static final long MINUTE = 60_000_000_000L;

  private final MarketData data;
  private final BacktestSettings settings;
  private final FeedSettings feedSettings;
  private final Strategy strategy;
  private final Latency latency;
  private final Map<String, String> overrides;
  private final Sym[] syms;
  private final List<Sym> symList = new ArrayList<>();

  private long now;
  private long requotes;
  private long ordersSent;
  private long cancelsSent;
  private final Sampler sampler = new Sampler();

  /**
   * @param config the node's configuration: phoenix.quoter, risk, feed, guardian and backtest
   * @param strategy the local side; {@link #phoenix} for the node's own
   * @param overrides the settings a sweep changed, for the report
   */
  public Backtest(MarketData data, Config config, Strategy strategy, Map<String, String> overrides) {
    this.data = data;
    this.settings = BacktestSettings.fromConfig(config);
    this.feedSettings = FeedSettings.fromConfig(config);
    this.strategy = strategy;
    this.overrides = overrides;
    this.latency = settings.roundTripsFile().isEmpty()
        ? Latency.constant(settings.orderEntry().toNanos(), settings.response().toNanos())
        : Latency.sampled(RoundTrips.read(java.nio.file.Path.of(settings.roundTripsFile())), settings.seed());
    int size = 0;
    for (Instrument i : data.instruments()) {
      size = Math.max(size, i.id() + 1);
    }
    syms = new Sym[size];
    for (Instrument i : data.instruments()) {
      Sym s = new Sym(i);
      syms[i.id()] = s;
      symList.add(s);
    }
  }

  /**
   * The strategy {@code phoenix.backtest.strategy} names: {@code phoenix} (the node's own, below)
   * or {@code join-touch} (the {@link JoinTouchStrategy} baseline, on the node's order size and
   * soft position limit).
   */
  public static Strategy strategy(Config config, List<Instrument> instruments) {
    io.phoenix.config.ConfigReader r = new io.phoenix.config.ConfigReader(config, "phoenix.backtest");
    String name = r.string("strategy").trim();
    return switch (name) {
      case "phoenix" -> phoenix(config, instruments);
      case "join-touch" -> new JoinTouchStrategy(QuoterSettings.fromConfig(config), instruments);
      default -> throw new io.phoenix.config.SettingsException(r.key("strategy"), "must be phoenix or join-touch, was " + name);
    };
  }

  /** The node's strategy with the node's settings from {@code config}. */
  public static PhoenixStrategy phoenix(Config config, List<Instrument> instruments) {
    BacktestSettings backtest = BacktestSettings.fromConfig(config);
    return new PhoenixStrategy(QuoterSettings.fromConfig(config), RiskSettings.fromConfig(config),
        GuardianSettings.fromConfig(config).riskCheckInterval(), instruments)
        .venueFees(backtest.exchange().makerFeeRate(), backtest.exchange().takerFeeRate());
  }

  /** One symbol's two books, its exchange model and what the report needs of it. */
  private final class Sym {
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

    Sym(Instrument instrument) {
      this.instrument = instrument;
      this.id = instrument.id();
      this.metrics = new FeedMetrics(new SimpleMeterRegistry(), "backtest", List.of(instrument));
      this.local = new SyncedBook(instrument, (symbol, limit) -> new CompletableFuture<>(), feedSettings, metrics, log, new LocalHost(this),
          () -> now);
      // the venue's book as the recording shows it, capped like the quoter's: both hold the levels a
      // snapshot and the diffs since can vouch for, and our orders rest far inside either
      this.exBook = new OrderBook(instrument.id(), feedSettings.bookMaxLevels(), feedSettings.bookMaxLevels());
      this.exSync = new BookSynchronizer(exBook, feedSettings.maxBufferedDiffs());
      this.model = new ExchangeModel(instrument, settings.exchange(), latency, new OrderBookView(exBook));
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

  /** The local book's host: the quoter's reactions, snapshots from the recording, a virtual fetch timer. */
  private final class LocalHost implements SyncedBook.Host {
    private final Sym sym;

    LocalHost(Sym sym) {
      this.sym = sym;
    }

    @Override
    public void bookUpdated(long eventTime, long receiveNanos) {
      strategy.onBook(sym.id, now);
    }

    @Override
    public void bookInvalidated(InvalidReason reason) {
      if (reason == InvalidReason.SEQUENCE_GAP || reason == InvalidReason.SNAPSHOT_TOO_OLD) {
        sym.gaps++;
      }
      strategy.onBookInvalid(sym.id, now);
    }

    @Override
    public void pipeSnapshot(CompletionStage<byte[]> fetch) {
      // a replay cannot ask the venue: the next recorded snapshot answers (see onLocal)
    }

    @Override
    public void scheduleFetch(Duration delay) {
      sym.fetchDueAt = now + delay.toNanos();
    }

    @Override
    public boolean fetchScheduled() {
      return sym.fetchDueAt != NONE;
    }
  }


  private final Strategy.Context context = new Strategy.Context() {

    @Override
    public Instrument instrument(int symbolId) {
      return syms[symbolId].instrument;
    }

    @Override
    public OrderBook book(int symbolId) {
      return syms[symbolId].local.book();
    }

    @Override
    public void place(int symbolId, long t, String clientId, boolean buy, long priceTicks, long qtySteps, TimeInForce tif) {
      ordersSent++;
      syms[symbolId].ordersSent++;
      syms[symbolId].model.place(t, clientId, buy, priceTicks, qtySteps, tif);
    }

    @Override
    public void cancel(int symbolId, long t, String clientId) {
      cancelsSent++;
      syms[symbolId].cancelsSent++;
      syms[symbolId].model.cancel(t, clientId);
    }

    @Override
    public void amend(int symbolId, long t, String clientId, long priceTicks, long qtySteps) {
      ordersSent++;
      syms[symbolId].ordersSent++;
      syms[symbolId].model.amend(t, clientId, priceTicks, qtySteps);
    }

    @Override
    public void cancelAll(int symbolId, long t) {
      cancelsSent++;
      syms[symbolId].cancelsSent++;
      syms[symbolId].model.cancelAll(t);
    }

    @Override
    public void requestRequote(int symbolId, long t) {
      if (t < windowStart) {
        return; // before the window the strategy watches but does not trade
      }
      if (requoteAt[symbolId] == NONE) {
        requoteAt[symbolId] = t + settings.decision().toNanos();
      }
    }
  };

  private long[] requoteAt;
  private long windowStart;
  private BookWatcher watcher;

  /** Sees both books after every depth message; for tests that compare them with the live code's. */
  interface BookWatcher {
    void local(DepthDiff diff, OrderBook book, boolean valid);

    void exchange(DepthDiff diff, OrderBook book, boolean valid);
  }

  void watchBooks(BookWatcher watcher) {
    this.watcher = watcher;
  }

  /** Runs the whole recording and returns the report's numbers. */
  public BacktestResult run() {
    int n = data.size();
    if (n == 0) {
      throw new IllegalArgumentException("the recording holds no market data");
    }
    long[] exch = exchangeTimes();
    requoteAt = new long[syms.length];
    Arrays.fill(requoteAt, NONE);
    long first = data.recvNanos(0);
    long last = data.recvNanos(n - 1);
    long start = first + Math.round(settings.windowFrom() * (last - first));
    long end = first + Math.round(settings.windowTo() * (last - first));
    windowStart = start;
    now = first;
    for (Sym s : symList) {
      s.lastEventNanos = first;
      s.posSince = start;
    }
    for (int i = 0; i < n; i++) {
      if (data.kind(i) == MarketData.MARK) {
        syms[data.symbolId(i)].hasMark = true;
      }
    }
    strategy.start(context, first);
    long timerPeriod = Math.max(1, strategy.timerNanos());
    long nextTimer = first + timerPeriod;
    long markPeriod = settings.markProxyInterval().toNanos();
    long nextMark = first;
    long samplePeriod = settings.sampleInterval().toNanos();
    long nextSample = start;
    sampler.start(start);
    int ie = 0;
    int il = 0;
    while (il < n) {
      long tE = ie < n ? exch[ie] : NONE;
      long tL = data.recvNanos(il);
      long tA = NONE;
      long tR = NONE;
      long tQ = NONE;
      long tF = NONE;
      for (Sym s : symList) {
        tA = Math.min(tA, s.model.nextArrivalNanos());
        tR = Math.min(tR, s.model.nextResponseNanos());
        tQ = Math.min(tQ, requoteAt[s.id]);
        tF = Math.min(tF, s.fetchDueAt);
      }
      long tT = Math.min(nextTimer, Math.min(nextMark, nextSample));
      long t = Math.min(Math.min(Math.min(tE, tL), Math.min(tA, tR)), Math.min(Math.min(tQ, tF), tT));
      if (t > end) {
        break;
      }
      now = t;
      if (tE == t) {
        onExchange(ie++, t);
      } else if (tA == t) {
        for (Sym s : symList) {
          s.model.advanceTo(t);
        }
      } else if (tR == t) {
        deliver(t);
      } else if (tL == t) {
        onLocal(il++, t);
      } else if (tQ == t) {
        for (Sym s : symList) {
          if (requoteAt[s.id] == t) {
            requoteAt[s.id] = NONE;
            requotes++;
            strategy.onRequote(s.id, t);
          }
        }
      } else if (tF == t) {
        for (Sym s : symList) {
          if (s.fetchDueAt == t) {
            s.fetchDueAt = NONE;
            s.local.onFetchDue();
          }
        }
      } else if (nextMark == t) {
        nextMark = t + markPeriod;
        markProxies(t);
      } else if (nextTimer == t) {
        nextTimer = t + timerPeriod;
        staleChecks(t);
        strategy.onTimer(t);
      } else {
        nextSample = t + samplePeriod;
        if (t >= start) {
          sample(t);
        }
      }
    }
    now = end;
    deliver(end);
    sample(end);
    for (Sym s : symList) {
      s.position(end, s.posSteps);
    }
    return result(start, end);
  }

  /** Exchange time of each event: the event time on the recorder's clock, or receive time less a constant. */
  private long[] exchangeTimes() {
    int n = data.size();
    long[] exch = new long[n];
    long[] offset = new long[syms.length];
    Arrays.fill(offset, NONE);
    if (settings.recordedFeedLatency()) {
      for (int i = 0; i < n; i++) {
        long e = data.eventMillis(i);
        if (e > 0) {
          int id = data.symbolId(i);
          offset[id] = Math.min(offset[id], data.recvNanos(i) - e * 1_000_000);
        }
      }
    }
    long feed = settings.feedLatency().toNanos();
    long prev = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long recv = data.recvNanos(i);
      long e = data.eventMillis(i);
      long off = offset[data.symbolId(i)];
      long t = settings.recordedFeedLatency() ? (e > 0 && off != NONE ? Math.min(recv, e * 1_000_000 + off) : recv) : recv - feed;
      t = Math.max(prev, t);
      exch[i] = t;
      prev = t;
    }
    return exch;
  }

  private void onExchange(int i, long t) {
    Sym s = syms[data.symbolId(i)];
    ExchangeModel m = s.model;
    switch (data.kind(i)) {
      case MarketData.DEPTH -> {
        m.advanceTo(t);
        DepthDiff d = data.depth(i);
        BookSynchronizer.Result applied = s.exSync.onDiff(d);
        if (watcher != null) {
          watcher.exchange(d, s.exBook, s.exSync.isValid());
        }
        if (applied == BookSynchronizer.Result.APPLIED) {
          if (m.openOrders() > 0) {
            for (int k = 0; k < d.bidPrices().length; k++) {
              m.onLevel(t, true, d.bidPrices()[k], d.bidQtys()[k]);
            }
            for (int k = 0; k < d.askPrices().length; k++) {
              m.onLevel(t, false, d.askPrices()[k], d.askQtys()[k]);
            }
            m.afterDepth(t);
          }
          s.mid(t);
        }
      }
      case MarketData.SNAPSHOT -> {
        if (!s.exSync.isValid()) {
          MarketData.Snapshot snap = data.snapshot(i);
          if (s.exSync.onSnapshot(snap.lastUpdateId(), snap.bidPrices(), snap.bidQtys(), snap.askPrices(), snap.askQtys())
              == BookSynchronizer.Result.APPLIED || s.exSync.isValid()) {
            m.onBookReloaded(t);
            s.mid(t);
          }
        }
      }
      case MarketData.TRADE -> {
        long flags = data.c(i);
        m.onTrade(t, data.a(i), data.b(i), (flags & MarketData.BUYER_MAKER) != 0, (flags & MarketData.BOOK_TRADE) != 0);
      }
      case MarketData.MARK -> m.onMark(t, data.eventMillis(i), data.a(i), data.b(i) / 1e8, data.c(i));
      default -> m.advanceTo(t);
    }
  }

  private void onLocal(int i, long t) {
    Sym s = syms[data.symbolId(i)];
    s.lastEventNanos = t;
    s.stale = false;
    switch (data.kind(i)) {
      case MarketData.DEPTH -> {
        s.local.onDiff(data.depth(i));
        if (watcher != null) {
          watcher.local(data.depth(i), s.local.book(), s.local.isValid());
        }
      }
      case MarketData.SNAPSHOT -> {
        // the snapshot the recorder fetched answers the book's request, if it is waiting for one
        if (!s.local.isValid()) {
          s.snapshotsUsed++;
          s.local.onSnapshot(data.snapshot(i).body(), null);
        }
      }
      case MarketData.MARK -> strategy.onMark(s.id, data.a(i), data.b(i) / 1e8, t);
      default -> {
        // book tickers and trades: the live quoter does not quote on them either
      }
    }
  }

  private void deliver(long t) {
    for (Sym s : symList) {
      Response r;
      while ((r = s.model.pollResponse(t)) != null) {
        if (r instanceof Response.Fill f) {
          s.fills.add(f);
          s.position(f.exchNanos(), s.posSteps + (f.buy() ? f.qtySteps() : -f.qtySteps()));
          sampler.equity(t, equity());
        }
        strategy.onResponse(s.id, r, t);
      }
    }
  }

  private void markProxies(long t) {
    for (Sym s : symList) {
      if (s.hasMark || !s.local.isValid()) {
        continue;
      }
      OrderBook b = s.local.book();
      if (b.bidLevels() > 0 && b.askLevels() > 0) {
        strategy.onMark(s.id, (b.bestBidPrice() + b.bestAskPrice()) / 2, Double.NaN, t);
      }
    }
  }

  private void staleChecks(long t) {
    long limit = feedSettings.staleAfter().toNanos();
    for (Sym s : symList) {
      if (!s.stale && t - s.lastEventNanos > limit) {
        s.stale = true;
        strategy.onBookStale(s.id, t);
      }
    }
  }

  private double equity() {
    double total = 0;
    for (Sym s : symList) {
      total += Double.isNaN(s.lastMid) ? s.model.grossPnl(0) - s.model.fees() + s.model.funding() : s.model.netPnl(s.lastMid);
    }
    return total;
  }

  private void sample(long t) {
    double net = equity();
    sampler.equity(t, net);
    Sym first = symList.get(0);
    double gross = 0;
    for (Sym s : symList) {
      gross += Double.isNaN(s.lastMid) ? 0 : s.model.grossPnl(s.lastMid);
    }
    long bid = first.model.bestOrderPrice(true);
    long ask = first.model.bestOrderPrice(false);
    sampler.point(t, net, gross, first.model.positionSteps() * first.instrument.quantity().toDouble(1), price(first.instrument, first.lastMid),
        bid == 0 ? Double.NaN : price(first.instrument, bid), ask == 0 ? Double.NaN : price(first.instrument, ask));
  }

  /**
   * Ticks as a price for reports: divided by a power of ten rather than multiplied by the tick
   * (61807.95, not 61807.950000000004).
   */
  static double price(Instrument instrument, double ticks) {
    long scale = 1_000_000_000L;
    return ticks * instrument.price().toDouble(scale) / scale;
  }

  /** JSON has no NaN: a missing value is null. */
  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** Equity samples: the series, per-minute marks for the Sharpe ratio, the drawdown. */
  private static final class Sampler {
    final List<Long> times = new ArrayList<>();
    final List<Double> net = new ArrayList<>();
    final List<Double> gross = new ArrayList<>();
    final List<Double> position = new ArrayList<>();
    final List<Double> mid = new ArrayList<>();
    final List<Double> bid = new ArrayList<>();
    final List<Double> ask = new ArrayList<>();
    final List<Double> minutes = new ArrayList<>();
    long nextMinute;
    double peak = 0;
    double maxDrawdown;
    double last;

    void start(long t) {
      nextMinute = t + MINUTE;
      minutes.add(0.0);
    }

    void equity(long t, double value) {
      while (t >= nextMinute) {
        minutes.add(last);
        nextMinute += MINUTE;
      }
      last = value;
      peak = Math.max(peak, value);
      maxDrawdown = Math.max(maxDrawdown, peak - value);
    }

    void point(long t, double netPnl, double grossPnl, double pos, double midPrice, double bidQuote, double askQuote) {
      times.add(t / 1_000_000);
      net.add(netPnl);
      gross.add(grossPnl);
      position.add(pos);
      mid.add(orNull(midPrice));
      bid.add(orNull(bidQuote));
      ask.add(orNull(askQuote));
    }

    double sharpePerMinute() {
      int k = minutes.size() - 1;
      if (k < 2) {
        return 0;
      }
      double sum = 0;
      for (int i = 1; i <= k; i++) {
        sum += minutes.get(i) - minutes.get(i - 1);
      }
      double mean = sum / k;
      double var = 0;
      for (int i = 1; i <= k; i++) {
        double r = minutes.get(i) - minutes.get(i - 1) - mean;
        var += r * r;
      }
      double sd = Math.sqrt(var / (k - 1));
      return sd == 0 ? 0 : mean / sd;
    }
  }

  private BacktestResult result(long start, long end) {
    MarketData.Stats st = data.stats();
    Map<String, Long> errors = new TreeMap<>();
    st.decodeErrors().forEach((k, v) -> errors.put(k.name(), v));
    boolean markFromMid = symList.stream().anyMatch(s -> !s.hasMark);
    BacktestResult.Data dataInfo = new BacktestResult.Data(st.files(), st.lines(), st.skippedLines(), errors, st.truncatedFiles(), data.size(),
        data.levelEvents(), data.count(MarketData.DEPTH), data.count(MarketData.TICKER), data.count(MarketData.TRADE),
        data.count(MarketData.MARK), data.count(MarketData.SNAPSHOT), Instant.ofEpochMilli(start / 1_000_000).toString(),
        Instant.ofEpochMilli(end / 1_000_000).toString(), (end - start) / 1e9, markFromMid);
    BacktestResult.Settings settingsInfo = new BacktestResult.Settings(settings.exchange().queue().name().toLowerCase(java.util.Locale.ROOT),
        settings.exchange().queuePower(), settings.recordedFeedLatency() ? "recorded" : settings.feedLatency().toMillis() + "ms",
        settings.roundTripsFile().isEmpty() ? settings.orderEntry().toNanos() / 1e6 : null,
        settings.roundTripsFile().isEmpty() ? settings.response().toNanos() / 1e6 : null, settings.decision().toNanos() / 1e3,
        settings.exchange().makerFeeRate(), settings.exchange().takerFeeRate(), new TreeMap<>(overrides));

    List<BacktestResult.SymbolResult> perSymbol = new ArrayList<>();
    double[][] markouts = new double[MARKOUT_MILLIS.length][4];
    for (Sym s : symList) {
      ExchangeModel m = s.model;
      double mid = Double.isNaN(s.lastMid) ? 0 : s.lastMid;
      double step = s.instrument.quantity().toDouble(1);
      double span = Math.max(1, end - start);
      perSymbol.add(new BacktestResult.SymbolResult(s.instrument.symbol(), m.netPnl(mid), m.grossPnl(mid), m.fees(), m.funding(), m.volume(),
          m.fills(), m.makerFills(), s.maxAbsPos * step, s.posIntegral / span * step, s.absPosIntegral / span * step, m.positionSteps() * step,
          s.ordersSent, s.cancelsSent, s.gaps, s.snapshotsUsed));
      markouts(s, end, markouts);
    }
    long fills = perSymbol.stream().mapToLong(BacktestResult.SymbolResult::fills).sum();
    long makerFills = perSymbol.stream().mapToLong(BacktestResult.SymbolResult::makerFills).sum();
    List<BacktestResult.Markout> curve = new ArrayList<>();
    Map<String, Double> summaryMarkouts = new LinkedHashMap<>();
    for (int h = 0; h < MARKOUT_MILLIS.length; h++) {
      double qty = markouts[h][2];
      double bps = qty > 0 ? markouts[h][0] / qty : 0;
      curve.add(new BacktestResult.Markout(MARKOUT_MILLIS[h], bps, markouts[h][1], (long) markouts[h][3]));
      long ms = MARKOUT_MILLIS[h];
      if (ms == 100 || ms == 1_000 || ms == 10_000) {
        summaryMarkouts.put(ms < 1000 ? ms + "ms" : ms / 1000 + "s", bps);
      }
    }
    BacktestResult.Summary summary = new BacktestResult.Summary(
        perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::netPnl).sum(),
        perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::grossPnl).sum(),
        perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::fees).sum(),
        perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::funding).sum(),
        perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::volume).sum(),
        fills, makerFills, fills == 0 ? 0 : (double) makerFills / fills, summaryMarkouts, sampler.sharpePerMinute(), sampler.maxDrawdown,
        ordersSent, cancelsSent,
        symList.stream().mapToInt(s -> s.model.maxOrdersIn10s()).max().orElse(0), settings.exchange().ordersPer10s(),
        symList.stream().mapToInt(s -> s.model.maxOrdersInMinute()).max().orElse(0), settings.exchange().ordersPerMinute(),
        symList.stream().mapToLong(s -> s.model.rateLimited()).sum(),
        symList.stream().mapToLong(s -> s.model.postOnlyRejects()).sum(),
        symList.stream().mapToLong(s -> s.model.filterRejects()).sum(),
        requotes, strategy.refusals(), symList.stream().mapToLong(s -> s.gaps).sum(), strategy.stopReason());
    Sym first = symList.get(0);
    BacktestResult.Series series = new BacktestResult.Series(first.instrument.symbol(), sampler.times, sampler.net, sampler.gross,
        sampler.position, sampler.mid, sampler.bid, sampler.ask);
    List<BacktestResult.FillPoint> points = new ArrayList<>();
    for (Response.Fill f : first.fills) {
      if (points.size() == 20_000) {
        break; // the chart would be unreadable anyway; the totals count them all
      }
      points.add(new BacktestResult.FillPoint(f.exchNanos() / 1_000_000, f.buy(), price(first.instrument, f.priceTicks()),
          first.instrument.quantity().toDouble(f.qtySteps()), f.maker()));
    }
    return new BacktestResult(dataInfo, settingsInfo, summary, perSymbol, curve, series, points);
  }

  /**
   * Adds each fill's markout at each horizon: the exchange-side mid that long after the fill
   * against the fill price, positive when the market moved our way. [h][0] bps×qty, [h][1] money,
   * [h][2] qty, [h][3] fills (only fills whose horizon ends inside the data count).
   */
  private static void markouts(Sym s, long end, double[][] out) {
    double tick = s.instrument.price().toDouble(1);
    double step = s.instrument.quantity().toDouble(1);
    for (Response.Fill f : s.fills) {
      double price = f.priceTicks();
      for (int h = 0; h < MARKOUT_MILLIS.length; h++) {
        long at = f.exchNanos() + MARKOUT_MILLIS[h] * 1_000_000;
        if (at > end) {
          continue;
        }
        double mid = s.midAt(at);
        if (Double.isNaN(mid)) {
          continue;
        }
        double sign = f.buy() ? 1 : -1;
        double qty = f.qtySteps();
        out[h][0] += sign * (mid - price) / price * 1e4 * qty;
        out[h][1] += sign * (mid - price) * tick * qty * step;
        out[h][2] += qty;
        out[h][3] += 1;
      }
    }
  }
}
