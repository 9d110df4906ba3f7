package io.phoenix.quoting;

import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;

/**
 * The market-making strategy for one instrument, as a pure function of the top of book, the
 * position, the funding rate and a volatility estimate, writing into a reused {@link Quotes}.
 *
 * <p>Fair value is the mid or the microprice. The half-spread is the configured base widened by the
 * one-second volatility (capped). The quotes centre on an Avellaneda–Stoikov reservation price
 * {@code r = fair - q * gamma * sigma^2 * T}, plus a funding term (positive funding: longs pay, so
 * lean short), with the total skew capped. Prices are then rounded away from the centre to whole
 * ticks, kept strictly passive (never at or through the opposite best, further back after post-only
 * rejects), and sizes are rounded up to whole steps that satisfy LOT_SIZE and MIN_NOTIONAL. Levels
 * that could push the position past the soft limit are not quoted.
 *
 * <p>Fee floor: the half-spread is never less than half of a maker round trip's fees plus the
 * minimum edge ({@code phoenix.quoter.fees}), at the maker rate the exchange reported for the
 * account ({@link #setFees}) or the configured one until then. Skew moves both sides together and
 * rounding, back-off and the adaptive extras only move a side outward, so the full quoted spread
 * ({@code ask[0] - bid[0]}) is at least the maker fees of a round trip at those two prices plus the
 * minimum edge, whatever the inputs.
 *
 * <p>Intermediate values are doubles in tick units (a microprice and a variance are not on the
 * grid); everything emitted is a {@code long} count of ticks or steps. No allocation per call.
 */
public final class QuoteStrategy {
  private static final double EPS = 1e-9;

  private final Instrument instrument;
  private final QuoterSettings settings;
  private final double tickSize;
  private final double stepSize;
  private final double[] levelNotional;
  private final double horizonSeconds;
  private double makerRate;
  private double takerRate;

  public QuoteStrategy(QuoterSettings settings, Instrument instrument) {
    this.settings = settings;
    this.instrument = instrument;
    this.tickSize = instrument.price().toDouble(1);
    this.stepSize = instrument.quantity().toDouble(1);
    this.levelNotional = new double[settings.levels()];
    double n = settings.levelNotional();
    for (int i = 0; i < levelNotional.length; i++) {
      levelNotional[i] = n;
      n *= settings.levelSizeGrowth();
    }
    this.horizonSeconds = settings.horizon().toNanos() / 1e9;
    this.makerRate = settings.fees().makerRate();
    this.takerRate = settings.fees().takerRate();
  }

  /** The account's fee rates (fractions of notional) from now on. */
  public void setFees(double makerRate, double takerRate) {
    this.makerRate = makerRate;
    this.takerRate = takerRate;
  }

  public double makerRate() {
    return makerRate;
  }

  public double takerRate() {
    return takerRate;
  }

  /** Narrowest full spread the strategy quotes at {@code fairTicks}, in (fractional) ticks. */
  public double feeFloorTicks(double fairTicks) {
    return fairTicks * settings.fees().floorBps(makerRate) / 1e4;
  }

  public Instrument instrument() {
    return instrument;
  }

  public int levels() {
    return settings.levels();
  }

