package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the per-symbol quoter and its strategy ({@code phoenix.quoter.*}), validated at
 * start-up. Spreads are expressed either in ticks or in basis points of the fair value.
 *
 * @param levels quote levels per side
 * @param levelNotional quote-currency notional of the first level (size is derived per symbol)
 * @param levelSizeGrowth size multiplier applied per deeper level
 * @param spreadUnit unit of {@code baseSpread} and {@code levelSpacing}
 * @param baseSpread full distance between the best bid and ask quote before adjustments
 * @param levelSpacing distance between consecutive levels on one side
 * @param fairValue which fair value the strategy centres on
 * @param volEwmaAlpha weight of the newest squared return in the EWMA variance
 * @param volSampleInterval minimum time between two volatility samples
 * @param volSpreadFactor half-spread widening per one-second standard deviation of the mid
 * @param maxSpreadMultiple cap of the widened half-spread as a multiple of the base half-spread
 * @param gamma Avellaneda–Stoikov risk aversion (per quote-currency unit per base unit)
 * @param horizon Avellaneda–Stoikov horizon T
 * @param maxSkewBps cap of the total reservation-price skew, in bps of fair value
 * @param fundingSkewWeight skew in fractions of fair value per unit of funding rate
 * @param maxPositionNotional soft position limit: the side that would grow beyond it is not quoted
 * @param refreshToleranceTicks a working order within this many ticks of its target is kept
 * @param refreshToleranceBps the same in bps of fair value; the larger of the two applies
 * @param minQuoteLife a working order younger than this is not replaced (pull still cancels)
 * @param postOnlyMaxBackoffTicks cap of the extra ticks a side backs off after -5022 rejects
 * @param orderRatePause after risk refuses an order for the order-rate budget, no new order (or
 *     amend) for this long; cancels still go
 * @param staleBookAfter a book without updates for this long is stale: quotes are pulled
 * @param useAmend replace price changes by an amend (modify) instead of cancel + place
 * @param requireMarkPrice do not quote before the first mark price (risk would reject anyway)
 * @param fillReportTimeout how long an order that a REST answer or a query reports finished keeps
 *     counting its not yet reported fills against the soft limit, waiting for the user stream
 * @param fees the fee floor and the rates assumed until the exchange's are known
 * @param adaptive the markout-driven widening of a side
 */
