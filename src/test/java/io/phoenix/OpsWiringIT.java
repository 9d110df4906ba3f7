package io.phoenix;

import static io.phoenix.testkit.TradeIds.containsAll;
import static io.phoenix.testkit.TradeIds.count;
import static io.phoenix.testkit.TradeIds.journalTradeIds;
import static io.phoenix.testkit.TradeIds.sizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.Secret;
import io.phoenix.core.Instrument;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalStore;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.testkit.HeadlessChromium;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The operations wiring on the running node against the simulator, as one scenario (each step
 * builds on the previous one, so the node runs once): /metrics after a short run, the kill API (401
 * without the token and nothing happens; with it every order on the exchange is cancelled and
 * quoting stops; resume), the journal equal to the exchange's userTrades after a graceful shutdown,
 * a second node on the same journal after the newest rows were lost completes it from userTrades,
 * and no log line of the whole run carries the API secret or the ops token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsWiringIT {
  static final String API_SECRET = "ZqX-ops-wiring-api-secret-7f3a9c";
  static final String TOKEN = "tok-ops-wiring-bearer-51d2e8";
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim { model.taker-arrivals-per-second = 8, api-keys = [ { key = \"phoenix-local-key\", secret = \""
              + API_SECRET
              + "\" } ] }");

  static Path dir;
  static String journalUrl;
  static final CapturingAppender logs = new CapturingAppender();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static BinanceAccountRestApi account;
  static BinanceRestClient rest;
  static Map<String, Instrument> instruments = new HashMap<>();
  static PhoenixNode node;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ops-wiring-it");
    journalUrl = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    root.addAppender(logs);
    rest =
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
    node = PhoenixNode.start(nodeConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node != null) {
        node.shutdown(Duration.ofSeconds(30));
      }
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }
  }

  static Config nodeConfig() {
    return ConfigFactory.parseString(
            SIM.nodeSettings()
                // fills within seconds: the metrics, journal and resume checks count them
                + SimulatorFixture.QUOTER_FOR_FILLS
                + "phoenix.binance.api-secret = \""
                + API_SECRET
                + "\"\n"
                + "phoenix.ops.token = \""
                + TOKEN
                + "\"\n"
                // an event stream that never ends freezes headless Chromium's virtual clock
                + "phoenix.ops.push-interval = 100ms\n"
                + "phoenix.ops.event-stream-max-duration = 350ms\n"
                + "phoenix.journal.url = \""
                + journalUrl
                + "\"\n"
                + "phoenix.guardian.status-interval = 300ms\n")
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @Test
  @Order(1)
  void metricsExposeTheNamedSeriesWithLiveValues() throws Exception {
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        OpsWiringIT::fills,
        n -> n >= 6,
        n -> "fills on the exchange: " + n);
    // the gauges read the guardian's last status tick: wait for one that saw the fills
    String text =
        Polling.until(
            Duration.ofSeconds(10),
            Duration.ofMillis(200),
            () -> get("/metrics").body(),
            t ->
                sum(t, "phoenix_position", "") != 0
                    && sum(t, "phoenix_order_budget_used_ratio", "") > 0,
            t -> "no position or order budget in\n" + t);
    assertTrue(
        sum(text, "phoenix_actor_messages_total", "actor=\"/user/risk\"") > 0, "risk messages");
    assertTrue(
        sum(text, "phoenix_actor_messages_total", "actor=\"/user/quoter-BTCUSDT\"") > 0,
        "quoter messages");
    assertTrue(
        sum(text, "phoenix_actor_messages_total", "actor=\"/user/order-gateway\"") > 0,
        "gateway messages");
    assertTrue(
        text.contains("phoenix_actor_restarts_total{actor=\"/user/risk\",unit=\"main\"}"),
        "restart counter per actor");
    assertTrue(sum(text, "phoenix_feed_events_total", "") > 0, "feed events");
    assertTrue(sum(text, "jvm_memory_used_bytes", "") > 0, "jvm memory");
    assertEquals(0.0, sum(text, "phoenix_kill_switch_active", ""), "kill switch off");
    for (String s : SYMBOLS) {
      assertTrue(text.contains("phoenix_position{symbol=\"" + s + "\"}"), "position gauge of " + s);
      assertTrue(
          text.contains("phoenix_notional_usd{symbol=\"" + s + "\"}"), "notional gauge of " + s);
    }
    assertTrue(sum(text, "phoenix_journal_written_total", "") > 0, "journal rows written");
    // fees, net PnL after them and markouts: a fill's 1 s markout is measured a second after it
    String edge =
        Polling.until(
            Duration.ofSeconds(15),
            Duration.ofMillis(200),
            () -> get("/metrics").body(),
            t ->
                sum(t, "phoenix_markout_fills", "horizon=\"1s\"") > 0
                    && sum(t, "phoenix_fees", "") > 0,
            t -> "no markout or fees in\n" + t);
    for (String s : SYMBOLS) {
      assertEquals(
          1.0,
          sum(edge, "phoenix_fee_rate_from_exchange", "symbol=\"" + s + "\""),
          "fee rates of " + s + " read from the simulator");
      assertEquals(
          0.0002,
          sum(edge, "phoenix_fee_maker_rate", "symbol=\"" + s + "\""),
          1e-12,
          "the simulator's maker rate for " + s);
      assertTrue(edge.contains("phoenix_pnl_net{symbol=\"" + s + "\"}"), "net PnL gauge of " + s);
      assertTrue(
          edge.contains("phoenix_markout_bps{horizon=\"10s\",symbol=\"" + s + "\"}"),
          "10 s markout gauge of " + s);
    }
    // a markout can be negative: what must hold is that the measured one is a number
    assertFalse(
        Double.isNaN(sum(edge, "phoenix_markout_bps", "horizon=\"1s\"")),
        "a measured 1 s markout is a number\n" + edge);
    System.out.printf(
        "OpsWiringIT metrics: fills=%d messages(risk)=%.0f feedEvents=%.0f |position|sum=%.4f budget=%.4f journalWritten=%.0f rejects=%.0f stageLatencySeries=%s%n",
        fills(),
        sum(text, "phoenix_actor_messages_total", "actor=\"/user/risk\""),
        sum(text, "phoenix_feed_events_total", ""),
        sum(text, "phoenix_notional_usd", ""),
        sum(text, "phoenix_order_budget_used_ratio", ""),
        sum(text, "phoenix_journal_written_total", ""),
        sum(text, "phoenix_order_rejects_total", ""),
        text.contains("phoenix_stage_latency_seconds"));
  }

  @Test
  @Order(2)
  void theDashboardInAHeadlessBrowserShowsTheRunningNodesLiveNumbers(@TempDir Path profile)
      throws Exception {
    assumeTrue(HeadlessChromium.installed(), "chromium not installed");
    String dom = HeadlessChromium.dumpDom(profile, uri("/").toString());
    assertTrue(
        Integer.parseInt(HeadlessChromium.textOf(dom, "id=\"updates\">(\\d+)<")) >= 2,
        "expected the initial snapshot and at least one pushed event");
    assertEquals("off", HeadlessChromium.textOf(dom, "id=\"kill-state\">([a-z]+)<"));
    int shownBids = 0;
    for (String symbol : SYMBOLS) {
      // the book top the page shows must be the exchange's book of the same moment, give or take
      // its motion
      double bid =
          Double.parseDouble(
              HeadlessChromium.textOf(
                      dom, "id=\"sym-" + symbol + "-bid\"[^>]*>[-0-9.,]+ @ ([0-9.,]+)<")
                  .replace(",", ""));
      double exchangeBid = bestBid(symbol);
      assertTrue(
          Math.abs(bid - exchangeBid) / exchangeBid < 0.01,
          symbol + " page bid " + bid + " vs exchange " + exchangeBid);
      String position =
          HeadlessChromium.textOf(dom, "id=\"sym-" + symbol + "-position\"[^>]*>([^<]*)<");
      assertTrue(position.matches("-?[0-9.,]+"), symbol + " position shown as '" + position + "'");
      // our quotes and the book top on the page are of one moment: our bid is never above the ask
      // shown
      double ask =
          Double.parseDouble(
              HeadlessChromium.textOf(dom, "id=\"sym-" + symbol + "-ask\"[^>]*>([0-9.,]+) × ")
                  .replace(",", ""));
      String ours = HeadlessChromium.textOf(dom, "id=\"sym-" + symbol + "-ourbid\"[^>]*>([^<]*)<");
      if (!ours.equals("–")) {
        Matcher m = Pattern.compile("([0-9.,]+) @ ([0-9.,]+)").matcher(ours);
        assertTrue(m.matches(), symbol + " our bid shown as '" + ours + "'");
        assertTrue(
            Double.parseDouble(m.group(1).replace(",", "")) > 0,
            symbol + " our bid quantity " + ours);
        assertTrue(
            Double.parseDouble(m.group(2).replace(",", "")) <= ask,
            symbol + " our bid " + ours + " above the best ask " + ask + " shown");
        shownBids++;
      }
    }
    assertTrue(shownBids > 0, "no symbol showed our bid");
    Matcher feeds =
        Pattern.compile("<tr><td>(market-[^<]+)</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>")
            .matcher(dom);
    int marketFeeds = 0;
    while (feeds.find()) {
      marketFeeds++;
      assertTrue(
          Long.parseLong(feeds.group(2)) > 0,
          feeds.group(1) + " events shown as " + feeds.group(2));
      assertTrue(
          Long.parseLong(feeds.group(3)) >= 0, feeds.group(1) + " gaps shown as " + feeds.group(3));
    }
    assertTrue(marketFeeds > 0, "no market feed row on the page");
  }

  @Test
  @Order(2)
  void statusShowsOurQuotesBesideTheBookOfTheSameMomentWithRealNumbers() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, Long> firstEvents = new HashMap<>();
    Map<String, Long> lastEvents = new HashMap<>();
    int quotesSeen = 0;
    for (int sample = 0; sample < 40; sample++) {
      HttpResponse<String> r = get("/api/status");
      assertEquals(200, r.statusCode(), r.body());
      com.fasterxml.jackson.databind.JsonNode status = json.readTree(r.body());
      for (com.fasterxml.jackson.databind.JsonNode sym : status.get("symbols")) {
        String name = sym.get("symbol").asText();
        if (sym.get("ourBid").isNumber()) {
          quotesSeen++;
          assertTrue(
              sym.get("ourBidQty").isNumber() && sym.get("ourBidQty").asDouble() > 0,
              name + " ourBidQty " + sym);
          assertTrue(
              sym.get("ourBid").asDouble() <= sym.get("bestAsk").asDouble(),
              name + " our bid above the best ask of the same status: " + sym);
        }
        if (sym.get("ourAsk").isNumber()) {
          assertTrue(
              sym.get("ourAskQty").isNumber() && sym.get("ourAskQty").asDouble() > 0,
              name + " ourAskQty " + sym);
          assertTrue(
              sym.get("ourAsk").asDouble() >= sym.get("bestBid").asDouble(),
              name + " our ask below the best bid of the same status: " + sym);
        }
      }
      for (com.fasterxml.jackson.databind.JsonNode feed : status.get("feeds")) {
        String name = feed.get("name").asText();
        assertTrue(
            feed.get("events").asLong() >= 0 && feed.get("gaps").asLong() >= 0,
            "feed counters " + feed);
        firstEvents.putIfAbsent(name, feed.get("events").asLong());
        lastEvents.put(name, feed.get("events").asLong());
      }
      Polling.pace(Duration.ofMillis(50));
    }
    assertTrue(quotesSeen > 0, "no quote of ours in 40 statuses");
    for (String feed : firstEvents.keySet()) {
      if (feed.startsWith("market-")) {
        assertTrue(
            lastEvents.get(feed) > firstEvents.get(feed),
            feed
                + " events did not move: "
                + firstEvents.get(feed)
                + " -> "
                + lastEvents.get(feed));
      }
    }
    System.out.println(
        "OpsWiringIT status: "
            + quotesSeen
            + " quotes checked against the book of their status; feed events "
            + firstEvents
            + " -> "
            + lastEvents);
  }

  @Test
  @Order(3)
  void killWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
    assertEquals(401, post("/api/kill", null, "{\"reason\":\"no token\"}").statusCode());
    assertEquals(
        401,
        post("/api/kill", "Bearer " + TOKEN + "x", "{\"reason\":\"wrong token\"}").statusCode());
    assertEquals(
        401, post("/api/kill", TOKEN, "{}").statusCode(), "token without the Bearer scheme");
    String risk = get("/api/risk").body();
    assertTrue(risk.contains("\"active\":false"), risk);
    // quotes are replaced all the time: a single look can fall between a cancel and its replacement
    Polling.until(
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        OpsWiringIT::exchangeOpenOrders,
        o -> !o.isEmpty(),
        o -> "no order of ours on the exchange after the refused kills");
    assertTrue(
        get("/metrics")
            .body()
            .contains("phoenix_ops_bad_requests_total{reason=\"unauthorized\"} 3.0"));
  }

  @Test
  @Order(4)
  void killWithTheTokenCancelsEveryOrderAndStopsQuotingThenResumeQuotesAgain() throws Exception {
    HttpResponse<String> kill =
        post("/api/kill", "Bearer " + TOKEN, "{\"reason\":\"ops-wiring-it drill\"}");
    assertEquals(200, kill.statusCode(), kill.body());
    assertTrue(kill.body().contains("\"active\":true"), kill.body());
    long t0 = System.nanoTime();
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        OpsWiringIT::exchangeOpenOrders,
        List::isEmpty,
        o -> "open orders after kill: " + o);
    long cancelledMs = (System.nanoTime() - t0) / 1_000_000;
    PhoenixGuardian.NodeStatus halted =
        Polling.until(
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            () -> node.status(Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS),
            s ->
                s.quoters().size() == 3
                    && s.quoters().stream()
                        .allMatch(
                            q -> q.halt() == QuoterCore.Halt.RISK_STOP && q.workingOrders() == 0),
            s -> "quoters after kill: " + s.quoters());
    long sent = halted.quoters().stream().mapToLong(QuoterStatus::ordersSent).sum();
    // observe for a second (several status ticks): no order reaches the exchange, none is sent
    long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < end) {
      assertTrue(exchangeOpenOrders().isEmpty(), "an order appeared while killed");
      Polling.pace(Duration.ofMillis(150));
    }
    PhoenixGuardian.NodeStatus later =
        node.status(Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(
        sent,
        later.quoters().stream().mapToLong(QuoterStatus::ordersSent).sum(),
        "orders sent while killed");
    assertEquals(1.0, sum(get("/metrics").body(), "phoenix_kill_switch_active", ""));
    System.out.println(
        "OpsWiringIT kill: exchange order book empty "
            + cancelledMs
            + " ms after POST /api/kill; orders sent stayed at "
            + sent);

    HttpResponse<String> resume = post("/api/resume", "Bearer " + TOKEN, "");
    assertEquals(200, resume.statusCode(), resume.body());
    assertTrue(resume.body().contains("\"active\":false"), resume.body());
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        OpsWiringIT::exchangeOpenOrders,
        o -> !o.isEmpty(),
        o -> "no quotes after resume");
  }

  @Test
  @Order(5)
  void afterAGracefulShutdownTheJournalEqualsTheExchangesTrades() throws Exception {
    int before = fills();
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        OpsWiringIT::fills,
        n -> n >= before + 3,
        n -> "fills after resume: " + n);
    node.shutdown(Duration.ofSeconds(30));
    node = null;
    assertTrue(exchangeOpenOrders().isEmpty(), "orders left after shutdown");
    Map<String, TreeSet<Long>> exchange = exchangeTradeIds();
    Map<String, TreeSet<Long>> journal;
    List<JournalEntry> orderEvents;
    try (JournalStore store = JournalStore.open(journalUrl, "phoenix", Secret.of(""))) {
      journal = journalTradeIds(store);
      orderEvents = store.orderEvents(null);
    }
    assertEquals(exchange, journal, "journal trade ids per symbol vs userTrades");
    Map<String, Long> kinds = new TreeMap<>();
    orderEvents.forEach(e -> kinds.merge(e.getClass().getSimpleName(), 1L, Long::sum));
    assertTrue(
        kinds.getOrDefault("OrderRequested", 0L) > 0
            && kinds.getOrDefault("OrderAcked", 0L) > 0
            && kinds.getOrDefault("OrderCanceled", 0L) > 0,
        "order events journaled: " + kinds);
    System.out.println(
        "OpsWiringIT journal after run 1: trades "
            + count(journal)
            + " "
            + sizes(journal)
            + "; order events "
            + kinds);
  }

  @Test
  @Order(6)
  void aRestartCompletesAJournalThatLostItsNewestRows() throws Exception {
    // the crash: the newest half of every symbol's journaled trades never reached the database
    int deleted = 0;
    try (Connection c = DriverManager.getConnection(journalUrl, "phoenix", "")) {
      for (Map.Entry<String, TreeSet<Long>> e : exchangeTradeIds().entrySet()) {
        List<Long> ids = new ArrayList<>(e.getValue());
        long from = ids.get(ids.size() / 2);
        try (PreparedStatement s =
            c.prepareStatement("DELETE FROM journal_fill WHERE symbol = ? AND trade_id >= ?")) {
          s.setString(1, e.getKey());
          s.setLong(2, from);
          deleted += s.executeUpdate();
        }
      }
    }
    assertTrue(deleted > 0, "rows deleted");
    Map<String, TreeSet<Long>> beforeRestart = exchangeTradeIds();
    node = PhoenixNode.start(nodeConfig());
    long t0 = System.nanoTime();
    // completion runs when the user stream is up; live fills keep arriving meanwhile
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> journalTradeIds(node.journal()),
        journal -> containsAll(journal, beforeRestart),
        journal -> "journal " + sizes(journal) + " misses some of " + sizes(beforeRestart));
    long completedMs = (System.nanoTime() - t0) / 1_000_000;
    int restored = count(beforeRestart);
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        OpsWiringIT::fills,
        n -> n >= restored + 3,
        n -> "fills of the second node: " + (n - restored));
    node.shutdown(Duration.ofSeconds(30));
    node = null;
    Map<String, TreeSet<Long>> exchange = exchangeTradeIds();
    try (JournalStore store = JournalStore.open(journalUrl, "phoenix", Secret.of(""))) {
      assertEquals(exchange, journalTradeIds(store), "journal after the restart vs userTrades");
    }
    System.out.println(
        "OpsWiringIT restart: "
            + deleted
            + " journaled trades deleted, journal complete "
            + completedMs
            + " ms after the second node started; final trades "
            + count(exchange)
            + " "
            + sizes(exchange));
  }

  @Test
  @Order(7)
  void noLogLineOfTheRunCarriesTheApiSecretOrTheOpsToken() {
    List<String> lines = logs.lines();
    assertTrue(lines.size() > 50, "captured " + lines.size() + " log events");
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("ops server listening")),
        "the capture saw the node's own lines");
    // each clean stop completed the journal from userTrades before its last flush: a fill of the
    // last moments may be on the user stream still when the feeds close
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("shutdown: journal completion from userTrades")),
        "no journal completion at shutdown");
    for (String line : lines) {
      assertFalse(
          line.contains(API_SECRET),
          "API secret in a log line: " + line.replace(API_SECRET, "<SECRET>"));
      assertFalse(
          line.contains(TOKEN), "ops token in a log line: " + line.replace(TOKEN, "<TOKEN>"));
    }
    System.out.println(
        "OpsWiringIT logs: " + lines.size() + " events checked, no secret, no token");
  }

  // ------------------------------------------------------------------ helpers

  static int fills() throws Exception {
    return count(exchangeTradeIds());
  }

  static Map<String, TreeSet<Long>> exchangeTradeIds() throws Exception {
    return io.phoenix.testkit.TradeIds.exchangeTradeIds(account, instruments, SYMBOLS);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Best bid of the simulator's own book right now. */
  static double bestBid(String symbol) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(SIM.restUrl() + "/sim/admin/book?symbol=" + symbol + "&limit=5"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    return Double.parseDouble(
        HeadlessChromium.textOf(body, "\"bids\"\\s*:\\s*\\[\\s*\\[\\s*\"([0-9.]+)\""));
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.ops().port() + path);
  }

  /**
   * Sum of the samples of {@code name} whose labels contain {@code labelPart}; NaN samples count as
   * 0.
   */
  static double sum(String text, String name, String labelPart) {
    Pattern p =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    double total = 0;
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      double v = Double.parseDouble(m.group(2));
      if (labels.contains(labelPart) && !Double.isNaN(v)) {
        total += Math.abs(v);
      }
    }
    return total;
  }

  /** Keeps every event's rendered message, arguments, MDC and exception text. */
  static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent e) {
      StringBuilder b =
          new StringBuilder()
              .append(e.getLevel())
              .append(' ')
              .append(e.getLoggerName())
              .append(" - ")
              .append(e.getFormattedMessage());
      if (e.getArgumentArray() != null) {
        for (Object a : e.getArgumentArray()) {
          b.append(" | ").append(a);
        }
      }
      b.append(" | ").append(e.getMDCPropertyMap());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
      }
      lines.add(b.toString());
    }

    List<String> lines() {
      return List.copyOf(lines);
    }
  }

  /**
   * The exchange's open orders, one symbol at a time: weight 1 each where all symbols at once weigh
   * 40. The test shares the node's API key, so its polling counts against the node's budget
   * (polling all symbols every 50 ms had the node refused with 429 under a loaded machine).
   */
  static List<String> exchangeOpenOrders() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (String symbol : SYMBOLS) {
      RestResult<List<RestOrderResponse>> r =
          rest.openOrders(symbol).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (!(r instanceof RestResult.Ok<List<RestOrderResponse>> ok)) {
        throw new IllegalStateException("openOrders " + symbol + ": " + r);
      }
      ok.body().forEach(o -> out.add(symbol + " " + o.clientOrderId()));
    }
    return out;
  }
}
