package io.phoenix.bench;

import com.typesafe.config.ConfigFactory;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.risk.PreTradeResult;
import io.phoenix.risk.RiskEngine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the quoting decision per book update (strategy + diff over two levels a side, orders
 * acknowledged so the steady state keeps most quotes) and of one risk pre-trade check followed by
 * the order's completion. Run: {@code java -jar target/benchmarks.jar Quoting -f 1 -wi 2 -i 3 -prof
 * gc} to see allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QuotingBenchmark {
  private static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          1,
          10_000_000_000L,
          1,
          1_000_000,
          5.0,
          200,
          1.05,
          0.95);

  /** 0.3 bps: most updates leave the quotes alone; 0: every tick of the mid moves orders. */
  @Param({"0.3", "0"})
  public double toleranceBps;

  private QuoterCore core;
  private RiskEngine risk;
  private final PreTradeResult result = new PreTradeResult();
  private final String[] ids = new String[1024];
  private long now;
  private int tick;
  private int next;

  @Setup
  public void setup() {
    QuoterSettings qs =
        QuoterSettings.fromConfig(
            ConfigFactory.parseString(
                    "phoenix.quoter { min-quote-life = 0ms, refresh-tolerance-ticks = 0, refresh-tolerance-bps = "
                        + toleranceBps
                        + " }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    RiskSettings rs =
        RiskSettings.fromConfig(
            ConfigFactory.parseString(
                    "phoenix.risk { orders-per-second = 1e5, order-burst = 100000, max-open-orders = 100000, max-open-orders-per-symbol = 10000 }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    long[] seq = {0};
    core = new QuoterCore(qs, BTC, () -> "b" + seq[0]++, true);
    core.onMark(500_000, 0.0001);
    risk = new RiskEngine(rs, List.of(BTC));
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "r" + i;
    }
  }

  /** One book update and requote; the mid walks a few ticks so some orders move. */
  @Benchmark
  public int bookUpdateAndRequote() {
    now += 1_000_000;
    long mid = 500_000 + ((tick++ >> 4) & 7);
    core.onTopOfBook(mid, 10, mid + 1, 12, now);
    int n = core.requote(now);
    if (core.halt(now) != QuoterCore.Halt.NONE) {
      throw new IllegalStateException("benchmark quoter is halted: " + core.halt(now));
    }
    for (int i = 0; i < n; i++) {
      String id = core.actionClientId(i);
      switch (core.actionKind(i)) {
        case PLACE -> core.onAccepted(id);
        case CANCEL -> core.onGone(id);
        default -> {}
      }
    }
    return n;
  }

  /** One pre-trade check of a new order and its completion (keeps the open-order set small). */
  @Benchmark
  public long preTradeCheck() {
    long nowMillis = 1_000 + next; // 1 ms per check: the token bucket never runs dry
    risk.onMark(0, 500_000, nowMillis);
    String id = ids[next++ & 1023];
    risk.checkNew(id, 0, (next & 1) == 0, 499_990 + (next & 7), 2, false, nowMillis, result);
    risk.onDone(id);
    return result.qtySteps();
  }
}
