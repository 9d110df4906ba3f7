package io.phoenix.bench;

/**
 * Plain-main driver of {@link DepthApplyBenchmark#decodeAndApply} (or {@code decodeOnly}) for
 * instruction counting where hardware counters are unavailable: run it under {@code valgrind
 * --tool=callgrind} twice with the same warm-up and two measured counts; the difference of the
 * totals divided by the difference of the counts is instructions per op, with start-up, JIT
 * compilation ({@code -Xbatch} makes it synchronous) and exit cancelling out.
 *
 * <p>Args: {@code mode(apply|string|decode|applyOnly) warmupOps measuredOps}.
 */
public final class DepthApplyLoop {
  private DepthApplyLoop() {}

  public static void main(String[] args) {
    String mode = args[0];
    int warmup = Integer.parseInt(args[1]);
    int measured = Integer.parseInt(args[2]);
    DepthApplyBenchmark bench = new DepthApplyBenchmark();
    bench.setUp();
    long sink = run(bench, mode, warmup);
    long start = System.nanoTime();
    sink += run(bench, mode, measured);
    long elapsed = System.nanoTime() - start;
    bench.checkApplied();
    System.out.printf(
        "%s ops=%d ns/op=%.1f sink=%d%n",
        mode, measured, measured == 0 ? 0.0 : (double) elapsed / measured, sink);
  }

  private static long run(DepthApplyBenchmark bench, String mode, int ops) {
    long sink = 0;
    for (int i = 0; i < ops; i++) {
      switch (mode) {
        case "apply" -> sink += bench.decodeAndApply().ordinal();
        case "decode" -> sink += bench.decodeOnly();
        case "string" -> sink += bench.decodeStringAndApply().ordinal();
        default -> sink += bench.applyOnly();
      }
    }
    return sink;
  }
}
