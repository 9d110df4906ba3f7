package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.OrderRequests;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestBatchSlot;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.Stage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * The account's single order sender: owns the exchange request budget, queues intents by
 * priority (cancel-all and cancels, then amends, then new orders, then queries), batches up to
 * {@code max-batch} orders per symbol, and tracks every order it has in flight by client order id.
 *
 * <p>Commands: {@link Submit} (an {@link OrderIntent} plus who gets the {@link OrderEvent}s),
 * {@link RegisterAlertListener}, {@link UpdateRateLimits}, {@link GetLatency} ->
 * {@link LatencySnapshot}, {@link GetWorkingOrders} -> {@link WorkingOrders}.
 *
 * <p>Outcomes: definite exchange refusals become {@link OrderEvent.OrderRejected}; timeouts, 5xx,
 * 503-unknown, {@code -1006/-1007}, connection loss and 429/418 on a new order or amendment make
 * the order {@link OrderState#UNKNOWN} ({@link OrderEvent.OrderUnknown}) and it is then queried
 * by client order id with exponential back-off until the exchange answers; exactly one
 * {@link OrderEvent.OrderResolved} follows. A new order the exchange still does not know
 * ({@code -2013}) after {@code unknown-resolve-bound} is declared not placed (REJECTED); it is
 * never resent. Cancels are idempotent and are simply retried. {@code -1021} triggers a clock
 * resync and a resend (the exchange refused the request, so no duplicate is possible).
 *
 * <p>Rate limits: HTTP 429 stops all sending until Retry-After; 418 (IP ban) additionally logs an
 * ERROR, counts {@code phoenix.gateway.banned} and sends {@link OrderEvent.GatewayHalted} to every
 * alert listener. Signed sends are held while the shared clock is invalid or too uncertain.
 *
 * <p>Timers: the drain timer (budget or clock wait), one query timer per unknown order, and
 * cancel retries; while recovering, the recovery timeout and open-order read retries.
 *
 * <p>Start and restart ({@code phoenix.gateway.recovery}): before it acts, the gateway reads
 * {@code GET /fapi/v1/openOrders} for every instrument and adopts the open orders carrying our
 * prefix into its table; intents and {@link GetWorkingOrders} arriving meanwhile are held
 * (bounded) and replayed afterwards. On a supervised restart the failed incarnation hands its
 * table to the next one (a message to itself on {@code PreRestart}) so that no order is
 * forgotten: orders still open are adopted with their requester, who gets one
 * {@link OrderEvent.OrderResolved} (a new order whose request was in flight gets
 * {@link OrderEvent.OrderUnknown} first); orders no longer open, and places in flight the
 * exchange does not list, are resolved by query by client order id, never resent; places never
 * handed to the transport are refused (code 0); wanted cancels are sent again. Answers to the
 * previous incarnation's requests are dropped (the exchange's current word replaces them).
 * {@link InjectFailure} throws, for restart drills.
 */
public final class OrderGateway extends AbstractBehavior<OrderGateway.Command> {

  /** Protocol. */
  public sealed interface Command {}

  /**
   * An intent to execute; events go to {@code replyTo}.
   *
   * @param riskNanos {@code System.nanoTime()} when risk approved the intent (0 = not stamped);
   *     the hot-path stages risk-to-write and frame-to-write start from it and the intent's stamps
   */
  public record Submit(OrderIntent intent, ActorRef<OrderEvent> replyTo, long riskNanos) implements Command {
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

  /** Replaces the rate limits (from exchangeInfo); counts restart from zero, corrected by headers. */
  public record UpdateRateLimits(List<RateBudget.Limit> limits) implements Command {}

  /**
   * Asks for the intent-to-request-written latency of new orders (quoter's {@code createdNanos}
   * to the request handed to the transport); {@code reset} starts a fresh recording afterwards.
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

  /** One order the gateway believes may be working. {@code orderId} 0 while not acknowledged. */
  public record WorkingOrder(int symbolId, String clientOrderId, long orderId, Side side, long priceTicks,
      long origQtySteps, long cumQtySteps, OrderState state, long lastChangeMillis) {}

  /**
   * What the user stream (an {@code ORDER_TRADE_UPDATE}) or reconciliation (a restatement) says
   * about an order: settles it in the table like a REST answer would, whichever comes first.
   */
  public record Report(OrderReport report) implements Command {}

  /** Throws, so that supervision restarts the gateway (drills and tests). */
  public record InjectFailure(String reason) implements Command {}

  /** The failing incarnation's table and registrations, sent to itself on PreRestart. */
  private record Handover(List<OrderTable.Hint<ActorRef<OrderEvent>>> hints, List<ActorRef<OrderEvent>> alertListeners, long pausedUntil)
      implements Command {}

  /** Answer to the recovery read of one symbol's open orders. */
  private record Snapshot(int symbolId, RestResult<JsonNode> result, long sentMillis) implements Command {}

  private record SnapshotDue(int symbolId) implements Command {}

  private enum RecoveryTimeout implements Command {
    INSTANCE
  }

  private enum Drain implements Command {
    INSTANCE
  }

  private enum DispatchKind {
    PLACE,
    BATCH_PLACE,
    CANCEL,
    BATCH_CANCEL,
    AMEND,
    BATCH_AMEND,
    CANCEL_ALL,
    QUERY
  }

