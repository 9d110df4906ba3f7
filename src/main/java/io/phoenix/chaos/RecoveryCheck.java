package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recovery after each fault: the time from its (actual) end until a sample shows every quoter
 * quoting. A node that does not get there before the next fault begins (or the run ends) did not
 * recover: it counts as infinitely slow in the percentiles. Keeps one timestamp and one flag per
 * sample, so it judges after the run, against the faults as they ran.
 */
public final class RecoveryCheck implements Check {
  /**
   * Recovery of one fault type; times in ms, {@link Long#MAX_VALUE} when not recovered, -1 without
   * faults.
   */
  public record FaultStats(
      FaultType type, int count, int unrecovered, long p50Millis, long p99Millis, long maxMillis) {}

  /**
   * One fault's recovery: -1 when it did not recover. {@code quotingBefore}: every quoter quoted in
   * the last sample before the fault began (false: an earlier fault's damage, not this one's).
   */
  public record Recovery(FaultLog.Executed fault, long millis, boolean quotingBefore) {}

  private final List<String> symbols;
  private final long p99LimitMillis;
  private long[] times = new long[1024];
  private boolean[] quoting = new boolean[1024];
  private int n;
  private List<FaultLog.Executed> faults = List.of();
  private long runEndMillis;

  public RecoveryCheck(List<String> symbols, long p99LimitMillis) {
    this.symbols = List.copyOf(symbols);
    this.p99LimitMillis = p99LimitMillis;
  }

  @Override
  public void observe(Sample s) {
    if (s.phase() == Sample.Phase.FINAL) {
      return;
    }
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
      quoting = Arrays.copyOf(quoting, n * 2);
    }
    times[n] = s.atMillis();
    quoting[n] = s.allQuoting(symbols);
    n++;
  }

  /**
   * The faults as they ran and the end of sampling; before {@link #verdict()} and {@link #stats()}.
   */
  public void faults(List<FaultLog.Executed> executed, long runEndMillis) {
    this.faults = List.copyOf(executed);
    this.runEndMillis = runEndMillis;
  }

  public List<Recovery> recoveries() {
    List<Recovery> out = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      FaultLog.Executed f = faults.get(i);
      boolean before = true;
      for (int k = 0; k < n && times[k] < f.begunMillis(); k++) {
        before = quoting[k];
      }
      if (f.endedMillis() < 0) {
        out.add(new Recovery(f, -1, before));
        continue;
      }
      long until = i + 1 < faults.size() ? faults.get(i + 1).begunMillis() : runEndMillis;
      long recovered = -1;
      for (int k = 0; k < n; k++) {
        if (times[k] >= f.endedMillis() && times[k] < until && quoting[k]) {
          recovered = times[k] - f.endedMillis();
          break;
        }
      }
      out.add(new Recovery(f, recovered, before));
    }
    return out;
  }

  public List<FaultStats> stats() {
    Map<FaultType, List<Long>> byType = new EnumMap<>(FaultType.class);
    for (Recovery r : recoveries()) {
      byType
          .computeIfAbsent(r.fault().window().type(), t -> new ArrayList<>())
          .add(r.millis() < 0 ? Long.MAX_VALUE : r.millis());
    }
    List<FaultStats> out = new ArrayList<>();
    byType.forEach((type, list) -> out.add(stats(type, list)));
    return out;
  }

  static FaultStats stats(FaultType type, List<Long> millis) {
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    int unrecovered = (int) Arrays.stream(sorted).filter(v -> v == Long.MAX_VALUE).count();
    if (sorted.length == 0) {
      return new FaultStats(type, 0, 0, -1, -1, -1);
    }
    return new FaultStats(
        type,
        sorted.length,
        unrecovered,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  /** Nearest rank: the smallest value with at least {@code p} of the values at or below it. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Override
  public Verdict verdict() {
    List<Recovery> all = recoveries();
    if (all.isEmpty()) {
      return new Verdict(
          "recovery after faults (p99)",
          "no fault",
          "<= " + seconds(p99LimitMillis),
          false,
          "no fault ran");
    }
    long[] sorted =
        all.stream()
            .mapToLong(r -> r.millis() < 0 ? Long.MAX_VALUE : r.millis())
            .sorted()
            .toArray();
    long p99 = percentile(sorted, 0.99);
    long unrecovered = Arrays.stream(sorted).filter(v -> v == Long.MAX_VALUE).count();
    List<String> slow = new ArrayList<>();
    for (Recovery r : all) {
      if ((r.millis() < 0 || r.millis() > p99LimitMillis) && slow.size() < 5) {
        slow.add(
            r.fault().window().describe()
                + (r.millis() < 0 ? " not recovered" : " " + seconds(r.millis()))
                + (r.quotingBefore() ? "" : " (not quoting before it)"));
      }
    }
    String value =
        String.format(
            Locale.ROOT, "%s (%d of %d not recovered)", seconds(p99), unrecovered, sorted.length);
    return new Verdict(
        "recovery after faults (p99)",
        value,
        "<= " + seconds(p99LimitMillis),
        p99 <= p99LimitMillis,
        String.join(", ", slow));
  }

  static String seconds(long millis) {
    return millis == Long.MAX_VALUE
        ? "n/r"
        : millis < 0 ? "-" : String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
  }
}
