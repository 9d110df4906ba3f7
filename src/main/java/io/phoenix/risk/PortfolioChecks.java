package io.phoenix.risk;

import io.phoenix.config.RiskSettings;

/**
 * The portfolio's PnL (realised - fees + funding + unrealised at mark) and the hard limits on it:
 * loss since the UTC day start, fall from the peak, consecutive exchange rejects and actual
 * position / gross exposure beyond their limits (plus a drift allowance, since a mark move alone
 * can lift a compliant position's notional). A breach trips the {@link KillSwitch}.
 */
final class PortfolioChecks {
  /**
   * Share by which a mark move may lift an actual position above its limit before it is a breach.
   */
  static final double DRIFT_ALLOWANCE = 0.10;

  private final RiskSettings settings;
  private final SymbolExposure[] symbols;
  private final KillSwitch killSwitch;

  private double realised;
  private double fees;
  private double funding;
  private double peakPnl = Double.NaN;
  private double dayStartPnl = Double.NaN;
  private long day = Long.MIN_VALUE;
  private int consecutiveRejects;

  PortfolioChecks(RiskSettings settings, SymbolExposure[] symbols, KillSwitch killSwitch) {
    this.settings = settings;
    this.symbols = symbols;
    this.killSwitch = killSwitch;
  }

  void onAccepted() {
    consecutiveRejects = 0;
  }

  /**
   * Only the exchange's refusals count toward the consecutive-reject limit: post-only rejects
   * (-5022) are a normal outcome of passive quoting, and a local refusal (code 0: the gateway
   * restarting before it sent the order, its hold full) says nothing about our orders being wrong
   * (a gateway restart once tripped the kill switch that way). Nor do the venue's own errors,
   * Binance's -1000..-1099 (503 -1001 "Service Unavailable", rate limits, shutting down, timeouts):
   * ten of them in a burst of 5xx once stopped a soak's quoting for good, though nothing was wrong
   * with the orders.
   */
  void onRejected(int errorCode) {
    boolean venueError = errorCode <= -1000 && errorCode > -1100;
    if (errorCode != -5022 && errorCode != 0 && !venueError) {
      consecutiveRejects++;
    }
  }

  void onFill(double realisedPnl, double commission) {
    realised += realisedPnl;
    fees += commission;
  }

  void onFunding(double amount) {
    funding += amount;
  }

  /** Evaluates the hard limits; the first breach found trips the kill switch. */
  RiskReason check(long nowMillis) {
    double pnl = pnl();
    long today = Math.floorDiv(nowMillis, 86_400_000L);
    if (today != day) {
      day = today;
      dayStartPnl = pnl;
    }
    if (Double.isNaN(peakPnl) || pnl > peakPnl) {
      peakPnl = pnl;
    }
    if (killSwitch.tripped()) {
      return RiskReason.NONE;
    }
    if (dayStartPnl - pnl > settings.dailyLossLimit()) {
      return killSwitch.trip(RiskReason.DAILY_LOSS, "loss today " + (dayStartPnl - pnl), nowMillis);
    }
    if (peakPnl - pnl > settings.maxDrawdown()) {
      return killSwitch.trip(RiskReason.DRAWDOWN, "drawdown " + (peakPnl - pnl), nowMillis);
    }
    if (consecutiveRejects >= settings.maxConsecutiveRejects()) {
      return killSwitch.trip(
          RiskReason.CONSECUTIVE_REJECTS, consecutiveRejects + " rejects in a row", nowMillis);
    }
    double gross = 0;
    for (SymbolExposure s : symbols) {
      if (s == null || s.markTicks <= 0) {
        continue;
      }
      double notional = s.instrument.notional(s.markTicks, Math.abs(s.positionSteps));
      gross += notional;
      if (notional > settings.maxPositionNotional() * (1 + DRIFT_ALLOWANCE)) {
        return killSwitch.trip(
            RiskReason.POSITION_BREACH,
            s.instrument.symbol() + " position notional " + notional,
            nowMillis);
      }
    }
    if (gross > settings.maxGrossNotional() * (1 + DRIFT_ALLOWANCE)) {
      return killSwitch.trip(RiskReason.GROSS_BREACH, "gross notional " + gross, nowMillis);
    }
    return RiskReason.NONE;
  }

  /**
   * A streak of refusals says "stop and look", not "never again", and the brief's rule is to come
   * back by itself once it is safe; losses and breaches stay latched for the operator.
   */
  boolean rejectsTripCooledDown(long nowMillis) {
    long cooldownMillis = settings.rejectsCooldown().toMillis();
    return killSwitch.tripped()
        && killSwitch.reason() == RiskReason.CONSECUTIVE_REJECTS
        && cooldownMillis > 0
        && nowMillis - killSwitch.trippedAtMillis() >= cooldownMillis;
  }

  void clearRejectsTrip() {
    if (killSwitch.reason() == RiskReason.CONSECUTIVE_REJECTS) {
      killSwitch.clear();
      consecutiveRejects = 0;
    }
  }

  /** Operator reset; the daily-loss baseline stays until the UTC day rolls. */
  void reset() {
    killSwitch.clear();
    consecutiveRejects = 0;
    peakPnl = pnl();
  }

  double pnl() {
    return realised - fees + funding + unrealised();
  }

  double unrealised() {
    double u = 0;
    for (SymbolExposure s : symbols) {
      if (s != null) {
        u += s.pnl.unrealised(s.markTicks);
      }
    }
    return u;
  }

  RiskLedger ledger() {
    long[] marks = new long[symbols.length];
    long[] markAt = new long[symbols.length];
    for (int i = 0; i < symbols.length; i++) {
      if (symbols[i] != null) {
        marks[i] = symbols[i].markTicks;
        markAt[i] = symbols[i].markAtMillis;
      }
    }
    return new RiskLedger(realised, fees, funding, peakPnl, dayStartPnl, day, marks, markAt);
  }

  void restore(RiskLedger ledger) {
    realised = ledger.realised();
    fees = ledger.fees();
    funding = ledger.funding();
    peakPnl = ledger.peakPnl();
    dayStartPnl = ledger.dayStartPnl();
    day = ledger.day();
    for (int i = 0; i < symbols.length && i < ledger.markTicks().length; i++) {
      if (symbols[i] != null && ledger.markTicks()[i] > 0) {
        symbols[i].markTicks = ledger.markTicks()[i];
        symbols[i].markAtMillis = ledger.markAtMillis()[i];
      }
    }
  }

  double realised() {
    return realised;
  }

  double fees() {
    return fees;
  }

  double funding() {
    return funding;
  }

  double peakPnl() {
    return peakPnl;
  }

  int consecutiveRejects() {
    return consecutiveRejects;
  }
}
