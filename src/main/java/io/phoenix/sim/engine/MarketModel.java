package io.phoenix.sim.engine;

import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The synthetic market around the books: a fair value that follows a geometric random walk, one
 * liquidity-provider account that keeps a ladder of resting orders on a fixed price grid around
 * fair, and noise takers that arrive as a Poisson process and trade on random sides.
 *
 * <p>The ladder's best levels sit {@link #HALF_SPREAD} (relative, at least two ticks) away from
 * fair so a bot that quotes inside the spread is first in line for the noise takers, and it is
 * anchored to a grid so that a small move of fair changes only the levels at the ends of the
 * ladder, the way real depth diffs look. Sweeps (a Poisson stream of their own) take everything
 * resting between the touch and a price a heavy-tailed distance from fair, ours included, and move
 * fair a fraction of that distance their way. Everything draws from one seeded {@link
 * SplittableRandom}, split per symbol in configuration order, so runs with the same seed and calls
 * repeat exactly.
 */
final class MarketModel {
  /** Distance of the liquidity providers' best levels from fair, relative to price. */
  static final double HALF_SPREAD = 0.00005;

  /** Funding premium smoothing per model step. */
  private static final double PREMIUM_ALPHA = 0.01;

  /** Binance's default funding clamp for most perpetuals. */
  static final double FUNDING_CAP = 0.0075;

  private final Matching exchange;
  private final MarketModelConfig config;
  private final Account liquidity;
  private final Account takers;
  private final State[] states;

  private static final class State {
    final SplittableRandom random;
    double fair;
    double premium;
    long nextArrival = Long.MAX_VALUE;
    long nextSweep = Long.MAX_VALUE;
    long halfSpreadTicks;
    long gridTicks;
    final TreeMap<Long, WorkingOrder> bids = new TreeMap<>();
    final TreeMap<Long, WorkingOrder> asks = new TreeMap<>();

    State(SplittableRandom random) {
      this.random = random;
    }
  }

  MarketModel(
      Matching exchange,
      MarketModelConfig config,
      long seed,
      SymbolMarket[] markets,
      Account liquidity,
      Account takers) {
    this.exchange = exchange;
    this.config = config;
    this.liquidity = liquidity;
    this.takers = takers;
    SplittableRandom root = new SplittableRandom(seed);
    this.states = new State[markets.length];
    for (int i = 0; i < markets.length; i++) {
      State s = new State(root.split());
      s.fair = markets[i].spec.initialFairPriceTicks();
      states[i] = s;
    }
  }

  double fair(SymbolMarket m) {
    return states[m.index].fair;
  }

  void setFair(SymbolMarket m, long priceTicks) {
    states[m.index].fair = priceTicks;
    m.markPriceTicks = priceTicks;
    m.indexPriceTicks = priceTicks;
  }

  void start(long now) {
    for (State s : states) {
      s.nextArrival = now + interArrival(s);
      s.nextSweep = now + sweepInterArrival(s);
    }
    for (int i = 0; i < states.length; i++) {
      if (!marketOf(i).recorded) {
        requote(marketOf(i), states[i], now);
      }
    }
  }

  /** Sends every noise taker due by {@code until}, each at its own arrival time. */
  void arrivals(SymbolMarket m, long until) {
    if (m.recorded) {
      return;
    }
    State s = states[m.index];
    while (s.nextArrival <= until) {
      long t = s.nextArrival;
      s.nextArrival = t + interArrival(s);
      sendTaker(m, s, t);
    }
    while (s.nextSweep <= until) {
      long t = s.nextSweep;
      s.nextSweep = t + sweepInterArrival(s);
      sendSweep(m, s, t);
    }
  }

  /** One model step: move fair, update mark, index and the funding premium, re-quote the ladder. */
  void step(SymbolMarket m, long now) {
    if (m.recorded) {
      return;
    }
    State s = states[m.index];
    double dtSeconds = config.stepMillis() / 1000.0;
    double shock =
        m.spec.volatilityPerSqrtSecond() * Math.sqrt(dtSeconds) * s.random.nextGaussian();
    double min = Math.max(1, m.instrument.minPriceTicks());
    double max = m.instrument.maxPriceTicks() > 0 ? m.instrument.maxPriceTicks() : Double.MAX_VALUE;
    s.fair = Math.min(max, Math.max(min, s.fair * Math.exp(shock)));
    long fairTicks = Math.round(s.fair);
    m.markPriceTicks = fairTicks;
    m.indexPriceTicks = fairTicks;
    PriceLevel bid = m.book.bids.best();
    PriceLevel ask = m.book.asks.best();
    if (bid != null && ask != null) {
      double mid = (bid.priceTicks + ask.priceTicks) / 2.0;
      s.premium += PREMIUM_ALPHA * ((mid - s.fair) / s.fair - s.premium);
    }
    m.fundingRate = Math.max(-FUNDING_CAP, Math.min(FUNDING_CAP, m.baseFundingRate + s.premium));
    requote(m, s, now);
  }

