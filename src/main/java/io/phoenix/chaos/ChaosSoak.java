package io.phoenix.chaos;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.phoenix.PhoenixGuardian;
import io.phoenix.PhoenixNode;
import io.phoenix.config.ChaosSettings;
import io.phoenix.config.JournalSettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.WorkingOrder;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalStore;
import io.phoenix.model.OrderState;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.risk.Risk;
import io.phoenix.sim.SimServer;
import io.phoenix.sim.SimServer.SimControl;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chaos} command: a simulator (its own actor system, free port, seeded with the run's
 * seed) and a node trading it, in this process; after every quoter quotes, the seeded {@link
 * FaultSchedule} runs on a fault thread while a sampler reads the node (gateway orders, quoter
 * statuses, risk positions, in that order) and then the venue's engine, and feeds the checks. At
 * the end the heap is measured, quoting stops, the final positions and the journal are compared
 * with the exchange, the report is printed, and the exit code is 0 only if every invariant held.
 */
public final class ChaosSoak {
  private static final Logger log = LoggerFactory.getLogger(ChaosSoak.class);
  private static final Duration STEP = Duration.ofSeconds(60);

  private final Config config;
  private final ChaosSettings settings;
  private final int minutes;
  private final long seed;

  private ChaosSoak(Config config, int minutes, long seed) {
    this.config = config;
    this.settings = ChaosSettings.fromConfig(config);
    this.minutes = minutes;
    this.seed = seed;
  }

  /**
   * Runs the soak and prints the table; writes the JSON report to {@code reportFile} when given.
   *
   * @return 0 when every invariant held, 1 when one broke or the run could not complete
   */
  public static int run(Config config, int minutes, long seed, Path reportFile) {
    if (minutes < 1) {
      System.err.println("phoenix chaos: --minutes must be at least 1");
      return 2;
    }
    ChaosReport report;
    try {
      report = new ChaosSoak(config, minutes, seed).soak();
    } catch (io.phoenix.config.SettingsException e) {
      throw e;
    } catch (Exception e) {
      log.error("chaos: the run could not complete", e);
      System.err.println("phoenix chaos: the run could not complete: " + e);
      return 1;
    }
    System.out.print(report.table());
    if (reportFile != null) {
      try {
        Path parent = reportFile.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        report.writeJson(reportFile);
        System.out.println("report written to " + reportFile);
      } catch (IOException e) {
        System.err.println("phoenix chaos: cannot write " + reportFile + ": " + e.getMessage());
        return 1;
      }
    }
    return report.passed() ? 0 : 1;
  }

  private ChaosReport soak() throws Exception {
    SimSettings simSettings =
        SimSettings.fromConfig(
            config
                .withValue("phoenix.sim.port", ConfigValueFactory.fromAnyRef(0))
                .withValue("phoenix.sim.seed", ConfigValueFactory.fromAnyRef(seed)));
    List<String> symbols = io.phoenix.config.GuardianSettings.fromConfig(config).symbols();
    FaultSchedule schedule =
        FaultSchedule.generate(
            seed,
            Duration.ofMinutes(minutes),
            settings.schedule(),
            symbols,
            simSettings.rateLimits().banAfterViolations(),
            simSettings.rateLimits().banWindow());
    log.info(
        "chaos: seed {}, {} min, {} faults: {}",
        seed,
        minutes,
        schedule.windows().size(),
        schedule.windows().stream().map(FaultWindow::describe).toList());

    Map<String, Instrument> instruments = new LinkedHashMap<>();
    for (int i = 0; i < simSettings.symbols().size(); i++) {
      SimSettings.SymbolSettings s = simSettings.symbols().get(i);
      if (symbols.contains(s.symbol())) {
        instruments.put(s.symbol(), s.instrument(i));
      }
    }
    String apiKey = simSettings.apiKeys().keySet().iterator().next();
    Path journalDir = Files.createTempDirectory("phoenix-chaos-");
    ActorSystem<Void> simSystem = ActorSystem.create(Behaviors.empty(), "phoenix-sim", config);
    Venue venue = null;
    PhoenixNode node = null;
    try {
      // no local holds the first incarnation: this frame lives for the whole run, and a stack
      // variable would keep that venue's engine in the heap the soak measures after it restarts
      venue =
          new Venue(
              SimServer.start(simSystem, simSettings)
                  .toCompletableFuture()
                  .get(30, TimeUnit.SECONDS),
              apiKey,
              new ExchangeLedger(instruments));
      Config nodeConfig =
          nodeConfig(venue.current(), apiKey, simSettings.apiKeys().get(apiKey), journalDir);
      node = PhoenixNode.start(nodeConfig);
      return new Run(node, venue, nodeConfig, schedule, symbols, instruments).execute();
    } finally {
      if (node != null) {
        try {
          node.shutdown(Duration.ofSeconds(60));
        } catch (Exception e) {
          log.warn("chaos: node shutdown did not finish: {}", e.toString());
        }
      }
      if (venue != null) {
        try {
          venue.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          log.warn("chaos: venue stop did not finish: {}", e.toString());
        }
      }
      simSystem.terminate();
      simSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      deleteTree(journalDir);
    }
  }

