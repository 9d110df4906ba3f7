package io.phoenix.chaos;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/** Heap used after a full GC at the start and at the end of the run: flat within a tolerance. */
public final class HeapCheck {
  private HeapCheck() {}

  /** Heap used after asking for a full GC twice (the second collects what the first's finalisation freed). */
  public static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  public static Verdict verdict(long startBytes, long endBytes, double tolerance) {
    double change = startBytes <= 0 ? Double.NaN : (double) (endBytes - startBytes) / startBytes;
    String value = String.format(Locale.ROOT, "%.1f -> %.1f MB (%+.1f%%)", startBytes / 1e6, endBytes / 1e6, 100 * change);
    return new Verdict("heap after GC, start vs end", value, String.format(Locale.ROOT, "within +-%.0f%%", 100 * tolerance),
        !Double.isNaN(change) && Math.abs(change) <= tolerance, "");
  }
}
