package io.phoenix.backtest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link BacktestResult} as one self-contained HTML page: the numbers as tables and four
 * plots drawn as inline SVG by this class (equity, position, price with our quotes and fills, the
 * markout curve). No script and nothing loaded from anywhere, so it opens offline in any browser.
 */
public final class HtmlReport {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 280;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private HtmlReport() {}

  public static String render(BacktestResult r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Phoenix backtest</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}")
        .append(
            "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append(
            "td:first-child,th:first-child{text-align:left}h2{margin-top:28px}.muted{color:#777}")
        .append(
            "svg{background:#fcfcfc;border:1px solid #ddd}.axis{stroke:#888;stroke-width:1}.grid{stroke:#eee;stroke-width:1}")
        .append("text{font-size:11px;fill:#444}\n</style></head><body>\n");
    BacktestResult.Data d = r.data();
    h.append("<h1>Phoenix backtest</h1>\n<p class=\"muted\">")
        .append(esc(String.join(", ", d.files())))
        .append("<br>")
        .append(esc(d.from()))
        .append(" to ")
        .append(esc(d.to()))
        .append(String.format(Locale.ROOT, " (%.0f s), ", d.seconds()))
        .append(d.messages())
        .append(" messages, ")
        .append(d.events())
        .append(" events; queue model ")
        .append(esc(r.settings().queueModel()))
        .append(", feed latency ")
        .append(esc(r.settings().feedLatency()))
        .append(
            r.settings().orderEntryMillis() == null
                ? ", order latencies from recorded round trips"
                : String.format(
                    Locale.ROOT,
                    ", order entry %.3f ms, response %.3f ms",
                    r.settings().orderEntryMillis(),
                    r.settings().responseMillis()))
        .append(d.markFromMid() ? "; no mark prices in the data: the mid stood in for them" : "");
    if (!r.settings().overrides().isEmpty()) {
      h.append("<br>settings changed: ").append(esc(r.settings().overrides().toString()));
    }
    h.append("</p>\n");

