package io.phoenix.risk;

import io.phoenix.config.PortfolioSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's trading units' latest exposure and PnL, summed and held against {@link
 * PortfolioSettings}'s limits. Pure: the singleton {@link PortfolioRisk} feeds it and acts on its
 * answers. A unit not heard from for {@code stale-after} no longer counts.
 */
public final class PortfolioBook {

  /** One unit's last report. */
  public record UnitLine(double grossNotional, double dailyPnl, boolean tripped, long atMillis) {}

  private final PortfolioSettings settings;
  private final Map<String, UnitLine> units = new TreeMap<>();
  private String tripReason;

  public PortfolioBook(PortfolioSettings settings) {
    this.settings = settings;
  }

  /**
   * Takes a unit's report in. Returns the reason every unit must stop, null while the portfolio is
   * within its limits and was never tripped (once tripped, it stays tripped until {@link #reset}).
   */
  public String report(
      String unit, double grossNotional, double dailyPnl, boolean tripped, long nowMillis) {
    units.put(unit, new UnitLine(grossNotional, dailyPnl, tripped, nowMillis));
    dropStale(nowMillis);
    if (tripReason == null) {
      double gross = grossNotional();
      double pnl = dailyPnl();
      if (settings.maxGrossNotional() > 0 && gross > settings.maxGrossNotional()) {
        tripReason =
            String.format(
                java.util.Locale.ROOT,
                "portfolio gross notional %.2f over %.2f",
                gross,
                settings.maxGrossNotional());
      } else if (settings.maxDailyLoss() > 0 && pnl < -settings.maxDailyLoss()) {
        tripReason =
            String.format(
                java.util.Locale.ROOT,
                "portfolio daily PnL %.2f below -%.2f",
                pnl,
                settings.maxDailyLoss());
      }
    }
    return tripReason;
  }

  /** The operator cleared the portfolio stop. */
  public void reset() {
    tripReason = null;
  }

  public String tripReason() {
    return tripReason;
  }

  public double grossNotional() {
    return units.values().stream().mapToDouble(UnitLine::grossNotional).sum();
  }

  public double dailyPnl() {
    return units.values().stream().mapToDouble(UnitLine::dailyPnl).sum();
  }

  public Map<String, UnitLine> units() {
    return Map.copyOf(units);
  }

  private void dropStale(long nowMillis) {
    units.values().removeIf(u -> nowMillis - u.atMillis() > settings.staleAfter().toMillis());
  }

  /** Throws when the book is inconsistent (tests call it after every step). */
  public void validateInvariants() {
    for (Map.Entry<String, UnitLine> e : units.entrySet()) {
      if (!(e.getValue().grossNotional() >= 0) || Double.isNaN(e.getValue().dailyPnl())) {
        throw new IllegalStateException("unit " + e.getKey() + " reported " + e.getValue());
      }
    }
  }
}
