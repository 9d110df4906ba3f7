package io.phoenix.bench;

import io.phoenix.config.Secret;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalEntry.FillRecorded;
import io.phoenix.journal.JournalStore;
import io.phoenix.ops.ActorMetrics;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.Metrics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the ops instrumentation on the hot path (latency sample, per-message actor meters), of
 * one Prometheus scrape, and of one journal batch of 256 fills into an H2 file. {@code java -jar
 * target/benchmarks.jar OpsBench -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpsBench {
  private Metrics metrics;
  private LatencyRecorder latency;
  private ActorMetrics actor;
  private long sample = 1_000;
  private Path dir;
  private JournalStore store;
  private long tradeId;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    metrics = Metrics.create();
    latency = metrics.latency();
    actor = metrics.actor("quoter-BTCUSDT");
    for (int i = 0; i < 100_000; i++) {
      latency.record(LatencyRecorder.Stage.FRAME_TO_WRITE, 1_000 + i % 50_000);
    }
    dir = Files.createTempDirectory("ops-bench");
    store = JournalStore.open("jdbc:h2:file:" + dir.resolve("journal"), "phoenix", Secret.empty());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    metrics.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public void latencyRecord() {
    sample = sample * 6364136223846793005L + 1442695040888963407L;
    latency.record(LatencyRecorder.Stage.FRAME_TO_WRITE, 1_000 + ((sample >>> 40) & 0xFFFF));
  }

  @Benchmark
  public void actorMessageMeters() {
    actor.handled(750);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void latencyWindowRefresh() {
    latency.refresh();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String prometheusScrape() {
    return metrics.scrape();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int journalBatchOf256Fills() throws Exception {
    List<JournalEntry> batch = new ArrayList<>(256);
    Instant now = Instant.now();
    for (int i = 0; i < 256; i++) {
      long id = ++tradeId;
      batch.add(
          new FillRecorded(
              "BTCUSDT",
              id,
              id,
              "phx-" + id,
              (id & 1) == 0 ? "BUY" : "SELL",
              new BigDecimal("50000.1"),
              new BigDecimal("0.002"),
              new BigDecimal("0.02"),
              BigDecimal.ZERO,
              true,
              now));
    }
    return store.append(batch);
  }
}
