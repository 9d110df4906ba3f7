package io.phoenix.chaos;

import io.phoenix.PhoenixGuardian;
import io.phoenix.execution.OrderGateway;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import io.phoenix.sim.FaultInjector;
import io.phoenix.sim.SimServer;
import io.phoenix.sim.SimServer.SimControl;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fault window into actions on the venue (its fault injector and control) and on the node's
 * actors. Runs on the soak's fault thread; {@link #begin} and {@link #end} block until the action
 * is done (a simulator restart takes seconds) and return a note for the log. The venue it acts on
 * is the current incarnation in {@link Venue}.
 */
final class FaultDriver {
  private static final Logger log = LoggerFactory.getLogger(FaultDriver.class);
  private static final Duration RESTART_STEP = Duration.ofSeconds(30);

  private final Venue venue;
  private final PhoenixGuardian.Parts actors;
  private final ScheduledExecutorService timer;
  private final Map<Integer, ScheduledFuture<?>> storms = new ConcurrentHashMap<>();

  FaultDriver(Venue venue, PhoenixGuardian.Parts actors, ScheduledExecutorService timer) {
    this.venue = venue;
    this.actors = actors;
    this.timer = timer;
  }

  String begin(FaultWindow w) throws Exception {
    SimServer sim = venue.current();
    if (sim == null && w.type() != FaultType.SIM_RESTART) {
      return "venue down: skipped";
    }
    FaultInjector faults = sim == null ? null : sim.faults();
    switch (w.type()) {
      case WS_DROP -> faults.dropWebSockets();
      case DEPTH_GAP ->
          storms.put(
              w.index(),
              timer.scheduleAtFixedRate(
                  () -> gap(w.target()), 0, w.magnitude(), TimeUnit.MILLISECONDS));
      case UNKNOWN_ORDERS -> faults.unknownOrders((int) w.magnitude());
      case SERVER_ERRORS -> faults.serverErrors((int) w.magnitude());
      case RATE_LIMITED -> faults.rateLimited((int) w.magnitude());
      case DELAY -> faults.delay(Duration.ofMillis(w.magnitude()));
      case CLOCK_SKEW -> faults.clockSkew(Duration.ofMillis(w.magnitude()));
      case LISTEN_KEY_EXPIRY -> {
        boolean expired =
            sim.control()
                .expireListenKey(venue.apiKey())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return expired ? "" : "the account had no listenKey";
      }
      case SIM_RESTART -> {
        SimControl.Stopped stopped =
            venue.stop().toCompletableFuture().get(RESTART_STEP.toSeconds(), TimeUnit.SECONDS);
        return "venue stopped with "
            + stopped.last().openOrders().size()
            + " open orders, "
            + stopped.last().positions().stream().filter(p -> p.amountSteps() != 0).count()
            + " positions";
      }
      case QUOTER_CRASH ->
          actors.quoters().get(w.target()).tell(new Quoter.Crash("chaos " + w.describe()));
      case GATEWAY_CRASH ->
          actors.gateway().tell(new OrderGateway.InjectFailure("chaos " + w.describe()));
      case RISK_CRASH -> actors.risk().tell(new Risk.InjectFailure("chaos " + w.describe()));
      default -> throw new IllegalStateException("no action for " + w.type());
    }
    return "";
  }

  String end(FaultWindow w) throws Exception {
    if (w.type() == FaultType.SIM_RESTART) {
      long t0 = System.nanoTime();
      while (true) {
        try {
          SimServer next =
              venue
                  .startSuccessor()
                  .toCompletableFuture()
                  .get(RESTART_STEP.toSeconds(), TimeUnit.SECONDS);
          return "venue back on port " + next.port();
        } catch (Exception e) {
          if (System.nanoTime() - t0 > RESTART_STEP.toNanos()) {
            throw e;
          }
          log.warn("chaos: restarting the venue failed ({}); trying again in 1 s", e.toString());
          TimeUnit.SECONDS.sleep(1);
        }
      }
    }
    ScheduledFuture<?> storm = storms.remove(w.index());
    if (storm != null) {
      storm.cancel(false);
    }
    SimServer sim = venue.current();
    if (sim == null) {
      return "";
    }
    FaultInjector faults = sim.faults();
    SimControl.PendingFaults pending = sim.control().pendingFaults();
    int unused = 0;
    switch (w.type()) {
      case UNKNOWN_ORDERS -> {
        unused = pending.unknownOrders();
        faults.unknownOrders(0);
      }
      case SERVER_ERRORS -> {
        unused = pending.serverErrors();
        faults.serverErrors(0);
      }
      case RATE_LIMITED -> {
        unused = pending.rateLimited();
        faults.rateLimited(0);
      }
      case DELAY -> faults.delay(Duration.ZERO);
      case CLOCK_SKEW -> faults.clockSkew(Duration.ZERO);
      default -> {}
    }
    // the node sent too few requests meanwhile (e.g. it was not quoting): the fault hit less than
    // planned
    return unused == 0 ? "" : unused + " of " + w.magnitude() + " unused";
  }

  private void gap(String symbol) {
    SimServer sim = venue.current();
    if (sim != null) {
      sim.faults().depthGap(symbol);
    }
  }
}
