package io.phoenix.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * HdrHistograms of the in-process stages of the hot path. Writers call {@link #record} from any
 * actor thread: it is wait-free and allocation-free (HdrHistogram's {@link Recorder}). Readers
 * (Prometheus scrape, dashboard) see a sliding window of one to two {@code window} lengths, so a
 * spike an hour ago does not hide today's p99.
 */
public final class LatencyRecorder {
  /** The stages, named by their start and end stamps. */
  public enum Stage {
    FRAME_TO_DECISION("frame_to_decision"),
    DECISION_TO_RISK("decision_to_risk"),
    RISK_TO_WRITE("risk_to_write"),
    /**
     * A new order held back by the rate budget: from the hold to the write (not part of the other
     * stages).
     */
    BUDGET_WAIT("budget_wait"),
    WRITE_TO_ACK("write_to_ack"),
    FRAME_TO_WRITE("frame_to_write");

    private final String label;

    Stage(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Percentiles exported as gauges, as fractions. */
  public static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999, 1.0};

  static final long HIGHEST_NANOS = 60_000_000_000L;
  private static final int DIGITS = 3;
  private static final long DEFAULT_WINDOW_NANOS = 60_000_000_000L;
  private static final long CACHE_NANOS = 100_000_000L;

  /** Records nothing: for components started without metrics (tests, tools). */
  public static final LatencyRecorder NONE = new LatencyRecorder(DEFAULT_WINDOW_NANOS, false);

  private final boolean enabled;
  private final Map<Stage, Recorder> recorders = new EnumMap<>(Stage.class);
  private final Map<Stage, Histogram> current = new EnumMap<>(Stage.class);
  private final Map<Stage, Histogram> previous = new EnumMap<>(Stage.class);
  private final Map<Stage, Histogram> recycled = new EnumMap<>(Stage.class);
  private final Map<Stage, Histogram> merged = new EnumMap<>(Stage.class);
  private final LongAdder outOfRange = new LongAdder();
  private final long windowNanos;
  private long windowStart;
  private long lastDrain = Long.MIN_VALUE;

  public LatencyRecorder() {
    this(DEFAULT_WINDOW_NANOS);
  }

  LatencyRecorder(long windowNanos) {
    this(windowNanos, true);
  }

  private LatencyRecorder(long windowNanos, boolean enabled) {
    this.enabled = enabled;
    this.windowNanos = windowNanos;
    for (Stage s : Stage.values()) {
      recorders.put(s, new Recorder(HIGHEST_NANOS, DIGITS));
      current.put(s, new Histogram(HIGHEST_NANOS, DIGITS));
      previous.put(s, new Histogram(HIGHEST_NANOS, DIGITS));
      merged.put(s, new Histogram(HIGHEST_NANOS, DIGITS));
    }
    this.windowStart = System.nanoTime();
  }

  /** Records one sample in nanoseconds; out-of-range values are clamped and counted. */
  public void record(Stage stage, long nanos) {
    if (!enabled) {
      return;
    }
    long v = nanos;
    if (v < 0 || v > HIGHEST_NANOS) {
      outOfRange.increment();
      v = v < 0 ? 0 : HIGHEST_NANOS;
    }
    recorders.get(stage).recordValue(v);
  }

  /** Records {@code end - start} of two {@code System.nanoTime()} stamps. */
  public void recordBetween(Stage stage, long startNanos, long endNanos) {
    record(stage, endNanos - startNanos);
  }

  /**
   * Forgets every sample recorded so far and starts a new window (a benchmark's warm-up). Samples
   * recorded concurrently with the reset may land on either side of it.
   */
  public synchronized void reset() {
    for (Stage s : Stage.values()) {
      recycled.put(s, recorders.get(s).getIntervalHistogram(recycled.get(s)));
      current.get(s).reset();
      previous.get(s).reset();
      merged.get(s).reset();
    }
    outOfRange.reset();
    windowStart = System.nanoTime();
    lastDrain = windowStart - 2 * CACHE_NANOS;
  }

  /** Samples that were negative or above 60 s (a stamping bug upstream). */
  public long outOfRange() {
    return outOfRange.sum();
  }

  /** Percentiles and log-2 buckets of every stage over the recent window. */
  public synchronized List<StageSnapshot> snapshot() {
    drain(true);
    List<StageSnapshot> out = new ArrayList<>(Stage.values().length);
    for (Stage s : Stage.values()) {
      out.add(snapshotOf(s, merged.get(s)));
    }
    return out;
  }

  /** Folds recorded samples into the window; {@link Metrics#scrape()} calls it before reading. */
  public synchronized void refresh() {
    drain(true);
  }

  /**
   * One percentile (fraction 0..1) of one stage in nanoseconds over the window as of the last
   * {@link #refresh()} or {@link #snapshot()} (at most 100 ms stale otherwise).
   */
  public synchronized long valueAt(Stage stage, double percentile) {
    drain(false);
    Histogram h = merged.get(stage);
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile * 100.0);
  }

  public synchronized long count(Stage stage) {
    drain(false);
    return merged.get(stage).getTotalCount();
  }

  /** Registers {@code phoenix_stage_latency_seconds{stage,percentile}} and sample counts. */
  void bindTo(MeterRegistry registry) {
    for (Stage s : Stage.values()) {
      for (double p : PERCENTILES) {
        Gauge.builder("phoenix.stage.latency", this, r -> r.valueAt(s, p) / 1e9)
            .description("Hot-path stage latency over the last 1-2 minutes")
            .baseUnit("seconds")
            .tag("stage", s.label())
            .tag("percentile", Double.toString(p))
            .strongReference(true)
            .register(registry);
      }
      Gauge.builder("phoenix.stage.latency.samples", this, r -> r.count(s))
          .description("Samples in the stage latency window")
          .tag("stage", s.label())
          .strongReference(true)
          .register(registry);
    }
  }

  private void drain(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDrain < CACHE_NANOS) {
      return;
    }
    lastDrain = now;
    boolean rotate = now - windowStart >= windowNanos;
    if (rotate) {
      windowStart = now;
    }
    for (Stage s : Stage.values()) {
      Histogram interval = recorders.get(s).getIntervalHistogram(recycled.get(s));
      recycled.put(s, interval);
      if (!rotate && interval.getTotalCount() == 0) {
        continue; // nothing new: the merged view is still right, skip three array walks
      }
      Histogram cur = current.get(s);
      cur.add(interval);
      if (rotate) {
        Histogram prev = previous.get(s);
        prev.reset();
        current.put(s, prev);
        previous.put(s, cur);
      }
      Histogram m = merged.get(s);
      m.reset();
      m.add(previous.get(s));
      m.add(current.get(s));
    }
  }

  private static StageSnapshot snapshotOf(Stage s, Histogram h) {
    long n = h.getTotalCount();
    List<Bucket> buckets = new ArrayList<>();
    if (n > 0) {
      for (HistogramIterationValue v : h.logarithmicBucketValues(1_000, 2.0)) {
        buckets.add(new Bucket(v.getValueIteratedTo(), v.getCountAddedInThisIterationStep()));
      }
    }
    return new StageSnapshot(
        s.label(),
        n,
        n == 0 ? 0 : h.getValueAtPercentile(50.0),
        n == 0 ? 0 : h.getValueAtPercentile(90.0),
        n == 0 ? 0 : h.getValueAtPercentile(99.0),
        n == 0 ? 0 : h.getValueAtPercentile(99.9),
        n == 0 ? 0 : h.getMaxValue(),
        buckets);
  }

  /** Percentiles of one stage in nanoseconds. */
  public record StageSnapshot(
      String stage,
      long count,
      long p50Nanos,
      long p90Nanos,
      long p99Nanos,
      long p999Nanos,
      long maxNanos,
      List<Bucket> buckets) {}

  /** Samples at or below {@code upToNanos} and above the previous bucket's bound. */
  public record Bucket(long upToNanos, long count) {}
}