    h.append("<h2>Summary</h2>\n<table id=\"summary\">\n");
    for (String[] row : SummaryRows.of(r)) {
      h.append("<tr><td>")
          .append(esc(row[0]))
          .append("</td><td>")
          .append(esc(row[1]))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append(
            "<h2>Per symbol</h2>\n<table id=\"symbols\"><tr><th>symbol</th><th>net PnL</th><th>gross PnL</th><th>fees</th><th>funding</th>")
        .append(
            "<th>volume</th><th>fills</th><th>maker fills</th><th>max |pos|</th><th>mean pos</th><th>final pos</th><th>orders</th><th>cancels</th></tr>\n");
    for (BacktestResult.SymbolResult s : r.symbols()) {
      h.append("<tr><td>").append(esc(s.symbol())).append("</td>");
      for (double v : new double[] {s.netPnl(), s.grossPnl(), s.fees(), s.funding(), s.volume()}) {
        h.append("<td>").append(num(v)).append("</td>");
      }
      h.append("<td>").append(s.fills()).append("</td><td>").append(s.makerFills()).append("</td>");
      for (double v : new double[] {s.maxAbsPosition(), s.meanPosition(), s.finalPosition()}) {
        h.append("<td>").append(num(v)).append("</td>");
      }
      h.append("<td>")
          .append(s.ordersSent())
          .append("</td><td>")
          .append(s.cancelsSent())
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    BacktestResult.Series s = r.series();
    double[] t = times(s.timeMillis());
    h.append("<h2>Equity</h2>\n");
    h.append(
        new Chart("chart-equity", "PnL (USDT) over time, UTC", t, true)
            .line("net", "#1f77b4", values(s.netPnl()))
            .line("gross (before fees and funding)", "#aaaaaa", values(s.grossPnl()))
            .svg());
    h.append("<h2>Position</h2>\n");
    h.append(
        new Chart("chart-position", s.symbol() + " position (base units)", t, true)
            .line("position", "#9467bd", values(s.position()))
            .svg());
    h.append("<h2>Price, our quotes and fills</h2>\n");
    Chart price =
        new Chart(
                "chart-price",
                s.symbol()
                    + ": mid (grey), our best bid (green) and ask (red), fills (\u25b2 buy, \u25bc sell)",
                t,
                true)
            .line("mid", "#888888", values(s.mid()))
            .line("our bid", "#2ca02c", values(s.bidQuote()))
            .line("our ask", "#d62728", values(s.askQuote()));
    List<double[]> buys = new ArrayList<>();
    List<double[]> sells = new ArrayList<>();
    for (BacktestResult.FillPoint f : r.fills()) {
      (f.buy() ? buys : sells).add(new double[] {f.timeMillis(), f.price()});
    }
    h.append(
        price
            .markers("buys", "#2ca02c", buys, true)
            .markers("sells", "#d62728", sells, false)
            .svg());
    h.append(
        "<h2>Markouts</h2>\n<p class=\"muted\">Mean move of the mid after our fills, in our favour, in bps of the fill price"
            + " (negative: adverse selection).</p>\n");
    double[] horizons = new double[r.markoutCurve().size()];
    double[] bps = new double[horizons.length];
    for (int i = 0; i < horizons.length; i++) {
      horizons[i] = i;
      bps[i] = r.markoutCurve().get(i).bps();
    }
    Chart markout =
        new Chart("chart-markout", "markout (bps) by horizon", horizons, false)
            .line("markout", "#ff7f0e", bps);
    for (int i = 0; i < horizons.length; i++) {
      long ms = r.markoutCurve().get(i).horizonMillis();
      markout.xLabel(i, ms < 1000 ? ms + "ms" : ms / 1000 + "s");
    }
    h.append(markout.svg());
    h.append(
        "<table id=\"markouts\"><tr><th>horizon</th><th>bps</th><th>USDT</th><th>fills</th></tr>\n");
    for (BacktestResult.Markout m : r.markoutCurve()) {
      h.append("<tr><td>")
          .append(m.horizonMillis())
          .append(" ms</td><td>")
          .append(num(m.bps()))
          .append("</td><td>")
          .append(num(m.pnl()))
          .append("</td><td>")
          .append(m.fills())
          .append("</td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static double[] times(List<Long> millis) {
    double[] out = new double[millis.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = millis.get(i);
    }
    return out;
  }

  private static double[] values(List<Double> list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      Double v = list.get(i);
      out[i] = v == null ? Double.NaN : v;
    }
    return out;
  }

  static String esc(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * One x-y chart: line series (NaN breaks a line), optional markers, axes with five ticks each.
   */
  private static final class Chart {
    private final String id;
    private final String title;
    private final double[] x;
    private final boolean timeAxis;
    private final List<String> parts = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private final List<String[]> lines = new ArrayList<>();
    private final List<Object[]> markers = new ArrayList<>();
    private final Map<Integer, String> xLabels = new java.util.TreeMap<>();

    Chart(String id, String title, double[] x, boolean timeAxis) {
      this.id = id;
      this.title = title;
      this.x = x;
      this.timeAxis = timeAxis;
    }

    Chart line(String name, String color, double[] y) {
      ys.add(y);
      lines.add(new String[] {name, color});
      return this;
    }

    Chart markers(String name, String color, List<double[]> points, boolean up) {
      markers.add(new Object[] {name, color, points, up});
      return this;
    }

    Chart xLabel(int index, String label) {
      xLabels.put(index, label);
      return this;
    }

    String svg() {
      double xmin = Double.POSITIVE_INFINITY;
      double xmax = Double.NEGATIVE_INFINITY;
      double ymin = Double.POSITIVE_INFINITY;
      double ymax = Double.NEGATIVE_INFINITY;
      for (double v : x) {
        xmin = Math.min(xmin, v);
        xmax = Math.max(xmax, v);
      }
      for (double[] y : ys) {
        for (double v : y) {
          if (!Double.isNaN(v)) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
          }
        }
      }
      for (Object[] m : markers) {
        @SuppressWarnings("unchecked")
        List<double[]> pts = (List<double[]>) m[2];
        for (double[] p : pts) {
          ymin = Math.min(ymin, p[1]);
          ymax = Math.max(ymax, p[1]);
        }
      }
      if (!(xmax > xmin)) {
        xmax = xmin + 1;
      }
      if (Double.isInfinite(ymin)) {
        ymin = 0;
        ymax = 1;
      }
      if (!(ymax > ymin)) {
        ymin -= 0.5;
        ymax += 0.5;
      }
      double pad = (ymax - ymin) * 0.05;
      ymin -= pad;
      ymax += pad;
      StringBuilder b = new StringBuilder();
      b.append("<svg id=\"")
          .append(id)
          .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
          .append(WIDTH)
          .append("\" height=\"")
          .append(HEIGHT)
          .append("\" viewBox=\"0 0 ")
          .append(WIDTH)
          .append(' ')
          .append(HEIGHT)
          .append("\" role=\"img\">\n");
      b.append("<title>").append(esc(title)).append("</title>\n");
      b.append("<text x=\"")
          .append(LEFT)
          .append("\" y=\"18\" style=\"font-size:13px\">")
          .append(esc(title))
          .append("</text>\n");
      int plotW = WIDTH - LEFT - RIGHT;
      int plotH = HEIGHT - TOP - BOTTOM;
      for (int k = 0; k <= 4; k++) {
        double yv = ymin + (ymax - ymin) * k / 4;
        double py = TOP + plotH - plotH * k / 4.0;
        b.append(
            String.format(
                Locale.ROOT,
                "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                LEFT,
                py,
                WIDTH - RIGHT,
                py));
        b.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT - 6,
                py + 4,
                tick(yv, ymax - ymin)));
      }
      if (xLabels.isEmpty()) {
        for (int k = 0; k <= 4; k++) {
          double xv = xmin + (xmax - xmin) * k / 4;
          double px = LEFT + plotW * k / 4.0;
          String label =
              timeAxis ? CLOCK.format(Instant.ofEpochMilli((long) xv)) : tick(xv, xmax - xmin);
          b.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                  px,
                  HEIGHT - BOTTOM + 16,
                  label));
        }
      } else {
        for (Map.Entry<Integer, String> e : xLabels.entrySet()) {
          double px = LEFT + plotW * (x[e.getKey()] - xmin) / (xmax - xmin);
          b.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                  px,
                  HEIGHT - BOTTOM + 16,
                  esc(e.getValue())));
        }
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
              LEFT,
              TOP + plotH,
              WIDTH - RIGHT,
              TOP + plotH));
      b.append(
          String.format(
              Locale.ROOT,
              "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
              LEFT,
              TOP,
              LEFT,
              TOP + plotH));
      for (int i = 0; i < ys.size(); i++) {
        double[] y = ys.get(i);
        String[] meta = lines.get(i);
        StringBuilder pts = new StringBuilder();
        for (int k = 0; k < y.length && k < x.length; k++) {
          if (Double.isNaN(y[k])) {
            flush(b, pts, meta);
            continue;
          }
          pts.append(
              String.format(
                  Locale.ROOT,
                  "%.1f,%.1f ",
                  LEFT + plotW * (x[k] - xmin) / (xmax - xmin),
                  TOP + plotH - plotH * (y[k] - ymin) / (ymax - ymin)));
        }
        flush(b, pts, meta);
      }
      for (Object[] m : markers) {
        @SuppressWarnings("unchecked")
        List<double[]> pts = (List<double[]>) m[2];
        boolean up = (Boolean) m[3];
        b.append("<g class=\"series\" data-name=\"")
            .append(esc((String) m[0]))
            .append("\" fill=\"")
            .append(m[1])
            .append("\">");
        for (double[] p : pts) {
          double px = LEFT + plotW * (p[0] - xmin) / (xmax - xmin);
          double py = TOP + plotH - plotH * (p[1] - ymin) / (ymax - ymin);
          double dy = up ? 4 : -4;
          b.append(
              String.format(
                  Locale.ROOT,
                  "<path class=\"fill-marker\" d=\"M%.1f %.1fl4 %.1fh-8z\"/>",
                  px,
                  py - dy,
                  2 * dy));
        }
        b.append("</g>\n");
      }
      int lx = LEFT + 10;
      for (String[] meta : lines) {
        b.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                lx,
                TOP + 4,
                meta[1],
                lx + 14,
                TOP + 8,
                esc(meta[0])));
        lx += 24 + 7 * meta[0].length();
      }
      b.append("\n</svg>\n");
      return b.toString();
    }

    private static void flush(StringBuilder b, StringBuilder pts, String[] meta) {
      if (pts.length() == 0) {
        return;
      }
      b.append("<polyline class=\"series\" data-name=\"")
          .append(esc(meta[0]))
          .append("\" fill=\"none\" stroke=\"")
          .append(meta[1])
          .append("\" stroke-width=\"1.5\" points=\"")
          .append(pts.toString().trim())
          .append("\"/>\n");
      pts.setLength(0);
    }

    private static String tick(double v, double range) {
      int decimals = range >= 100 ? 0 : range >= 1 ? 2 : range >= 0.01 ? 4 : 6;
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
  }
}
