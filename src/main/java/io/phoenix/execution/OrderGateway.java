package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.order.OrderRequests;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DispatchPlanner.Dispatch;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The account's single order sender: owns the exchange request budget, queues intents by priority
 * (cancel-all and cancels, then amends, then new orders, then queries), batches up to {@code
 * max-batch} orders per symbol, and tracks every order it has in flight by client order id. The
 * order table ({@link OrderTable}), what to send next ({@link DispatchPlanner}), and how the
 * exchange's answers and reports settle orders ({@link ExchangeAnswers}, {@link OrderReports}) are
 * plain classes beside it.
 *
 * <p>Commands: {@link Submit} (an {@link OrderIntent} plus who gets the {@link OrderEvent}s),
 * {@link Report}, {@link RegisterAlertListener}, {@link UpdateRateLimits}, {@link GetLatency} ->
 * {@link LatencySnapshot}, {@link GetWorkingOrders} -> {@link WorkingOrders}.
 *
 * <p>Outcomes: definite exchange refusals become {@link OrderEvent.OrderRejected}; timeouts, 5xx,
 * connection loss and 429/418 on a new order or amendment make the order {@link OrderState#UNKNOWN}
 * ({@link OrderEvent.OrderUnknown}), then it is queried by client order id until the exchange
 * answers and exactly one {@link OrderEvent.OrderResolved} follows; nothing is resent on an unknown
 * outcome. {@code -1021} triggers a clock resync and a resend.
 *
 * <p>Rate limits: HTTP 429 stops all sending until Retry-After; 418 (IP ban) additionally logs an
 * ERROR, counts {@code phoenix.gateway.banned} and sends {@link OrderEvent.GatewayHalted} to every
 * alert listener ({@link RateLimitAlarms}). Signed sends are held while the shared clock is invalid
 * or too uncertain ({@link ClockGate}).
 *
 * <p>Timers: the drain timer (budget or clock wait), one query timer per unknown order, cancel
 * retries and the merged reconciliation ask; while recovering, the recovery timeout and open-order
 * read retries ({@link RecoveryPhase}).
 *
 * <p>Reconciliation: when its table may be incomplete, after a restart's recovery and on a report
 * of an order of ours it neither holds nor has settled, the gateway asks for a reconciliation run
 * ({@link ReconciliationRequests}, at most one ask per {@code reconcile-request-interval}: {@link
 * ReconcileAsks}).
 *
 * <p>Start and restart ({@code phoenix.gateway.recovery}): before it acts, the gateway reads {@code
 * GET /fapi/v1/openOrders} for every instrument and adopts the open orders carrying our prefix into
 * its table. That is its {@code recovering} phase (Akka's stash-based init phase, {@link
 * RecoveryPhase}, {@link StartupRecovery}): intents, reports and {@link GetWorkingOrders} arriving
 * meanwhile are stashed (bounded by {@code hold-capacity}) and unstashed, as they were, into the
 * running gateway afterwards. On a supervised restart the failed incarnation hands its table to the
 * next one (a message to itself on {@code PreRestart}) so that no order is forgotten ({@link
 * RestartSettlement}: still open ones adopted with their requester, the rest resolved by query,
 * never resent; places never handed to the transport refused). Answers to the previous
 * incarnation's requests are dropped. {@link InjectFailure} throws, for restart drills.
 */
public final class OrderGateway extends AbstractBehavior<OrderGateway.Command> {

  /** Protocol. */
  public sealed interface Command {}

  /**
   * An intent to execute; events go to {@code replyTo}.
   *
   * @param riskNanos {@code System.nanoTime()} when risk approved the intent (0 = not stamped); the
   *     hot-path stages risk-to-write and frame-to-write start from it and the intent's stamps
   */
  public record Submit(OrderIntent intent, ActorRef<OrderEvent> replyTo, long riskNanos)
      implements Command {
    public Submit(OrderIntent intent, ActorRef<OrderEvent> replyTo) {
      this(intent, replyTo, 0);
    }
  }

  /**
   * Intents that belong together (one requote), taken in as one: a single drain then sends the
   * cancels as one batch and the places as one, where {@link Submit}s arriving one by one may each
   * leave in its own request.
   */
  public record SubmitAll(List<Submit> submits) implements Command {}