  /**
   * The node's config: the embedded simulator off, trading the chaos venue with its key, ops on a
   * free port, a fresh journal.
   */
  private Config nodeConfig(SimServer sim, String apiKey, String apiSecret, Path journalDir) {
    Map<String, Object> overrides =
        Map.of(
            "phoenix.sim.enabled",
            false,
            "phoenix.binance.rest-url",
            sim.restUrl(),
            "phoenix.binance.ws-url",
            sim.wsUrl(),
            "phoenix.binance.ws-api-url",
            sim.wsUrl() + "/ws-fapi/v1",
            "phoenix.binance.api-key",
            apiKey,
            "phoenix.binance.api-secret",
            apiSecret,
            "phoenix.ops.port",
            0,
            "phoenix.journal.enabled",
            true,
            "phoenix.journal.url",
            "jdbc:h2:file:" + journalDir.resolve("journal").toAbsolutePath());
    // free ports for the cluster and its management too: a soak runs beside a node of the machine's
    Config c =
        config
            .withValue("phoenix.cluster.port", ConfigValueFactory.fromAnyRef(0))
            .withValue("phoenix.cluster.management.port", ConfigValueFactory.fromAnyRef(0));
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return c;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("chaos: cannot delete {}: {}", dir, e.toString());
    }
  }

  /** One run against a started node and venue. */
  private final class Run {
    private final PhoenixNode node;
    private final Venue venue;
    private final Config nodeConfig;
    private final FaultSchedule schedule;
    private final List<String> symbols;
    private final Map<String, Instrument> instruments;
    private final ActorSystem<PhoenixGuardian.Command> system;
    private final Duration timeout = settings.sampleTimeout();
    private final FaultLog faultLog = new FaultLog();
    private final List<Check> checks = new ArrayList<>();
    private final RecoveryCheck recovery;
    private final PositionCheck positions;
    private Map<Integer, String> symbolById = Map.of();
    private PhoenixGuardian.Parts actors;
    private long t0Nanos;
    private long samples;
    private long withoutNode;
    private long withoutExchange;

    Run(
        PhoenixNode node,
        Venue venue,
        Config nodeConfig,
        FaultSchedule schedule,
        List<String> symbols,
        Map<String, Instrument> instruments) {
      this.node = node;
      this.venue = venue;
      this.nodeConfig = nodeConfig;
      this.schedule = schedule;
      this.symbols = symbols;
      this.instruments = instruments;
      this.system = node.system();
      ChaosSettings.Limits limits = settings.limits();
      QuoterSettings quoter = QuoterSettings.fromConfig(nodeConfig);
      double largestLevel =
          quoter.levelNotional()
              * Math.max(1.0, Math.pow(quoter.levelSizeGrowth(), quoter.levels() - 1));
      this.recovery = new RecoveryCheck(symbols, limits.recoveryP99().toMillis());
      this.positions = new PositionCheck(symbols, limits.quietAfterFill().toMillis());
      checks.add(
          new OrphanCheck(
              ReconcileSettings.fromConfig(nodeConfig).clientOrderIdPrefix(),
              limits.orphanMaxAge().toMillis()));
      checks.add(new PhantomCheck(limits.phantomMaxAge().toMillis()));
      checks.add(positions);
      checks.add(new NotionalCheck(instruments, quoter.maxPositionNotional(), largestLevel));
      checks.add(new UptimeCheck(symbols, limits.minUptime()));
      checks.add(recovery);
    }

    ChaosReport execute() throws Exception {
      long startDeadline = System.nanoTime() + settings.startTimeout().toNanos();
      actors = awaitActors(startDeadline);
      t0Nanos = System.nanoTime();
      if (!awaitQuoting(startDeadline)) {
        Verdict start =
            new Verdict(
                "every quoter quoting after start",
                "not within " + settings.startTimeout().toSeconds() + "s",
                "within " + settings.startTimeout().toSeconds() + "s",
                false,
                "no fault was injected");
        return new ChaosReport(
            new ChaosReport.Run(seed, minutes, samples, withoutNode, withoutExchange, ""),
            List.of(start),
            List.of(),
            List.of());
      }
      log.info("chaos: every quoter quotes; faults begin");

      ScheduledExecutorService faultThread =
          Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chaos-faults"));
      ScheduledExecutorService stormThread =
          Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chaos-storms"));
      FaultDriver driver = new FaultDriver(venue, actors, stormThread);
      t0Nanos = System.nanoTime();
      for (FaultWindow w : schedule.windows()) {
        // begin and end are queued in time order on one thread: a slow action delays the next,
        // never overlaps it
        faultThread.schedule(() -> act(w, true, driver), w.startMillis(), TimeUnit.MILLISECONDS);
        faultThread.schedule(() -> act(w, false, driver), w.endMillis(), TimeUnit.MILLISECONDS);
      }
      long intervalNanos = settings.sampleInterval().toNanos();
      long endNanos = t0Nanos + TimeUnit.MILLISECONDS.toNanos(schedule.spanMillis());
      // caches (journal pages, pools) fill during the first minute: the reference heap is taken
      // after it
      long heapAtMillis =
          Math.min(settings.heapBaselineAfter().toMillis(), schedule.spanMillis() / 3);
      Map<String, Long> classesStart = null;
      long heapStart = 0;
      long next = System.nanoTime();
      while (System.nanoTime() < endNanos) {
        if (classesStart == null && nowMillis() >= heapAtMillis) {
          classesStart = HeapCheck.liveHistogram();
          heapStart = HeapCheck.liveBytes(classesStart);
          log.info(
              "chaos: live heap after GC {} MB (reference; used just after a GC {} MB)",
              heapStart / 1_000_000,
              HeapCheck.usedAfterGc() / 1_000_000);
        }
        observe(sample(null));
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else {
          next = System.nanoTime();
        }
      }
      faultThread.shutdown();
      if (!faultThread.awaitTermination(2, TimeUnit.MINUTES)) {
        log.error("chaos: a fault action did not finish");
      }
      stormThread.shutdownNow();
      long runEnd = nowMillis();
      Map<String, Long> classesEnd = HeapCheck.liveHistogram();
      long heapEnd = HeapCheck.liveBytes(classesEnd);
      log.info(
          "chaos: faults over; live heap after GC {} MB (used just after a GC {} MB); stopping"
              + " quoting for the final comparison",
          heapEnd / 1_000_000,
          HeapCheck.usedAfterGc() / 1_000_000);

      finish();
      recovery.faults(faultLog.executed(), runEnd);
      List<Verdict> verdicts = new ArrayList<>();
      checks.forEach(c -> verdicts.add(c.verdict()));
      verdicts.add(
          HeapCheck.verdict(
              heapStart,
              heapEnd,
              settings.limits().heapTolerance(),
              classesStart == null ? Map.of() : classesStart,
              classesEnd));
      SimControl.RateLimitCounts limits = venue.rateLimits();
      verdicts.add(
          BanCheck.verdict(
              limits.bans(), limits.refused418(), limits.refused429(), limits.forced(), 0));
      verdicts.add(JournalCheck.verdict(venue.ledger().fills(), journalFills()));
      String note =
          "venue "
              + (venue.current() == null ? "down" : venue.current().restUrl())
              + ", symbols "
              + symbols;
      return new ChaosReport(
          new ChaosReport.Run(seed, minutes, samples, withoutNode, withoutExchange, note),
          verdicts,
          recovery.stats(),
          recovery.recoveries());
    }

    private Void act(FaultWindow w, boolean begin, FaultDriver driver) {
      long at = nowMillis();
      String note;
      try {
        note = begin ? driver.begin(w) : driver.end(w);
      } catch (Exception e) {
        note = (begin ? "begin" : "end") + " failed: " + e;
        log.error("chaos: {} {}", w.describe(), note);
      }
      if (begin) {
        faultLog.begun(w, at, note);
        log.info("chaos: fault begins {} {}", w.describe(), note);
      } else {
        faultLog.ended(w, nowMillis(), note);
        log.info("chaos: fault ends {} {}", w.describe(), note);
      }
      return null;
    }

    /**
     * Quoting stops, the exchange empties, the streams settle, the journal is flushed; one FINAL
     * sample.
     */
    private void finish() throws Exception {
      ask(system, PhoenixGuardian.StopQuoting::new, timeout);
      long deadline = System.nanoTime() + settings.finalTimeout().toNanos();
      while (System.nanoTime() < deadline) {
        Sample.Exchange ex = exchange();
        if (ex != null && ex.openOrders().isEmpty()) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
      TimeUnit.MILLISECONDS.sleep(settings.limits().quietAfterFill().toMillis());
      io.phoenix.journal.Journal.Flushed flushed =
          AskPattern.<PhoenixGuardian.Command, io.phoenix.journal.Journal.Flushed>ask(
                  system,
                  PhoenixGuardian.FlushJournal::new,
                  Duration.ofSeconds(30),
                  system.scheduler())
              .toCompletableFuture()
              .get(40, TimeUnit.SECONDS);
      log.info(
          "chaos: journal flushed ({} written, {} pending)", flushed.written(), flushed.pending());
      observe(sample(Sample.Phase.FINAL));
    }

    private List<JournalCheck.Fill> journalFills() throws Exception {
      JournalSettings js = JournalSettings.fromConfig(nodeConfig);
      List<JournalCheck.Fill> out = new ArrayList<>();
      try (JournalStore store = JournalStore.open(js)) {
        for (JournalEntry.FillRecorded f : store.fills()) {
          out.add(new JournalCheck.Fill(f.symbol(), f.tradeId(), f.side(), f.qty()));
        }
      }
      return out;
    }

    private PhoenixGuardian.Parts awaitActors(long deadlineNanos) throws Exception {
      while (true) {
        PhoenixGuardian.Parts p = ask(system, PhoenixGuardian.GetParts::new, Duration.ofSeconds(5));
        if (p != null
            && p.gateway() != null
            && p.risk() != null
            && p.quoters().keySet().containsAll(symbols)) {
          Map<Integer, String> ids = new HashMap<>();
          p.instruments().forEach(i -> ids.put(i.id(), i.symbol()));
          symbolById = ids;
          return p;
        }
        if (System.nanoTime() > deadlineNanos) {
          throw new IllegalStateException(
              "the node did not start its quoters within " + settings.startTimeout());
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }

    private boolean awaitQuoting(long deadlineNanos) throws Exception {
      while (System.nanoTime() < deadlineNanos) {
        Sample s = sample(Sample.Phase.FAULT); // warm-up samples are not judged
        if (s.allQuoting(symbols)) {
          return true;
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
      return false;
    }

    private void observe(Sample s) {
      samples++;
      if (s.node() == null
          || s.node().orders() == null
          || s.node().quoters().size() < symbols.size()) {
        withoutNode++;
      }
      if (s.exchange() == null) {
        withoutExchange++;
      }
      for (Check c : checks) {
        c.observe(s);
      }
    }

    /**
     * The node first, then the exchange (see {@link Sample}); the phase is the worse of the two
     * ends of the sample.
     */
    private Sample sample(Sample.Phase fixed) {
      long grace = settings.limits().grace().toMillis();
      long start = nowMillis();
      Sample.Phase before = faultLog.phase(start, grace);
      Sample.Node nodeView = nodeView();
      Sample.Exchange exchangeView = exchange();
      Sample.Phase after = faultLog.phase(nowMillis(), grace);
      Sample.Phase phase = fixed != null ? fixed : before.compareTo(after) <= 0 ? before : after;
      return new Sample(start, phase, exchangeView, nodeView);
    }

    private Sample.Node nodeView() {
      CompletableFuture<OrderGateway.WorkingOrders> orders =
          askAsync(system, PhoenixGuardian.GetWorkingOrders::new);
      Map<String, CompletableFuture<QuoterStatus>> statuses = new LinkedHashMap<>();
      actors
          .quoters()
          .forEach((symbol, ref) -> statuses.put(symbol, askAsync(ref, Quoter.GetStatus::new)));
      CompletableFuture<Risk.RiskState> risk = askAsync(system, PhoenixGuardian.GetRisk::new);
      List<Sample.NodeOrder> nodeOrders = null;
      OrderGateway.WorkingOrders wo = await(orders);
      if (wo != null) {
        nodeOrders = new ArrayList<>(wo.orders().size());
        for (WorkingOrder o : wo.orders()) {
          boolean inFlight =
              o.state() == OrderState.PENDING_NEW
                  || o.state() == OrderState.PENDING_CANCEL
                  || o.state() == OrderState.UNKNOWN;
          nodeOrders.add(
              new Sample.NodeOrder(
                  symbolById.getOrDefault(o.symbolId(), "?"), o.clientOrderId(), inFlight));
        }
      }
      Map<String, Sample.QuoterView> quoters = new HashMap<>();
      statuses.forEach(
          (symbol, f) -> {
            QuoterStatus st = await(f);
            if (st != null) {
              quoters.put(
                  symbol,
                  new Sample.QuoterView(
                      st.halt().name(),
                      st.halt() == QuoterCore.Halt.NONE && st.workingOrders() > 0,
                      st.positionSteps()));
            }
          });
      Map<String, Long> riskPositions = null;
      Risk.RiskState rs = await(risk);
      if (rs != null && rs.symbols() != null) {
        riskPositions = new HashMap<>();
        for (Risk.SymbolRisk sr : rs.symbols()) {
          riskPositions.put(sr.symbol(), sr.positionSteps());
        }
      }
      return new Sample.Node(nodeOrders, quoters, riskPositions);
    }

    private Sample.Exchange exchange() {
      SimServer sim = venue.current();
      if (sim == null) {
        return null;
      }
      SimControl.AccountState state =
          await(
              sim.control().account(venue.apiKey(), venue.ledger().after()).toCompletableFuture());
      if (state == null) {
        return null;
      }
      venue.ledger().add(state.newFills());
      List<Sample.ExchangeOrder> open = new ArrayList<>(state.openOrders().size());
      for (SimOrder o : state.openOrders()) {
        open.add(new Sample.ExchangeOrder(o.symbol(), o.clientOrderId()));
      }
      Map<String, Long> pos = new HashMap<>();
      Map<String, Double> marks = new HashMap<>();
      for (SimPosition p : state.positions()) {
        pos.merge(p.symbol(), p.amountSteps(), Long::sum);
        marks.put(p.symbol(), p.markPrice());
      }
      return new Sample.Exchange(
          open, pos, marks, venue.ledger().sinceLastFill(state.serverMillis()));
    }

    private <M, T> CompletableFuture<T> askAsync(
        RecipientRef<M> target, akka.japi.function.Function<ActorRef<T>, M> message) {
      return AskPattern.ask(target, message, timeout, system.scheduler()).toCompletableFuture();
    }

    private <T> T ask(
        RecipientRef<PhoenixGuardian.Command> target,
        akka.japi.function.Function<ActorRef<T>, PhoenixGuardian.Command> message,
        Duration limit) {
      try {
        return AskPattern.ask(target, message, limit, system.scheduler())
            .toCompletableFuture()
            .get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        return null;
      }
    }

    /**
     * The value, or null when it failed or took longer than the sample timeout (plus a margin for
     * the ask's own timer).
     */
    private <T> T await(CompletableFuture<T> f) {
      try {
        return f.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        return null;
      }
    }

    private long nowMillis() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0Nanos);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
