package io.phoenix.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a chaos run: one verdict per invariant, recovery per fault type and every fault as
 * it ran; printed as a table and optionally written as JSON. The run passes when every verdict
 * does.
 */
public final class ChaosReport {
  /**
   * @param samples samples taken; {@code withoutNode} of them lacked a node answer (gateway or a
   *     quoter), {@code withoutExchange} the venue's (down or slow)
   */
  public record Run(
      long seed, int minutes, long samples, long withoutNode, long withoutExchange, String note) {}

  private final Run run;
  private final List<Verdict> verdicts;
  private final List<RecoveryCheck.FaultStats> faults;
  private final List<RecoveryCheck.Recovery> recoveries;

  public ChaosReport(
      Run run,
      List<Verdict> verdicts,
      List<RecoveryCheck.FaultStats> faults,
      List<RecoveryCheck.Recovery> recoveries) {
    this.run = run;
    this.verdicts = List.copyOf(verdicts);
    this.faults = List.copyOf(faults);
    this.recoveries = List.copyOf(recoveries);
  }

  public boolean passed() {
    return !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::pass);
  }

  public List<Verdict> verdicts() {
    return verdicts;
  }

  public List<RecoveryCheck.FaultStats> faults() {
    return faults;
  }

  public String table() {
    StringBuilder b = new StringBuilder(4096);
    b.append(
        String.format(
            Locale.ROOT,
            "chaos: seed %d, %d min, %d samples (%d without a node answer, %d without the exchange), %d faults%n",
            run.seed(),
            run.minutes(),
            run.samples(),
            run.withoutNode(),
            run.withoutExchange(),
            recoveries.size()));
    if (!run.note().isEmpty()) {
      b.append(run.note()).append('\n');
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"invariant", "value", "limit", "result"});
    verdicts.forEach(
        v -> rows.add(new String[] {v.name(), v.value(), v.limit(), v.pass() ? "PASS" : "FAIL"}));
    int[] width = widths(rows);
    for (int i = 0; i < rows.size(); i++) {
      row(b, rows.get(i), width);
      if (i > 0 && !verdicts.get(i - 1).detail().isEmpty()) {
        b.append("    ").append(verdicts.get(i - 1).detail()).append('\n');
      }
    }
    b.append('\n');
    List<String[]> faultRows = new ArrayList<>();
    faultRows.add(
        new String[] {"fault type", "count", "not recovered", "recovery p50", "p99", "max"});
    for (RecoveryCheck.FaultStats f : faults) {
      faultRows.add(
          new String[] {
            f.type().configName(),
            Integer.toString(f.count()),
            Integer.toString(f.unrecovered()),
            RecoveryCheck.seconds(f.p50Millis()),
            RecoveryCheck.seconds(f.p99Millis()),
            RecoveryCheck.seconds(f.maxMillis())
          });
    }
    int[] fw = widths(faultRows);
    faultRows.forEach(r -> row(b, r, fw));
    b.append("\nfaults as they ran (seconds since the run's start):\n");
    for (RecoveryCheck.Recovery r : recoveries) {
      FaultLog.Executed e = r.fault();
      String note =
          r.quotingBefore()
              ? e.note()
              : e.note().isEmpty() ? "not quoting before it" : "not quoting before it; " + e.note();
      b.append(
              String.format(
                      Locale.ROOT,
                      "  %-40s began %7.2f ended %7s recovery %-6s %s",
                      e.window().describe(),
                      e.begunMillis() / 1000.0,
                      e.endedMillis() < 0
                          ? "-"
                          : String.format(Locale.ROOT, "%.2f", e.endedMillis() / 1000.0),
                      r.millis() < 0 ? "n/r" : RecoveryCheck.seconds(r.millis()),
                      note)
                  .stripTrailing())
          .append('\n');
    }
    b.append(passed() ? "RESULT: PASS\n" : "RESULT: FAIL\n");
    return b.toString();
  }

  private static int[] widths(List<String[]> rows) {
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    return w;
  }

  private static void row(StringBuilder b, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      b.append(cells[i]);
      if (i < cells.length - 1) {
        b.append(" ".repeat(width[i] - cells[i].length() + 2));
      }
    }
    b.append('\n');
  }

  /**
   * The report as a JSON tree of maps and lists (times in milliseconds, null when not recovered).
   */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run", run);
    root.put("passed", passed());
    root.put("invariants", verdicts);
    List<Map<String, Object>> types = new ArrayList<>();
    for (RecoveryCheck.FaultStats f : faults) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", f.type().configName());
      m.put("count", f.count());
      m.put("unrecovered", f.unrecovered());
      m.put("recoveryP50Ms", millis(f.p50Millis()));
      m.put("recoveryP99Ms", millis(f.p99Millis()));
      m.put("recoveryMaxMs", millis(f.maxMillis()));
      types.add(m);
    }
    root.put("faultTypes", types);
    List<Map<String, Object>> windows = new ArrayList<>();
    for (RecoveryCheck.Recovery r : recoveries) {
      FaultLog.Executed e = r.fault();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", e.window().index());
      m.put("type", e.window().type().configName());
      m.put("plannedStartMs", e.window().startMillis());
      m.put("plannedEndMs", e.window().endMillis());
      m.put("target", e.window().target());
      m.put("magnitude", e.window().magnitude());
      m.put("begunMs", e.begunMillis());
      m.put("endedMs", e.endedMillis() < 0 ? null : e.endedMillis());
      m.put("recoveryMs", r.millis() < 0 ? null : r.millis());
      m.put("quotingBefore", r.quotingBefore());
      m.put("note", e.note());
      windows.add(m);
    }
    root.put("faults", windows);
    return root;
  }

  private static Long millis(long v) {
    return v < 0 || v == Long.MAX_VALUE ? null : v;
  }

  public void writeJson(Path file) throws IOException {
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), toJson());
  }
}
