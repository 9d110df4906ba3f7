package io.phoenix.chaos;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Heap used after a full GC at the start and at the end of the run: flat within a tolerance. The
 * evidence is the classes whose live bytes grew most in between (the JVM's class histogram).
 */
public final class HeapCheck {
  private static final Pattern HISTOGRAM_LINE =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private HeapCheck() {}

  /**
   * Heap used after asking for a full GC twice (the second collects what the first's finalisation
   * freed).
   */
  public static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The live heap after a full GC: the class histogram's total, counted inside the collection's
   * safepoint. Without a histogram, heap used right after {@link #usedAfterGc}, which also counts
   * the allocation buffers the threads took since the collection ended: on a busy node several MB
   * more, and a different amount at each reading (a 60-minute soak ended at 55.6 MB used, 45.6 MB
   * live a minute earlier).
   */
  public static long liveBytes(Map<String, Long> histogram) {
    if (histogram.isEmpty()) {
      return usedAfterGc();
    }
    long total = 0;
    for (long bytes : histogram.values()) {
      total += bytes;
    }
    return total;
  }

  /**
   * Live bytes per class ({@code GC.class_histogram}, which collects first); empty where the
   * command is unavailable.
   */
  public static Map<String, Long> liveHistogram() {
    try {
      Object text =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()});
      return parseHistogram(String.valueOf(text));
    } catch (Exception | LinkageError e) {
      return Map.of();
    }
  }

  static Map<String, Long> parseHistogram(String text) {
    Map<String, Long> bytes = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = HISTOGRAM_LINE.matcher(line);
      if (m.find()) {
        bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return bytes;
  }

  /**
   * The {@code top} classes whose live bytes grew most, e.g. {@code [B +2.1 MB, java.lang.String
   * +0.8 MB}.
   */
  static String topGrowth(Map<String, Long> start, Map<String, Long> end, int top) {
    Set<String> classes = new HashSet<>(start.keySet());
    classes.addAll(end.keySet());
    List<Map.Entry<String, Long>> growth = new ArrayList<>();
    for (String c : classes) {
      long delta = end.getOrDefault(c, 0L) - start.getOrDefault(c, 0L);
      if (delta > 0) {
        growth.add(Map.entry(c, delta));
      }
    }
    growth.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < Math.min(top, growth.size()); i++) {
      parts.add(
          String.format(
              Locale.ROOT, "%s +%.2f MB", growth.get(i).getKey(), growth.get(i).getValue() / 1e6));
    }
    return parts.isEmpty() ? "" : "grew most: " + String.join(", ", parts);
  }

  public static Verdict verdict(long startBytes, long endBytes, double tolerance) {
    return verdict(startBytes, endBytes, tolerance, Map.of(), Map.of());
  }

  /** With the class histograms taken beside the two measurements, for the evidence. */
  public static Verdict verdict(
      long startBytes,
      long endBytes,
      double tolerance,
      Map<String, Long> startClasses,
      Map<String, Long> endClasses) {
    double change = startBytes <= 0 ? Double.NaN : (double) (endBytes - startBytes) / startBytes;
    String value =
        String.format(
            Locale.ROOT,
            "%.1f -> %.1f MB (%+.1f%%)",
            startBytes / 1e6,
            endBytes / 1e6,
            100 * change);
    return new Verdict(
        "live heap after GC, start vs end",
        value,
        String.format(Locale.ROOT, "within +-%.0f%%", 100 * tolerance),
        !Double.isNaN(change) && Math.abs(change) <= tolerance,
        topGrowth(startClasses, endClasses, 5));
  }
}
