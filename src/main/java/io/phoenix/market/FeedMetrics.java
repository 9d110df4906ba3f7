package io.phoenix.market;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.phoenix.core.Instrument;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counters of one feed, per symbol, published to Micrometer as {@code phoenix_feed_*} ({@code
 * events_total}, {@code decode_errors_total}, {@code gaps_total}, {@code resyncs_total}, {@code
 * reconnects_total}, {@code lag_seconds}) tagged {@code feed} and {@code symbol}, plus an
 * HdrHistogram of lag per symbol for percentile reports.
 *
 * <p>Meters are resolved once here, so recording is an array index and an add. The feed and its
 * book keepers run on different threads: everything here is safe to record concurrently.
 */
public final class FeedMetrics {
  /** Symbol id for a decode error whose symbol could not be determined. */
  public static final int UNKNOWN_SYMBOL = -1;

  private static final long MAX_LAG_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final String feed;
  private final Counter[] events;
  private final Counter[] decodeErrors;
  private final Counter unattributedDecodeErrors;
  private final Counter[] gaps;
  private final Counter[] resyncs;
  private final Counter reconnects;
  private final Timer[] lag;
  private final Histogram[] lagMicros;

  public FeedMetrics(MeterRegistry registry, String feed, List<Instrument> instruments) {
    this.feed = feed;
    int size = 0;
    for (Instrument instrument : instruments) {
      size = Math.max(size, instrument.id() + 1);
    }
    events = new Counter[size];
    decodeErrors = new Counter[size];
    gaps = new Counter[size];
    resyncs = new Counter[size];
    lag = new Timer[size];
    lagMicros = new Histogram[size];
    for (Instrument instrument : instruments) {
      int id = instrument.id();
      Tags tags = Tags.of("feed", feed, "symbol", instrument.symbol());
      events[id] = counter(registry, "phoenix.feed.events", "Market events received", tags);
      decodeErrors[id] =
          counter(registry, "phoenix.feed.decode.errors", "Frames dropped as undecodable", tags);
      gaps[id] =
          counter(registry, "phoenix.feed.gaps", "Breaks in the depth update-id chain", tags);
      resyncs[id] =
          counter(
              registry, "phoenix.feed.resyncs", "Book resynchronisations from a snapshot", tags);
      lag[id] =
          Timer.builder("phoenix.feed.lag")
              .description("Local receive time minus exchange event time")
              .tags(tags)
              .publishPercentiles(0.5, 0.99, 0.999)
              .register(registry);
      lagMicros[id] = new ConcurrentHistogram(MAX_LAG_MICROS, 3);
    }
    Tags feedTags = Tags.of("feed", feed, "symbol", "");
    unattributedDecodeErrors =
        counter(registry, "phoenix.feed.decode.errors", "Frames dropped as undecodable", feedTags);
    reconnects =
        Counter.builder("phoenix.feed.reconnects")
            .description("WebSocket reconnect attempts")
            .tags(Tags.of("feed", feed))
            .register(registry);
  }

  private static Counter counter(
      MeterRegistry registry, String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  public String feed() {
    return feed;
  }

  public void event(int symbolId) {
    events[symbolId].increment();
  }

  public void decodeError(int symbolId) {
    (symbolId >= 0 && symbolId < decodeErrors.length && decodeErrors[symbolId] != null
            ? decodeErrors[symbolId]
            : unattributedDecodeErrors)
        .increment();
  }

  public void gap(int symbolId) {
    gaps[symbolId].increment();
  }

  public void resync(int symbolId) {
    resyncs[symbolId].increment();
  }

  public void reconnect() {
    reconnects.increment();
  }

  /** Records receive-minus-event lag; negative values (clock skew) are clamped to zero. */
  public void lag(int symbolId, long lagMillis) {
    long micros = Math.min(Math.max(lagMillis, 0) * 1000, MAX_LAG_MICROS);
    lag[symbolId].record(micros, TimeUnit.MICROSECONDS);
    lagMicros[symbolId].recordValue(micros);
  }

  public long events(int symbolId) {
    return (long) events[symbolId].count();
  }

  public long decodeErrors(int symbolId) {
    return (long)
        (symbolId == UNKNOWN_SYMBOL ? unattributedDecodeErrors : decodeErrors[symbolId]).count();
  }

  public long gaps(int symbolId) {
    return (long) gaps[symbolId].count();
  }

  public long resyncs(int symbolId) {
    return (long) resyncs[symbolId].count();
  }

  public long reconnects() {
    return (long) reconnects.count();
  }

  /** A copy of the lag histogram of a symbol, in microseconds. */
  public Histogram lagMicros(int symbolId) {
    return lagMicros[symbolId].copy();
  }
}
