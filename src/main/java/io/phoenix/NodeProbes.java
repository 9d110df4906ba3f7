package io.phoenix;

import io.phoenix.core.Instrument;
import io.phoenix.market.MarketEvent;
import io.phoenix.ops.Metrics;
import io.phoenix.ops.OpsView;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest values the guardian has seen, published for readers on other threads: the metrics
 * scrape (gauges) and the ops HTTP view. The guardian writes (status tick, risk state, feed
 * statuses); the market relays write the latest top of book per symbol, which is a single
 * reference store per book event and no allocation. Readers never ask an actor from here.
 */
final class NodeProbes {
  private volatile List<Instrument> instruments = List.of();
  private volatile AtomicReferenceArray<MarketEvent.BookUpdated> books = new AtomicReferenceArray<>(0);
  private final Map<String, Quoter.Status> quoters = new ConcurrentHashMap<>();
  private final Map<String, OpsView.FeedHealth> feeds = new ConcurrentHashMap<>();
  private static final long WINDOW_NANOS = 10_000_000_000L;
  private final Map<String, long[]> baselines = new ConcurrentHashMap<>();
  private final Map<String, Double> placeRates = new ConcurrentHashMap<>();
  private volatile Risk.RiskState risk;
  private volatile double orderBudgetUsed = Double.NaN;
  private volatile int ordersPer10s;

  void instruments(List<Instrument> list, int ordersPer10sLimit) {
    int max = 0;
    for (Instrument i : list) {
      max = Math.max(max, i.id() + 1);
    }
    books = new AtomicReferenceArray<>(max);
    instruments = List.copyOf(list);
    ordersPer10s = ordersPer10sLimit;
  }

  /** Registers the per-symbol, kill-switch and order-budget gauges (once the symbols are known). */
  void registerGauges(Metrics metrics) {
    for (Instrument ins : instruments) {
      String s = ins.symbol();
      metrics.symbol(s, new Metrics.SymbolProbes(
          () -> position(ins),
          () -> notional(ins),
          () -> quoter(s) == null ? Double.NaN : quoter(s).realisedPnl(),
          () -> quoter(s) == null ? Double.NaN : quoter(s).unrealisedPnl(),
          () -> Double.NaN)); // the user stream reports funding per asset, not per symbol
    }
    metrics.killSwitch(() -> risk != null && risk.tripped());
    metrics.orderBudgetUsed(() -> orderBudgetUsed);
  }

  void book(MarketEvent.BookUpdated book) {
    AtomicReferenceArray<MarketEvent.BookUpdated> b = books;
    if (book.symbolId() >= 0 && book.symbolId() < b.length()) {
      b.lazySet(book.symbolId(), book);
    }
  }

  MarketEvent.BookUpdated book(int symbolId) {
    AtomicReferenceArray<MarketEvent.BookUpdated> b = books;
    return symbolId >= 0 && symbolId < b.length() ? b.get(symbolId) : null;
  }

  void quoter(Quoter.Status status) {
    quoters.put(status.symbol(), status);
    long now = System.nanoTime();
    long[] base = baselines.get(status.symbol());
    if (base == null || status.ordersSent() < base[1] || now - base[0] > WINDOW_NANOS) {
      // a new 10 s window (or a restarted quoter); the rate of the last one stays until the next is 1 s old
      baselines.put(status.symbol(), new long[] {now, status.ordersSent()});
    } else if (now - base[0] >= WINDOW_NANOS / 10) {
      placeRates.put(status.symbol(), (status.ordersSent() - base[1]) * 1e9 / (now - base[0]));
    }
    double perSecond = 0;
    for (double r : placeRates.values()) {
      perSecond += r;
    }
    // new orders per second of every quoter over the last status interval, against the
    // exchange's 10 s order limit (cancels do not count there)
    orderBudgetUsed = ordersPer10s > 0 ? perSecond * 10 / ordersPer10s : Double.NaN;
  }

  Quoter.Status quoter(String symbol) {
    return quoters.get(symbol);
  }

  void risk(Risk.RiskState state) {
    risk = state;
  }

  Risk.RiskState risk() {
    return risk;
  }

  double orderBudgetUsed() {
    return orderBudgetUsed;
  }

  void feed(OpsView.FeedHealth health) {
    feeds.put(health.name(), health);
  }

  List<OpsView.FeedHealth> feeds() {
    return feeds.values().stream().sorted(java.util.Comparator.comparing(OpsView.FeedHealth::name)).toList();
  }

  List<Instrument> instruments() {
    return instruments;
  }

  private Risk.SymbolRisk symbolRisk(Instrument ins) {
    Risk.RiskState r = risk;
    if (r == null) {
      return null;
    }
    for (Risk.SymbolRisk s : r.symbols()) {
      if (s.symbol().equals(ins.symbol())) {
        return s;
      }
    }
    return null;
  }

  double position(Instrument ins) {
    Risk.SymbolRisk s = symbolRisk(ins);
    return s == null ? Double.NaN : ins.quantity().toDouble(s.positionSteps());
  }

  double mark(Instrument ins) {
    Risk.SymbolRisk s = symbolRisk(ins);
    return s == null || s.markTicks() <= 0 ? Double.NaN : ins.price().toDouble(s.markTicks());
  }

  double notional(Instrument ins) {
    Risk.SymbolRisk s = symbolRisk(ins);
    return s == null || s.markTicks() <= 0 ? Double.NaN : ins.notional(s.markTicks(), Math.abs(s.positionSteps()));
  }
}
