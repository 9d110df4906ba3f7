package io.phoenix.chaos;

import io.phoenix.core.Instrument;
import java.util.Locale;
import java.util.Map;

/**
 * |position notional| per symbol, read on the exchange at its mark price, stays within the quoter's
 * soft limit plus one order. One order is the largest level's notional raised to the symbol's
 * minimum size (as the quoter sizes it) plus one step of rounding up.
 */
public final class NotionalCheck implements Check {
  private final Map<String, Instrument> instruments;
  private final double softLimit;
  private final double largestLevelNotional;
  private long samplesOver;
  private double worstNotional;
  private double worstLimit;
  private String worstSymbol = "";
  private double worstExcess = Double.NEGATIVE_INFINITY;
  private String firstOver = "";

  /**
   * @param softLimit phoenix.quoter.max-position-notional
   * @param largestLevelNotional the deepest level's notional (level-notional times
   *     growth^(levels-1), at least level-notional)
   */
  public NotionalCheck(
      Map<String, Instrument> instruments, double softLimit, double largestLevelNotional) {
    this.instruments = Map.copyOf(instruments);
    this.softLimit = softLimit;
    this.largestLevelNotional = largestLevelNotional;
  }

  /** The limit for {@code ins} at {@code mark}: soft limit plus one order. */
  public double limit(Instrument ins, double mark) {
    double step = ins.quantity().toDouble(1) * mark;
    double order =
        Math.max(
            largestLevelNotional,
            Math.max(ins.minNotional(), ins.quantity().toDouble(ins.minQtySteps()) * mark));
    return softLimit + order + step;
  }

  @Override
  public void observe(Sample s) {
    if (s.exchange() == null) {
      return;
    }
    boolean over = false;
    for (Map.Entry<String, Instrument> e : instruments.entrySet()) {
      Double mark = s.exchange().marks().get(e.getKey());
      if (mark == null || !(mark > 0)) {
        continue;
      }
      long steps = s.exchange().positions().getOrDefault(e.getKey(), 0L);
      double notional = Math.abs(e.getValue().quantity().toDouble(steps)) * mark;
      double limit = limit(e.getValue(), mark);
      if (notional - limit > worstExcess) {
        worstExcess = notional - limit;
        worstNotional = notional;
        worstLimit = limit;
        worstSymbol = e.getKey();
      }
      if (notional > limit) {
        over = true;
        if (firstOver.isEmpty()) {
          firstOver =
              String.format(
                  Locale.ROOT,
                  "first at %.1fs: %s %.1f > %.1f",
                  s.atMillis() / 1000.0,
                  e.getKey(),
                  notional,
                  limit);
        }
      }
    }
    if (over) {
      samplesOver++;
    }
  }

  @Override
  public Verdict verdict() {
    String value =
        worstSymbol.isEmpty()
            ? "no sample"
            : String.format(Locale.ROOT, "worst %.1f (%s)", worstNotional, worstSymbol);
    String limit =
        worstSymbol.isEmpty()
            ? String.format(Locale.ROOT, "%.0f + one order", softLimit)
            : String.format(Locale.ROOT, "%.0f + one order = %.1f", softLimit, worstLimit);
    String detail = samplesOver == 0 ? "" : samplesOver + " samples over; " + firstOver;
    return new Verdict(
        "|position notional| <= soft limit + one order",
        value,
        limit,
        samplesOver == 0 && !worstSymbol.isEmpty(),
        detail);
  }
}