  /** {@code listener} receives {@link OrderEvent.GatewayHalted} on 418 and repeated 429. */
  public record RegisterAlertListener(ActorRef<OrderEvent> listener) implements Command {}

  /**
   * Replaces the rate limits (from exchangeInfo); counts restart from zero, corrected by headers.
   */
  public record UpdateRateLimits(List<RateBudget.Limit> limits) implements Command {}

  /**
   * Asks for the intent-to-request-written latency of new orders (quoter's {@code createdNanos} to
   * the request handed to the transport); {@code reset} starts a fresh recording afterwards.
   */
  public record GetLatency(ActorRef<LatencySnapshot> replyTo, boolean reset) implements Command {
    public GetLatency(ActorRef<LatencySnapshot> replyTo) {
      this(replyTo, false);
    }
  }

  /** Latency in nanoseconds since start or since the last resetting {@link GetLatency}. */
  public record LatencySnapshot(long count, long p50Nanos, long p99Nanos, long maxNanos) {}

  /** Asks for every order not known to be closed (for reconciliation). */
  public record GetWorkingOrders(ActorRef<WorkingOrders> replyTo) implements Command {}

  /** Reply to {@link GetWorkingOrders}. */
  public record WorkingOrders(List<WorkingOrder> orders) {}

  /**
   * What the user stream (an {@code ORDER_TRADE_UPDATE}) or reconciliation (a restatement) says
   * about an order: settles it in the table like a REST answer would, whichever comes first.
   */
  public record Report(OrderReport report) implements Command {}

  /** Throws, so that supervision restarts the gateway (drills and tests). */
  public record InjectFailure(String reason) implements Command {}

  /** The failing incarnation's table and registrations, sent to itself on PreRestart. */
  private record Handover(
      List<RestartSettlement.Hint<ActorRef<OrderEvent>>> hints,
      List<ActorRef<OrderEvent>> alertListeners,
      long pausedUntil)
      implements Command {}

  /** Answer to the recovery read of one symbol's open orders. */
  private record Snapshot(int symbolId, RestResult<JsonNode> result, long sentMillis)
      implements Command {}

  private record SnapshotDue(int symbolId) implements Command {}

  private enum RecoveryTimeout implements Command {
    INSTANCE
  }

  private enum Drain implements Command {
    INSTANCE
  }

  private record Completed(
      Dispatch<ActorRef<OrderEvent>> dispatch, RestResult<JsonNode> result, long sentMillis)
      implements Command {}

  private record QueryDue(String clientOrderId) implements Command {}

  private record CancelDue(String clientOrderId) implements Command {}

  /** Merged asks for a reconciliation run are due. */
  private enum ReconcileDue implements Command {
    INSTANCE
  }

  /** A 418 some other sender on the shared budget ran into. */
  private record BanObserved(long untilMillis) implements Command {}

  private final ExchangeTransport transport;
  private final GatewaySettings settings;
  private final ServerClock clock;
  private final ClockGate clockGate;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final OrderTable<ActorRef<OrderEvent>> table;
  private final ExchangeAnswers<ActorRef<OrderEvent>> answers;
  private final OrderReports<ActorRef<OrderEvent>> reports;
  private final RestartSettlement<ActorRef<OrderEvent>> settlement;
  private final DispatchPlanner<ActorRef<OrderEvent>> planner;
  private final RateLimitAlarms alarms;
  private final GatewayMetrics metrics;
  private final SharedRateBudget budget;
  private final OrderStamps<ActorRef<OrderEvent>> stamps;
  private final DispatchRequests<ActorRef<OrderEvent>> requests;
  private final Incarnation incarnation = new Incarnation();
  private final ReconcileAsks<Command> reconcileAsks;
  private long drainNowMillis;
  // the drain's budget check and held-order report, built once: a drain runs per intent
  private final DispatchPlanner.Budget fitsNow = cost -> fits(drainNowMillis, cost);
  private final DispatchPlanner.BudgetHeld budgetHeld;
  // removed when this incarnation ends: the shared budget must not keep it reachable
  private final Runnable banListener;
  private int inFlight;
  private boolean drainRequested;
  // non-null while recovering: what the open-orders reads and the previous incarnation told
  private RecoveryPhase<Command> recovery;
  // a previous incarnation handed over: this one's table is rebuilt, reconciliation should check it
  private boolean restarted;

