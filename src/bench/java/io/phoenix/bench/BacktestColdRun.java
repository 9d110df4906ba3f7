package io.phoenix.bench;

import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.backtest.BacktestCommand;
import io.phoenix.backtest.BacktestResult;
import io.phoenix.backtest.MarketData;
import io.phoenix.backtest.Sweep;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a user waits for: the first backtest of the shipped file in a fresh JVM (load + replay, JIT
 * cold), then a few warm ones, then a 9-point sweep ({@code quoter.base-spread} x {@code
 * quoter.levels}) with the process's CPU time against the wall time (2.0 = both cores busy
 * throughout). Run: {@code java -cp target/benchmarks.jar io.phoenix.bench.BacktestColdRun}.
 */
public final class BacktestColdRun {
  private BacktestColdRun() {}

  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : BacktestBenchmark.FILE;
    Config config = ConfigFactory.load();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      MarketData data = BacktestCommand.load(config, List.of(file));
      long t1 = System.nanoTime();
      BacktestResult r = BacktestCommand.runOnce(data, config, Map.of());
      long t2 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "%s run: load %.0f ms + replay %.0f ms = %.0f ms; replay %.2f M events/s (%d events, %d messages); net PnL %.4f%n",
          i == 0 ? "cold" : "warm",
          (t1 - t0) / 1e6,
          (t2 - t1) / 1e6,
          (t2 - t0) / 1e6,
          data.levelEvents() / ((t2 - t1) / 1e9) / 1e6,
          data.levelEvents(),
          data.size(),
          r.summary().netPnl());
    }
    MarketData data = BacktestCommand.load(config, List.of(file));
    Sweep sweep =
        new Sweep(Sweep.parse(List.of("quoter.base-spread=0.6,2,4", "quoter.levels=1,2,3")));
    int threads = Runtime.getRuntime().availableProcessors();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    List<Sweep.Run> runs = sweep.run(data, config, threads);
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - cpu0;
    System.out.print(Sweep.table(runs));
    System.out.printf(
        Locale.ROOT,
        "sweep: %d runs on %d threads in %.0f ms wall, %.0f ms CPU: %.2f cores busy on average%n",
        runs.size(),
        sweep.threadsUsed(),
        wall / 1e6,
        cpu / 1e6,
        (double) cpu / wall);
  }
}