  /**
   * Computes the desired quotes.
   *
   * @param bestBid best bid in ticks (0 if none)
   * @param bestBidQty size at the best bid in steps
   * @param bestAsk best ask in ticks (0 if none)
   * @param bestAskQty size at the best ask in steps
   * @param positionSteps signed position in steps
   * @param fundingRate current funding rate (e.g. 0.0001 for 0.01 %)
   * @param sigmaPerSqrtSecond relative volatility of the mid over one second
   * @param bidBackoffTicks extra ticks the bid stays away from the best ask (post-only rejects)
   * @param askBackoffTicks extra ticks the ask stays away from the best bid
   * @param bidExtraBps extra half-spread on the bid (adaptive widening), bps of fair value;
   *     likewise the ask
   * @param out buffer to fill; cleared first
   * @return false (and no quotes) when the book cannot be quoted (one-sided or crossed)
   */
  public boolean compute(
      long bestBid,
      long bestBidQty,
      long bestAsk,
      long bestAskQty,
      long positionSteps,
      double fundingRate,
      double sigmaPerSqrtSecond,
      int bidBackoffTicks,
      int askBackoffTicks,
      double bidExtraBps,
      double askExtraBps,
      Quotes out) {
    out.clear();
    if (bestBid <= 0 || bestAsk <= 0 || bestBid >= bestAsk) {
      return false;
    }
    double fair =
        settings.fairValue() == QuoterSettings.FairValueSource.MID
            ? FairValue.mid(bestBid, bestAsk)
            : FairValue.microprice(bestBid, bestBidQty, bestAsk, bestAskQty);
    double baseHalf = toTicks(settings.baseSpread(), fair) * 0.5;
    double spacing = Math.max(toTicks(settings.levelSpacing(), fair), 1.0);
    double sigmaTicks = sigmaPerSqrtSecond * fair;
    double half = baseHalf + settings.volSpreadFactor() * sigmaTicks;
    half = Math.max(0.5, Math.min(half, baseHalf * settings.maxSpreadMultiple()));

    double skew =
        inventorySkewTicks(positionSteps, sigmaPerSqrtSecond, fair)
            + fundingSkewTicks(fundingRate, fair);
    double cap = fair * settings.maxSkewBps() / 1e4;
    skew = Math.max(-cap, Math.min(cap, skew));
    double reservation = fair - skew;
    // the fees of a round trip between the two quotes are maker * (bid + ask) ~ 2 * maker *
    // reservation:
    // measured on the reservation, not fair, so a skew up cannot eat into the edge
    half =
        Math.max(
            half,
            0.5
                * Math.max(
                    0, 2 * makerRate * reservation + settings.fees().minEdgeBps() * fair / 1e4));
    double bidHalf = half + Math.max(0, bidExtraBps) * fair / 1e4;
    double askHalf = half + Math.max(0, askExtraBps) * fair / 1e4;
    out.fairTicks = fair;
    out.reservationTicks = reservation;
    out.halfSpreadTicks = half;
    out.skewTicks = skew;

    long maxPositionSteps = maxPositionSteps(fair);
    out.maxPositionSteps = maxPositionSteps;

    long room = maxPositionSteps - positionSteps;
    long prev = Long.MAX_VALUE;
    long bidCap = bestAsk - 1 - Math.max(0, bidBackoffTicks);
    for (int i = 0; i < levelNotional.length; i++) {
      long price = (long) Math.floor(reservation - bidHalf - i * spacing + EPS);
      price = Math.min(price, Math.min(bidCap, prev - 1));
      if (price < Math.max(1, instrument.minPriceTicks())) {
        break;
      }
      if (instrument.maxPriceTicks() > 0 && price > instrument.maxPriceTicks()) {
        price = instrument.maxPriceTicks();
      }
      long qty = Math.min(levelSize(i, price), room);
      if (!tradable(price, qty)) {
        break;
      }
      out.bidPrice[out.bidCount] = price;
      out.bidQty[out.bidCount] = qty;
      out.bidCount++;
      room -= qty;
      prev = price;
    }

    room = maxPositionSteps + positionSteps;
    prev = Long.MIN_VALUE;
    long askFloor = bestBid + 1 + Math.max(0, askBackoffTicks);
    for (int i = 0; i < levelNotional.length; i++) {
      long price = (long) Math.ceil(reservation + askHalf + i * spacing - EPS);
      price = Math.max(price, Math.max(askFloor, prev + 1));
      if (instrument.maxPriceTicks() > 0 && price > instrument.maxPriceTicks()) {
        break;
      }
      long qty = Math.min(levelSize(i, price), room);
      if (!tradable(price, qty)) {
        break;
      }
      out.askPrice[out.askCount] = price;
      out.askQty[out.askCount] = qty;
      out.askCount++;
      room -= qty;
      prev = price;
    }
    return true;
  }

  /**
   * Avellaneda–Stoikov inventory term {@code q * gamma * sigma^2 * T}, in ticks (positive when
   * long).
   */
  public double inventorySkewTicks(
      long positionSteps, double sigmaPerSqrtSecond, double fairTicks) {
    double q = positionSteps * stepSize;
    double sigmaPrice = sigmaPerSqrtSecond * fairTicks * tickSize;
    return q * settings.gamma() * sigmaPrice * sigmaPrice * horizonSeconds / tickSize;
  }

  /** Funding term in ticks: positive funding (longs pay) gives a positive skew, i.e. lean short. */
  public double fundingSkewTicks(double fundingRate, double fairTicks) {
    return fairTicks * fundingRate * settings.fundingSkewWeight();
  }

  /** Size of level {@code level} at {@code priceTicks}: notional-derived, raised to the filters. */
  public long levelSize(int level, long priceTicks) {
    double unitNotional = priceTicks * tickSize * stepSize;
    long steps = (long) Math.ceil(levelNotional[level] / unitNotional - EPS);
    long minNotionalSteps = (long) Math.ceil(instrument.minNotional() / unitNotional - EPS);
    steps = Math.max(steps, Math.max(minNotionalSteps, Math.max(1, instrument.minQtySteps())));
    if (instrument.maxQtySteps() > 0) {
      steps = Math.min(steps, instrument.maxQtySteps());
    }
    return steps;
  }

  /** The soft position limit in steps at a fair value of {@code fairTicks}. */
  public long maxPositionSteps(double fairTicks) {
    return (long)
        Math.floor(settings.maxPositionNotional() / (fairTicks * tickSize * stepSize) + EPS);
  }

  /**
   * Whether an order of {@code qtySteps} at {@code priceTicks} passes LOT_SIZE and MIN_NOTIONAL.
   */
  public boolean tradable(long priceTicks, long qtySteps) {
    if (qtySteps <= 0 || qtySteps < instrument.minQtySteps()) {
      return false;
    }
    return priceTicks * tickSize * qtySteps * stepSize >= instrument.minNotional() - EPS;
  }

  private double toTicks(double distance, double fairTicks) {
    return settings.spreadUnit() == QuoterSettings.SpreadUnit.TICKS
        ? distance
        : fairTicks * distance / 1e4;
  }
}
