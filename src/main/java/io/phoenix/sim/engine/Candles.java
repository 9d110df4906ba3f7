package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One price series (a symbol's trades, or its mark or index price) kept as one-minute buckets in a
 * bounded ring, from which klines of every interval are built on request. Minutes without any
 * sample are not stored; a kline over such a gap carries the previous close with zero volume, as
 * Binance's do.
 */
public final class Candles {
  private final int capacity;
  private long[] minute;
  private long[] open;
  private long[] high;
  private long[] low;
  private long[] close;
  private long[] volume;
  private double[] quote;
  private long[] count;
  private long[] buyVolume;
  private double[] buyQuote;
  private long[] firstId;
  private long[] lastId;

  /** Index of the oldest bucket and number of buckets in the ring. */
  private int head;

  private int size;

  public Candles(int capacityMinutes) {
    if (capacityMinutes < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    capacity = capacityMinutes;
    allocate(Math.min(capacity, 256));
  }

  /** Arrays grow by doubling up to the capacity, so a short run does not hold weeks of buckets. */
  private void allocate(int length) {
    long[][] longs = {minute, open, high, low, close, volume, count, buyVolume, firstId, lastId};
    long[][] grown = new long[longs.length][];
    for (int k = 0; k < longs.length; k++) {
      grown[k] = new long[length];
      for (int i = 0; longs[k] != null && i < size; i++) {
        grown[k][i] = longs[k][slot(i)];
      }
    }
    double[] q = new double[length];
    double[] bq = new double[length];
    for (int i = 0; quote != null && i < size; i++) {
      q[i] = quote[slot(i)];
      bq[i] = buyQuote[slot(i)];
    }
    minute = grown[0];
    open = grown[1];
    high = grown[2];
    low = grown[3];
    close = grown[4];
    volume = grown[5];
    count = grown[6];
    buyVolume = grown[7];
    firstId = grown[8];
    lastId = grown[9];
    quote = q;
    buyQuote = bq;
    head = 0;
  }

  /** A trade: price, size, its quote value, whether the taker bought, and its id. */
  public void trade(
      long time,
      long priceTicks,
      long qtySteps,
      double quoteValue,
      boolean takerBuy,
      long tradeId) {
    int b = bucket(time, priceTicks, tradeId);
    volume[b] += qtySteps;
    quote[b] += quoteValue;
    if (takerBuy) {
      buyVolume[b] += qtySteps;
      buyQuote[b] += quoteValue;
    }
    lastId[b] = tradeId;
  }

  /** A price sample (mark or index): moves the candle, no volume. */
  public void sample(long time, long priceTicks) {
    bucket(time, priceTicks, 0);
  }

  private int bucket(long time, long price, long tradeId) {
    long m = Math.floorDiv(time, 60_000L);
    int last = size == 0 ? -1 : slot(size - 1);
    if (last >= 0 && m < minute[last]) {
      // the engine's clock never goes back; a late sample joins the newest bucket
      m = minute[last];
    }
    if (last < 0 || minute[last] != m) {
      if (size == minute.length && size < capacity) {
        allocate(Math.min(capacity, size * 2));
      } else if (size == capacity) {
        head = (head + 1) % capacity;
        size--;
      }
      last = slot(size++);
      minute[last] = m;
      open[last] = price;
      high[last] = price;
      low[last] = price;
      volume[last] = 0;
      quote[last] = 0;
      count[last] = 0;
      buyVolume[last] = 0;
      buyQuote[last] = 0;
      firstId[last] = tradeId;
    }
    high[last] = Math.max(high[last], price);
    low[last] = Math.min(low[last], price);
    close[last] = price;
    count[last]++;
    lastId[last] = tradeId;
    return last;
  }

  private int slot(int i) {
    return (head + i) % minute.length;
  }

  /**
   * Klines of {@code interval}: with {@code startTime} the first {@code limit} opening at or after
   * it, otherwise the last {@code limit} up to {@code endTime} (-1 = open-ended). The kline that
   * contains {@code now} is the live one; none is returned before the series' first sample.
   */
  public List<Kline> klines(
      KlineInterval interval, long startTime, long endTime, int limit, long now) {
    List<Kline> out = new ArrayList<>();
    if (size == 0 || limit <= 0) {
      return out;
    }
    long end = endTime < 0 ? now : Math.min(endTime, now);
    long first = interval.openTime(minute[slot(0)] * 60_000L);
    long from = startTime < 0 ? first : Math.max(first, interval.openTime(startTime));
    if (startTime >= 0 && interval.openTime(startTime) < startTime) {
      from = Math.max(first, interval.next(interval.openTime(startTime)));
    }
    int i = firstBucketAtOrAfter(from);
    long prevClose = i > 0 ? close[slot(i - 1)] : open[slot(Math.min(i, size - 1))];
    for (long t = from; t <= end; t = interval.next(t)) {
      long next = interval.next(t);
      Kline k = aggregate(t, next, i, prevClose);
      while (i < size && minute[slot(i)] * 60_000L < next) {
        i++;
      }
      prevClose = k.close();
      out.add(k);
      if (startTime >= 0 && out.size() == limit) {
        break;
      }
    }
    return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
  }

  private Kline aggregate(long openTime, long next, int from, long prevClose) {
    long o = prevClose;
    long h = prevClose;
    long l = prevClose;
    long c = prevClose;
    long v = 0;
    double q = 0;
    long n = 0;
    long bv = 0;
    double bq = 0;
    long f = -1;
    long last = -1;
    boolean any = false;
    for (int i = from; i < size && minute[slot(i)] * 60_000L < next; i++) {
      int s = slot(i);
      if (!any) {
        o = open[s];
        h = high[s];
        l = low[s];
        f = firstId[s];
        any = true;
      }
      h = Math.max(h, high[s]);
      l = Math.min(l, low[s]);
      c = close[s];
      v += volume[s];
      q += quote[s];
      n += count[s];
      bv += buyVolume[s];
      bq += buyQuote[s];
      last = lastId[s];
    }
    return new Kline(openTime, next - 1, o, h, l, c, v, q, n, bv, bq, f, last);
  }

  private int firstBucketAtOrAfter(long time) {
    long m = Math.floorDiv(time, 60_000L);
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (minute[slot(mid)] < m) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Throws when buckets are out of order or a candle is inconsistent. */
  public void validateInvariants() {
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      if (i > 0 && minute[slot(i - 1)] >= minute[s]) {
        throw new IllegalStateException("minute buckets out of order at " + i);
      }
      if (low[s] > open[s]
          || low[s] > close[s]
          || high[s] < open[s]
          || high[s] < close[s]
          || buyVolume[s] > volume[s]
          || count[s] <= 0) {
        throw new IllegalStateException("inconsistent candle at minute " + minute[s]);
      }
    }
  }
}
