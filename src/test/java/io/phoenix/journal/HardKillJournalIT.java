package io.phoenix.journal;

import static io.phoenix.testkit.TradeIds.containsAll;
import static io.phoenix.testkit.TradeIds.count;
import static io.phoenix.testkit.TradeIds.journalTradeIds;
import static io.phoenix.testkit.TradeIds.sizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.PhoenixNode;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.Secret;
import io.phoenix.core.Instrument;
import io.phoenix.model.ExchangeState;
import io.phoenix.testkit.NodeProcess;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A restart after a hard kill completes the journal", for real: the packaged jar runs the market
 * maker as a child process against this test's simulator and is SIGKILLed while it trades, so no
 * shutdown hook runs: no cancel-all, no journal flush. Its orders stay open on the exchange and
 * keep filling while it is dead, and its unflushed buffer is lost. A second node on the same H2
 * file must then bring the journal's trade ids per symbol up to the exchange's userTrades, and a
 * clean shutdown of that node must leave no order on the exchange.
 */
class HardKillJournalIT {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

  /**
   * Fills on the busiest symbol before the kill: enough that the journal has flushed some and
   * buffers more.
   */
  static final int FILLS_BEFORE_KILL = 4;

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig("phoenix.sim.model.taker-arrivals-per-second = 10");

  @TempDir static Path dir;

