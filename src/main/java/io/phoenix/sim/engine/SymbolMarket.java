package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the exchange keeps per symbol: the book, the id counters (order, trade, book update),
 * mark and funding state, recent public trades, funding history and minute buckets for the 24h
 * ticker.
 */
final class SymbolMarket {
  static final int RECENT_TRADES_KEPT = 1000;
  static final int FUNDING_KEPT = 1000;

  /** One-minute buckets kept per kline series: a week, from which every interval is built. */
  static final int KLINE_MINUTES_KEPT = 7 * 1440;

  private static final int MINUTES = 1440;

  final int index;
  final SimSymbolSpec spec;
  final Instrument instrument;
  final String symbol;
  final double stepValue;
  final double tickValue;
  final OrderBook book = new OrderBook();

  /** True when a recording drives this symbol's book and trades instead of the market model. */
  boolean recorded;

  long nextOrderId;
  long nextTradeId = 1;
  long updateId;
  long markPriceTicks;
  long indexPriceTicks;
  final double baseFundingRate;
  double fundingRate;
  long nextFundingTime;
  final ArrayDeque<PublicTrade> recentTrades = new ArrayDeque<>();
  final ArrayDeque<FundingRecord> fundingHistory = new ArrayDeque<>();
  long lastTradePriceTicks;
  long lastTradeQtySteps;
  long lastTradeId = -1;

  /** Lowest and highest trade price since the conditional orders last looked (0 = none). */
  long tradeLowSinceCheck;

  long tradeHighSinceCheck;
  final Candles tradeCandles = new Candles(KLINE_MINUTES_KEPT);
  final Candles markCandles = new Candles(KLINE_MINUTES_KEPT);
  final Candles indexCandles = new Candles(KLINE_MINUTES_KEPT);

  private final long[] bucketMinute = new long[MINUTES];
  private final long[] bucketOpen = new long[MINUTES];
  private final long[] bucketHigh = new long[MINUTES];
  private final long[] bucketLow = new long[MINUTES];
  private final long[] bucketClose = new long[MINUTES];
  private final long[] bucketVolume = new long[MINUTES];
  private final double[] bucketQuote = new double[MINUTES];
  private final long[] bucketCount = new long[MINUTES];
  private final long[] bucketFirstId = new long[MINUTES];

  SymbolMarket(int index, SimSymbolSpec spec, long firstOrderId) {
    this.index = index;
    this.spec = spec;
    this.instrument = spec.instrument();
    this.symbol = instrument.symbol();
    this.stepValue = instrument.quantity().toDouble(1);
    this.tickValue = instrument.price().toDouble(1);
    this.nextOrderId = firstOrderId;
    this.markPriceTicks = spec.initialFairPriceTicks();
    this.indexPriceTicks = spec.initialFairPriceTicks();
    this.lastTradePriceTicks = spec.initialFairPriceTicks();
    double base = 0.0001;
    if (spec.fundingRateDefault() != null && !spec.fundingRateDefault().isBlank()) {
      base = Double.parseDouble(spec.fundingRateDefault().trim());
    }
    this.baseFundingRate = base;
    this.fundingRate = base;
    java.util.Arrays.fill(bucketMinute, Long.MIN_VALUE);
  }

  double price(long ticks) {
    return ticks * tickValue;
  }

  double qty(long steps) {
    return steps * stepValue;
  }

  /** Money value of a ticks x steps product. */
  double raw(long ticksTimesSteps) {
    return ticksTimesSteps * tickValue * stepValue;
  }

  void recordTrade(PublicTrade trade) {
    recentTrades.addLast(trade);
    if (recentTrades.size() > RECENT_TRADES_KEPT) {
      recentTrades.removeFirst();
    }
    lastTradePriceTicks = trade.priceTicks();
    lastTradeQtySteps = trade.qtySteps();
    lastTradeId = trade.tradeId();
    tradeLowSinceCheck =
        tradeLowSinceCheck == 0
            ? trade.priceTicks()
            : Math.min(tradeLowSinceCheck, trade.priceTicks());
    tradeHighSinceCheck = Math.max(tradeHighSinceCheck, trade.priceTicks());
    double quoteValue = price(trade.priceTicks()) * qty(trade.qtySteps());
    tradeCandles.trade(
        trade.time(),
        trade.priceTicks(),
        trade.qtySteps(),
        quoteValue,
        !trade.buyerMaker(),
        trade.tradeId());
    long minute = Math.floorDiv(trade.time(), 60_000L);
    int b = (int) Math.floorMod(minute, (long) MINUTES);
    if (bucketMinute[b] != minute) {
      bucketMinute[b] = minute;
      bucketOpen[b] = trade.priceTicks();
      bucketHigh[b] = trade.priceTicks();
      bucketLow[b] = trade.priceTicks();
      bucketVolume[b] = 0;
      bucketQuote[b] = 0;
      bucketCount[b] = 0;
      bucketFirstId[b] = trade.tradeId();
    }
    bucketHigh[b] = Math.max(bucketHigh[b], trade.priceTicks());
    bucketLow[b] = Math.min(bucketLow[b], trade.priceTicks());
    bucketClose[b] = trade.priceTicks();
    bucketVolume[b] += trade.qtySteps();
    bucketQuote[b] += quoteValue;
    bucketCount[b]++;
  }

  /** Samples mark and index into their kline series (once per model step). */
  void samplePrices(long now) {
    markCandles.sample(now, markPriceTicks);
    indexCandles.sample(now, indexPriceTicks);
  }

  void recordFunding(FundingRecord record) {
    fundingHistory.addLast(record);
    if (fundingHistory.size() > FUNDING_KEPT) {
      fundingHistory.removeFirst();
    }
  }

  Ticker24h ticker(long now) {
    long nowMinute = Math.floorDiv(now, 60_000L);
    long first = nowMinute - MINUTES + 1;
    long open = 0;
    long openMinute = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    long low = Long.MAX_VALUE;
    long volume = 0;
    double quote = 0;
    long count = 0;
    long firstId = -1;
    long firstIdMinute = Long.MAX_VALUE;
    for (int b = 0; b < MINUTES; b++) {
      long m = bucketMinute[b];
      if (m < first || m > nowMinute) {
        continue;
      }
      if (m < openMinute) {
        openMinute = m;
        open = bucketOpen[b];
      }
      if (bucketCount[b] > 0 && m < firstIdMinute) {
        firstIdMinute = m;
        firstId = bucketFirstId[b];
      }
      high = Math.max(high, bucketHigh[b]);
      low = Math.min(low, bucketLow[b]);
      volume += bucketVolume[b];
      quote += bucketQuote[b];
      count += bucketCount[b];
    }
    if (count == 0) {
      open = lastTradePriceTicks;
      high = lastTradePriceTicks;
      low = lastTradePriceTicks;
    }
    return new Ticker24h(
        symbol,
        open,
        high,
        low,
        lastTradePriceTicks,
        volume,
        quote,
        now - 86_400_000L,
        now,
        count,
        firstId,
        count == 0 ? -1 : lastTradeId,
        lastTradeQtySteps);
  }

  static <T> List<T> tail(ArrayDeque<T> deque, int limit) {
    int n = Math.max(0, Math.min(limit, deque.size()));
    ArrayList<T> out = new ArrayList<>(n);
    int skip = deque.size() - n;
    for (T t : deque) {
      if (skip-- > 0) {
        continue;
      }
      out.add(t);
    }
    return out;
  }
}
