package io.phoenix.backtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A grid of backtests: every combination of the values given per setting ({@code --sweep
 * quoter.base-spread=2,4,6 --sweep quoter.levels=1,2,3} is 9 runs), spread over worker threads that
 * share the loaded, immutable market data. Each run builds its own strategy, books and exchange
 * model, so runs are independent and each gives the same result as it would alone.
 */
public final class Sweep {
  /** One setting and the values it takes. */
  public record Axis(String key, List<String> values) {}

  /** One finished run: its place in the grid, the settings it changed, its result. */
  public record Run(int index, Map<String, String> overrides, BacktestResult result) {}

  /** A run's overrides and summary, for the sweep's own JSON. */
  public record RunSummary(
      int index, Map<String, String> overrides, BacktestResult.Summary summary) {}

  private final List<Axis> axes;
  private final Set<String> threads = ConcurrentHashMap.newKeySet();

  public Sweep(List<Axis> axes) {
    this.axes = List.copyOf(axes);
  }

  /** Parses {@code key=v1,v2,...}; a key without the {@code phoenix.} prefix gets it. */
  public static List<Axis> parse(List<String> specs) {
    List<Axis> axes = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new SettingsException("--sweep", "expected key=v1,v2,..., was " + spec);
      }
      String key = spec.substring(0, eq).trim();
      if (!key.startsWith("phoenix.")) {
        key = "phoenix." + key;
      }
      List<String> values = new ArrayList<>();
      for (String v : spec.substring(eq + 1).split(",")) {
        if (!v.isBlank()) {
          values.add(v.trim());
        }
      }
      axes.add(new Axis(key, List.copyOf(values)));
    }
    return axes;
  }

  /** Every combination, first axis slowest. */
  public List<Map<String, String>> grid() {
    List<Map<String, String>> grid = new ArrayList<>();
    grid.add(new LinkedHashMap<>());
    for (Axis axis : axes) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : grid) {
        for (String value : axis.values()) {
          Map<String, String> m = new LinkedHashMap<>(partial);
          m.put(axis.key(), value);
          next.add(m);
        }
      }
      grid = next;
    }
    return grid;
  }

  /** {@code base} with {@code overrides} on top; an unknown key or a bad value fails naming it. */
  public static Config apply(Config base, Map<String, String> overrides) {
    Config config = base;
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!base.hasPath(e.getKey())) {
        throw new SettingsException("--sweep", "unknown setting " + e.getKey());
      }
      try {
        config = ConfigFactory.parseString(e.getKey() + " = " + e.getValue()).withFallback(config);
      } catch (com.typesafe.config.ConfigException ex) {
        throw new SettingsException(
            e.getKey(), "bad sweep value " + e.getValue() + " (" + ex.getMessage() + ")");
      }
    }
    return config.resolve();
  }

  /** Runs the grid on {@code threadCount} threads (at least 1); results in grid order. */
  public List<Run> run(MarketData data, Config base, int threadCount) {
    List<Map<String, String>> grid = grid();
    List<Config> configs = new ArrayList<>();
    for (Map<String, String> overrides : grid) {
      Config c = apply(base, overrides);
      BacktestSettings.fromConfig(c); // a bad value fails before anything runs
      configs.add(c);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threadCount, grid.size())),
            r -> {
              Thread t = new Thread(r, "backtest-sweep");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Run>> futures = new ArrayList<>();
      for (int i = 0; i < grid.size(); i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  threads.add(
                      Thread.currentThread().getName() + "@" + Thread.currentThread().getId());
                  return new Run(
                      index,
                      grid.get(index),
                      Backtest.runOnce(data, configs.get(index), grid.get(index)));
                }));
      }
      List<Run> runs = new ArrayList<>();
      for (Future<Run> f : futures) {
        runs.add(f.get());
      }
      return runs;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("a sweep run failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Distinct worker threads that ran at least one backtest. */
  public int threadsUsed() {
    return threads.size();
  }

  /** Best first: by net PnL, then by Sharpe. */
  public static List<Run> ranked(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(
        Comparator.<Run>comparingDouble(r -> r.result().summary().netPnl())
            .reversed()
            .thenComparing(
                Comparator.<Run>comparingDouble(r -> r.result().summary().sharpePerMinute())
                    .reversed())
            .thenComparingInt(Run::index));
    return sorted;
  }

  public static List<RunSummary> summaries(List<Run> runs) {
    List<RunSummary> out = new ArrayList<>();
    for (Run r : ranked(runs)) {
      out.add(new RunSummary(r.index(), r.overrides(), r.result().summary()));
    }
    return out;
  }

  /** The ranked table. */
  public static String table(List<Run> runs) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-5s %-4s %12s %12s %10s %7s %9s %10s %9s  %s%n",
            "rank",
            "run",
            "net PnL",
            "gross PnL",
            "fees",
            "fills",
            "Sharpe/m",
            "max DD",
            "mk 1s bp",
            "settings"));
    int rank = 1;
    for (Run r : ranked(runs)) {
      BacktestResult.Summary s = r.result().summary();
      b.append(
          String.format(
              Locale.ROOT,
              "%-5d %-4d %12.4f %12.4f %10.4f %7d %9.3f %10.4f %9.3f  %s%n",
              rank++,
              r.index(),
              s.netPnl(),
              s.grossPnl(),
              s.fees(),
              s.fills(),
              s.sharpePerMinute(),
              s.maxDrawdown(),
              s.markoutBps().getOrDefault("1s", 0.0),
              r.overrides()));
    }
    return b.toString();
  }
}
