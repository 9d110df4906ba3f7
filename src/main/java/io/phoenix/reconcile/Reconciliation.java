package io.phoenix.reconcile;

import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.core.Failures;
import io.phoenix.core.Instrument;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.Balances;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderState;
import io.phoenix.model.Positions;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One reconciliation at a time, as a small state machine driven by the {@link Reconcile} actor: it
 * starts a run, pipes each {@link Pending} stage back to itself and hands the result to {@link
 * #onStepDone}. Everything here runs on that actor's thread except the REST stages; the positions
 * and balances it reads and corrects are the actor's copy of the account.
 *
 * <p>A run: (A) fetch open orders, positions, balances and, after a reconnect, the fills the outage
 * may have hidden; only then ask the local order view (see {@link Reconciler} for why the order
 * matters). (B) compare orders, restate mismatches, cancel orphans, and look up what the
 * corrections need (the client id of a missed fill's order, the final state of a missing order).
 * (C) replay missed fills, restate missing orders, then correct positions and balances, skipping
 * any symbol a live fill moved while the run was in flight. Requests that arrive during a run are
 * merged into one follow-up run.
 */
public final class Reconciliation {

  /** A result coming back from an asynchronous stage. */
  public sealed interface Step {
    long run();
  }

  private record Fetched(long run, Snapshot snapshot) implements Step {}

  private record Resolved(
      long run, Map<String, ExchangeState.Order> ordersById, List<MissingResult> missing)
      implements Step {}

  private record Cancelled(long run, ExchangeState.Order order, boolean wasOpen, Throwable failure)
      implements Step {}

  private record Failed(long run, String what, Throwable failure) implements Step {}

  private record Snapshot(
      List<ExchangeState.Order> open,
      List<ExchangeState.Position> positions,
      List<ExchangeState.Balance> balances,
      List<ExchangeState.Trade> trades,
      List<LocalOrder> local,
      long localTakenAt) {}

  private record MissingResult(LocalOrder local, Optional<ExchangeState.Order> order) {}

  /** An asynchronous stage to pipe back; {@code failed} maps its failure to a step. */
  public record Pending(CompletionStage<Step> stage, Function<Throwable, Step> onFailure) {
    public Step failed(Throwable failure) {
      return onFailure.apply(failure);
    }
  }

  /** The end of a run. */
  public record Outcome(boolean afterConnect, long generation, boolean succeeded) {}

  private record Request(boolean afterConnect, long recoverSinceMillis, long generation) {}

  private static final class Run {
    final long id;
    final Request request;
    final long startedAt;
    final long[] baseline;
    final long outagesAtBegin;
    Snapshot snapshot;

    Run(long id, Request request, long startedAt, long[] baseline, long outagesAtBegin) {
      this.id = id;
      this.request = request;
      this.startedAt = startedAt;
      this.baseline = baseline;
      this.outagesAtBegin = outagesAtBegin;
    }
  }

  private final ReconcileSettings settings;
  private final List<Instrument> instruments;
  private final Map<Integer, Instrument> byId = new HashMap<>();
  private final int[] trackedIds;
  private final AccountRestApi api;
  private final LocalOrderView localOrders;
  private final Positions positions;
  private final Balances balances;
  private final ReconcileMetrics metrics;
  private final Supplier<Logger> logs;
  private final Consumer<AccountEvent> publish;
  private final Reconciler reconciler;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private Run running;
  private Request pending;
  private long runs;
  private long differences;

  /**
   * Per symbol id, the last trade id seen when the stream went down (null: no outage to recover).
   * Missed fills are fetched after it, not after the last trade id at the run's start: fills of the
   * new connection can arrive before the run begins (a run already in flight delays it), and
   * resuming after them would skip the outage's fills for good.
   */
  private long[] recoverAfter;

  private long outages;

  public Reconciliation(
      ReconcileSettings settings,
      List<Instrument> instruments,
      AccountRestApi api,
      LocalOrderView localOrders,
      Positions positions,
      Balances balances,
      ReconcileMetrics metrics,
      Supplier<Logger> logs,
      Consumer<AccountEvent> publish) {
    this.settings = settings;
    this.instruments = instruments;
    this.trackedIds = instruments.stream().mapToInt(Instrument::id).toArray();
    for (Instrument i : instruments) {
      byId.put(i.id(), i);
    }
    this.api = api;
    this.localOrders = localOrders;
    this.positions = positions;
    this.balances = balances;
    this.metrics = metrics;
    this.logs = logs;
    this.publish = publish;
    String prefix = settings.clientOrderIdPrefix();
    String ours = prefix + "-";
    this.reconciler = new Reconciler(id -> id.startsWith(ours), settings.grace().toMillis());
  }

  public long runs() {
    return runs;
  }

  public long differences() {
    return differences;
  }

  /**
   * Requests a run. {@code recoverSinceMillis} > 0 asks for missed-fill recovery from that time
   * (for symbols with no fill seen yet; others resume after their last trade id).
   */
  public void start(boolean afterConnect, long recoverSinceMillis, long generation) {
    Request request = new Request(afterConnect, recoverSinceMillis, generation);
    if (running != null) {
      pending = pending == null ? request : merge(pending, request);
      return;
    }
    begin(request);
  }

  /**
   * The stream went down: remembers the last trade id of each symbol as of now, unless an earlier
   * outage is still unrecovered (its older mark covers this one too).
   */
  public void streamLost() {
    outages++;
    if (recoverAfter != null) {
      return;
    }
    int maxId = 0;
    for (int id : trackedIds) {
      maxId = Math.max(maxId, id);
    }
    recoverAfter = new long[maxId + 1];
    for (int id : trackedIds) {
      recoverAfter[id] = positions.lastTradeId(id);
    }
  }

  /** The connection a connect-run was for is gone: its outcome no longer matters. */
  public void abandonConnectRun() {
    if (pending != null && pending.afterConnect()) {
      pending = null;
    }
  }

  /** The next stage to pipe back, or null; every stage is bounded by the configured timeout. */
  public Pending nextAsync() {
    Pending p = queue.poll();
    if (p == null) {
      return null;
    }
    CompletionStage<Step> bounded =
        p.stage()
            .toCompletableFuture()
            .copy()
            .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    return new Pending(bounded, p.onFailure());
  }

  /** Handles a stage result; returns the outcome when this ends a run, else null. */
  public Outcome onStepDone(Step step) {
    if (step instanceof Cancelled c) {
      onCancelled(c);
      return null;
    }
    if (running == null || step.run() != running.id) {
      return null;
    }
    if (step instanceof Failed f) {
      log()
          .warn(
              "Reconciliation {} failed while {}: {}",
              f.run(),
              f.what(),
              Failures.describe(f.failure()));
      return finish(false);
    }
    if (step instanceof Fetched f) {
      running.snapshot = f.snapshot();
      compareOrders(running, f.snapshot());
      return null;
    }
    Resolved r = (Resolved) step;
    applyCorrections(running, r);
    return finish(true);
  }

  private static Request merge(Request a, Request b) {
    boolean afterConnect = a.afterConnect() || b.afterConnect();
    long since =
        a.recoverSinceMillis() == 0
            ? b.recoverSinceMillis()
            : b.recoverSinceMillis() == 0
                ? a.recoverSinceMillis()
                : Math.min(a.recoverSinceMillis(), b.recoverSinceMillis());
    return new Request(afterConnect, since, Math.max(a.generation(), b.generation()));
  }

  private void begin(Request request) {
    int maxId = 0;
    for (int id : trackedIds) {
      maxId = Math.max(maxId, id);
    }
    long[] baseline = new long[maxId + 1];
    for (int id : trackedIds) {
      baseline[id] = positions.version(id);
    }
    Run run = new Run(++runs, request, System.currentTimeMillis(), baseline, outages);
    running = run;
    CompletionStage<List<ExchangeState.Trade>> trades = fetchTrades(request);
    CompletionStage<Step> stage =
        api.openOrders()
            .thenCombine(api.positions(), Exchange::new)
            .thenCombine(api.balances(), Exchange::withBalances)
            .thenCombine(trades, Exchange::withTrades)
            // the local view is asked only once the exchange has answered: see Reconciler
            .thenCompose(
                ex ->
                    localOrders
                        .workingOrders()
                        .thenApply(
                            local ->
                                (Step)
                                    new Fetched(
                                        run.id,
                                        new Snapshot(
                                            ex.open,
                                            ex.positions,
                                            ex.balances,
                                            ex.trades,
                                            local,
                                            System.currentTimeMillis()))));
    queue.add(new Pending(stage, failure -> new Failed(run.id, "fetching state", failure)));
  }

  private CompletionStage<List<ExchangeState.Trade>> fetchTrades(Request request) {
    if (!settings.recoverFills() || !request.afterConnect() || request.recoverSinceMillis() <= 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<CompletableFuture<List<ExchangeState.Trade>>> perSymbol = new ArrayList<>();
    for (Instrument i : instruments) {
      long last = recoverAfter != null ? recoverAfter[i.id()] : positions.lastTradeId(i.id());
      // a margin before the outage covers a fill whose event was in flight when the stream broke
      CompletionStage<List<ExchangeState.Trade>> s =
          last > 0
              ? api.userTrades(i, last + 1, 0)
              : api.userTrades(i, 0, request.recoverSinceMillis() - 5_000);
      perSymbol.add(s.toCompletableFuture());
    }
    return CompletableFuture.allOf(perSymbol.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<ExchangeState.Trade> all = new ArrayList<>();
              perSymbol.forEach(f -> all.addAll(f.join()));
              return all;
            });
  }

  private void compareOrders(Run run, Snapshot snapshot) {
    List<ExchangeState.Trade> missed = Reconciler.missedFills(snapshot.trades(), positions);
    Reconciler.OrderReport report =
        reconciler.compareOrders(snapshot.open(), snapshot.local(), snapshot.localTakenAt());
    report.differences().forEach(this::record);
    for (ExchangeState.Trade t : missed) {
      record(
          new Reconciler.Difference(
              Reconciler.Kind.MISSED_FILL,
              t.symbolId(),
              "",
              "trade "
                  + t.tradeId()
                  + " of order "
                  + t.orderId()
                  + " never arrived on the stream: replaying"));
    }
    report.restatements().forEach(publish);
    if (settings.cancelOrphans()) {
      for (ExchangeState.Order orphan : report.toCancel()) {
        Instrument instrument = byId.get(orphan.symbolId());
        CompletionStage<Step> stage =
            api.cancelOrder(instrument, orphan.clientOrderId())
                .thenApply(wasOpen -> new Cancelled(run.id, orphan, wasOpen, null));
        queue.add(new Pending(stage, failure -> new Cancelled(run.id, orphan, false, failure)));
      }
    }
    queue.add(
        new Pending(
            resolve(run, snapshot, missed, report.toQuery()),
            failure -> new Failed(run.id, "querying orders", failure)));
  }

  /**
   * Looks up the orders of missed fills (for their client ids) and the final state of missing
   * orders. The lookups go through the paced background client (a few in flight, each charged to
   * the rate budget), and each one's failure is its own: that order is simply looked at again by
   * the next run, while every other correction of this one still applies.
   */
  private CompletionStage<Step> resolve(
      Run run, Snapshot snapshot, List<ExchangeState.Trade> missed, List<LocalOrder> toQuery) {
    Map<String, ExchangeState.Order> known = new HashMap<>();
    for (ExchangeState.Order o : snapshot.open()) {
      known.put(orderKey(o.symbolId(), o.orderId()), o);
    }
    Map<String, CompletableFuture<Lookup>> byId = new HashMap<>();
    for (ExchangeState.Trade t : missed) {
      String key = orderKey(t.symbolId(), t.orderId());
      if (!known.containsKey(key) && !byId.containsKey(key)) {
        byId.put(key, lookup(api.queryOrder(byId(t.symbolId()), t.orderId())));
      }
    }
    List<CompletableFuture<Lookup>> missing = new ArrayList<>();
    for (LocalOrder l : toQuery) {
      missing.add(lookup(api.queryOrder(byId(l.symbolId()), l.clientOrderId())));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(byId.values());
    all.addAll(missing);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<String, ExchangeState.Order> orders = new HashMap<>(known);
              byId.forEach(
                  (key, f) -> {
                    Lookup l = f.join();
                    if (l.failure() == null) {
                      l.order().ifPresent(o -> orders.put(key, o));
                    }
                  });
              List<MissingResult> results = new ArrayList<>();
              for (int i = 0; i < toQuery.size(); i++) {
                Lookup l = missing.get(i).join();
                if (l.failure() != null) {
                  metrics.queryFailure();
                  log()
                      .warn(
                          "Reconciliation {}: looking up {} failed ({}); left to the next run",
                          run.id,
                          toQuery.get(i).clientOrderId(),
                          Failures.describe(l.failure()));
                } else {
                  results.add(new MissingResult(toQuery.get(i), l.order()));
                }
              }
              return new Resolved(run.id, orders, results);
            });
  }

  /**
   * One order lookup's outcome: the order (empty = the exchange does not know it), or why it
   * failed.
   */
  private record Lookup(Optional<ExchangeState.Order> order, Throwable failure) {}

  private CompletableFuture<Lookup> lookup(CompletionStage<Optional<ExchangeState.Order>> query) {
    return query
        .toCompletableFuture()
        .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (order, failure) ->
                failure == null ? new Lookup(order, null) : new Lookup(Optional.empty(), failure));
  }

  private void applyCorrections(Run run, Resolved resolved) {
    Snapshot snapshot = run.snapshot;
    long now = System.currentTimeMillis();
    for (ExchangeState.Trade t : Reconciler.missedFills(snapshot.trades(), positions)) {
      ExchangeState.Order order = resolved.ordersById().get(orderKey(t.symbolId(), t.orderId()));
      if (order == null) {
        log()
            .warn(
                "Recovered fill {} of order {} has no queryable order: replayed without a client order id",
                t.tradeId(),
                t.orderId());
        order =
            new ExchangeState.Order(
                t.symbolId(),
                "",
                t.orderId(),
                t.side(),
                OrderState.FILLED,
                t.priceTicks(),
                0,
                0,
                0,
                "",
                "",
                false,
                t.positionSide(),
                t.time());
      }
      OrderUpdate fill = Reconciler.recoveredFill(t, order, now);
      long before = positions.version(t.symbolId());
      if (positions.applyFill(fill)) {
        run.baseline[t.symbolId()] += positions.version(t.symbolId()) - before;
        publish.accept(fill);
      }
    }
    for (MissingResult m : resolved.missing()) {
      publish.accept(
          m.order()
              .map(o -> Reconciler.restate(o, now))
              .orElseGet(() -> Reconciler.unknownToExchange(m.local(), now)));
    }
    boolean quiet = true;
    for (int id : trackedIds) {
      quiet &= positions.version(id) == run.baseline[id];
    }
    Reconciler.PositionReport report =
        reconciler.comparePositions(
            trackedIds,
            snapshot.positions(),
            positions,
            id -> positions.version(id) != run.baseline[id],
            now);
    report.differences().forEach(this::record);
    for (PositionUpdate correction : report.corrections()) {
      positions.setAmount(correction.symbolId(), correction.amountSteps(), run.startedAt);
      publish.accept(correction);
    }
    reconcileBalances(snapshot.balances(), quiet, now);
    metrics.run(true);
    if (run.request.afterConnect() && run.outagesAtBegin == outages) {
      recoverAfter = null; // the outage's fills are replayed and no new outage began meanwhile
    }
  }

  /** Balances move with every fill, so they are corrected only when no fill raced the fetch. */
  private void reconcileBalances(List<ExchangeState.Balance> fetched, boolean quiet, long now) {
    for (ExchangeState.Balance b : fetched) {
      double known = balances.wallet(b.asset());
      boolean unknown = Double.isNaN(known);
      if (!unknown && (!quiet || Math.abs(known - b.wallet()) <= 1e-8)) {
        continue;
      }
      if (!unknown) {
        differences++;
        metrics.balanceDifference();
        log()
            .warn(
                "Reconciliation: balance {} is {} on the exchange, {} locally",
                b.asset(),
                b.wallet(),
                known);
      }
      BalanceUpdate update =
          new BalanceUpdate(
              b.asset(), b.wallet(), b.crossWallet(), 0, Reconciler.RECONCILE_REASON, now);
      balances.apply(update);
      publish.accept(update);
    }
  }

  private void onCancelled(Cancelled c) {
    String symbol =
        byId.containsKey(c.order().symbolId()) ? byId.get(c.order().symbolId()).symbol() : "?";
    if (c.failure() != null) {
      log()
          .warn(
              "Cancelling orphan order {} on {} failed: {}",
              c.order().clientOrderId(),
              symbol,
              Failures.describe(c.failure()));
    } else if (c.wasOpen()) {
      metrics.orphanCancelled();
      log().warn("Cancelled orphan order {} on {}", c.order().clientOrderId(), symbol);
    } else {
      log().info("Orphan order {} on {} was no longer open", c.order().clientOrderId(), symbol);
    }
  }

  private Outcome finish(boolean ok) {
    if (!ok) {
      metrics.run(false);
    }
    Outcome outcome = new Outcome(running.request.afterConnect(), running.request.generation(), ok);
    running = null;
    if (pending != null) {
      Request next = pending;
      pending = null;
      begin(next);
    }
    return outcome;
  }

  private void record(Reconciler.Difference d) {
    differences++;
    metrics.difference(d.kind());
    String symbol =
        byId.containsKey(d.symbolId())
            ? byId.get(d.symbolId()).symbol()
            : String.valueOf(d.symbolId());
    if (d.kind() == Reconciler.Kind.FOREIGN_ORDER) {
      log()
          .info(
              "Reconciliation: {} {} {}: {}",
              d.kind().tag(),
              symbol,
              d.clientOrderId(),
              d.detail());
    } else {
      log()
          .warn(
              "Reconciliation: {} {} {}: {}",
              d.kind().tag(),
              symbol,
              d.clientOrderId(),
              d.detail());
    }
  }

  /** The actor's logger, fetched per use so Akka sets the actor's MDC for this message. */
  private Logger log() {
    return logs.get();
  }

  private Instrument byId(int symbolId) {
    return byId.get(symbolId);
  }

  private static String orderKey(int symbolId, long orderId) {
    return symbolId + ":" + orderId;
  }

  /** Accumulates the parallel REST answers of step A. */
  private record Exchange(
      List<ExchangeState.Order> open,
      List<ExchangeState.Position> positions,
      List<ExchangeState.Balance> balances,
      List<ExchangeState.Trade> trades) {
    Exchange(List<ExchangeState.Order> open, List<ExchangeState.Position> positions) {
      this(open, positions, List.of(), List.of());
    }

    Exchange withBalances(List<ExchangeState.Balance> b) {
      return new Exchange(open, positions, b, trades);
    }

    Exchange withTrades(List<ExchangeState.Trade> t) {
      return new Exchange(open, positions, balances, t);
    }
  }
}
