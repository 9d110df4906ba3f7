package io.phoenix.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A backtest's summary as rows of name and value: the plain-text table and the HTML report's. */
final class SummaryRows {
  private SummaryRows() {}

  static List<String[]> of(BacktestResult r) {
    BacktestResult.Summary s = r.summary();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"net PnL (USDT)", fmt(s.netPnl())});
    rows.add(new String[] {"gross PnL", fmt(s.grossPnl())});
    rows.add(new String[] {"fees", fmt(s.fees())});
    rows.add(new String[] {"funding", fmt(s.funding())});
    rows.add(new String[] {"traded volume", fmt(s.volume())});
    rows.add(
        new String[] {"fills (maker share)", s.fills() + " (" + fmt(s.makerShare() * 100) + " %)"});
    for (BacktestResult.SymbolResult sym : r.symbols()) {
      rows.add(new String[] {sym.symbol() + " max |position|", fmt(sym.maxAbsPosition())});
      rows.add(
          new String[] {
            sym.symbol() + " mean position (|position|)",
            fmt(sym.meanPosition()) + " (" + fmt(sym.meanAbsPosition()) + ")"
          });
    }
    s.markoutBps().forEach((h, v) -> rows.add(new String[] {"markout " + h + " (bps)", fmt(v)}));
    rows.add(new String[] {"Sharpe (per minute)", fmt(s.sharpePerMinute())});
    rows.add(new String[] {"max drawdown", fmt(s.maxDrawdown())});
    rows.add(new String[] {"orders sent / cancels", s.ordersSent() + " / " + s.cancelsSent()});
    rows.add(
        new String[] {
          "max orders in 10 s (limit)", s.maxOrdersIn10s() + " (" + s.orderLimit10s() + ")"
        });
    rows.add(
        new String[] {
          "max orders in 1 min (limit)",
          s.maxOrdersPerMinute() + " (" + s.orderLimitPerMinute() + ")"
        });
    rows.add(
        new String[] {
          "rejects: rate / post-only / filters",
          s.rateLimitRejects() + " / " + s.postOnlyRejects() + " / " + s.filterRejects()
        });
    rows.add(
        new String[] {
          "risk refusals", s.riskRefusals().isEmpty() ? "none" : s.riskRefusals().toString()
        });
    rows.add(new String[] {"book gaps", Long.toString(s.bookGaps())});
    if (s.stopped() != null) {
      rows.add(new String[] {"kill switch", s.stopped()});
    }
    return rows;
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