  private record Dispatch(DispatchKind kind, int symbolId, List<String> clientOrderIds, ActorRef<OrderEvent> replyTo) {}

  private record Completed(Dispatch dispatch, RestResult<JsonNode> result, long sentMillis) implements Command {}

  private record QueryDue(String clientOrderId) implements Command {}

  private record CancelDue(String clientOrderId) implements Command {}

  private record CancelAllOp(int symbolId, ActorRef<OrderEvent> replyTo) {}

  /** A 418 some other sender on the shared budget ran into. */
  private record BanObserved(long untilMillis) implements Command {}

  private final ExchangeTransport transport;
  private final GatewaySettings settings;
  private final ServerClock clock;
  private final ActorRef<TimeSync.Command> timeSync;
  private final TimerScheduler<Command> timers;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final OrderTable<ActorRef<OrderEvent>> table;
  private final ArrayDeque<CancelAllOp> cancelAlls = new ArrayDeque<>();
  // symbols with a cancel-all queued or in flight: their new orders wait for its answer, so that a
  // place can neither be swept by it nor rest beside the orders it is about to cancel
  private final java.util.Map<Integer, Integer> cancelAllsPending = new HashMap<>();
  private final Set<ActorRef<OrderEvent>> alertListeners = new LinkedHashSet<>();
  private final Histogram latency = new Histogram(3);
  private final GatewayMetrics metrics;
  private final SharedRateBudget budget;
  private LatencyRecorder stages = LatencyRecorder.NONE;
  private int inFlight;
  private boolean drainRequested;
  private long lastResyncRequestMillis;
  private int consecutiveRateLimits;
  private long lastBanAlertedUntil;
  // false once this incarnation failed or stopped: answers to its requests are then dropped
  private volatile boolean live = true;
  private boolean recovering;
  private long recoveryStartedMillis;
  private final Map<Integer, Integer> snapshotAttempts = new HashMap<>();
  private final Map<String, RestOrderResponse> exchangeOpen = new HashMap<>();
  private final List<OrderTable.Hint<ActorRef<OrderEvent>>> hints = new ArrayList<>();
  private final ArrayDeque<Command> held = new ArrayDeque<>();

  private OrderGateway(ActorContext<Command> context, TimerScheduler<Command> timers, ExchangeTransport transport,
      List<Instrument> instrumentList, GatewaySettings settings, ServerClock clock,
      ActorRef<TimeSync.Command> timeSync, MeterRegistry registry, SharedRateBudget budget) {
    super(context);
    this.timers = timers;
    // answers that complete after this incarnation failed must not reach the next one
    this.transport = request -> {
      CompletableFuture<RestResult<JsonNode>> answer = new CompletableFuture<>();
      transport.send(request).whenComplete((result, error) -> {
        if (live) {
          if (error != null) {
            answer.completeExceptionally(error);
          } else {
            answer.complete(result);
          }
        }
      });
      return answer;
    };
    this.settings = settings;
    this.clock = clock;
    this.timeSync = timeSync;
    this.metrics = new GatewayMetrics(registry);
    instrumentList.forEach(i -> instruments.put(i.id(), i));
    this.budget = budget;
    ActorRef<Command> self = context.getSelf();
    budget.onBan(until -> {
      if (live) {
        self.tell(new BanObserved(until));
      }
    });
    this.table = new OrderTable<>(OrderTable.Settings.of(settings), instrumentList, metrics, context::getLog,
        new TableEffects(), context.getSystem().ignoreRef(), System::currentTimeMillis);
    if (settings.recovery().enabled()) {
      beginRecovery();
    }
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
      timers.startSingleTimer(List.of("cancel", clientOrderId), new CancelDue(clientOrderId), delay);
    }

    @Override
    public void resyncClock() {
      requestResync();
    }
  }

  /**
   * A budget with the settings' default limits ({@code phoenix.gateway.default-limits}), for a node
   * to share until exchangeInfo's {@code rateLimits} replace them, or for a gateway used alone.
   */
  public static SharedRateBudget defaultBudget(GatewaySettings settings) {
    return new SharedRateBudget(List.of(
        new RateBudget.Limit(RateBudget.Scope.REQUEST_WEIGHT, 60_000, settings.weightPerMinute()),
        new RateBudget.Limit(RateBudget.Scope.ORDERS, 10_000, settings.ordersPer10s()),
        new RateBudget.Limit(RateBudget.Scope.ORDERS, 60_000, settings.ordersPerMinute())), settings.safetyMargin(),
        settings.backgroundWeightReserve());
  }

  /**
   * @param transport {@code ExchangeTransport.of(restClient)} in production
   * @param instruments the tradable symbols; intents name them by {@link Instrument#id()}
   * @param clock shared with {@link TimeSync}, which keeps it in step
   * @param timeSync told to {@link TimeSync.Resync} after {@code -1021} or while the clock is invalid
   */
  public static Behavior<Command> create(ExchangeTransport transport, List<Instrument> instruments,
      GatewaySettings settings, ServerClock clock, ActorRef<TimeSync.Command> timeSync, MeterRegistry registry) {
    return create(transport, instruments, settings, clock, timeSync, registry, LatencyRecorder.NONE);
  }