public record QuoterSettings(
    int levels,
    double levelNotional,
    double levelSizeGrowth,
    SpreadUnit spreadUnit,
    double baseSpread,
    double levelSpacing,
    FairValueSource fairValue,
    double volEwmaAlpha,
    Duration volSampleInterval,
    double volSpreadFactor,
    double maxSpreadMultiple,
    double gamma,
    Duration horizon,
    double maxSkewBps,
    double fundingSkewWeight,
    double maxPositionNotional,
    long refreshToleranceTicks,
    double refreshToleranceBps,
    Duration minQuoteLife,
    int postOnlyMaxBackoffTicks,
    Duration orderRatePause,
    Duration staleBookAfter,
    boolean useAmend,
    boolean requireMarkPrice,
    Duration fillReportTimeout,
    Fees fees,
    Adaptive adaptive) {

  /**
   * @param makerRate maker fee rate (fraction of notional, negative = rebate) assumed until the
   *     exchange's is read, and always when {@code readFromExchange} is false
   * @param takerRate taker fee rate, likewise
   * @param readFromExchange read the account's rates per symbol at start ({@code GET
   *     /fapi/v1/commissionRate})
   * @param retryInterval when that read fails: the configured rates apply and it is retried this
   *     often
   * @param minEdgeBps the full quoted spread is never narrower than both makers' fees plus this, in
   *     bps of fair value
   */
  public record Fees(
      double makerRate,
      double takerRate,
      boolean readFromExchange,
      Duration retryInterval,
      double minEdgeBps) {
    /** Narrowest full spread in bps of fair value: a maker round trip's fees plus the edge. */
    public double floorBps(double makerRate) {
      return Math.max(0, 2 * makerRate * 1e4 + minEdgeBps);
    }
  }

  /**
   * See {@code io.phoenix.quoting.AdaptiveSpread}.
   *
   * @param longHorizon feed the 10 s markouts instead of the 1 s ones
   */
  public record Adaptive(
      boolean enabled,
      boolean longHorizon,
      double alpha,
      double targetBps,
      double gain,
      double maxExtraBps,
      Duration halfLife) {}

  /** Unit of spread distances. */
  public enum SpreadUnit {
    TICKS,
    BPS
  }

  /** Fair value source. */
  public enum FairValueSource {
    MID,
    MICROPRICE
  }

  public static QuoterSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.quoter");
    int levels = r.intInRange("levels", 1, 10);
    double levelNotional = r.doubleInRange("level-notional", 1e-9, 1e12);
    double growth = r.doubleInRange("level-size-growth", 0.1, 10);
    SpreadUnit unit = parseEnum(r, "spread-unit", SpreadUnit.class);
    double baseSpread = r.doubleInRange("base-spread", 1e-9, 1e6);
    double spacing = r.doubleInRange("level-spacing", 0, 1e6);
    if (unit == SpreadUnit.TICKS && baseSpread < 1) {
      throw new SettingsException(
          r.key("base-spread"), "must be at least 1 tick, was " + baseSpread);
    }
    FairValueSource fair = parseEnum(r, "fair-value", FairValueSource.class);
    ConfigReader vol = r.at("volatility");
    ConfigReader inv = r.at("inventory");
    return new QuoterSettings(
        levels,
        levelNotional,
        growth,
        unit,
        baseSpread,
        spacing,
        fair,
        vol.doubleInRange("ewma-alpha", 1e-6, 1),
        vol.positiveDuration("sample-interval"),
        vol.doubleInRange("spread-factor", 0, 1e3),
        vol.doubleInRange("max-spread-multiple", 1, 1e3),
        inv.doubleInRange("gamma", 0, 1e9),
        inv.positiveDuration("horizon"),
        inv.doubleInRange("max-skew-bps", 0, 1e4),
        r.at("funding").doubleInRange("skew-weight", 0, 1e6),
        r.doubleInRange("max-position-notional", 1e-9, 1e12),
        r.longAtLeast("refresh-tolerance-ticks", 0),
        r.doubleInRange("refresh-tolerance-bps", 0, 1e4),
        nonNegative(r, "min-quote-life"),
        r.intInRange("post-only-max-backoff-ticks", 0, 1000),
        nonNegative(r, "order-rate-pause"),
        r.positiveDuration("stale-book-after"),
        r.bool("use-amend"),
        r.bool("require-mark-price"),
        r.positiveDuration("fill-report-timeout"),
        fees(r.at("fees")),
        adaptive(r.at("adaptive")));
  }

  private static Fees fees(ConfigReader f) {
    return new Fees(
        f.doubleInRange("maker-rate", -0.01, 0.01),
        f.doubleInRange("taker-rate", -0.01, 0.01),
        f.bool("read-from-exchange"),
        f.positiveDuration("retry-interval"),
        f.doubleInRange("min-edge-bps", -100, 1e4));
  }

  private static Adaptive adaptive(ConfigReader a) {
    String horizon = a.string("horizon").trim();
    if (!horizon.equals("1s") && !horizon.equals("10s")) {
      throw new SettingsException(
          a.key("horizon"), "must be 1s or 10s (the markout horizons tracked), was " + horizon);
    }
    return new Adaptive(
        a.bool("enabled"),
        horizon.equals("10s"),
        a.doubleInRange("alpha", 1e-6, 1),
        a.doubleInRange("target-bps", -1e3, 1e3),
        a.doubleInRange("gain", 0, 1e3),
        a.doubleInRange("max-extra-bps", 0, 1e3),
        a.positiveDuration("half-life"));
  }

  private static Duration nonNegative(ConfigReader r, String name) {
    Duration d = r.duration(name);
    if (d.isNegative()) {
      throw new SettingsException(r.key(name), "must not be negative, was " + d);
    }
    return d;
  }

  private static <E extends Enum<E>> E parseEnum(ConfigReader r, String name, Class<E> type) {
    String text = r.string(name).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(
          r.key(name),
          "must be one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
              + ", was "
              + r.string(name));
    }
  }
}
