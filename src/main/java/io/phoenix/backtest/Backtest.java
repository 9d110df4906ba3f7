package io.phoenix.backtest;

import com.typesafe.config.Config;
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
import io.phoenix.market.InvalidReason;
import io.phoenix.market.OrderBook;
import io.phoenix.market.SyncedBook;
import io.phoenix.market.TopOfBook;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
  private static final long NONE = ReplayedSymbol.NONE;

  private final MarketData data;
  private final BacktestSettings settings;
  private final FeedSettings feedSettings;
  private final Strategy strategy;
  private final Latency latency;
  private final ResultAssembler results;
  private final ReplayedSymbol[] syms;
  private final List<ReplayedSymbol> symList = new ArrayList<>();

  private long now;
  private long requotes;
  private long ordersSent;
  private long cancelsSent;
  private final EquitySampler sampler = new EquitySampler();

  /**
   * @param config the node's configuration: phoenix.quoter, risk, feed, guardian and backtest
   * @param strategy the local side; {@link #phoenix} for the node's own
   * @param overrides the settings a sweep changed, for the report
   */
  public Backtest(
      MarketData data, Config config, Strategy strategy, Map<String, String> overrides) {
    this.data = data;
    this.settings = BacktestSettings.fromConfig(config);
    this.feedSettings = FeedSettings.fromConfig(config);
    this.strategy = strategy;
    this.results = new ResultAssembler(data, settings, strategy, overrides);
    this.latency =
        settings.roundTripsFile().isEmpty()
            ? Latency.constant(settings.orderEntry().toNanos(), settings.response().toNanos())
            : Latency.sampled(
                RoundTrips.read(java.nio.file.Path.of(settings.roundTripsFile())), settings.seed());
    int size = 0;
    for (Instrument i : data.instruments()) {
      size = Math.max(size, i.id() + 1);
    }
    syms = new ReplayedSymbol[size];
    for (Instrument i : data.instruments()) {
      ReplayedSymbol s =
          new ReplayedSymbol(
              i, feedSettings, settings.exchange(), latency, log, LocalHost::new, () -> now);
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
    io.phoenix.config.ConfigReader r =
        new io.phoenix.config.ConfigReader(config, "phoenix.backtest");
    String name = r.string("strategy").trim();
    return switch (name) {
      case "phoenix" -> phoenix(config, instruments);
      case "join-touch" -> new JoinTouchStrategy(QuoterSettings.fromConfig(config), instruments);
      default ->
          throw new io.phoenix.config.SettingsException(
              r.key("strategy"), "must be phoenix or join-touch, was " + name);
    };
  }

  /** One backtest of the strategy {@code config} names (the node's by default). */
  public static BacktestResult runOnce(
      MarketData data, Config config, Map<String, String> overrides) {
    return new Backtest(data, config, strategy(config, data.instruments()), overrides).run();
  }

  /** The node's strategy with the node's settings from {@code config}. */
  public static PhoenixStrategy phoenix(Config config, List<Instrument> instruments) {
    BacktestSettings backtest = BacktestSettings.fromConfig(config);
    return new PhoenixStrategy(
            QuoterSettings.fromConfig(config),
            RiskSettings.fromConfig(config),
            GuardianSettings.fromConfig(config).riskCheckInterval(),
            instruments)
        .venueFees(backtest.exchange().makerFeeRate(), backtest.exchange().takerFeeRate());
  }

  /**
   * The local book's host: the quoter's reactions, snapshots from the recording, a virtual fetch
   * timer.
   */
  private final class LocalHost implements SyncedBook.Host {
    private final ReplayedSymbol sym;

    LocalHost(ReplayedSymbol sym) {
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

  private final Strategy.Context context =
      new Strategy.Context() {

        @Override
        public Instrument instrument(int symbolId) {
          return syms[symbolId].instrument;
        }

        @Override
        public OrderBook book(int symbolId) {
          return syms[symbolId].local.book();
        }

        @Override
        public TopOfBook top(int symbolId) {
          return syms[symbolId].local;
        }

        @Override
        public void place(
            int symbolId,
            long t,
            String clientId,
            boolean buy,
            long priceTicks,
            long qtySteps,
            TimeInForce tif) {
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

  /**
   * Sees both books after every depth message; for tests that compare them with the live code's.
   */
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
    for (ReplayedSymbol s : symList) {
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
      for (ReplayedSymbol s : symList) {
        tA = Math.min(tA, s.model.nextArrivalNanos());
        tR = Math.min(tR, s.model.nextResponseNanos());
        tQ = Math.min(tQ, requoteAt[s.id]);
        tF = Math.min(tF, s.fetchDueAt);
      }
      long tT = Math.min(nextTimer, Math.min(nextMark, nextSample));
      long t =
          Math.min(Math.min(Math.min(tE, tL), Math.min(tA, tR)), Math.min(Math.min(tQ, tF), tT));
      if (t > end) {
        break;
      }
      now = t;
      if (tE == t) {
        onExchange(ie++, t);
      } else if (tA == t) {
        for (ReplayedSymbol s : symList) {
          s.model.advanceTo(t);
        }
      } else if (tR == t) {
        deliver(t);
      } else if (tL == t) {
        onLocal(il++, t);
      } else if (tQ == t) {
        for (ReplayedSymbol s : symList) {
          if (requoteAt[s.id] == t) {
            requoteAt[s.id] = NONE;
            requotes++;
            strategy.onRequote(s.id, t);
          }
        }
      } else if (tF == t) {
        for (ReplayedSymbol s : symList) {
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
    for (ReplayedSymbol s : symList) {
      s.position(end, s.posSteps);
    }
    return results.assemble(symList, sampler, requotes, ordersSent, cancelsSent, start, end);
  }

  /**
   * Exchange time of each event: the event time on the recorder's clock, or receive time less a
   * constant.
   */
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
      long t =
          settings.recordedFeedLatency()
              ? (e > 0 && off != NONE ? Math.min(recv, e * 1_000_000 + off) : recv)
              : recv - feed;
      t = Math.max(prev, t);
      exch[i] = t;
      prev = t;
    }
    return exch;
  }

  private void onExchange(int i, long t) {
    ReplayedSymbol s = syms[data.symbolId(i)];
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
          if (s.exSync.onSnapshot(
                      snap.lastUpdateId(),
                      snap.bidPrices(),
                      snap.bidQtys(),
                      snap.askPrices(),
                      snap.askQtys())
                  == BookSynchronizer.Result.APPLIED
              || s.exSync.isValid()) {
            m.onBookReloaded(t);
            s.mid(t);
          }
        }
      }
      case MarketData.TRADE -> {
        long flags = data.c(i);
        m.onTrade(
            t,
            data.a(i),
            data.b(i),
            (flags & MarketData.BUYER_MAKER) != 0,
            (flags & MarketData.BOOK_TRADE) != 0);
      }
      case MarketData.MARK ->
          m.onMark(t, data.eventMillis(i), data.a(i), data.b(i) / 1e8, data.c(i));
      default -> m.advanceTo(t);
    }
  }

  private void onLocal(int i, long t) {
    ReplayedSymbol s = syms[data.symbolId(i)];
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
      // as live: a ticker newer than the book's last diff moves the quoter's top at once
      case MarketData.TICKER -> s.local.onTicker(data.ticker(i));
      default -> {
        // trades: the live quoter does not quote on them either
      }
    }
  }

  private void deliver(long t) {
    for (ReplayedSymbol s : symList) {
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
    for (ReplayedSymbol s : symList) {
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
    for (ReplayedSymbol s : symList) {
      if (!s.stale && t - s.lastEventNanos > limit) {
        s.stale = true;
        strategy.onBookStale(s.id, t);
      }
    }
  }

  private double equity() {
    double total = 0;
    for (ReplayedSymbol s : symList) {
      total +=
          Double.isNaN(s.lastMid)
              ? s.model.grossPnl(0) - s.model.fees() + s.model.funding()
              : s.model.netPnl(s.lastMid);
    }
    return total;
  }

  private void sample(long t) {
    double net = equity();
    sampler.equity(t, net);
    ReplayedSymbol first = symList.get(0);
    double gross = 0;
    for (ReplayedSymbol s : symList) {
      gross += Double.isNaN(s.lastMid) ? 0 : s.model.grossPnl(s.lastMid);
    }
    long bid = first.model.bestOrderPrice(true);
    long ask = first.model.bestOrderPrice(false);
    sampler.point(
        t,
        net,
        gross,
        first.model.positionSteps() * first.instrument.quantity().toDouble(1),
        ResultAssembler.price(first.instrument, first.lastMid),
        bid == 0 ? Double.NaN : ResultAssembler.price(first.instrument, bid),
        ask == 0 ? Double.NaN : ResultAssembler.price(first.instrument, ask));
  }
}
