package io.phoenix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Counter;
import io.phoenix.PhoenixNode;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.sim.SimServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How many trading units (accounts) one node carries, and what each spends of Binance's order
 * budget per account (300 orders per 10 s, 1,200 per minute) and of the one IP's request weight
 * (2,400 per minute, shared by every unit on the node): for each unit count, a node with that many
 * units of {@code symbols} symbols each trades the embedded simulator (realistic limits, the
 * default quoter) for {@code seconds}; printed per count: orders per unit per 10 s (mean and
 * busiest window), the node's frame-to-write latency, its CPU share and the simulator's 429s.
 *
 * <p>{@code java -cp target/benchmarks.jar io.phoenix.bench.UnitsPerNodeBench 60 1,2,4,8 3}; {@code
 * -Dbench.hocon="..."} adds settings to every node, {@code -Dbench.detail=true} prints each unit's
 * orders by status, the gateway's counters and the venue's weight per endpoint.
 */
public final class UnitsPerNodeBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

  private UnitsPerNodeBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    List<Integer> counts = new ArrayList<>();
    for (String n : (args.length > 1 ? args[1] : "1,2,4,8").split(",")) {
      counts.add(Integer.parseInt(n.trim()));
    }
    int symbols = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(
        Locale.ROOT,
        "units per node: %d symbols per unit, %d s measured after 20 s warm-up, %d cores%n",
        symbols,
        seconds,
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "units  orders/unit/10s mean  busiest 10s  (limit 300)  frame->write p50/p99 us  node CPU"
            + "  429s  budget waits  busiest minute's IP weight (limit 2400; order entry stops at 1836)");
    for (int units : counts) {
      System.out.println(run(units, symbols, seconds));
    }
  }

  static String run(int units, int symbols, int seconds) throws Exception {
    StringBuilder keys = new StringBuilder("phoenix.sim.api-keys = [");
    StringBuilder unitList = new StringBuilder("phoenix.units = [");
    Map<String, String> env = new HashMap<>();
    for (int u = 0; u < units; u++) {
      // HOCON array elements need a separator: side by side, objects would merge into one
      if (u > 0) {
        keys.append(",");
        unitList.append(",");
      }
      keys.append(" { key = \"bench-")
          .append(u)
          .append("\", secret = \"bench-")
          .append(u)
          .append("-secret\" }");
      unitList
          .append(" { name = u")
          .append(u)
          .append(", symbols = ")
          .append(SYMBOLS.subList(0, symbols).toString().replace(", ", ","))
          .append(", api-key-env = K")
          .append(u)
          .append(", api-secret-env = S")
          .append(u)
          .append(" }");
      env.put("K" + u, "bench-" + u);
      env.put("S" + u, "bench-" + u + "-secret");
    }
    String hocon =
        "phoenix.sim.enabled = true\nphoenix.sim.port = 0\n"
            + keys
            + " ]\n"
            + unitList
            + " ]\n"
            + "phoenix.ops.port = 0\nphoenix.cluster.port = 0\nphoenix.cluster.management.port = 0\n"
            + "phoenix.journal.enabled = false\n"
            // a setting to compare (-Dbench.hocon="phoenix.gateway.max-batch = 1")
            + System.getProperty("bench.hocon", "")
            + "\n";
    PhoenixNode node =
        PhoenixNode.start(
            ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve(),
            env::get);
    try {
      SimServer sim = node.sim();
      TimeUnit.SECONDS.sleep(20);
      LatencyRecorder latency = node.metrics().latency();
      latency.reset();
      long before429 = sim.control().rateLimits().refused429();
      double waitsBefore = budgetWaits(node);
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.currentTimeMillis();
      // the venue's minute windows are fixed: the last sample before a window closes is that
      // minute's whole weight; the busiest minute is what bounds the units one IP carries
      int peakWeight = 0;
      while (System.currentTimeMillis() - start < seconds * 1000L) {
        peakWeight = Math.max(peakWeight, sim.control().usedWeight("127.0.0.1"));
        TimeUnit.MILLISECONDS.sleep(250);
      }
      long end = System.currentTimeMillis();
      double cpu =
          (os.getProcessCpuTime() - cpuStart)
              / 1e6
              / (end - start)
              / Runtime.getRuntime().availableProcessors();
      long refused = sim.control().rateLimits().refused429() - before429;
      LatencyRecorder.StageSnapshot write =
          latency.snapshot().stream()
              .filter(s -> s.stage().equals("frame_to_write"))
              .findFirst()
              .orElseThrow();
      double mean = 0;
      int busiest = 0;
      for (int u = 0; u < units; u++) {
        List<Long> times = new ArrayList<>();
        for (String symbol : SYMBOLS.subList(0, symbols)) {
          for (JsonNode o :
              allOrders(
                  sim.restUrl(), "bench-" + u, "bench-" + u + "-secret", symbol, start, end)) {
            times.add(o.path("time").asLong());
          }
        }
        mean += times.size() * 10_000.0 / (end - start);
        busiest = Math.max(busiest, busiestWindow(times, 10_000));
      }
      mean /= units;
      if (Boolean.getBoolean("bench.detail")) {
        printDetail(node, units, symbols, start, end);
      }
      return String.format(
          Locale.ROOT,
          "%5d  %20.1f  %11d  %11s  %10.0f / %-10.0f  %7.1f%%  %4d  %12.0f  %d",
          units,
          mean,
          busiest,
          busiest <= 300 ? "within" : "OVER",
          write.p50Nanos() / 1e3,
          write.p99Nanos() / 1e3,
          cpu * 100,
          refused,
          budgetWaits(node) - waitsBefore,
          peakWeight);
    } finally {
      node.shutdown(Duration.ofSeconds(60));
    }
  }

  /**
   * Where the order budget went: each unit's orders by final status (EXPIRED = a post-only order
   * that would have crossed), and the node's gateway and budget counters since start.
   */
  static void printDetail(PhoenixNode node, int units, int symbols, long start, long end)
      throws Exception {
    for (int u = 0; u < units; u++) {
      Map<String, Integer> byStatus = new TreeMap<>();
      for (String symbol : SYMBOLS.subList(0, symbols)) {
        for (JsonNode o :
            allOrders(
                node.sim().restUrl(), "bench-" + u, "bench-" + u + "-secret", symbol, start, end)) {
          byStatus.merge(o.path("status").asText(), 1, Integer::sum);
        }
      }
      System.out.println("  unit u" + u + " orders by status " + byStatus);
    }
    Map<String, Double> counters = new TreeMap<>();
    node.metrics()
        .registry()
        .getMeters()
        .forEach(
            m -> {
              String name = m.getId().getName();
              if (m instanceof Counter c
                  && (name.startsWith("phoenix.gateway") || name.startsWith("phoenix.order"))) {
                StringBuilder key = new StringBuilder(name);
                m.getId().getTags().stream()
                    .filter(t -> !t.getKey().equals("unit"))
                    .forEach(
                        t -> key.append(' ').append(t.getKey()).append('=').append(t.getValue()));
                counters.merge(key.toString(), c.count(), Double::sum);
              }
            });
    counters.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-60s %.0f%n", k, v));
    node.sim()
        .control()
        .weightByEndpoint()
        .forEach((k, v) -> System.out.printf(Locale.ROOT, "  weight %-53s %d%n", k, v));
  }

  /** Times order entry found the request weight budget spent, every unit of the node together. */
  static double budgetWaits(PhoenixNode node) {
    return node.metrics().registry().find("phoenix.gateway.budget.waits").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static int busiestWindow(List<Long> times, long windowMillis) {
    times.sort(null);
    int best = 0;
    int from = 0;
    for (int to = 0; to < times.size(); to++) {
      while (times.get(to) - times.get(from) >= windowMillis) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }

  static JsonNode allOrders(
      String restUrl, String key, String secret, String symbol, long start, long end)
      throws Exception {
    String query =
        "symbol="
            + symbol
            + "&startTime="
            + start
            + "&endTime="
            + end
            + "&limit=1000&timestamp="
            + System.currentTimeMillis();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        HexFormat.of().formatHex(mac.doFinal(query.getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(restUrl + "/fapi/v1/allOrders?" + query + "&signature=" + signature))
                .header("X-MBX-APIKEY", key)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("allOrders " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
