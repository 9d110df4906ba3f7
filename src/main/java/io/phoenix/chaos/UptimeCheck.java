package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quoting uptime outside faults and graces: per symbol the fraction of CLEAR samples in which its
 * quoter answered, may quote and has a working order. The verdict is the worst symbol's; the detail
 * says why the others were not quoting (halt reasons, or no answer / no orders).
 */
public final class UptimeCheck implements Check {
  private final List<String> symbols;
  private final double minUptime;
  private final Map<String, long[]> counts = new LinkedHashMap<>(); // symbol -> {samples, quoting}
  private final Map<String, Long> reasons = new HashMap<>();

  public UptimeCheck(List<String> symbols, double minUptime) {
    this.symbols = List.copyOf(symbols);
    this.minUptime = minUptime;
    symbols.forEach(s -> counts.put(s, new long[2]));
  }

  @Override
  public void observe(Sample s) {
    if (s.phase() != Sample.Phase.CLEAR) {
      return;
    }
    for (String symbol : symbols) {
      long[] c = counts.get(symbol);
      c[0]++;
      Sample.QuoterView q = s.node() == null ? null : s.node().quoters().get(symbol);
      if (q != null && q.quoting()) {
        c[1]++;
      } else {
        String why = q == null ? "NO_ANSWER" : "NONE".equals(q.halt()) ? "NO_ORDERS" : q.halt();
        reasons.merge(why, 1L, Long::sum);
      }
    }
  }

  /** The worst symbol's uptime, NaN without a CLEAR sample. */
  public double worst() {
    double worst = Double.NaN;
    for (long[] c : counts.values()) {
      if (c[0] > 0) {
        double u = (double) c[1] / c[0];
        worst = Double.isNaN(worst) ? u : Math.min(worst, u);
      }
    }
    return worst;
  }

  @Override
  public Verdict verdict() {
    double worst = worst();
    String worstSymbol = "";
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long[] c = e.getValue();
      double u = c[0] == 0 ? Double.NaN : (double) c[1] / c[0];
      if (u == worst) {
        worstSymbol = e.getKey();
      }
      parts.add(String.format(Locale.ROOT, "%s %.1f%% of %d", e.getKey(), 100 * u, c[0]));
    }
    StringBuilder detail = new StringBuilder(String.join(", ", parts));
    if (!reasons.isEmpty()) {
      detail.append("; not quoting: ");
      reasons.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(r -> detail.append(r.getKey()).append(' ').append(r.getValue()).append(' '));
    }
    String value =
        Double.isNaN(worst)
            ? "no clear sample"
            : String.format(Locale.ROOT, "%.1f%% (%s)", 100 * worst, worstSymbol);
    return new Verdict(
        "quoting uptime outside faults",
        value,
        String.format(Locale.ROOT, ">= %.1f%%", 100 * minUptime),
        !Double.isNaN(worst) && worst >= minUptime,
        detail.toString().trim());
  }
}
