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
 * the order request handed to the HTTP client) are printed with their sample counts, beside what
 * the venue saw: the simulator's reaction of the node's key ({@code /sim/admin/reaction}, top of
 * book published to the next order request), reset with the stages. With more than one order
 * transport the node runs once per transport, one after the other. Not a test: the numbers depend
 * on the machine and on what else runs on it.
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
      phoenix.cluster.port = 0
      phoenix.cluster.management.port = 0
      phoenix.journal.url = "jdbc:h2:mem:phoenix-bench;DB_CLOSE_DELAY=-1"
      """;

  /**
   * Laid over the caller's config. A faster simulated market (more book moves per frame, more
   * takers) and limits that never throttle, so the run measures the path and not the budget; the
   * simulator and the ops server take free ports and the journal stays in memory, so a bench never
   * disturbs a node running on the same machine.
   */
  static final String OVERRIDES =
      SIMULATOR_OVERRIDES + "phoenix.sim.enabled = true\n" + NODE_OVERRIDES;

  private LatencyBench() {}

  /**
   * The order transports {@code phoenix.gateway.transport} accepts, as {@code --transport} names
   * them.
   */
  static final List<String> TRANSPORTS = List.of("rest", "ws-api");

  /**
   * Runs warm-up plus {@code seconds} of measurement once per transport, prints the tables, shuts
   * down (cancel all) after each.
   *
   * @param transport {@code rest}, {@code ws-api} or {@code both}
   * @param externalVenue trade the venue at {@code phoenix.binance.*} instead of an embedded
   *     simulator; refused unless it is on this machine, so a bench never trades a real exchange
   */
  static int run(
      Config config, int warmupSeconds, int seconds, boolean externalVenue, String transport) {
    return run(config, warmupSeconds, seconds, externalVenue, transport, System.out);
  }

  /** {@link #run(Config, int, int, boolean, String)} printing to {@code out}. */
  static int run(
      Config config,
      int warmupSeconds,
      int seconds,
      boolean externalVenue,
      String transport,
      java.io.PrintStream out) {
    if (seconds < 1 || warmupSeconds < 0) {
      System.err.println("phoenix bench: --seconds must be >= 1 and --warmup >= 0");
      return 2;
    }
    List<String> transports = transport.equals("both") ? TRANSPORTS : List.of(transport);
    if (!TRANSPORTS.containsAll(transports)) {
      System.err.println(
          "phoenix bench: --transport must be rest, ws-api or both, not " + transport);
      return 2;
    }
    if (externalVenue) {
      String restUrl = config.getString("phoenix.binance.rest-url");
      if (!isLoopback(restUrl)) {
        System.err.println(
            "phoenix bench: --external-venue only benches a simulator on this machine; phoenix.binance.rest-url is "
                + restUrl);
        return 2;
      }
    }
    int code = 0;
    List<String> summary = new java.util.ArrayList<>();
    for (String t : transports) {
      String overrides =
          "phoenix.gateway.transport = \""
              + t
              + "\"\n"
              + (externalVenue ? "phoenix.sim.enabled = false\n" + NODE_OVERRIDES : OVERRIDES);
      Config benchConfig = ConfigFactory.parseString(overrides).withFallback(config).resolve();
      int c = runOne(benchConfig, warmupSeconds, seconds, t, summary, out);
      code = Math.max(code, c);
      if (c == 2) {
        break;
      }
    }
    if (summary.size() > 1) {
      out.println("exchange-side reaction by transport:");
      summary.forEach(out::println);
    }
    return code;
  }

  private static int runOne(
      Config benchConfig,
      int warmupSeconds,
      int seconds,
      String transport,
      List<String> summary,
      java.io.PrintStream out) {
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
      String restUrl =
          node.sim() != null
              ? node.sim().restUrl()
              : benchConfig.getString("phoenix.binance.rest-url");
      String venue = node.sim() != null ? restUrl : restUrl + " (external)";
      out.printf(
          Locale.ROOT,
          "bench: transport %s, simulator %s, warm-up %d s, measuring %d s%n",
          transport,
          venue,
          warmupSeconds,
          seconds);
      VenueReaction reaction =
          new VenueReaction(restUrl, benchConfig.getString("phoenix.binance.api-key"));
      LatencyRecorder latency = node.metrics().latency();
      TimeUnit.SECONDS.sleep(warmupSeconds);
      latency.reset();
      reaction.reset();
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<StageSnapshot> stages = latency.snapshot();
      String venueLine = reaction.read(transport);
      // asked of the quoters now: the guardian's status is as old as its last 5 s tick
      List<io.phoenix.quoting.QuoterStatus> quoters =
          node.quoterStatuses(Duration.ofSeconds(5))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      out.print(format(stages, elapsed, quoters));
      out.println(venueLine);
      out.println(transportCounts(node.metrics().registry()));
      summary.add(venueLine);
      if (latency.outOfRange() > 0) {
        out.println(
            "warning: "
                + latency.outOfRange()
                + " samples out of range (negative or > 60 s): a stamping bug");
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
        out.println("bench: node stopped (quotes pulled, cancel-all sent)");
      } catch (Exception e) {
        System.err.println("phoenix bench: shutdown did not finish: " + e);
        code = 1;
      }
    }
    return code;
  }

  /**
   * The simulator's {@code /sim/admin/reaction} for the node's key. A venue that has no such page
   * (a real exchange never does; an older simulator) gives a line that says so instead of a number.
   */
  static final class VenueReaction {
    private final java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String restUrl;
    private final String apiKey;

    VenueReaction(String restUrl, String apiKey) {
      this.restUrl = restUrl;
      this.apiKey = apiKey;
    }

    void reset() throws java.io.IOException, InterruptedException {
      http.send(
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(restUrl + "/sim/admin/reaction/reset"))
              .timeout(Duration.ofSeconds(5))
              .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
              .build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    String read(String transport) {
      try {
        String q = java.net.URLEncoder.encode(apiKey, java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> r =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(restUrl + "/sim/admin/reaction?apiKey=" + q))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return String.format(
              Locale.ROOT,
              "%-18s unavailable (HTTP %d from the venue)",
              "venue " + transport,
              r.statusCode());
        }
        com.fasterxml.jackson.databind.JsonNode page =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        com.fasterxml.jackson.databind.JsonNode keys = page.path("keys");
        com.fasterxml.jackson.databind.JsonNode a = page.path("answering");
        return formatReaction(transport, keys.isEmpty() ? null : keys.get(0))
            + String.format(
                Locale.ROOT,
                "%n%-18s %9d %10.1f %10s %10.1f %10s %10.1f  (the venue's own share: order request arrival -> reply handed back)",
                "venue answering",
                a.path("count").asLong(),
                a.path("p50Nanos").asLong() / 1e3,
                "",
                a.path("p99Nanos").asLong() / 1e3,
                "",
                a.path("maxNanos").asLong() / 1e3);
      } catch (java.io.IOException e) {
        return String.format(
            Locale.ROOT, "%-18s unavailable (%s)", "venue " + transport, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "venue " + transport + " interrupted";
      }
    }
  }

  /**
   * Which way the order requests went since start (the WebSocket session falls back to REST while
   * it is down).
   */
  static String transportCounts(io.micrometer.core.instrument.MeterRegistry registry) {
    StringBuilder b = new StringBuilder("order requests since start by transport:");
    var counters = registry.find("phoenix.gateway.transport.requests").functionCounters();
    if (counters.isEmpty()) {
      return b.append(" all over rest").toString();
    }
    for (var c : counters) {
      b.append(' ').append(c.getId().getTag("transport")).append(' ').append((long) c.count());
    }
    return b.toString();
  }

  /**
   * One line in the stage table's columns: top-of-book change published -> the node's next order
   * request, at the venue.
   */
  static String formatReaction(String transport, com.fasterxml.jackson.databind.JsonNode k) {
    String name = "venue " + transport;
    if (k == null) {
      return String.format(Locale.ROOT, "%-18s %9d  (no order request reached the venue)", name, 0);
    }
    return String.format(
        Locale.ROOT,
        "%-18s %9d %10.1f %10.1f %10.1f %10s %10.1f  (every top-of-book change published -> the"
            + " node's next order request for its symbol, at the venue; %d unanswered)%n"
            + "%-18s %9d %10.1f %10.1f %10.1f  (per order request: since the newest change it answered)",
        name,
        k.path("count").asLong(),
        k.path("p50Nanos").asLong() / 1e3,
        k.path("p90Nanos").asLong() / 1e3,
        k.path("p99Nanos").asLong() / 1e3,
        "",
        k.path("maxNanos").asLong() / 1e3,
        k.path("pending").asLong(),
        name + " newest",
        k.path("latestCount").asLong(),
        k.path("latestP50Nanos").asLong() / 1e3,
        k.path("latestP90Nanos").asLong() / 1e3,
        k.path("latestP99Nanos").asLong() / 1e3);
  }

  static boolean isLoopback(String url) {
    try {
      String host = java.net.URI.create(url).getHost();
      return host != null
          && (host.equals("localhost") || java.net.InetAddress.getByName(host).isLoopbackAddress());
    } catch (Exception e) {
      return false;
    }
  }

  /** The result table, in microseconds, plus what the market maker did meanwhile. */
  static String format(
      List<StageSnapshot> stages,
      double elapsedSeconds,
      List<io.phoenix.quoting.QuoterStatus> quoters) {
    StringBuilder b = new StringBuilder(1024);
    b.append(
        String.format(
            Locale.ROOT,
            "%-18s %9s %10s %10s %10s %10s %10s%n",
            "stage",
            "count",
            "p50 us",
            "p90 us",
            "p99 us",
            "p99.9 us",
            "max us"));
    for (StageSnapshot s : stages) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-18s %9d %10.1f %10.1f %10.1f %10.1f %10.1f%n",
              s.stage(),
              s.count(),
              s.p50Nanos() / 1e3,
              s.p90Nanos() / 1e3,
              s.p99Nanos() / 1e3,
              s.p999Nanos() / 1e3,
              s.maxNanos() / 1e3));
    }
    long orders = 0;
    long cancels = 0;
    long requotes = 0;
    if (quoters != null) {
      for (io.phoenix.quoting.QuoterStatus q : quoters) {
        orders += q.ordersSent();
        cancels += q.cancelsSent();
        requotes += q.requotes();
      }
    }
    b.append(
        String.format(
            Locale.ROOT,
            "over %.1f s; since start: %d requotes, %d orders, %d cancels; %d cpus, load average %.2f%n",
            elapsedSeconds,
            requotes,
            orders,
            cancels,
            Runtime.getRuntime().availableProcessors(),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    return b.toString();
  }
}
