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
    Duration fillReportTimeout) {

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
      throw new SettingsException(r.key("base-spread"), "must be at least 1 tick, was " + baseSpread);
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
        r.positiveDuration("fill-report-timeout"));
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
          r.key(name), "must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was " + r.string(name));
    }
  }
}
