package io.phoenix.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.backtest.BacktestCommand;
import io.phoenix.backtest.BacktestResult;
import io.phoenix.backtest.MarketData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The backtester on the shipped recording (data/binance-usdm/btcusdt_20240808.gz: 93,954 messages,
 * 532,923 events counted as hftbacktest does, one per depth level, trade and book ticker):
 *
 * <ul>
 *   <li>{@code replay}: one backtest of the node's strategy over the loaded data, on one thread
 *       (events/s = 532,923 / the time per operation);
 *   <li>{@code load}: unpacking and decoding the file (sliced over the cores);
 *   <li>{@code loadAndReplay}: the whole file, as the {@code backtest} command does after start-up.
 * </ul>
 *
 * <p>Run from the project directory: {@code mvn -B -q -o -Pbench -DskipTests package && java -jar
 * target/benchmarks.jar BacktestBenchmark -f 1 -wi 3 -i 5}. The first, cold run of a fresh JVM and
 * the sweep's use of the cores are measured by {@link BacktestColdRun}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BacktestBenchmark {
  static final Path FILE =
      Path.of(System.getProperty("backtest.file", "data/binance-usdm/btcusdt_20240808.gz"));

  private Config config;
  private MarketData data;

  @Setup
  public void setup() throws Exception {
    config = ConfigFactory.load();
    data = BacktestCommand.load(config, List.of(FILE));
  }

  @Benchmark
  public BacktestResult replay() {
    return BacktestCommand.runOnce(data, config, Map.of());
  }

  @Benchmark
  public MarketData load() throws Exception {
    return BacktestCommand.load(config, List.of(FILE));
  }

  @Benchmark
  public BacktestResult loadAndReplay() throws Exception {
    return BacktestCommand.runOnce(BacktestCommand.load(config, List.of(FILE)), config, Map.of());
  }
}