  static String journalUrl;
  static Path childLog;
  static Process child;
  static PhoenixNode node;
  static BinanceAccountRestApi account;
  static final Map<String, Instrument> instruments = new HashMap<>();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    journalUrl = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    childLog = dir.resolve("child.log");
    BinanceRestClient rest =
        BinanceRestClient.create(
            SIM.testKit().system(),
            BinanceRestSettings.fromConfig(nodeConfig()),
            ServerClock.fixed(0));
    RestExchangeInfo info =
        ((RestResult.Ok<RestExchangeInfo>)
                rest.exchangeInfo().toCompletableFuture().get(10, TimeUnit.SECONDS))
            .body();
    info.instruments(SYMBOLS).forEach(i -> instruments.put(i.symbol(), i));
    account = new BinanceAccountRestApi(rest, instruments::get);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(20, TimeUnit.SECONDS);
      }
      if (childLog != null && Files.exists(childLog)) {
        // the temp dir goes away; keep the dead node's output for a look after a failure
        Files.copy(
            childLog,
            Path.of("target", "hard-kill-child.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      if (node != null) {
        node.shutdown(Duration.ofSeconds(30));
      }
    }
  }

  /**
   * The node's settings: this test's simulator, ops on a free port, the journal in the temp dir.
   */
  static String nodeSettings() {
    return SIM.nodeSettings()
        + io.phoenix.testkit.SimulatorFixture
            .QUOTER_FOR_FILLS // the journal must see fills within seconds
        + "phoenix.journal.url = \""
        + journalUrl
        + "\"\n";
  }

  static Config nodeConfig() {
    return ConfigFactory.parseString(nodeSettings()).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void aRestartAfterAHardKillCompletesTheJournal() throws Exception {
    // 1. the packaged node trades in its own JVM
    child = launchChild();
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        HardKillJournalIT::exchangeTradeIdsWhileChildLives,
        ids ->
            ids.values().stream().anyMatch(v -> v.size() >= FILLS_BEFORE_KILL) && openOrders() > 0,
        ids ->
            "child has not filled "
                + FILLS_BEFORE_KILL
                + " on any symbol: "
                + sizes(ids)
                + "\n"
                + tail(childLog));

    // what the dead node's journal reported as committed just before the kill must survive it, so
    // kill only once it has committed something (its first flush waits for the schema migration)
    int opsPort = childOpsPort();
    String metrics =
        Polling.until(
            Duration.ofSeconds(20),
            Duration.ofMillis(200),
            () -> childMetrics(opsPort),
            m -> sample(m, "phoenix_journal_written_total") > 0,
            m -> "the child's journal wrote nothing\n" + tail(childLog));
    double committedBeforeKill = sample(metrics, "phoenix_journal_written_total");
    double pendingBeforeKill = sample(metrics, "phoenix_journal_pending");
    double slowestFlush = sample(metrics, "phoenix_journal_flush_seconds_max");

    // 2. SIGKILL: no shutdown hook, no cancel-all, no flush
    child.destroyForcibly();
    assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
    int exitCode = child.exitValue();
    Map<String, TreeSet<Long>> atKill = exchangeTradeIds();
    int openAfterKill = openOrders();
    assertTrue(
        openAfterKill > 0,
        "a hard kill cancels nothing: the dead node's quotes are still on the exchange");
    Map<String, TreeSet<Long>> journalAtKill;
    int orderEventsAtKill;
    int rowsAtKill;
    try (JournalStore store = JournalStore.open(journalUrl, "phoenix", Secret.of(""))) {
      journalAtKill = journalTradeIds(store);
      orderEventsAtKill = store.orderEvents(null).size();
      rowsAtKill = orderEventsAtKill + count(journalAtKill) + store.funding().size();
    }
    assertTrue(
        rowsAtKill >= committedBeforeKill,
        "rows in the journal file after the kill ("
            + rowsAtKill
            + ") < entries the node reported written before it ("
            + committedBeforeKill
            + ")");
    assertTrue(
        containsAll(atKill, journalAtKill),
        "the journal holds only real trades: " + sizes(journalAtKill) + " vs " + sizes(atKill));

    // 3. the dead node's orders keep filling: trades the journal can only learn from the exchange
    Map<String, TreeSet<Long>> whileDead =
        Polling.until(
            Duration.ofSeconds(15),
            Duration.ofMillis(200),
            HardKillJournalIT::exchangeTradeIds,
            ids -> count(ids) > count(atKill),
            ids -> "no fill of the dead node's open orders: " + sizes(ids));
    int missing = count(whileDead) - count(journalAtKill);
    assertTrue(missing > 0, "the journal misses trades");

    // 4. a node restarts on the same journal file; completion runs once its user stream is up
    List<String> deadOrders =
        account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
            .map(ExchangeState.Order::clientOrderId)
            .toList();
    long t0 = System.nanoTime();
    node = PhoenixNode.start(nodeConfig());
    try (JournalStore reader = JournalStore.open(journalUrl, "phoenix", Secret.of(""))) {
      Polling.until(
          Duration.ofSeconds(20),
          Duration.ofMillis(100),
          () -> journalTradeIds(reader),
          journal -> containsAll(journal, whileDead),
          journal -> "journal " + sizes(journal) + " misses some of " + sizes(whileDead));
      long completedMs = (System.nanoTime() - t0) / 1_000_000;
      // the dead node's quotes must not outlive the restart (the quoters' start-up cancel-all per
      // symbol removes them; reconciliation would cancel any left as orphans; or they filled)
      Polling.until(
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          () -> account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS),
          open -> open.stream().noneMatch(o -> deadOrders.contains(o.clientOrderId())),
          open -> "the dead node's orders still open: " + open);
      double orphansCancelled =
          node.metrics().registry().find("phoenix.reconcile.orphans.cancelled").counters().stream()
              .mapToDouble(c -> c.count())
              .sum();
      // live fills keep arriving: equal at a moment when the exchange did not move during the read
      Polling.until(
          Duration.ofSeconds(20),
          Duration.ofMillis(100),
          () -> syncedRead(reader),
          r -> r.exchange().equals(r.journal()) && r.exchange().equals(r.exchangeAgain()),
          r -> "journal " + sizes(r.journal()) + " vs exchange " + sizes(r.exchange()));
      System.out.printf(
          "HardKillJournalIT: child exit %d; at kill: exchange trades %d %s, journal fills %d %s, order events %d, all rows %d (node reported just before: %.0f written, %.0f buffered, slowest flush %.3f s), open orders %d;"
              + " trades while dead %d; dead node's orders open at restart %d (all gone after it; reconcile orphans cancelled %.0f); journal complete %d ms after the restart began%n",
          exitCode,
          count(atKill),
          sizes(atKill),
          count(journalAtKill),
          sizes(journalAtKill),
          orderEventsAtKill,
          rowsAtKill,
          committedBeforeKill,
          pendingBeforeKill,
          slowestFlush,
          openAfterKill,
          count(whileDead) - count(atKill),
          deadOrders.size(),
          orphansCancelled,
          completedMs);
    }

    // 5. clean shutdown: nothing left open, journal equal to the exchange
    node.shutdown(Duration.ofSeconds(30));
    node = null;
    assertEquals(
        List.of(),
        account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS),
        "open orders after the clean shutdown");
    Map<String, TreeSet<Long>> exchange = exchangeTradeIds();
    Map<String, TreeSet<Long>> journal;
    try (JournalStore store = JournalStore.open(journalUrl, "phoenix", Secret.of(""))) {
      journal = journalTradeIds(store);
    }
    assertEquals(exchange, journal, "journal trade ids per symbol vs userTrades after the restart");
    assertFalse(journal.isEmpty());
    System.out.printf(
        "HardKillJournalIT: after restart and clean shutdown: journal fills %d = exchange trades %d %s%n",
        count(journal), count(exchange), sizes(exchange));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * {@code java -jar target/phoenix.jar run --config <tmp>/node.conf}, output to a file so it can
   * never block.
   */
  static Process launchChild() throws IOException {
    Path conf = dir.resolve("node.conf");
    // a second between flushes: the kill most likely also loses a buffered tail, not only later
    // fills
    Files.writeString(
        conf, nodeSettings() + "phoenix.journal.flush-interval = 1s\n", StandardCharsets.UTF_8);
    List<String> cmd = NodeProcess.jarCommand("run", "--config", conf.toString());
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(childLog.toFile())
        .start();
  }

  /** The child's ops port, from the line Launcher prints once the node is up. */
  static int childOpsPort() throws Exception {
    Pattern line = Pattern.compile("Dashboard and API on http://[^:]+:(\\d+)/");
    return Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        () -> {
          Matcher m = line.matcher(Files.readString(childLog, StandardCharsets.UTF_8));
          return m.find() ? Integer.parseInt(m.group(1)) : -1;
        },
        port -> port > 0,
        port -> "no ops URL in the child's output\n" + tail(childLog));
  }

  /** The child's /metrics text. */
  static String childMetrics(int port) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** The first sample of {@code name} (any labels) in a Prometheus text. */
  static double sample(String metrics, String name) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    assertTrue(m.find(), "no " + name + " in the child's /metrics");
    return Double.parseDouble(m.group(2));
  }

  static Map<String, TreeSet<Long>> exchangeTradeIdsWhileChildLives() throws Exception {
    if (!child.isAlive()) {
      throw new AssertionError("child exited with " + child.exitValue() + "\n" + tail(childLog));
    }
    return exchangeTradeIds();
  }

  static Map<String, TreeSet<Long>> exchangeTradeIds() throws Exception {
    return io.phoenix.testkit.TradeIds.exchangeTradeIds(account, instruments, SYMBOLS);
  }

  static int openOrders() {
    try {
      return account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      throw new AssertionError("openOrders failed", e);
    }
  }

  record SyncedRead(
      Map<String, TreeSet<Long>> exchange,
      Map<String, TreeSet<Long>> journal,
      Map<String, TreeSet<Long>> exchangeAgain) {}

  static SyncedRead syncedRead(JournalStore reader) throws Exception {
    Map<String, TreeSet<Long>> exchange = exchangeTradeIds();
    Map<String, TreeSet<Long>> journal = journalTradeIds(reader);
    return new SyncedRead(exchange, journal, exchangeTradeIds());
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- child output (last 40 lines) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no child output: " + e.getMessage() + ")";
    }
  }
}