  private OrderGateway(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      OrderGatewayDependencies deps) {
    super(context);
    this.timers = timers;
    this.stash = stash;
    this.transport = request -> incarnation.unlessEnded(deps.transport().send(request));
    this.settings = deps.settings();
    this.clock = deps.clock();
    this.clockGate = new ClockGate(clock, deps.timeSync(), settings.maxClockUncertainty());
    this.metrics = new GatewayMetrics(deps.registry());
    deps.instruments().forEach(i -> instruments.put(i.id(), i));
    this.budget = deps.budget();
    this.alarms = new RateLimitAlarms(budget, metrics, context.getLog());
    ActorRef<Command> self = context.getSelf();
    this.banListener =
        budget.onBan(
            until -> {
              if (incarnation.live()) {
                self.tell(new BanObserved(until));
              }
            });
    this.table =
        new OrderTable<>(
            OrderTable.Settings.of(settings).withEpoch(deps.lease().epoch()),
            deps.instruments(),
            metrics,
            context::getLog,
            new TableEffects(),
            context.getSystem().ignoreRef(),
            System::currentTimeMillis);
    ExchangeTransport exchange = deps.transport();
    this.planner =
        new DispatchPlanner<>(
            table, settings.maxBatch(), exchange::prefersSingleOrders, deps.lease());
    this.answers = new ExchangeAnswers<>(table, planner);
    this.reports = new OrderReports<>(table, deps.lease());
    this.settlement = new RestartSettlement<>(table);
    this.stamps = new OrderStamps<>(table, deps.stages(), metrics);
    this.budgetHeld = stamps::budgetHeld;
    this.requests = new DispatchRequests<>(table, instruments);
    this.reconcileAsks =
        new ReconcileAsks<>(
            deps.reconciliation(),
            settings.reconcileRequestInterval(),
            timers,
            ReconcileDue.INSTANCE,
            metrics,
            context.getLog());
  }

  /** The table's requests, carried out with this actor's timers and refs. */
  private final class TableEffects implements OrderTable.Effects<ActorRef<OrderEvent>> {
    @Override
    public void tell(ActorRef<OrderEvent> requester, OrderEvent event) {
      requester.tell(event);
    }

    @Override
    public void scheduleQuery(String clientOrderId, Duration delay) {
      timers.startSingleTimer(List.of("query", clientOrderId), new QueryDue(clientOrderId), delay);
    }

    @Override
    public void scheduleCancelRetry(String clientOrderId, Duration delay) {
      timers.startSingleTimer(
          List.of("cancel", clientOrderId), new CancelDue(clientOrderId), delay);
    }

    @Override
    public void resyncClock() {
      clockGate.resync();
    }
  }

