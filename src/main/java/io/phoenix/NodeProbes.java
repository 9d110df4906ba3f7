package io.phoenix;

import io.phoenix.core.Instrument;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
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
  private final Map<String, QuoterStatus> quoters = new ConcurrentHashMap<>();
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
      metrics.symbol(
          s,
          new Metrics.SymbolProbes(
              () -> position(ins),
              () -> notional(ins),
              () -> quoter(s) == null ? Double.NaN : quoter(s).realisedPnl(),
              () -> quoter(s) == null ? Double.NaN : quoter(s).unrealisedPnl(),
              () -> Double.NaN)); // the user stream reports funding per asset, not per symbol
      // why a symbol is not quoting, as of the last status tick: 1 on the current reason, 0
      // elsewhere
      for (QuoterCore.Halt halt : QuoterCore.Halt.values()) {
        io.micrometer.core.instrument.Gauge.builder(
                "phoenix.quoter.halted",
                this,
                p -> p.quoter(s) != null && p.quoter(s).halt() == halt ? 1 : 0)
            .tags("symbol", s, "reason", halt.name().toLowerCase(java.util.Locale.ROOT))
            .description("1 for the reason the symbol's quoter is (not) quoting: none = quoting")
            .register(metrics.registry());
      }
    }
    for (Instrument ins : instruments) {
      edgeGauges(metrics, ins.symbol());
    }
    metrics.killSwitch(() -> risk != null && risk.tripped());
    metrics.orderBudgetUsed(() -> orderBudgetUsed);
  }

  /**
   * Fees, net PnL after fees, markouts and the adaptive widening of a symbol, from its latest
   * status.
   */
  private void edgeGauges(Metrics metrics, String s) {
    io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("symbol", s);
    metrics.gauge(
        "phoenix.fees",
        "Fees paid by the symbol's quoter since it started (quote currency; negative: rebates)",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).fees());
    metrics.gauge(
        "phoenix.pnl.net",
        "Realised minus fees plus unrealised PnL of the symbol's quoter (quote currency)",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).netPnl());
    metrics.gauge(
        "phoenix.fee.maker.rate",
        "Maker fee rate the fee floor uses (from GET /fapi/v1/commissionRate, else configured)",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).makerRate());
    metrics.gauge(
        "phoenix.fee.rate.from.exchange",
        "1 when the fee rates were read from the exchange, 0 while the configured ones apply",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).feesFromExchange() ? 1 : 0);
    metrics.gauge(
        "phoenix.fee.read.failures",
        "Failed reads of the account's fee rates",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).feeReadFailures());
    metrics.gauge(
        "phoenix.quote.fee.floor.bps",
        "Narrowest full spread quoted: both makers' fees plus the minimum edge (bps of fair value)",
        tags,
        () -> edge(s) == null ? Double.NaN : edge(s).feeFloorBps());
    for (String h : new String[] {"1s", "10s"}) {
      io.micrometer.core.instrument.Tags ht = tags.and("horizon", h);
      boolean one = h.equals("1s");
      metrics.gauge(
          "phoenix.markout.bps",
          "Mean markout of our fills (mid move in our favour after the horizon, bps of the fill price; + is good)",
          ht,
          () ->
              edge(s) == null
                  ? Double.NaN
                  : one ? edge(s).markout1sBps() : edge(s).markout10sBps());
      metrics.gauge(
          "phoenix.markout.fills",
          "Fills whose markout at the horizon has been measured",
          ht,
          () -> edge(s) == null ? Double.NaN : one ? edge(s).markouts1s() : edge(s).markouts10s());
    }
    for (String side : new String[] {"bid", "ask"}) {
      boolean bid = side.equals("bid");
      metrics.gauge(
          "phoenix.quote.adaptive.extra.bps",
          "Extra half-spread the markout-driven adaptive term adds to the side (bps of fair value)",
          tags.and("side", side),
          () ->
              edge(s) == null
                  ? Double.NaN
                  : bid ? edge(s).adaptiveBidBps() : edge(s).adaptiveAskBps());
    }
  }

  private QuoterStatus.Edge edge(String symbol) {
    QuoterStatus q = quoters.get(symbol);
    return q == null ? null : q.edge();
  }

  void quoter(QuoterStatus status) {
    quoters.put(status.symbol(), status);
    long now = System.nanoTime();
    long[] base = baselines.get(status.symbol());
    if (base == null || status.ordersSent() < base[1] || now - base[0] > WINDOW_NANOS) {
      // a new 10 s window (or a restarted quoter); the rate of the last one stays until the next is
      // 1 s old
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

  QuoterStatus quoter(String symbol) {
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
    return s == null || s.markTicks() <= 0
        ? Double.NaN
        : ins.notional(s.markTicks(), Math.abs(s.positionSteps()));
  }
}