  private void requote(SymbolMarket m, State s, long now) {
    int levels = config.levelsPerSide();
    if (levels <= 0 || config.levelQtySteps() <= 0) {
      return;
    }
    s.halfSpreadTicks = Math.max(2, Math.round(s.fair * HALF_SPREAD));
    s.gridTicks = Math.max(1, s.halfSpreadTicks / 4);
    long grid = s.gridTicks;
    long bidTop = Math.floorDiv((long) Math.floor(s.fair) - s.halfSpreadTicks, grid) * grid;
    long askTop = -Math.floorDiv(-((long) Math.ceil(s.fair) + s.halfSpreadTicks), grid) * grid;
    long bidBottom = bidTop - (levels - 1) * grid;
    long askBottom = askTop + (levels - 1) * grid;
    prune(s.bids, bidBottom, bidTop, now);
    prune(s.asks, askTop, askBottom, now);
    for (int i = 0; i < levels; i++) {
      long qty = config.levelQtySteps() * (5 + i) / 5;
      ladder(m, s.bids, Side.BUY, bidTop - i * grid, qty, now);
      ladder(m, s.asks, Side.SELL, askTop + i * grid, qty, now);
    }
  }

  /** Withdraws ladder orders that fell outside the wanted range or were filled away. */
  private void prune(TreeMap<Long, WorkingOrder> side, long low, long high, long now) {
    for (Iterator<Map.Entry<Long, WorkingOrder>> it = side.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, WorkingOrder> e = it.next();
      WorkingOrder o = e.getValue();
      if (!o.isOpen()) {
        it.remove();
      } else if (e.getKey() < low || e.getKey() > high) {
        exchange.cancelInternal(o, now);
        it.remove();
      }
    }
  }

  /**
   * Keeps one ladder level: replaces it when takers ate more than half or when a drift of the
   * ladder left it far from the size wanted at its depth; never crosses the book.
   */
  private void ladder(
      SymbolMarket m,
      TreeMap<Long, WorkingOrder> side,
      Side bookSide,
      long price,
      long qty,
      long now) {
    if (price < Math.max(1, m.instrument.minPriceTicks())) {
      return;
    }
    WorkingOrder existing = side.get(price);
    if (existing != null
        && existing.isOpen()
        && existing.remaining() * 2 >= qty
        && existing.remaining() <= qty * 2) {
      return;
    }
    if (m.book.opposite(bookSide).crossedBy(price)) {
      return;
    }
    if (existing != null) {
      exchange.cancelInternal(existing, now);
    }
    WorkingOrder o =
        exchange.placeInternal(
            liquidity, m, bookSide, OrderType.LIMIT, TimeInForce.GTC, qty, price, now);
    if (o.isOpen()) {
      side.put(price, o);
    } else {
      side.remove(price);
    }
  }

  private void sendTaker(SymbolMarket m, State s, long now) {
    long base = config.takerQtySteps();
    if (base <= 0) {
      return;
    }
    Side side = s.random.nextBoolean() ? Side.BUY : Side.SELL;
    long qty = 1 + s.random.nextLong(2 * base);
    if (s.random.nextBoolean()) {
      exchange.placeInternal(takers, m, side, OrderType.MARKET, qty, 0, now);
    } else {
      // an IOC that reaches a couple of ladder levels past the touch, like a small aggressive limit
      long reach = s.halfSpreadTicks + 2 * s.gridTicks;
      long fair = Math.round(s.fair);
      long price = side == Side.BUY ? fair + reach : Math.max(1, fair - reach);
      exchange.placeInternal(takers, m, side, OrderType.LIMIT, qty, price, now);
    }
  }

  /**
   * One sweep: an IOC on a random side whose limit lies {@code reach} from fair, for all the
   * quantity resting up to it, so it walks the book to there.
   */
  private void sendSweep(SymbolMarket m, State s, long now) {
    Side side = s.random.nextBoolean() ? Side.BUY : Side.SELL;
    double u = 1.0 - s.random.nextDouble();
    double reachBps =
        Math.min(
            config.sweepMaxBps(),
            config.sweepMinBps() * Math.pow(u, -1.0 / config.sweepTailExponent()));
    long reach = Math.max(1, Math.round(s.fair * reachBps / 1e4));
    long fair = Math.round(s.fair);
    long limit = side == Side.BUY ? fair + reach : Math.max(1, fair - reach);
    BookSide opposite = side == Side.BUY ? m.book.asks : m.book.bids;
    long qty = 0;
    for (int i = 0; i < opposite.size(); i++) {
      PriceLevel level = opposite.level(i);
      if (side == Side.BUY ? level.priceTicks > limit : level.priceTicks < limit) {
        break;
      }
      qty += level.totalQtySteps;
    }
    if (qty <= 0) {
      return;
    }
    if (m.instrument.maxQtySteps() > 0) {
      qty = Math.min(qty, m.instrument.maxQtySteps());
    }
    exchange.placeInternal(takers, m, side, OrderType.LIMIT, qty, limit, now);
    double impact = config.sweepImpact() * reachBps / 1e4;
    s.fair *= side == Side.BUY ? 1 + impact : 1 - impact;
  }

  private long sweepInterArrival(State s) {
    double rate = config.sweepsPerSecond();
    if (rate <= 0) {
      return Long.MAX_VALUE / 4;
    }
    double u = 1.0 - s.random.nextDouble();
    return Math.max(1, Math.round(-Math.log(u) / rate * 1000.0));
  }

  private long interArrival(State s) {
    double rate = config.takerArrivalsPerSecond();
    if (rate <= 0) {
      return Long.MAX_VALUE / 4;
    }
    double u = 1.0 - s.random.nextDouble();
    return Math.max(1, Math.round(-Math.log(u) / rate * 1000.0));
  }

  private SymbolMarket marketOf(int index) {
    return exchange.marketAt(index);
  }
}
