package io.phoenix;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.StageSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code bench} command: the whole node (embedded simulator over loopback, feeds, quoters,
 * risk, gateway) runs for a while with a livelier simulated market and generous rate limits, the
 * stage histograms are reset after a warm-up, and the in-process hot-path stages (frame arrival to
 * the order request handed to the HTTP client) are printed with their sample counts. Not a test:
 * the numbers depend on the machine and on what else runs on it.
 */
final class LatencyBench {
  /**
   * The simulator's part: also what an external simulator for {@code --external-venue} should run
   * with ({@code java -jar target/phoenix.jar exchange --config} a file holding these lines, with a
   * fixed port instead of 0).
   */
  static final String SIMULATOR_OVERRIDES =
      """
      phoenix.sim.port = 0
      phoenix.sim.tick = 10ms
      phoenix.sim.model.step = 20ms
      phoenix.sim.model.taker-arrivals-per-second = 5
      phoenix.sim.rate-limits.request-weight-per-minute = 1000000
      phoenix.sim.rate-limits.orders-per-10s = 1000000
      phoenix.sim.rate-limits.orders-per-minute = 1000000
      """;

  static final String NODE_OVERRIDES =
      """
      phoenix.risk.orders-per-second = 10000
      phoenix.risk.order-burst = 10000
      phoenix.quoter.min-quote-life = 100ms
      phoenix.ops.port = 0
      phoenix.journal.url = "jdbc:h2:mem:phoenix-bench;DB_CLOSE_DELAY=-1"
      """;

  /**
   * Laid over the caller's config. A faster simulated market (more book moves per frame, more
   * takers) and limits that never throttle, so the run measures the path and not the budget; the
   * simulator and the ops server take free ports and the journal stays in memory, so a bench
   * never disturbs a node running on the same machine.
   */
  static final String OVERRIDES = SIMULATOR_OVERRIDES + "phoenix.sim.enabled = true\n" + NODE_OVERRIDES;

  private LatencyBench() {}

  /**
   * Runs warm-up plus {@code seconds} of measurement, prints the table, shuts down (cancel all).
   *
   * @param externalVenue trade the venue at {@code phoenix.binance.*} instead of an embedded
   *     simulator; refused unless it is on this machine, so a bench never trades a real exchange
   */
  static int run(Config config, int warmupSeconds, int seconds, boolean externalVenue) {
    if (seconds < 1 || warmupSeconds < 0) {
      System.err.println("phoenix bench: --seconds must be >= 1 and --warmup >= 0");
      return 2;
    }
    Config benchConfig;
    if (externalVenue) {
      String restUrl = config.getString("phoenix.binance.rest-url");
      if (!isLoopback(restUrl)) {
        System.err.println("phoenix bench: --external-venue only benches a simulator on this machine; phoenix.binance.rest-url is " + restUrl);
        return 2;
      }
      benchConfig = ConfigFactory.parseString("phoenix.sim.enabled = false\n" + NODE_OVERRIDES).withFallback(config).resolve();
    } else {
      benchConfig = ConfigFactory.parseString(OVERRIDES).withFallback(config).resolve();
    }
    PhoenixNode node;
    try {
      node = PhoenixNode.start(benchConfig);
    } catch (io.phoenix.config.SettingsException e) {
      throw e;
    } catch (Exception e) {
      System.err.println("phoenix bench: failed to start: " + e.getMessage());
      return 2;
    }
    int code = 0;
    try {
      String venue = node.sim() != null ? node.sim().restUrl() : benchConfig.getString("phoenix.binance.rest-url") + " (external)";
      System.out.printf(Locale.ROOT, "bench: simulator %s, warm-up %d s, measuring %d s%n", venue, warmupSeconds, seconds);
      LatencyRecorder latency = node.metrics().latency();
      TimeUnit.SECONDS.sleep(warmupSeconds);
      latency.reset();
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<StageSnapshot> stages = latency.snapshot();
      PhoenixGuardian.NodeStatus status = node.status(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      System.out.print(format(stages, elapsed, status));
      if (latency.outOfRange() > 0) {
        System.out.println("warning: " + latency.outOfRange() + " samples out of range (negative or > 60 s): a stamping bug");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 1;
    } catch (Exception e) {
      System.err.println("phoenix bench: " + e);
      code = 1;
    } finally {
      try {
        node.shutdown(Duration.ofSeconds(60));
        System.out.println("bench: node stopped (quotes pulled, cancel-all sent)");
      } catch (Exception e) {
        System.err.println("phoenix bench: shutdown did not finish: " + e);
        code = 1;
      }
    }
    return code;
  }

  static boolean isLoopback(String url) {
    try {
      String host = java.net.URI.create(url).getHost();
      return host != null && (host.equals("localhost") || java.net.InetAddress.getByName(host).isLoopbackAddress());
    } catch (Exception e) {
      return false;
    }
  }

  /** The result table, in microseconds, plus what the market maker did meanwhile. */
  static String format(List<StageSnapshot> stages, double elapsedSeconds, PhoenixGuardian.NodeStatus status) {
    StringBuilder b = new StringBuilder(1024);
    b.append(String.format(Locale.ROOT, "%-18s %9s %10s %10s %10s %10s %10s%n", "stage", "count", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
    for (StageSnapshot s : stages) {
      b.append(String.format(Locale.ROOT, "%-18s %9d %10.1f %10.1f %10.1f %10.1f %10.1f%n", s.stage(), s.count(),
          s.p50Nanos() / 1e3, s.p90Nanos() / 1e3, s.p99Nanos() / 1e3, s.p999Nanos() / 1e3, s.maxNanos() / 1e3));
    }
    long orders = 0;
    long cancels = 0;
    long requotes = 0;
    if (status != null && status.quoters() != null) {
      for (io.phoenix.quoting.Quoter.Status q : status.quoters()) {
        orders += q.ordersSent();
        cancels += q.cancelsSent();
        requotes += q.requotes();
      }
    }
    b.append(String.format(Locale.ROOT, "over %.1f s; since start: %d requotes, %d orders, %d cancels; %d cpus, load average %.2f%n",
        elapsedSeconds, requotes, orders, cancels, Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    return b.toString();
  }
}