  /**
   * @param stages where the hot-path stages ending here go: risk-to-write, frame-to-write (when
   *     the request is handed to the transport) and write-to-ack (when its answer is back)
   */
  public static Behavior<Command> create(ExchangeTransport transport, List<Instrument> instruments,
      GatewaySettings settings, ServerClock clock, ActorRef<TimeSync.Command> timeSync, MeterRegistry registry,
      LatencyRecorder stages) {
    return create(transport, instruments, settings, clock, timeSync, registry, stages, defaultBudget(settings));
  }

  /**
   * @param budget the account's one request budget, shared with every background caller; the
   *     gateway charges each send to it and stops while anyone's 429/418 pause lasts
   */
  public static Behavior<Command> create(ExchangeTransport transport, List<Instrument> instruments,
      GatewaySettings settings, ServerClock clock, ActorRef<TimeSync.Command> timeSync, MeterRegistry registry,
      LatencyRecorder stages, SharedRateBudget budget) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      OrderGateway gateway =
          new OrderGateway(ctx, timers, transport, instruments, settings, clock, timeSync, registry, budget);
      gateway.stages = stages;
      return gateway;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmitOrHold)
        .onMessage(SubmitAll.class, this::onSubmitAll)
        .onMessage(Report.class, this::onReportOrHold)
        .onMessage(RegisterAlertListener.class, this::onRegisterAlertListener)
        .onMessage(UpdateRateLimits.class, this::onUpdateRateLimits)
        .onMessage(GetLatency.class, this::onGetLatency)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrdersOrHold)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Completed.class, this::onCompletedUnlessStale)
        .onMessage(QueryDue.class, this::onQueryDue)
        .onMessage(CancelDue.class, this::onCancelDue)
        .onMessage(BanObserved.class, this::onBanObserved)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onMessage(Handover.class, this::onHandover)
        .onMessage(Snapshot.class, this::onSnapshot)
        .onMessage(SnapshotDue.class, this::onSnapshotDue)
        .onMessageEquals(RecoveryTimeout.INSTANCE, this::onRecoveryTimeout)
        .onSignal(PreRestart.class, this::onPreRestart)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  // ------------------------------------------------------------------ intake

  private Behavior<Command> onSubmitAll(SubmitAll all) {
    List<Submit> submits = all.submits();
    if (recovering) {
      submits.forEach(this::onSubmitOrHold);
      return this;
    }
    for (int i = 0; i < submits.size(); i++) {
      intake(submits.get(i));
    }
    // the batch is whole already: send now rather than behind whatever else is in the mailbox
    return onDrain();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    intake(submit);
    requestDrain();
    return this;
  }

  private void intake(Submit submit) {
    OrderIntent intent = submit.intent();
    if (intent instanceof OrderIntent.Place p) {
      table.place(p, submit.replyTo(), submit.riskNanos());
    } else if (intent instanceof OrderIntent.Cancel c) {
      table.cancel(c, submit.replyTo());
    } else if (intent instanceof OrderIntent.Amend a) {
      table.amend(a, submit.replyTo());
    } else if (intent instanceof OrderIntent.CancelAll ca) {
      intakeCancelAll(ca, submit.replyTo());
    }
  }

  private void intakeCancelAll(OrderIntent.CancelAll ca, ActorRef<OrderEvent> replyTo) {
    if (!instruments.containsKey(ca.symbolId())) {
      replyTo.tell(new OrderEvent.OrderRejected(ca.symbolId(), null, RequestKind.CANCEL_ALL, 0,
          "unknown symbol id " + ca.symbolId()));
      return;
    }
    table.dropQueuedPlaces(ca.symbolId());
    cancelAlls.addLast(new CancelAllOp(ca.symbolId(), replyTo));
    cancelAllsPending.merge(ca.symbolId(), 1, Integer::sum);
  }

  private Behavior<Command> onReport(Report report) {
    OrderTable.ReportOutcome outcome = table.onReport(report.report());
    metrics.report(outcome.name());
    if (outcome == OrderTable.ReportOutcome.ORPHAN) {
      requestDrain();
    } else if (outcome == OrderTable.ReportOutcome.UPDATED || outcome == OrderTable.ReportOutcome.SETTLED) {
      // a cancel wanted once the order is known to exist may be sendable now
      requestDrain();
    }
    return this;
  }

  private Behavior<Command> onRegisterAlertListener(RegisterAlertListener msg) {
    alertListeners.add(msg.listener());
    return this;
  }

  private Behavior<Command> onUpdateRateLimits(UpdateRateLimits msg) {
    budget.replaceLimits(msg.limits());
    return this;
  }

  private Behavior<Command> onGetLatency(GetLatency msg) {
    msg.replyTo().tell(new LatencySnapshot(latency.getTotalCount(), latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99), latency.getMaxValue()));
    if (msg.reset()) {
      latency.reset();
    }
    return this;
  }

  private Behavior<Command> onGetWorkingOrders(GetWorkingOrders msg) {
    msg.replyTo().tell(new WorkingOrders(List.copyOf(table.workingOrders())));
    return this;
  }

  // ------------------------------------------------------------------ recovery

  private Behavior<Command> onSubmitOrHold(Submit submit) {
    if (!recovering) {
      return onSubmit(submit);
    }
    if (held.size() < settings.recovery().holdCapacity()) {
      held.addLast(submit);
    } else {
      OrderIntent i = submit.intent();
      metrics.localReject();
      getContext().getLog().warn("Refusing {} while recovering: {} intents already held", i, held.size());
      submit.replyTo().tell(new OrderEvent.OrderRejected(symbolOf(i), clientOrderIdOf(i), kindOf(i), 0,
          "gateway recovering: hold capacity reached"));
    }
    return this;
  }

  /**
   * While recovering, reports wait with the intents: applied before the open orders are adopted
   * they would find nothing to settle, and an order they report open would look orphaned.
   */
  private Behavior<Command> onReportOrHold(Report report) {
    if (!recovering) {
      return onReport(report);
    }
    if (held.size() < settings.recovery().holdCapacity()) {
      held.addLast(report);
    } else {
      // the open-orders read and reconciliation cover what this report said
      getContext().getLog().warn("Dropping an order report while recovering: hold capacity reached");
    }
    return this;
  }

  private Behavior<Command> onGetWorkingOrdersOrHold(GetWorkingOrders msg) {
    if (!recovering) {
      return onGetWorkingOrders(msg);
    }
    if (held.size() < settings.recovery().holdCapacity()) {
      held.addLast(msg);
    } else {
      // the asker's timeout reports it; an answer now would list a half-recovered table
      getContext().getLog().warn("Dropping a working-orders request while recovering: hold capacity reached");
    }
    return this;
  }

  private Behavior<Command> onCompletedUnlessStale(Completed c) {
    if (recovering) {
      // this incarnation sends nothing while recovering: an answer now is to the previous one
      return this;
    }
    return onCompleted(c);
  }

  private Behavior<Command> onInjectFailure(InjectFailure msg) {
    throw new IllegalStateException("injected failure: " + msg.reason());
  }

  private Behavior<Command> onPreRestart(PreRestart signal) {
    live = false;
    List<OrderTable.Hint<ActorRef<OrderEvent>>> out = new ArrayList<>(table.handover());
    // a failure during recovery must not lose what the incarnation before had handed over
    for (OrderTable.Hint<ActorRef<OrderEvent>> h : hints) {
      if (!table.contains(h.clientOrderId())) {
        out.add(h);
      }
    }
    ActorRef<Command> self = getContext().getSelf();
    self.tell(new Handover(List.copyOf(out), List.copyOf(alertListeners), budget.pausedUntil()));
    held.forEach(self::tell);
    getContext().getLog().warn("Order gateway restarting with {} orders to hand over", out.size());
    return this;
  }

  private Behavior<Command> onPostStop(PostStop signal) {
    live = false;
    return this;
  }

  private void beginRecovery() {
    recovering = true;
    recoveryStartedMillis = System.currentTimeMillis();
    timers.startSingleTimer("recovery-timeout", RecoveryTimeout.INSTANCE, settings.recovery().timeout());
    for (Integer symbolId : instruments.keySet()) {
      snapshotAttempts.put(symbolId, 0);
      requestSnapshot(symbolId);
    }
    if (snapshotAttempts.isEmpty()) {
      finishRecovery();
    }
  }

  private Behavior<Command> onSnapshotDue(SnapshotDue msg) {
    if (recovering && snapshotAttempts.containsKey(msg.symbolId())) {
      requestSnapshot(msg.symbolId());
    }
    return this;
  }

  private void requestSnapshot(int symbolId) {
    if (!clockUsable()) {
      retrySnapshot(symbolId, settings.clockRetry());
      return;
    }
    long now = clock.timestampMillis();
    long wait = budget.acquireForOrderEntry(now, Cost.QUERY);
    if (wait > 0) {
      metrics.budgetWait();
      retrySnapshot(symbolId, Duration.ofMillis(wait));
      return;
    }
    metrics.request("OPEN_ORDERS");
    getContext().pipeToSelf(transport.send(RestRequest.get("/fapi/v1/openOrders").signed()
            .param("symbol", instruments.get(symbolId).symbol()).build()),
        (result, error) -> new Snapshot(symbolId, error == null ? result
            : new RestResult.UnknownOutcome<>("transport failed: " + error.getClass().getSimpleName(), 0,
                RateLimitUsage.NONE), now));
  }

  private void retrySnapshot(int symbolId, Duration delay) {
    timers.startSingleTimer(List.of("snapshot", symbolId), new SnapshotDue(symbolId), delay);
  }

  private Behavior<Command> onSnapshot(Snapshot msg) {
    Integer attempts = snapshotAttempts.get(msg.symbolId());
    if (!recovering || attempts == null) {
      return this;
    }
    RestResult<JsonNode> r = msg.result();
    long now = clock.timestampMillis();
    budget.observe(now, msg.sentMillis(), r.usage());
    String symbol = instruments.get(msg.symbolId()).symbol();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      List<RestOrderResponse> open = decodeOpenOrders(ok.body());
      if (open == null) {
        metrics.badResponse();
        getContext().getLog().warn("Recovery: undecodable open orders for {}; its orders are not adopted", symbol);
      } else {
        for (RestOrderResponse o : open) {
          if (table.isOurs(o.clientOrderId())) {
            exchangeOpen.put(o.clientOrderId(), o);
          }
        }
      }
      snapshotAttempts.remove(msg.symbolId());
    } else if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      onRateLimited(limited, now);
      retrySnapshot(msg.symbolId(), limited.retryAfter());
    } else if (r instanceof RestResult.Rejected<JsonNode> rej && !rej.retryable()
        && rej.code() != BinanceErrors.INVALID_TIMESTAMP) {
      metrics.rejected(rej.code());
      getContext().getLog().warn("Recovery: open orders for {} refused ({} {}); its orders are not adopted", symbol,
          rej.code(), rej.msg());
      snapshotAttempts.remove(msg.symbolId());
    } else {
      if (r instanceof RestResult.Rejected<JsonNode> rej && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        requestResync();
      }
      snapshotAttempts.put(msg.symbolId(), attempts + 1);
      retrySnapshot(msg.symbolId(), backoff(attempts));
    }
    if (snapshotAttempts.isEmpty()) {
      finishRecovery();
    }
    return this;
  }

  private static List<RestOrderResponse> decodeOpenOrders(JsonNode body) {
    if (body == null || !body.isArray()) {
      return null;
    }
    List<RestOrderResponse> out = new ArrayList<>(body.size());
    try {
      for (JsonNode item : body) {
        out.add(BinanceRestClient.mapper().treeToValue(item, RestOrderResponse.class));
      }
    } catch (Exception e) {
      return null;
    }
    return out;
  }

  private Behavior<Command> onRecoveryTimeout() {
    if (recovering) {
      metrics.recoveryTimeout();
      List<String> unread = snapshotAttempts.keySet().stream().map(id -> instruments.get(id).symbol()).toList();
      getContext().getLog().warn("Recovery timed out after {}; open orders not read for {}: their orphans are left"
          + " to reconciliation", settings.recovery().timeout(), unread);
      snapshotAttempts.keySet().forEach(id -> timers.cancel(List.of("snapshot", id)));
      snapshotAttempts.clear();
      finishRecovery();
    }
    return this;
  }

  private Behavior<Command> onHandover(Handover h) {
    alertListeners.addAll(h.alertListeners());
    budget.pause(h.pausedUntil(), false);
    if (recovering) {
      hints.addAll(h.hints());
    } else {
      // recovery off (or done): settle the previous table without an open-orders read
      table.settle(h.hints(), exchangeOpen);
      requestDrain();
    }
    return this;
  }

  private void finishRecovery() {
    timers.cancel("recovery-timeout");
    int adopted = 0;
    Map<String, RestOrderResponse> open = new HashMap<>(exchangeOpen);
    List<OrderTable.Hint<ActorRef<OrderEvent>>> previous = List.copyOf(hints);
    hints.clear();
    for (OrderTable.Hint<ActorRef<OrderEvent>> h : previous) {
      open.remove(h.clientOrderId());
    }
    // open orders nobody handed over: ours (prefix) from an earlier run or incarnation
    for (RestOrderResponse o : open.values()) {
      if (table.adopt(o, null) != null) {
        adopted++;
        metrics.recovered("orphan");
      }
    }
    table.settle(previous, exchangeOpen);
    recovering = false;
    exchangeOpen.clear();
    getContext().getLog().info("Order gateway recovered in {} ms: {} orders handed over, {} open orders adopted"
            + " without a requester, {} intents and reports held", System.currentTimeMillis() - recoveryStartedMillis,
        previous.size(), adopted, held.size());
    while (!held.isEmpty() && !recovering) {
      Command c = held.pollFirst();
      if (c instanceof Submit s) {
        onSubmit(s);
      } else if (c instanceof GetWorkingOrders g) {
        onGetWorkingOrders(g);
      } else if (c instanceof Report r) {
        onReport(r);
      }
    }
    requestDrain();
  }

  private static int symbolOf(OrderIntent i) {
    return i.symbolId();
  }

  private static String clientOrderIdOf(OrderIntent i) {
    if (i instanceof OrderIntent.Place p) {
      return p.clientOrderId();
    } else if (i instanceof OrderIntent.Cancel c) {
      return c.clientOrderId();
    } else if (i instanceof OrderIntent.Amend a) {
      return a.clientOrderId();
    }
    return null;
  }

  private static RequestKind kindOf(OrderIntent i) {
    if (i instanceof OrderIntent.Cancel) {
      return RequestKind.CANCEL;
    } else if (i instanceof OrderIntent.Amend) {
      return RequestKind.AMEND;
    } else if (i instanceof OrderIntent.CancelAll) {
      return RequestKind.CANCEL_ALL;
    }
    return RequestKind.PLACE;
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
    while (inFlight < settings.maxInFlight() && (!cancelAlls.isEmpty() || table.hasQueued())) {
      if (!clockUsable()) {
        timers.startSingleTimer("drain", Drain.INSTANCE, settings.clockRetry());
        return this;
      }
      long now = clock.timestampMillis();
      if (!dispatchNext(now)) {
        break;
      }
    }
    return this;
  }

  private boolean clockUsable() {
    ServerClock.Reading r = clock.reading();
    if (r.valid() && r.uncertaintyMillis() <= settings.maxClockUncertainty().toMillis()) {
      return true;
    }
    long now = System.currentTimeMillis();
    if (now - lastResyncRequestMillis > 1_000) {
      lastResyncRequestMillis = now;
      timeSync.tell(new TimeSync.Resync());
    }
    return false;
  }

  /** Sends the highest-priority sendable request; false when nothing can go now. */
  private boolean dispatchNext(long now) {
    if (!cancelAlls.isEmpty()) {
      CancelAllOp op = cancelAlls.peekFirst();
      if (!fits(now, Cost.CANCEL)) {
        return false;
      }
      cancelAlls.removeFirst();
      Instrument inst = instruments.get(op.symbolId());
      send(Cost.CANCEL, new Dispatch(DispatchKind.CANCEL_ALL, op.symbolId(), List.of(), op.replyTo()),
          RestRequest.delete("/fapi/v1/allOpenOrders").signed().param("symbol", inst.symbol()).build());
      return true;
    }
    for (OrderTable.Lane lane : LANES) {
      List<String> group = switch (lane) {
        case CANCEL -> table.peekGroup(lane, 10, false);
        case AMEND -> table.peekGroup(lane, settings.maxBatch(), true);
        case PLACE -> table.peekGroup(lane, settings.maxBatch(), true, cancelAllsPending::containsKey);
        case QUERY -> table.peekGroup(lane, 1, true);
      };
      if (group == null) {
        continue;
      }
      Cost cost = switch (lane) {
        case CANCEL -> Cost.CANCEL;
        case QUERY -> Cost.QUERY;
        case AMEND, PLACE -> group.size() == 1 ? Cost.SINGLE_ORDER : Cost.BATCH_ORDERS;
      };
      if (!fits(now, cost)) {
        if (lane == OrderTable.Lane.PLACE) {
          markBudgetHeld(group);
        }
        return false;
      }
      table.take(lane, group);
      switch (lane) {
        case CANCEL -> sendCancels(group);
        case AMEND -> sendAmends(group);
        case PLACE -> sendPlaces(group);
        case QUERY -> sendQuery(group);
      }
      return true;
    }
    return false;
  }

  private static final OrderTable.Lane[] LANES = OrderTable.Lane.values();

  /** Charges the cost to the shared budget when it fits now; otherwise schedules a drain for when it will. */
  private boolean fits(long now, Cost cost) {
    long wait = budget.acquireForOrderEntry(now, cost);
    if (wait > 0) {
      metrics.budgetWait();
      timers.startSingleTimer("drain", Drain.INSTANCE, Duration.ofMillis(wait));
      return false;
    }
    return true;
  }

  private void sendQuery(List<String> group) {
    OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(group.get(0));
    send(Cost.QUERY, new Dispatch(DispatchKind.QUERY, t.symbolId, group, null),
        RestRequest.get("/fapi/v1/order").signed().param("symbol", t.instrument.symbol())
            .param("origClientOrderId", t.clientOrderId).build());
  }

  /** Hands the request to the transport; its cost is already charged. */
  private void send(Cost cost, Dispatch dispatch, RestRequest request) {
    inFlight++;
    metrics.request(dispatch.kind().name());
    var stage = transport.send(request);
    if (dispatch.kind() == DispatchKind.PLACE || dispatch.kind() == DispatchKind.BATCH_PLACE) {
      long written = System.nanoTime();
      List<String> ids = dispatch.clientOrderIds();
      for (int i = 0; i < ids.size(); i++) {
        OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(ids.get(i));
        if (t.timestampRetries == 0) {
          if (t.createdNanos != 0) {
            latency.recordValue(Math.max(0, written - t.createdNanos));
          }
          stampWritten(t, written);
        }
      }
    }
    long sentMillis = clock.timestampMillis();
    getContext().pipeToSelf(stage, (result, error) -> new Completed(dispatch, error == null ? result
        : new RestResult.UnknownOutcome<>("transport failed: " + error.getClass().getSimpleName(), 0,
            RateLimitUsage.NONE), sentMillis));
  }

  /** New orders the rate budget holds back now: their wait from here on is budget wait, not processing. */
  private void markBudgetHeld(List<String> group) {
    long now = System.nanoTime();
    for (int i = 0; i < group.size(); i++) {
      OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(group.get(i));
      if (t.budgetHeldNanos == 0) {
        t.budgetHeldNanos = now;
        metrics.budgetHeldOrder();
      }
    }
  }

  /**
   * The first write of a new order ends its risk-to-write and frame-to-write stages. An order the
   * budget held has those stages end where the hold began, and the hold is its own stage: a p99
   * that mixes a 500 ms wait for the budget with 200 us of processing says nothing about either.
   */
  private void stampWritten(OrderTable.Entry<ActorRef<OrderEvent>> t, long written) {
    t.writtenNanos = written;
    long processed = written;
    if (t.budgetHeldNanos != 0) {
      processed = t.budgetHeldNanos;
      stages.recordBetween(Stage.BUDGET_WAIT, t.budgetHeldNanos, written);
    }
    if (t.riskNanos != 0) {
      stages.recordBetween(Stage.RISK_TO_WRITE, t.riskNanos, processed);
    }
    if (t.frameNanos != 0) {
      stages.recordBetween(Stage.FRAME_TO_WRITE, t.frameNanos, processed);
    }
  }

  private void sendPlaces(List<String> ids) {
    OrderTable.Entry<ActorRef<OrderEvent>> first = table.entry(ids.get(0));
    if (ids.size() == 1) {
      send(Cost.SINGLE_ORDER, new Dispatch(DispatchKind.PLACE, first.symbolId, ids, null),
          OrderRequests.place(first.instrument, first.side, first.timeInForce, first.priceTicks,
              first.machine.origQtySteps(), first.clientOrderId, first.reduceOnly));
      return;
    }
    StringBuilder json = new StringBuilder(160 * ids.size()).append('[');
    for (String id : ids) {
      OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(id);
      if (json.length() > 1) {
        json.append(',');
      }
      OrderRequests.appendBatchEntry(json, t.instrument, t.side, t.timeInForce, t.priceTicks, t.machine.origQtySteps(),
          t.clientOrderId, t.reduceOnly);
    }
    json.append(']');
    send(Cost.BATCH_ORDERS, new Dispatch(DispatchKind.BATCH_PLACE, first.symbolId, ids, null),
        OrderRequests.batchPlace(json.toString()));
  }

  private void sendAmends(List<String> ids) {
    OrderTable.Entry<ActorRef<OrderEvent>> first = table.entry(ids.get(0));
    if (ids.size() == 1) {
      send(Cost.SINGLE_ORDER, new Dispatch(DispatchKind.AMEND, first.symbolId, ids, null),
          RestRequest.put("/fapi/v1/order").signed().weight(0).param("symbol", first.instrument.symbol())
              .param("origClientOrderId", first.clientOrderId).param("side", first.side.name())
              .param("quantity", first.instrument.quantity().format(first.amendQtySteps))
              .param("price", first.instrument.price().format(first.amendPriceTicks)).build());
      return;
    }
    StringBuilder json = new StringBuilder(128 * ids.size()).append('[');
    for (String id : ids) {
      OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(id);
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"symbol\":\"").append(t.instrument.symbol()).append("\",\"origClientOrderId\":\"")
          .append(t.clientOrderId).append("\",\"side\":\"").append(t.side.name())
          .append("\",\"quantity\":\"").append(t.instrument.quantity().format(t.amendQtySteps))
          .append("\",\"price\":\"").append(t.instrument.price().format(t.amendPriceTicks)).append("\"}");
    }
    json.append(']');
    send(Cost.BATCH_ORDERS, new Dispatch(DispatchKind.BATCH_AMEND, first.symbolId, ids, null),
        RestRequest.put("/fapi/v1/batchOrders").signed().weight(5).param("batchOrders", json.toString()).build());
  }

  private void sendCancels(List<String> ids) {
    OrderTable.Entry<ActorRef<OrderEvent>> first = table.entry(ids.get(0));
    if (ids.size() == 1) {
      send(Cost.CANCEL, new Dispatch(DispatchKind.CANCEL, first.symbolId, ids, null),
          OrderRequests.cancel(first.instrument, first.clientOrderId));
      return;
    }
    send(Cost.CANCEL, new Dispatch(DispatchKind.BATCH_CANCEL, first.symbolId, ids, null),
        OrderRequests.batchCancel(first.instrument, ids));
  }

  // ------------------------------------------------------------------ results

  private Behavior<Command> onCompleted(Completed c) {
    inFlight--;
    long answered = System.nanoTime();
    List<String> ids = c.dispatch().clientOrderIds();
    for (int i = 0; i < ids.size(); i++) {
      OrderTable.Entry<ActorRef<OrderEvent>> t = table.entry(ids.get(i));
      if (t != null && t.writtenNanos != 0) {
        // the first answer to the first write of a new order: the venue round trip plus our mailbox
        stages.recordBetween(Stage.WRITE_TO_ACK, t.writtenNanos, answered);
        t.writtenNanos = 0;
      }
    }
    table.answered(ids);
    RestResult<JsonNode> r = c.result();
    long now = clock.timestampMillis();
    budget.observe(now, c.sentMillis(), r.usage());
    if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      onRateLimited(limited, now);
    } else {
      consecutiveRateLimits = 0;
    }
    switch (c.dispatch().kind()) {
      case PLACE -> table.onPlaceResult(ids.get(0), decodeOrder(r));
      case BATCH_PLACE -> onBatch(c.dispatch(), r, table::onPlaceResult);
      case CANCEL -> table.onCancelResult(ids.get(0), decodeOrder(r));
      case BATCH_CANCEL -> onBatch(c.dispatch(), r, table::onCancelResult);
      case AMEND -> table.onAmendResult(ids.get(0), decodeOrder(r));
      case BATCH_AMEND -> onBatch(c.dispatch(), r, table::onAmendResult);
      case CANCEL_ALL -> onCancelAllResult(c.dispatch(), r);
      case QUERY -> table.onQueryResult(ids.get(0), decodeOrder(r));
    }
    requestDrain();
    return this;
  }

  private interface SlotHandler {
    void handle(String clientOrderId, RestResult<RestOrderResponse> result);
  }

  /** Splits a batch answer into per-order results in request order and hands each to the single-order handler. */
  private void onBatch(Dispatch d, RestResult<JsonNode> r, SlotHandler handler) {
    List<String> ids = d.clientOrderIds();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      List<RestBatchSlot> slots;
      try {
        slots = BinanceRestClient.decodeBatch(ok.body());
      } catch (RuntimeException e) {
        slots = null;
      }
      if (slots == null || slots.size() != ids.size()) {
        metrics.badResponse();
        RestResult<RestOrderResponse> unknown = new RestResult.UnknownOutcome<>(
            "batch response does not match the request", ok.httpStatus(), ok.usage());
        ids.forEach(id -> handler.handle(id, unknown));
        return;
      }
      for (int i = 0; i < ids.size(); i++) {
        RestBatchSlot slot = slots.get(i);
        RestResult<RestOrderResponse> single = slot.ok()
            ? new RestResult.Ok<>(slot.order(), ok.httpStatus(), ok.usage())
            : new RestResult.Rejected<>(slot.error().code(), slot.error().msg(), ok.httpStatus(), ok.usage());
        handler.handle(ids.get(i), single);
      }
      return;
    }
    RestResult<RestOrderResponse> failure = r.castFailure();
    ids.forEach(id -> handler.handle(id, failure));
  }

  private void onCancelAllResult(Dispatch d, RestResult<JsonNode> r) {
    cancelAllsPending.computeIfPresent(d.symbolId(), (symbol, n) -> n == 1 ? null : n - 1);
    if (r instanceof RestResult.Ok<JsonNode>) {
      table.cancelAllConfirmed(d.symbolId());
      d.replyTo().tell(new OrderEvent.AllCanceled(d.symbolId()));
    } else if (r instanceof RestResult.Rejected<JsonNode> rej && !rej.retryable()
        && rej.code() != BinanceErrors.INVALID_TIMESTAMP) {
      metrics.rejected(rej.code());
      d.replyTo().tell(new OrderEvent.OrderRejected(d.symbolId(), null, RequestKind.CANCEL_ALL, rej.code(), rej.msg()));
    } else {
      // idempotent: try again (after the pause, if rate limited)
      if (r instanceof RestResult.Rejected<JsonNode> rej && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        requestResync();
      }
      cancelAlls.addLast(new CancelAllOp(d.symbolId(), d.replyTo()));
      cancelAllsPending.merge(d.symbolId(), 1, Integer::sum);
    }
  }

  private Behavior<Command> onQueryDue(QueryDue msg) {
    table.onQueryDue(msg.clientOrderId());
    requestDrain();
    return this;
  }

  private Behavior<Command> onCancelDue(CancelDue msg) {
    table.onCancelDue(msg.clientOrderId());
    requestDrain();
    return this;
  }

  private Duration backoff(int attempt) {
    long min = settings.queryBackoffMin().toMillis();
    long delay = min << Math.min(attempt, 16);
    return Duration.ofMillis(Math.min(delay, settings.queryBackoffMax().toMillis()));
  }

  private void requestResync() {
    clock.invalidate();
    lastResyncRequestMillis = System.currentTimeMillis();
    timeSync.tell(new TimeSync.Resync());
  }

  private void onRateLimited(RestResult.RateLimited<JsonNode> limited, long now) {
    long until = now + limited.retryAfter().toMillis();
    budget.pause(until, false);
    consecutiveRateLimits++;
    if (limited.banned()) {
      metrics.banned();
      getContext().getLog().error("HTTP 418: IP banned by the exchange until {} (retry after {}); order sending halted",
          java.time.Instant.ofEpochMilli(until), limited.retryAfter());
      alertBan("HTTP 418 IP ban: " + limited.msg(), until);
    } else {
      metrics.rateLimited();
      getContext().getLog().warn("HTTP 429 ({} {}): pausing all requests for {}", limited.code(), limited.msg(),
          limited.retryAfter());
      if (consecutiveRateLimits == 3) {
        alert(new OrderEvent.GatewayHalted("repeated HTTP 429: " + limited.msg(), until, false));
      }
    }
    timers.startSingleTimer("drain", Drain.INSTANCE, limited.retryAfter());
  }

  /** A background request (reconciliation, snapshot, keepalive) ran into a 418: the IP is banned for us too. */
  private Behavior<Command> onBanObserved(BanObserved ban) {
    if (ban.untilMillis() > lastBanAlertedUntil) {
      metrics.banned();
      getContext().getLog().error("HTTP 418 on a background request: IP banned until {}; order sending halted",
          java.time.Instant.ofEpochMilli(ban.untilMillis()));
      alertBan("HTTP 418 IP ban (background request)", ban.untilMillis());
      timers.startSingleTimer("drain", Drain.INSTANCE,
          Duration.ofMillis(Math.max(1, ban.untilMillis() - clock.timestampMillis())));
    }
    return this;
  }

  private void alertBan(String reason, long until) {
    if (until > lastBanAlertedUntil) {
      lastBanAlertedUntil = until;
      alert(new OrderEvent.GatewayHalted(reason, until, true));
    }
  }

  private void alert(OrderEvent.GatewayHalted event) {
    alertListeners.forEach(l -> l.tell(event));
  }

  // ------------------------------------------------------------------ helpers

  /** The order object of an answer; an Ok whose body cannot be read keeps a null body. */
  private RestResult<RestOrderResponse> decodeOrder(RestResult<JsonNode> r) {
    if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
      return r.castFailure();
    }
    RestOrderResponse resp = null;
    try {
      resp = ok.body() == null ? null : BinanceRestClient.mapper().treeToValue(ok.body(), RestOrderResponse.class);
    } catch (Exception e) {
      metrics.badResponse();
    }
    return new RestResult.Ok<>(resp, ok.httpStatus(), ok.usage());
  }
}