  public static Behavior<Command> create(OrderGatewayDependencies deps) {
    // the buffer holds at least one message; hold-capacity is enforced where messages are stashed
    int stashCapacity = Math.max(1, deps.settings().recovery().holdCapacity());
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        stashCapacity,
                        stash -> {
                          OrderGateway gateway = new OrderGateway(ctx, timers, stash, deps);
                          return deps.settings().recovery().enabled()
                              ? gateway.beginRecovery()
                              : gateway;
                        })));
  }

  /** The running gateway. */
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(SubmitAll.class, this::onSubmitAll)
        .onMessage(Report.class, this::onReport)
        .onMessage(RegisterAlertListener.class, this::onRegisterAlertListener)
        .onMessage(UpdateRateLimits.class, this::onUpdateRateLimits)
        .onMessage(GetLatency.class, this::onGetLatency)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrders)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Completed.class, this::onCompleted)
        .onMessage(QueryDue.class, this::onQueryDue)
        .onMessage(CancelDue.class, this::onCancelDue)
        .onMessage(BanObserved.class, this::onBanObserved)
        .onMessageEquals(ReconcileDue.INSTANCE, this::onReconcileDue)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onMessage(Handover.class, this::onHandover)
        .onMessage(Snapshot.class, this::ignore)
        .onMessage(SnapshotDue.class, this::ignore)
        .onMessageEquals(RecoveryTimeout.INSTANCE, Behaviors::same)
        .onSignal(PreRestart.class, this::onPreRestart)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  /**
   * The start-up phase: reads every symbol's open orders; intents, reports and working-order
   * requests wait in the stash (applied before the open orders are adopted, a report would find
   * nothing to settle, and an order it reports open would look orphaned).
   */
  private Behavior<Command> recovering() {
    return Behaviors.receive(Command.class)
        .onMessage(Submit.class, this::holdSubmit)
        .onMessage(SubmitAll.class, this::holdSubmitAll)
        .onMessage(Report.class, m -> recovery.holdOrDrop(m, "an order report"))
        .onMessage(GetWorkingOrders.class, m -> recovery.holdOrDrop(m, "a working-orders request"))
        .onMessage(Snapshot.class, this::onSnapshot)
        .onMessage(SnapshotDue.class, this::onSnapshotDue)
        .onMessageEquals(RecoveryTimeout.INSTANCE, this::onRecoveryTimeout)
        .onMessage(Completed.class, this::ignore)
        .onMessage(RegisterAlertListener.class, this::onRegisterAlertListener)
        .onMessage(UpdateRateLimits.class, this::onUpdateRateLimits)
        .onMessage(GetLatency.class, this::onGetLatency)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(QueryDue.class, this::onQueryDue)
        .onMessage(CancelDue.class, this::onCancelDue)
        .onMessage(BanObserved.class, this::onBanObserved)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onMessage(Handover.class, this::onHandover)
        .onSignal(PreRestart.class, this::onPreRestart)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  // ------------------------------------------------------------------ intake

  private Behavior<Command> onSubmitAll(SubmitAll all) {
    List<Submit> submits = all.submits();
    for (int i = 0; i < submits.size(); i++) {
      Submit submit = submits.get(i);
      planner.intake(submit.intent(), submit.replyTo(), submit.riskNanos());
    }
    // the batch is whole already: send now rather than behind whatever else is in the mailbox
    return onDrain();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    planner.intake(submit.intent(), submit.replyTo(), submit.riskNanos());
    requestDrain();
    return Behaviors.same();
  }

  private Behavior<Command> onReport(Report report) {
    if (reports.isUnknownOfOurs(report.report())) {
      reconcileAsks.ask("unknown_report", report.report().clientOrderId());
    }
    OrderReports.ReportOutcome outcome = reports.onReport(report.report());
    metrics.report(outcome.name());
    if (outcome != OrderReports.ReportOutcome.IGNORED
        && outcome != OrderReports.ReportOutcome.FOREIGN) {
      // an orphan's cancel, or a cancel wanted once the order is known to exist, may be sendable
      // now
      requestDrain();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRegisterAlertListener(RegisterAlertListener msg) {
    alarms.listen(msg.listener());
    return Behaviors.same();
  }

  private Behavior<Command> onUpdateRateLimits(UpdateRateLimits msg) {
    budget.replaceLimits(msg.limits());
    return Behaviors.same();
  }

  private Behavior<Command> onGetLatency(GetLatency msg) {
    Histogram h = stamps.intentToWrite();
    msg.replyTo()
        .tell(
            new LatencySnapshot(
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue()));
    if (msg.reset()) {
      h.reset();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onGetWorkingOrders(GetWorkingOrders msg) {
    msg.replyTo().tell(new WorkingOrders(List.copyOf(table.workingOrders())));
    return Behaviors.same();
  }

  private Behavior<Command> onReconcileDue() {
    reconcileAsks.onDue();
    return Behaviors.same();
  }

  // ------------------------------------------------------------------ recovery

  private Behavior<Command> holdSubmit(Submit submit) {
    if (!recovery.hold(submit)) {
      OrderIntent i = submit.intent();
      metrics.localReject();
      getContext()
          .getLog()
          .warn("Refusing {} while recovering: {} intents already held", i, stash.size());
      submit
          .replyTo()
          .tell(StartupRecovery.refusal(i, "gateway recovering: hold capacity reached"));
    }
    return Behaviors.same();
  }

  /** Held one by one, as they would have arrived; each counts against the hold capacity. */
  private Behavior<Command> holdSubmitAll(SubmitAll all) {
    all.submits().forEach(this::holdSubmit);
    return Behaviors.same();
  }

  /**
   * An answer while recovering is to the previous incarnation (this one sends nothing yet); an
   * open-orders read answered after recovery ended is too late to matter.
   */
  private Behavior<Command> ignore(Command stale) {
    return Behaviors.same();
  }

  private Behavior<Command> onInjectFailure(InjectFailure msg) {
    throw new IllegalStateException("injected failure: " + msg.reason());
  }

  private Behavior<Command> onPreRestart(PreRestart signal) {
    incarnation.end();
    banListener.run();
    List<RestartSettlement.Hint<ActorRef<OrderEvent>>> out = new ArrayList<>(settlement.handover());
    if (recovery != null) {
      // a failure during recovery must not lose what the incarnation before had handed over
      out.addAll(recovery.hintsNotIn(table::contains));
    }
    ActorRef<Command> self = getContext().getSelf();
    self.tell(new Handover(List.copyOf(out), alarms.listeners(), budget.pausedUntil()));
    stash.forEach(self::tell);
    getContext().getLog().warn("Order gateway restarting with {} orders to hand over", out.size());
    return Behaviors.same();
  }

  private Behavior<Command> onPostStop(PostStop signal) {
    incarnation.end();
    banListener.run();
    return Behaviors.same();
  }

  private Behavior<Command> beginRecovery() {
    recovery =
        new RecoveryPhase<>(
            getContext(),
            timers,
            stash,
            SnapshotDue::new,
            RecoveryTimeout.INSTANCE,
            settings,
            instruments,
            metrics);
    if (recovery.done()) {
      return finishRecovery();
    }
    recovery.start();
    instruments.keySet().forEach(this::requestSnapshot);
    return recovering();
  }

  private Behavior<Command> onSnapshotDue(SnapshotDue msg) {
    if (recovery.awaits(msg.symbolId())) {
      requestSnapshot(msg.symbolId());
    }
    return Behaviors.same();
  }

  private void requestSnapshot(int symbolId) {
    if (!clockGate.usable()) {
      recovery.retry(symbolId, settings.clockRetry());
      return;
    }
    long now = clock.timestampMillis();
    long wait = budget.acquireForOrderEntry(now, Cost.QUERY);
    if (wait > 0) {
      metrics.budgetWait();
      recovery.retry(symbolId, Duration.ofMillis(wait));
      return;
    }
    metrics.request("OPEN_ORDERS");
    getContext()
        .pipeToSelf(
            transport.send(OrderRequests.openOrders(instruments.get(symbolId))),
            (result, error) ->
                new Snapshot(symbolId, error == null ? result : transportFailed(error), now));
  }

  private Behavior<Command> onSnapshot(Snapshot msg) {
    if (!recovery.awaits(msg.symbolId())) {
      return Behaviors.same();
    }
    RestResult<JsonNode> r = msg.result();
    long now = clock.timestampMillis();
    budget.observe(now, msg.sentMillis(), r.usage());
    if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      onRateLimited(limited, now);
    } else if (r instanceof RestResult.Rejected<JsonNode> rej
        && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
      clockGate.resync();
    }
    return recovery.onOpenOrders(msg.symbolId(), r, table::isOurs)
        ? finishRecovery()
        : Behaviors.same();
  }

  private Behavior<Command> onRecoveryTimeout() {
    recovery.timedOut();
    return finishRecovery();
  }

  private Behavior<Command> onHandover(Handover h) {
    h.alertListeners().forEach(alarms::listen);
    budget.pause(h.pausedUntil(), false);
    restarted = true;
    if (recovery != null) {
      recovery.handedOver(h.hints());
    } else {
      // recovery off (or done): settle the previous table without an open-orders read
      settlement.settle(h.hints(), Map.of());
      reconcileAsks.ask("restart", "table settled from the previous incarnation");
      requestDrain();
    }
    return Behaviors.same();
  }

  /** Settles what recovery learnt, then runs: the stashed messages first, in their order. */
  private Behavior<Command> finishRecovery() {
    recovery.finish(settlement);
    recovery = null;
    if (restarted) {
      reconcileAsks.ask("restart", "recovery done");
    }
    requestDrain();
    return stash.unstashAll(this);
  }

  // ------------------------------------------------------------------ sending

  private void requestDrain() {
    if (!drainRequested) {
      drainRequested = true;
      getContext().getSelf().tell(Drain.INSTANCE);
    }
  }

  private Behavior<Command> onDrain() {
    drainRequested = false;
    while (inFlight < settings.maxInFlight() && planner.hasWork()) {
      if (!clockGate.usable()) {
        timers.startSingleTimer("drain", Drain.INSTANCE, settings.clockRetry());
        return Behaviors.same();
      }
      drainNowMillis = clock.timestampMillis();
      Dispatch<ActorRef<OrderEvent>> next = planner.next(fitsNow, budgetHeld);
      if (next == null) {
        break;
      }
      send(next);
    }
    return Behaviors.same();
  }

  /**
   * Charges the cost to the shared budget when it fits now; otherwise schedules a drain for when it
   * will.
   */
  private boolean fits(long now, Cost cost) {
    long wait = budget.acquireForOrderEntry(now, cost);
    if (wait > 0) {
      metrics.budgetWait();
      timers.startSingleTimer("drain", Drain.INSTANCE, Duration.ofMillis(wait));
      return false;
    }
    return true;
  }

  /** Hands the dispatch's request to the transport; its cost is already charged. */
  private void send(Dispatch<ActorRef<OrderEvent>> dispatch) {
    RestRequest request = requests.of(dispatch);
    inFlight++;
    metrics.request(dispatch.kind().name());
    var stage = transport.send(request);
    if (dispatch.kind() == DispatchPlanner.Kind.PLACE
        || dispatch.kind() == DispatchPlanner.Kind.BATCH_PLACE) {
      stamps.written(dispatch.clientOrderIds(), System.nanoTime());
    }
    long sentMillis = clock.timestampMillis();
    getContext()
        .pipeToSelf(
            stage,
            (result, error) ->
                new Completed(
                    dispatch, error == null ? result : transportFailed(error), sentMillis));
  }

  private static RestResult<JsonNode> transportFailed(Throwable error) {
    return new RestResult.UnknownOutcome<>(
        "transport failed: " + error.getClass().getSimpleName(), 0, RateLimitUsage.NONE);
  }

  // ------------------------------------------------------------------ results

  private Behavior<Command> onCompleted(Completed c) {
    inFlight--;
    List<String> ids = c.dispatch().clientOrderIds();
    stamps.answered(ids, System.nanoTime());
    table.answered(ids);
    RestResult<JsonNode> r = c.result();
    long now = clock.timestampMillis();
    budget.observe(now, c.sentMillis(), r.usage());
    if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      onRateLimited(limited, now);
    } else {
      alarms.answered();
    }
    answers.onAnswer(c.dispatch(), r);
    requestDrain();
    return Behaviors.same();
  }

  private Behavior<Command> onQueryDue(QueryDue msg) {
    answers.onQueryDue(msg.clientOrderId());
    requestDrain();
    return Behaviors.same();
  }

  private Behavior<Command> onCancelDue(CancelDue msg) {
    answers.onCancelDue(msg.clientOrderId());
    requestDrain();
    return Behaviors.same();
  }

  private void onRateLimited(RestResult.RateLimited<JsonNode> limited, long now) {
    alarms.rateLimited(limited, now);
    timers.startSingleTimer("drain", Drain.INSTANCE, limited.retryAfter());
  }

  /**
   * A background request (reconciliation, snapshot, keepalive) ran into a 418: the IP is banned for
   * us too.
   */
  private Behavior<Command> onBanObserved(BanObserved ban) {
    if (alarms.banObserved(ban.untilMillis())) {
      timers.startSingleTimer(
          "drain",
          Drain.INSTANCE,
          Duration.ofMillis(Math.max(1, ban.untilMillis() - clock.timestampMillis())));
    }
    return Behaviors.same();
  }
}
