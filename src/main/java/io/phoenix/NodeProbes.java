package io.phoenix;

import io.phoenix.core.Instrument;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.risk.Risk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest values the guardian has seen at its status tick, published for the metrics scrape
 * (gauges) and the order-budget rate of the ops view. What the ops view shows of positions, books,
 * quotes and feeds it asks the owning actors for at request time instead. Readers never ask an
 * actor from here.
 */
final class NodeProbes {
  private volatile List<Instrument> instruments = List.of();
  private final Map<String, Quoter.Status> quoters = new ConcurrentHashMap<>();
  private static final long WINDOW_NANOS = 10_000_000_000L;
  private final Map<String, long[]> baselines = new ConcurrentHashMap<>();
  private final Map<String, Double> placeRates = new ConcurrentHashMap<>();
  private volatile Risk.RiskState risk;
  private volatile double orderBudgetUsed = Double.NaN;
  private volatile int ordersPer10s;

  void instruments(List<Instrument> list, int ordersPer10sLimit) {
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
      // why a symbol is not quoting, as of the last status tick: 1 on the current reason, 0 elsewhere
      for (QuoterCore.Halt halt : QuoterCore.Halt.values()) {
        io.micrometer.core.instrument.Gauge.builder("phoenix.quoter.halted", this,
                p -> p.quoter(s) != null && p.quoter(s).halt() == halt ? 1 : 0)
            .tags("symbol", s, "reason", halt.name().toLowerCase(java.util.Locale.ROOT))
            .description("1 for the reason the symbol's quoter is (not) quoting: none = quoting")
            .register(metrics.registry());
      }
    }
    metrics.killSwitch(() -> risk != null && risk.tripped());
    metrics.orderBudgetUsed(() -> orderBudgetUsed);
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

  List<Instrument> instruments() {
    return instruments;
  }

  private Risk.SymbolRisk symbolRisk(Instrument ins) {
    return symbolRisk(risk, ins);
  }

  /** The symbol's part of a risk state, or null (no state yet, or a symbol risk does not know). */
  static Risk.SymbolRisk symbolRisk(Risk.RiskState r, Instrument ins) {
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

  double notional(Instrument ins) {
    Risk.SymbolRisk s = symbolRisk(ins);
    return s == null || s.markTicks() <= 0 ? Double.NaN : ins.notional(s.markTicks(), Math.abs(s.positionSteps()));
  }
}
