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
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestBatchSlot;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.execution.OrderEvent.RequestKind;
import io.phoenix.execution.OrderIntent.Side;
import io.phoenix.execution.RateBudget.Cost;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.Stage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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

  /** Throws, so that supervision restarts the gateway (drills and tests). */
  public record InjectFailure(String reason) implements Command {}

  /** What a failing incarnation knew about one order, for the next one to settle. */
  private record Hint(int symbolId, String clientOrderId, Side side, OrderIntent.TimeInForce timeInForce,
      boolean reduceOnly, ActorRef<OrderEvent> replyTo, boolean claimable, OrderState state, long orderId,
      long priceTicks, long origQtySteps, long cumQtySteps, boolean written, boolean placeUnknown,
      boolean cancelWanted, boolean amendWanted, long amendPriceTicks, long amendQtySteps) {}

  /** The failing incarnation's table and registrations, sent to itself on PreRestart. */
  private record Handover(List<Hint> hints, List<ActorRef<OrderEvent>> alertListeners, long pausedUntil)
      implements Command {}

  /** Answer to the recovery read of one symbol's open orders. */
  private record Snapshot(int symbolId, RestResult<JsonNode> result) implements Command {}

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

  private record Completed(Dispatch dispatch, RestResult<JsonNode> result) implements Command {}

  private record QueryDue(String clientOrderId) implements Command {}

  private record CancelDue(String clientOrderId) implements Command {}

  private record CancelAllOp(int symbolId, ActorRef<OrderEvent> replyTo) {}

  /** Everything the gateway knows about one order. */
  private static final class Tracked {
    final int symbolId;
    final Instrument instrument;
    final String clientOrderId;
    final Side side;
    final OrderIntent.TimeInForce timeInForce;
    final boolean reduceOnly;
    ActorRef<OrderEvent> replyTo;
    // adopted from the exchange with nobody to tell: the first Cancel/Amend naming it takes it over
    boolean claimable;
    OrderStateMachine machine;
    final long createdNanos;
    // hot-path stamps (System.nanoTime(), 0 = none): frame arrival, risk approval, request written
    long frameNanos;
    long riskNanos;
    long writtenNanos;
    long orderId;
    long priceTicks;
    long amendPriceTicks;
    long amendQtySteps;
    OrderState beforeCancel;
    boolean placeQueued;
    boolean cancelQueued;
    boolean amendQueued;
    boolean queryQueued;
    boolean inFlight;
    boolean cancelAfterAck;
    boolean placeUnknown;
    boolean resolving;
    long unknownSinceMillis;
    int queryAttempts;
    int cancelAttempts;
    int timestampRetries;
    long lastChangeMillis;

    Tracked(Instrument instrument, String clientOrderId, Side side, OrderIntent.TimeInForce tif, boolean reduceOnly,
        ActorRef<OrderEvent> replyTo, OrderStateMachine machine, long priceTicks, long createdNanos) {
      this.symbolId = instrument.id();
      this.instrument = instrument;
      this.clientOrderId = clientOrderId;
      this.side = side;
      this.timeInForce = tif;
      this.reduceOnly = reduceOnly;
      this.replyTo = replyTo;
      this.machine = machine;
      this.priceTicks = priceTicks;
      this.createdNanos = createdNanos;
    }
  }

  private final ExchangeTransport transport;
  private final GatewaySettings settings;
  private final ServerClock clock;
  private final ActorRef<TimeSync.Command> timeSync;
  private final TimerScheduler<Command> timers;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final Map<String, Tracked> orders = new HashMap<>();
  private final ArrayDeque<CancelAllOp> cancelAlls = new ArrayDeque<>();
  private final ArrayDeque<String> cancels = new ArrayDeque<>();
  private final ArrayDeque<String> amends = new ArrayDeque<>();
  private final ArrayDeque<String> places = new ArrayDeque<>();
  private final ArrayDeque<String> queries = new ArrayDeque<>();
  private final Set<ActorRef<OrderEvent>> alertListeners = new LinkedHashSet<>();
  private final Histogram latency = new Histogram(3);
  private final GatewayMetrics metrics;
  private LatencyRecorder stages = LatencyRecorder.NONE;
  private RateBudget budget;
  private int inFlight;
  private boolean drainRequested;
  private long lastResyncRequestMillis;
  private int consecutiveRateLimits;
  // false once this incarnation failed or stopped: answers to its requests are then dropped
  private volatile boolean live = true;
  private boolean recovering;
  private long recoveryStartedMillis;
  private final Map<Integer, Integer> snapshotAttempts = new HashMap<>();
  private final Map<String, RestOrderResponse> exchangeOpen = new HashMap<>();
  private final List<Hint> hints = new ArrayList<>();
  private final ArrayDeque<Command> held = new ArrayDeque<>();

  private OrderGateway(ActorContext<Command> context, TimerScheduler<Command> timers, ExchangeTransport transport,
      List<Instrument> instrumentList, GatewaySettings settings, ServerClock clock,
      ActorRef<TimeSync.Command> timeSync, MeterRegistry registry) {
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
    this.budget = new RateBudget(List.of(
        new RateBudget.Limit(RateBudget.Scope.REQUEST_WEIGHT, 60_000, settings.weightPerMinute()),
        new RateBudget.Limit(RateBudget.Scope.ORDERS, 10_000, settings.ordersPer10s()),
        new RateBudget.Limit(RateBudget.Scope.ORDERS, 60_000, settings.ordersPerMinute())), settings.safetyMargin());
    if (settings.recovery().enabled()) {
      beginRecovery();
    }
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
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      OrderGateway gateway = new OrderGateway(ctx, timers, transport, instruments, settings, clock, timeSync, registry);
      gateway.stages = stages;
      return gateway;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmitOrHold)
        .onMessage(SubmitAll.class, this::onSubmitAll)
        .onMessage(RegisterAlertListener.class, this::onRegisterAlertListener)
        .onMessage(UpdateRateLimits.class, this::onUpdateRateLimits)
        .onMessage(GetLatency.class, this::onGetLatency)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrdersOrHold)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Completed.class, this::onCompletedUnlessStale)
        .onMessage(QueryDue.class, this::onQueryDue)
        .onMessage(CancelDue.class, this::onCancelDue)
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
      intakePlace(p, submit.replyTo(), submit.riskNanos());
    } else if (intent instanceof OrderIntent.Cancel c) {
      intakeCancel(c, submit.replyTo());
    } else if (intent instanceof OrderIntent.Amend a) {
      intakeAmend(a, submit.replyTo());
    } else if (intent instanceof OrderIntent.CancelAll ca) {
      intakeCancelAll(ca, submit.replyTo());
    }
  }

  private void intakePlace(OrderIntent.Place p, ActorRef<OrderEvent> replyTo, long riskNanos) {
    Instrument instrument = instruments.get(p.symbolId());
    String problem = instrument == null ? "unknown symbol id " + p.symbolId()
        : p.clientOrderId() == null || !ClientOrderIds.BINANCE_PATTERN.matcher(p.clientOrderId()).matches()
            ? "invalid client order id"
            : orders.containsKey(p.clientOrderId()) ? "duplicate client order id"
            : p.priceTicks() <= 0 || p.qtySteps() <= 0 ? "price and quantity must be positive" : null;
    if (problem != null) {
      metrics.localReject();
      getContext().getLog().warn("Refusing order {}: {}", p.clientOrderId(), problem);
      replyTo.tell(new OrderEvent.OrderRejected(p.symbolId(), p.clientOrderId(), RequestKind.PLACE, 0, problem));
      return;
    }
    Tracked t = new Tracked(instrument, p.clientOrderId(), p.side(), p.timeInForce(), p.reduceOnly(), replyTo,
        OrderStateMachine.pendingNew(p.clientOrderId(), p.qtySteps()), p.priceTicks(), p.createdNanos());
    t.lastChangeMillis = System.currentTimeMillis();
    t.frameNanos = p.frameNanos();
    t.riskNanos = riskNanos;
    orders.put(t.clientOrderId, t);
    t.placeQueued = true;
    places.addLast(t.clientOrderId);
  }

  private void intakeCancel(OrderIntent.Cancel c, ActorRef<OrderEvent> replyTo) {
    Tracked t = orders.get(c.clientOrderId());
    if (t == null) {
      Instrument instrument = instruments.get(c.symbolId());
      if (instrument == null) {
        replyTo.tell(new OrderEvent.OrderRejected(c.symbolId(), c.clientOrderId(), RequestKind.CANCEL, 0,
            "unknown symbol id " + c.symbolId()));
        return;
      }
      // not ours in memory (earlier run, reconciliation): cancel by id, the exchange decides
      t = new Tracked(instrument, c.clientOrderId(), null, null, false, replyTo,
          new OrderStateMachine(c.clientOrderId(), OrderState.NEW, Long.MAX_VALUE), 0, 0);
      orders.put(t.clientOrderId, t);
    }
    claim(t, replyTo);
    t.lastChangeMillis = System.currentTimeMillis();
    if (t.placeQueued) {
      // never sent: nothing to cancel on the exchange
      places.remove(t.clientOrderId);
      t.placeQueued = false;
      t.machine.transition(OrderState.CANCELED);
      forget(t);
      t.replyTo.tell(new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, 0));
      return;
    }
    if (t.machine.state() == OrderState.PENDING_NEW) {
      t.cancelAfterAck = true;
      return;
    }
    enqueueCancel(t);
  }

  private void enqueueCancel(Tracked t) {
    if (t.cancelQueued || t.machine.state().isTerminal()) {
      return;
    }
    if (t.amendQueued) {
      amends.remove(t.clientOrderId);
      t.amendQueued = false;
    }
    if (t.machine.state() != OrderState.UNKNOWN && t.machine.state() != OrderState.PENDING_CANCEL) {
      t.beforeCancel = t.machine.state();
      transition(t, OrderState.PENDING_CANCEL);
    }
    t.cancelQueued = true;
    cancels.addLast(t.clientOrderId);
  }

  private void intakeAmend(OrderIntent.Amend a, ActorRef<OrderEvent> replyTo) {
    Tracked t = orders.get(a.clientOrderId());
    if (t == null || t.side == null) {
      replyTo.tell(new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "order not known to the gateway"));
      return;
    }
    claim(t, replyTo);
    if (a.newPriceTicks() <= 0 || a.newQtySteps() <= 0) {
      replyTo.tell(new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "price and quantity must be positive"));
      return;
    }
    t.lastChangeMillis = System.currentTimeMillis();
    if (t.placeQueued) {
      // not sent yet: change the queued order instead of amending it later
      t.priceTicks = a.newPriceTicks();
      t.machine.amended(a.newQtySteps());
      replyTo.tell(new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, t.priceTicks, a.newQtySteps(), 0));
      return;
    }
    OrderState s = t.machine.state();
    if (s != OrderState.NEW && s != OrderState.PARTIALLY_FILLED) {
      replyTo.tell(new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "order is " + s + ", not amendable"));
      return;
    }
    t.amendPriceTicks = a.newPriceTicks();
    t.amendQtySteps = a.newQtySteps();
    if (!t.amendQueued) {
      t.amendQueued = true;
      amends.addLast(t.clientOrderId);
    }
  }

  private void intakeCancelAll(OrderIntent.CancelAll ca, ActorRef<OrderEvent> replyTo) {
    if (!instruments.containsKey(ca.symbolId())) {
      replyTo.tell(new OrderEvent.OrderRejected(ca.symbolId(), null, RequestKind.CANCEL_ALL, 0,
          "unknown symbol id " + ca.symbolId()));
      return;
    }
    // queued new orders of the symbol are dropped: sending them after the cancel-all would defeat it
    for (Iterator<String> it = places.iterator(); it.hasNext(); ) {
      Tracked t = orders.get(it.next());
      if (t.symbolId == ca.symbolId()) {
        it.remove();
        t.placeQueued = false;
        t.machine.transition(OrderState.CANCELED);
        forget(t);
        t.replyTo.tell(new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, 0));
      }
    }
    cancelAlls.addLast(new CancelAllOp(ca.symbolId(), replyTo));
  }

  private Behavior<Command> onRegisterAlertListener(RegisterAlertListener msg) {
    alertListeners.add(msg.listener());
    return this;
  }

  private Behavior<Command> onUpdateRateLimits(UpdateRateLimits msg) {
    long pause = budget.pausedUntil();
    budget = new RateBudget(msg.limits(), settings.safetyMargin());
    budget.pauseUntil(pause);
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
    List<WorkingOrder> out = new ArrayList<>(orders.size());
    for (Tracked t : orders.values()) {
      if (t.machine.state().isLive() && t.side != null) {
        out.add(new WorkingOrder(t.symbolId, t.clientOrderId, t.orderId, t.side, t.priceTicks,
            t.machine.origQtySteps(), t.machine.cumQtySteps(), t.machine.state(), t.lastChangeMillis));
      }
    }
    msg.replyTo().tell(new WorkingOrders(List.copyOf(out)));
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
    List<Hint> out = new ArrayList<>(orders.size() + hints.size());
    for (Tracked t : orders.values()) {
      if (!t.machine.state().isTerminal()) {
        out.add(hintOf(t));
      }
    }
    // a failure during recovery must not lose what the incarnation before had handed over
    for (Hint h : hints) {
      if (!orders.containsKey(h.clientOrderId())) {
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

  private static Hint hintOf(Tracked t) {
    OrderState s = t.machine.state();
    boolean amendWanted = t.amendQueued || (t.inFlight && t.amendPriceTicks != 0
        && (t.amendPriceTicks != t.priceTicks || t.amendQtySteps != t.machine.origQtySteps()));
    return new Hint(t.symbolId, t.clientOrderId, t.side, t.timeInForce, t.reduceOnly, t.replyTo, t.claimable, s,
        t.orderId, t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps(), !t.placeQueued,
        t.placeUnknown || s == OrderState.PENDING_NEW, t.cancelQueued || t.cancelAfterAck
            || s == OrderState.PENDING_CANCEL, amendWanted, t.amendPriceTicks, t.amendQtySteps);
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
    long wait = budget.waitMillis(now, Cost.QUERY);
    if (wait > 0) {
      metrics.budgetWait();
      retrySnapshot(symbolId, Duration.ofMillis(wait));
      return;
    }
    budget.record(now, Cost.QUERY);
    metrics.request("OPEN_ORDERS");
    getContext().pipeToSelf(transport.send(RestRequest.get("/fapi/v1/openOrders").signed()
            .param("symbol", instruments.get(symbolId).symbol()).build()),
        (result, error) -> new Snapshot(symbolId, error == null ? result
            : new RestResult.UnknownOutcome<>("transport failed: " + error.getClass().getSimpleName(), 0,
                RateLimitUsage.NONE)));
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
    RateLimitUsage u = r.usage();
    if (u != null && u != RateLimitUsage.NONE) {
      budget.observe(now, u.usedWeight1m(), u.orderCount10s(), u.orderCount1m());
    }
    String symbol = instruments.get(msg.symbolId()).symbol();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      List<RestOrderResponse> open = decodeOpenOrders(ok.body());
      if (open == null) {
        metrics.badResponse();
        getContext().getLog().warn("Recovery: undecodable open orders for {}; its orders are not adopted", symbol);
      } else {
        for (RestOrderResponse o : open) {
          if (o.clientOrderId() != null && o.clientOrderId().startsWith(settings.clientOrderIdPrefix() + "-")) {
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
    budget.pauseUntil(h.pausedUntil());
    if (recovering) {
      hints.addAll(h.hints());
    } else {
      // recovery off (or done): settle the previous table without an open-orders read
      settle(h.hints());
      requestDrain();
    }
    return this;
  }

  private void finishRecovery() {
    timers.cancel("recovery-timeout");
    int adopted = 0;
    Map<String, RestOrderResponse> open = new HashMap<>(exchangeOpen);
    List<Hint> previous = List.copyOf(hints);
    hints.clear();
    for (Hint h : previous) {
      open.remove(h.clientOrderId());
    }
    // open orders nobody handed over: ours (prefix) from an earlier run or incarnation
    for (RestOrderResponse o : open.values()) {
      Tracked t = adopt(o, null);
      if (t != null) {
        adopted++;
        metrics.recovered("orphan");
      }
    }
    settle(previous);
    recovering = false;
    exchangeOpen.clear();
    getContext().getLog().info("Order gateway recovered in {} ms: {} orders handed over, {} open orders adopted"
            + " without a requester, {} intents held", System.currentTimeMillis() - recoveryStartedMillis,
        previous.size(), adopted, held.size());
    while (!held.isEmpty() && !recovering) {
      Command c = held.pollFirst();
      if (c instanceof Submit s) {
        onSubmit(s);
      } else if (c instanceof GetWorkingOrders g) {
        onGetWorkingOrders(g);
      }
    }
    requestDrain();
  }

  /** Settles the previous incarnation's orders against the open orders read (exchangeOpen). */
  private void settle(List<Hint> previous) {
    for (Hint h : previous) {
      if (orders.containsKey(h.clientOrderId()) || h.state().isTerminal()) {
        continue;
      }
      RestOrderResponse onExchange = exchangeOpen.get(h.clientOrderId());
      if (onExchange != null && adopt(onExchange, h) != null) {
        metrics.recovered("adopted");
      } else if (!h.written()) {
        metrics.recovered("not_sent");
        metrics.localReject();
        h.replyTo().tell(new OrderEvent.OrderRejected(h.symbolId(), h.clientOrderId(), RequestKind.PLACE, 0,
            "gateway restarted before the order was sent"));
      } else {
        metrics.recovered("queried");
        resolveByQuery(h);
      }
    }
  }

  /** Takes an open order into the table; {@code hint} null = no requester known. Null when unusable. */
  private Tracked adopt(RestOrderResponse o, Hint hint) {
    Instrument instrument = null;
    for (Instrument i : instruments.values()) {
      if (i.symbol().equals(o.symbol())) {
        instrument = i;
      }
    }
    OrderState state = OrderState.fromExchange(o.status());
    Side side = "BUY".equals(o.side()) ? Side.BUY : "SELL".equals(o.side()) ? Side.SELL : null;
    long price = instrument == null || o.price() == null ? Scale.INVALID : instrument.price().parse(o.price());
    long orig = instrument == null || o.origQty() == null ? Scale.INVALID : instrument.quantity().parse(o.origQty());
    long cum = instrument == null || o.executedQty() == null ? 0 : instrument.quantity().parse(o.executedQty());
    if (instrument == null || state == null || !state.isLive() || side == null || price == Scale.INVALID
        || orig == Scale.INVALID || cum == Scale.INVALID) {
      metrics.badResponse();
      getContext().getLog().warn("Recovery: cannot adopt open order {} ({} {} {} {} {}); left to reconciliation",
          o.clientOrderId(), o.symbol(), o.status(), o.side(), o.price(), o.origQty());
      return null;
    }
    OrderStateMachine machine = new OrderStateMachine(o.clientOrderId(), state, orig);
    machine.cumulative(cum);
    Tracked t = new Tracked(instrument, o.clientOrderId(), side, hint == null ? timeInForceOf(o) : hint.timeInForce(),
        hint == null ? o.reduceOnly() : hint.reduceOnly(),
        hint == null ? getContext().getSystem().ignoreRef() : hint.replyTo(), machine, price, 0);
    t.claimable = hint == null || hint.claimable();
    t.orderId = o.orderId();
    t.lastChangeMillis = System.currentTimeMillis();
    orders.put(t.clientOrderId, t);
    if (hint == null) {
      return t;
    }
    if (hint.state() == OrderState.PENDING_NEW) {
      // the place was in flight: the requester hears the usual unknown-then-resolved pair
      t.replyTo.tell(new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.PLACE,
          "gateway restarted with the request in flight"));
    }
    if (hint.amendWanted()) {
      if (price == hint.amendPriceTicks() && orig == hint.amendQtySteps()) {
        t.replyTo.tell(new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, price, orig, cum));
      } else {
        t.replyTo.tell(new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.AMEND, 0,
            "gateway restarted before the amend was confirmed"));
      }
    }
    t.replyTo.tell(new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, state, t.orderId, price, orig, cum));
    if (hint.cancelWanted()) {
      enqueueCancel(t);
    }
    return t;
  }

  /** An order of the previous incarnation the exchange does not list as open: ask what it became. */
  private void resolveByQuery(Hint h) {
    Instrument instrument = instruments.get(h.symbolId());
    if (instrument == null) {
      return;
    }
    boolean place = h.state() == OrderState.PENDING_NEW || h.state() == OrderState.UNKNOWN;
    OrderState state = place ? OrderState.UNKNOWN : h.state();
    OrderStateMachine machine = new OrderStateMachine(h.clientOrderId(), state,
        h.origQtySteps() > 0 ? h.origQtySteps() : Long.MAX_VALUE);
    machine.cumulative(h.cumQtySteps());
    Tracked t = new Tracked(instrument, h.clientOrderId(), h.side(), h.timeInForce(), h.reduceOnly(), h.replyTo(),
        machine, h.priceTicks(), 0);
    t.claimable = h.claimable();
    t.orderId = h.orderId();
    t.placeUnknown = h.placeUnknown();
    t.cancelAfterAck = h.cancelWanted() && state != OrderState.PENDING_CANCEL;
    t.resolving = true;
    t.unknownSinceMillis = System.currentTimeMillis();
    t.lastChangeMillis = t.unknownSinceMillis;
    orders.put(t.clientOrderId, t);
    if (h.state() == OrderState.PENDING_NEW) {
      metrics.unknown();
      t.replyTo.tell(new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.PLACE,
          "gateway restarted with the request in flight"));
    }
    enqueueQuery(t);
  }

  private static OrderIntent.TimeInForce timeInForceOf(RestOrderResponse o) {
    for (OrderIntent.TimeInForce tif : OrderIntent.TimeInForce.values()) {
      if (tif.name().equals(o.timeInForce())) {
        return tif;
      }
    }
    return null;
  }

  /** An order adopted without a requester reports to whoever first acts on it. */
  private static void claim(Tracked t, ActorRef<OrderEvent> replyTo) {
    if (t.claimable) {
      t.claimable = false;
      t.replyTo = replyTo;
    }
  }

  private static int symbolOf(OrderIntent i) {
    if (i instanceof OrderIntent.Place p) {
      return p.symbolId();
    } else if (i instanceof OrderIntent.Cancel c) {
      return c.symbolId();
    } else if (i instanceof OrderIntent.Amend a) {
      return a.symbolId();
    } else if (i instanceof OrderIntent.CancelAll ca) {
      return ca.symbolId();
    }
    return -1;
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
    while (inFlight < settings.maxInFlight() && hasQueued()) {
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

  private boolean hasQueued() {
    return !cancelAlls.isEmpty() || !cancels.isEmpty() || !amends.isEmpty() || !places.isEmpty() || !queries.isEmpty();
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
      send(now, Cost.CANCEL, new Dispatch(DispatchKind.CANCEL_ALL, op.symbolId(), List.of(), op.replyTo()),
          RestRequest.delete("/fapi/v1/allOpenOrders").signed().param("symbol", inst.symbol()).build());
      return true;
    }
    for (Lane lane : LANES) {
      List<String> group = switch (lane) {
        case CANCEL -> takeGroup(cancels, 10, false, Cost.CANCEL, now);
        case AMEND -> takeGroup(amends, settings.maxBatch(), true, null, now);
        case PLACE -> takeGroup(places, settings.maxBatch(), true, null, now);
        case QUERY -> takeGroup(queries, 1, true, Cost.QUERY, now);
      };
      if (group == null) {
        continue;
      }
      if (group.isEmpty()) {
        return false;
      }
      for (String id : group) {
        unqueue(lane, orders.get(id));
      }
      switch (lane) {
        case CANCEL -> sendCancels(now, group);
        case AMEND -> sendAmends(now, group);
        case PLACE -> sendPlaces(now, group);
        case QUERY -> sendQuery(now, group);
      }
      return true;
    }
    return false;
  }

  /** The order is settled: it leaves the book of orders and every queue it still waits in. */
  private void forget(Tracked t) {
    orders.remove(t.clientOrderId);
    unqueueEverywhere(t);
  }

  /** A settled order's waiting cancel, amend, place or status query has nothing left to do. */
  private void unqueueEverywhere(Tracked t) {
    if (t.cancelQueued) {
      cancels.remove(t.clientOrderId);
      t.cancelQueued = false;
    }
    if (t.amendQueued) {
      amends.remove(t.clientOrderId);
      t.amendQueued = false;
    }
    if (t.placeQueued) {
      places.remove(t.clientOrderId);
      t.placeQueued = false;
    }
    if (t.queryQueued) {
      queries.remove(t.clientOrderId);
      t.queryQueued = false;
    }
  }

  /** Per-order queues in dispatch priority: cancels free risk first, queries last. */
  private enum Lane { CANCEL, AMEND, PLACE, QUERY }

  private static final Lane[] LANES = Lane.values();

  private static void unqueue(Lane lane, Tracked t) {
    switch (lane) {
      case CANCEL -> t.cancelQueued = false;
      case AMEND -> t.amendQueued = false;
      case PLACE -> t.placeQueued = false;
      case QUERY -> t.queryQueued = false;
    }
  }

  private void sendQuery(long now, List<String> group) {
    Tracked t = orders.get(group.get(0));
    send(now, Cost.QUERY, new Dispatch(DispatchKind.QUERY, t.symbolId, group, null),
        RestRequest.get("/fapi/v1/order").signed().param("symbol", t.instrument.symbol())
            .param("origClientOrderId", t.clientOrderId).build());
  }

  /**
   * Takes up to {@code max} queued ids of the head's symbol (skipping orders with a request in
   * flight when {@code skipBusy}). Returns null when the queue has nothing sendable, an empty list
   * when the budget says wait (a drain is then scheduled), else the ids (removed from the queue).
   */
  private List<String> takeGroup(ArrayDeque<String> queue, int max, boolean skipBusy, Cost fixedCost, long now) {
    String head = null;
    for (String id : queue) {
      Tracked t = orders.get(id);
      if (!(skipBusy && t.inFlight)) {
        head = id;
        break;
      }
    }
    if (head == null) {
      return null;
    }
    int symbol = orders.get(head).symbolId;
    List<String> group = new ArrayList<>(max);
    for (String id : queue) {
      Tracked t = orders.get(id);
      if (t.symbolId == symbol && !(skipBusy && t.inFlight)) {
        group.add(id);
        if (group.size() == max) {
          break;
        }
      }
    }
    Cost cost = fixedCost != null ? fixedCost : group.size() == 1 ? Cost.SINGLE_ORDER : Cost.BATCH_ORDERS;
    if (!fits(now, cost)) {
      return List.of();
    }
    queue.removeAll(group);
    return group;
  }

  private boolean fits(long now, Cost cost) {
    long wait = budget.waitMillis(now, cost);
    if (wait > 0) {
      metrics.budgetWait();
      timers.startSingleTimer("drain", Drain.INSTANCE, Duration.ofMillis(wait));
      return false;
    }
    return true;
  }

  private void send(long now, Cost cost, Dispatch dispatch, RestRequest request) {
    budget.record(now, cost);
    inFlight++;
    for (String id : dispatch.clientOrderIds()) {
      orders.get(id).inFlight = true;
    }
    metrics.request(dispatch.kind().name());
    var stage = transport.send(request);
    if (dispatch.kind() == DispatchKind.PLACE || dispatch.kind() == DispatchKind.BATCH_PLACE) {
      long written = System.nanoTime();
      List<String> ids = dispatch.clientOrderIds();
      for (int i = 0; i < ids.size(); i++) {
        Tracked t = orders.get(ids.get(i));
        if (t.timestampRetries == 0) {
          if (t.createdNanos != 0) {
            latency.recordValue(Math.max(0, written - t.createdNanos));
          }
          stampWritten(t, written);
        }
      }
    }
    getContext().pipeToSelf(stage, (result, error) -> new Completed(dispatch, error == null ? result
        : new RestResult.UnknownOutcome<>("transport failed: " + error.getClass().getSimpleName(), 0,
            RateLimitUsage.NONE)));
  }

  /** The first write of a new order ends its risk-to-write and frame-to-write stages. */
  private void stampWritten(Tracked t, long written) {
    t.writtenNanos = written;
    if (t.riskNanos != 0) {
      stages.recordBetween(Stage.RISK_TO_WRITE, t.riskNanos, written);
    }
    if (t.frameNanos != 0) {
      stages.recordBetween(Stage.FRAME_TO_WRITE, t.frameNanos, written);
    }
  }

  private void sendPlaces(long now, List<String> ids) {
    Tracked first = orders.get(ids.get(0));
    if (ids.size() == 1) {
      send(now, Cost.SINGLE_ORDER, new Dispatch(DispatchKind.PLACE, first.symbolId, ids, null),
          OrderRequests.place(first.instrument, first.side, first.timeInForce, first.priceTicks, first.machine.origQtySteps(),
              first.clientOrderId, first.reduceOnly));
      return;
    }
    StringBuilder json = new StringBuilder(160 * ids.size()).append('[');
    for (String id : ids) {
      Tracked t = orders.get(id);
      if (json.length() > 1) {
        json.append(',');
      }
      OrderRequests.appendBatchEntry(json, t.instrument, t.side, t.timeInForce, t.priceTicks, t.machine.origQtySteps(), t.clientOrderId,
          t.reduceOnly);
    }
    json.append(']');
    send(now, Cost.BATCH_ORDERS, new Dispatch(DispatchKind.BATCH_PLACE, first.symbolId, ids, null),
        OrderRequests.batchPlace(json.toString()));
  }

  private void sendAmends(long now, List<String> ids) {
    Tracked first = orders.get(ids.get(0));
    if (ids.size() == 1) {
      send(now, Cost.SINGLE_ORDER, new Dispatch(DispatchKind.AMEND, first.symbolId, ids, null),
          RestRequest.put("/fapi/v1/order").signed().weight(0).param("symbol", first.instrument.symbol())
              .param("origClientOrderId", first.clientOrderId).param("side", first.side.name())
              .param("quantity", first.instrument.quantity().format(first.amendQtySteps))
              .param("price", first.instrument.price().format(first.amendPriceTicks)).build());
      return;
    }
    StringBuilder json = new StringBuilder(128 * ids.size()).append('[');
    for (String id : ids) {
      Tracked t = orders.get(id);
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"symbol\":\"").append(t.instrument.symbol()).append("\",\"origClientOrderId\":\"")
          .append(t.clientOrderId).append("\",\"side\":\"").append(t.side.name())
          .append("\",\"quantity\":\"").append(t.instrument.quantity().format(t.amendQtySteps))
          .append("\",\"price\":\"").append(t.instrument.price().format(t.amendPriceTicks)).append("\"}");
    }
    json.append(']');
    send(now, Cost.BATCH_ORDERS, new Dispatch(DispatchKind.BATCH_AMEND, first.symbolId, ids, null),
        RestRequest.put("/fapi/v1/batchOrders").signed().weight(5).param("batchOrders", json.toString()).build());
  }

  private void sendCancels(long now, List<String> ids) {
    Tracked first = orders.get(ids.get(0));
    if (ids.size() == 1) {
      send(now, Cost.CANCEL, new Dispatch(DispatchKind.CANCEL, first.symbolId, ids, null),
          OrderRequests.cancel(first.instrument, first.clientOrderId));
      return;
    }
    send(now, Cost.CANCEL, new Dispatch(DispatchKind.BATCH_CANCEL, first.symbolId, ids, null),
        OrderRequests.batchCancel(first.instrument, ids));
  }

  // ------------------------------------------------------------------ results

  private Behavior<Command> onCompleted(Completed c) {
    inFlight--;
    long answered = System.nanoTime();
    for (String id : c.dispatch().clientOrderIds()) {
      Tracked t = orders.get(id);
      if (t != null) {
        t.inFlight = false;
        if (t.writtenNanos != 0) {
          // the first answer to the first write of a new order: the venue round trip plus our mailbox
          stages.recordBetween(Stage.WRITE_TO_ACK, t.writtenNanos, answered);
          t.writtenNanos = 0;
        }
      }
    }
    RestResult<JsonNode> r = c.result();
    long now = clock.timestampMillis();
    RateLimitUsage u = r.usage();
    if (u != null && u != RateLimitUsage.NONE) {
      budget.observe(now, u.usedWeight1m(), u.orderCount10s(), u.orderCount1m());
    }
    if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      onRateLimited(limited, now);
    } else {
      consecutiveRateLimits = 0;
    }
    switch (c.dispatch().kind()) {
      case PLACE -> onPlaceResult(orders.get(c.dispatch().clientOrderIds().get(0)), r);
      case BATCH_PLACE -> onBatch(c.dispatch(), r, this::onPlaceResult);
      case CANCEL -> onCancelResult(orders.get(c.dispatch().clientOrderIds().get(0)), r);
      case BATCH_CANCEL -> onBatch(c.dispatch(), r, this::onCancelResult);
      case AMEND -> onAmendResult(orders.get(c.dispatch().clientOrderIds().get(0)), r);
      case BATCH_AMEND -> onBatch(c.dispatch(), r, this::onAmendResult);
      case CANCEL_ALL -> onCancelAllResult(c.dispatch(), r);
      case QUERY -> onQueryResult(orders.get(c.dispatch().clientOrderIds().get(0)), r);
    }
    requestDrain();
    return this;
  }

  private interface SlotHandler {
    void handle(Tracked t, RestResult<JsonNode> result);
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
        RestResult<JsonNode> unknown = new RestResult.UnknownOutcome<>("batch response does not match the request",
            ok.httpStatus(), ok.usage());
        ids.forEach(id -> handleIfTracked(handler, id, unknown));
        return;
      }
      for (int i = 0; i < ids.size(); i++) {
        RestBatchSlot slot = slots.get(i);
        RestResult<JsonNode> single = slot.ok()
            ? new RestResult.Ok<>(BinanceRestClient.mapper().valueToTree(slot.order()), ok.httpStatus(), ok.usage())
            : new RestResult.Rejected<>(slot.error().code(), slot.error().msg(), ok.httpStatus(), ok.usage());
        handleIfTracked(handler, ids.get(i), single);
      }
      return;
    }
    ids.forEach(id -> handleIfTracked(handler, id, r));
  }

  private void handleIfTracked(SlotHandler handler, String id, RestResult<JsonNode> r) {
    Tracked t = orders.get(id);
    if (t != null) {
      handler.handle(t, r);
    }
  }

  private void onPlaceResult(Tracked t, RestResult<JsonNode> r) {
    if (t == null) {
      return;
    }
    t.lastChangeMillis = System.currentTimeMillis();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      RestOrderResponse resp = decodeOrder(ok.body());
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        markUnknown(t, RequestKind.PLACE, "undecodable order response");
        return;
      }
      t.orderId = resp.orderId();
      applyReport(t, state, resp);
      t.replyTo.tell(new OrderEvent.OrderAccepted(t.symbolId, t.clientOrderId, t.orderId, t.machine.state(),
          t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps()));
      afterAck(t);
    } else if (r instanceof RestResult.Rejected<JsonNode> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        t.placeQueued = true;
        places.addFirst(t.clientOrderId);
      } else if (rej.code() == BinanceErrors.DUPLICATED_CLIENT_ORDER_ID) {
        // an order with this id is open: possibly this very order from an earlier unknown attempt
        markUnknown(t, RequestKind.PLACE, rej.code() + " " + rej.msg());
      } else {
        metrics.rejected(rej.code());
        transition(t, OrderState.REJECTED);
        forget(t);
        t.replyTo.tell(new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.PLACE, rej.code(),
            rej.msg()));
      }
    } else {
      markUnknown(t, RequestKind.PLACE, describe(r));
    }
  }

  /** After a new order is known to exist: honour a cancel that arrived while it was in flight. */
  private void afterAck(Tracked t) {
    if (t.machine.state().isTerminal()) {
      forget(t);
      return;
    }
    if (t.cancelAfterAck) {
      t.cancelAfterAck = false;
      enqueueCancel(t);
    }
  }

  private void onCancelResult(Tracked t, RestResult<JsonNode> r) {
    if (t == null) {
      return;
    }
    t.lastChangeMillis = System.currentTimeMillis();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      RestOrderResponse resp = decodeOrder(ok.body());
      OrderState state = resp == null ? OrderState.CANCELED : OrderState.fromExchange(resp.status());
      applyReport(t, state == null ? OrderState.CANCELED : state, resp);
      t.resolving = false;
      t.replyTo.tell(new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
      forget(t);
    } else if (r instanceof RestResult.Rejected<JsonNode> rej) {
      if (rej.code() == BinanceErrors.CANCEL_REJECTED || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        // not open any more (filled, cancelled, expired) or never placed: ask what it became
        t.resolving = true;
        if (t.unknownSinceMillis == 0) {
          t.unknownSinceMillis = System.currentTimeMillis();
        }
        enqueueQuery(t);
      } else if (rej.code() == BinanceErrors.INVALID_TIMESTAMP || rej.retryable()) {
        if (rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
          requestResync();
        }
        scheduleCancelRetry(t);
      } else {
        metrics.rejected(rej.code());
        if (t.machine.state() == OrderState.PENDING_CANCEL && t.beforeCancel != null) {
          transition(t, t.beforeCancel);
        }
        t.replyTo.tell(new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.CANCEL, rej.code(),
            rej.msg()));
      }
    } else {
      // cancels are idempotent: resend until the exchange answers
      if (t.cancelAttempts == 0) {
        t.replyTo.tell(new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.CANCEL, describe(r)));
      }
      metrics.unknown();
      scheduleCancelRetry(t);
    }
  }

  private void scheduleCancelRetry(Tracked t) {
    Duration delay = backoff(t.cancelAttempts++);
    timers.startSingleTimer(List.of("cancel", t.clientOrderId), new CancelDue(t.clientOrderId), delay);
  }

  private Behavior<Command> onCancelDue(CancelDue msg) {
    Tracked t = orders.get(msg.clientOrderId());
    if (t != null && !t.cancelQueued && !t.machine.state().isTerminal()) {
      t.cancelQueued = true;
      cancels.addLast(t.clientOrderId);
      requestDrain();
    }
    return this;
  }

  private void onAmendResult(Tracked t, RestResult<JsonNode> r) {
    if (t == null) {
      return;
    }
    t.lastChangeMillis = System.currentTimeMillis();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      RestOrderResponse resp = decodeOrder(ok.body());
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        markUnknown(t, RequestKind.AMEND, "undecodable amend response");
        return;
      }
      if (state.isLive()) {
        t.machine.amended(t.amendQtySteps);
        t.priceTicks = t.amendPriceTicks;
        applyReport(t, state, resp);
        t.replyTo.tell(new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, t.priceTicks,
            t.machine.origQtySteps(), t.machine.cumQtySteps()));
      } else {
        // Binance cancels instead of amending (qty at or below filled, post-only would cross)
        applyReport(t, state, resp);
        t.replyTo.tell(new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
        forget(t);
      }
    } else if (r instanceof RestResult.Rejected<JsonNode> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        t.amendQueued = true;
        amends.addFirst(t.clientOrderId);
        return;
      }
      metrics.rejected(rej.code());
      t.replyTo.tell(new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.AMEND, rej.code(),
          rej.msg()));
      if (rej.code() == BinanceErrors.CANCEL_REJECTED || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        t.resolving = true;
        t.unknownSinceMillis = System.currentTimeMillis();
        enqueueQuery(t);
      }
    } else {
      markUnknown(t, RequestKind.AMEND, describe(r));
    }
  }

  private void onCancelAllResult(Dispatch d, RestResult<JsonNode> r) {
    if (r instanceof RestResult.Ok<JsonNode>) {
      for (Iterator<Tracked> it = orders.values().iterator(); it.hasNext(); ) {
        Tracked t = it.next();
        if (t.symbolId == d.symbolId() && !t.inFlight && !t.placeQueued
            && (t.machine.state() == OrderState.NEW || t.machine.state() == OrderState.PARTIALLY_FILLED
                || t.machine.state() == OrderState.PENDING_CANCEL)) {
          transition(t, OrderState.CANCELED);
          unqueueEverywhere(t);
          it.remove();
        }
      }
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
    }
  }

  private void onQueryResult(Tracked t, RestResult<JsonNode> r) {
    if (t == null) {
      return;
    }
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      RestOrderResponse resp = decodeOrder(ok.body());
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        metrics.badResponse();
        scheduleQuery(t);
        return;
      }
      t.orderId = resp.orderId();
      long price = t.instrument.price().parse(resp.price());
      if (price != Scale.INVALID && price > 0) {
        t.priceTicks = price;
      }
      long orig = resp.origQty() == null ? Scale.INVALID : t.instrument.quantity().parse(resp.origQty());
      if (orig != Scale.INVALID && orig > 0) {
        t.machine.amended(orig);
      }
      boolean wasPendingCancel = t.machine.state() == OrderState.PENDING_CANCEL;
      applyReport(t, state, resp);
      resolved(t);
      if (t.machine.state().isTerminal()) {
        forget(t);
      } else if (wasPendingCancel || t.cancelAfterAck) {
        t.cancelAfterAck = false;
        enqueueCancel(t);
      }
    } else if (r instanceof RestResult.Rejected<JsonNode> rej && rej.code() == BinanceErrors.NO_SUCH_ORDER) {
      long age = System.currentTimeMillis() - t.unknownSinceMillis;
      if (age < settings.unknownResolveBound().toMillis()) {
        scheduleQuery(t);
        return;
      }
      if (t.placeUnknown || t.machine.state() == OrderState.UNKNOWN) {
        getContext().getLog().warn("Order {} not found {} ms after an unknown outcome: not placed", t.clientOrderId,
            age);
        forceState(t, OrderState.REJECTED);
      } else {
        getContext().getLog().warn("Order {} no longer known to the exchange: treating as cancelled", t.clientOrderId);
        forceState(t, OrderState.CANCELED);
      }
      resolved(t);
      forget(t);
    } else {
      if (r instanceof RestResult.Rejected<JsonNode> rej && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        requestResync();
      }
      scheduleQuery(t);
    }
  }

  private void resolved(Tracked t) {
    t.placeUnknown = false;
    t.resolving = false;
    t.unknownSinceMillis = 0;
    t.queryAttempts = 0;
    t.lastChangeMillis = System.currentTimeMillis();
    t.replyTo.tell(new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, t.machine.state(), t.orderId,
        t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps()));
  }

  private void markUnknown(Tracked t, RequestKind kind, String reason) {
    metrics.unknown();
    if (kind == RequestKind.PLACE) {
      t.placeUnknown = true;
    }
    if (t.machine.state() != OrderState.UNKNOWN) {
      transition(t, OrderState.UNKNOWN);
    }
    if (t.unknownSinceMillis == 0) {
      t.unknownSinceMillis = System.currentTimeMillis();
    }
    t.resolving = true;
    getContext().getLog().info("Order {} {} outcome unknown ({}); resolving by query", t.clientOrderId, kind, reason);
    t.replyTo.tell(new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, kind, reason));
    scheduleQuery(t);
  }

  private void scheduleQuery(Tracked t) {
    timers.startSingleTimer(List.of("query", t.clientOrderId), new QueryDue(t.clientOrderId),
        backoff(t.queryAttempts++));
  }

  private Behavior<Command> onQueryDue(QueryDue msg) {
    Tracked t = orders.get(msg.clientOrderId());
    if (t != null) {
      enqueueQuery(t);
      requestDrain();
    }
    return this;
  }

  private void enqueueQuery(Tracked t) {
    if (!t.queryQueued) {
      t.queryQueued = true;
      queries.addLast(t.clientOrderId);
    }
  }

  private Duration backoff(int attempt) {
    long min = settings.queryBackoffMin().toMillis();
    long delay = min << Math.min(attempt, 16);
    return Duration.ofMillis(Math.min(delay, settings.queryBackoffMax().toMillis()));
  }

  private void resendAfterResync(Tracked t) {
    t.timestampRetries++;
    metrics.timestampRetry();
    requestResync();
  }

  private void requestResync() {
    clock.invalidate();
    lastResyncRequestMillis = System.currentTimeMillis();
    timeSync.tell(new TimeSync.Resync());
  }

  private void onRateLimited(RestResult.RateLimited<JsonNode> limited, long now) {
    long until = now + limited.retryAfter().toMillis();
    budget.pauseUntil(until);
    consecutiveRateLimits++;
    if (limited.banned()) {
      metrics.banned();
      getContext().getLog().error("HTTP 418: IP banned by the exchange until {} (retry after {}); order sending halted",
          java.time.Instant.ofEpochMilli(until), limited.retryAfter());
      alert(new OrderEvent.GatewayHalted("HTTP 418 IP ban: " + limited.msg(), until, true));
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

  private void alert(OrderEvent.GatewayHalted event) {
    alertListeners.forEach(l -> l.tell(event));
  }

  // ------------------------------------------------------------------ helpers

  private RestOrderResponse decodeOrder(JsonNode body) {
    try {
      return body == null ? null : BinanceRestClient.mapper().treeToValue(body, RestOrderResponse.class);
    } catch (Exception e) {
      metrics.badResponse();
      return null;
    }
  }

  private void applyReport(Tracked t, OrderState state, RestOrderResponse resp) {
    long cum = t.machine.cumQtySteps();
    if (resp != null && resp.executedQty() != null) {
      long parsed = t.instrument.quantity().parse(resp.executedQty());
      if (parsed == Scale.INVALID) {
        metrics.badResponse();
        getContext().getLog().warn("Order {}: executedQty {} is not a multiple of the step", t.clientOrderId,
            resp.executedQty());
      } else {
        cum = parsed;
      }
    }
    if (t.machine.report(state, cum) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      getContext().getLog().warn("Order {}: exchange reports {} cum {} while local state is {}", t.clientOrderId, state,
          cum, t.machine);
      forceState(t, state);
    }
  }

  private void transition(Tracked t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      getContext().getLog().warn("Order {}: illegal local transition {} -> {}", t.clientOrderId, t.machine.state(), to);
    }
  }

  /** The exchange's word wins over a local state the table did not foresee. */
  private void forceState(Tracked t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      OrderStateMachine replacement = new OrderStateMachine(t.clientOrderId, to, t.machine.origQtySteps());
      replacement.cumulative(t.machine.cumQtySteps());
      t.machine = replacement;
    }
  }

  private static String describe(RestResult<?> r) {
    if (r instanceof RestResult.UnknownOutcome<?> u) {
      return u.reason();
    }
    if (r instanceof RestResult.RateLimited<?> l) {
      return "HTTP " + l.httpStatus() + " rate limited";
    }
    if (r instanceof RestResult.Rejected<?> rej) {
      return rej.code() + " " + rej.msg();
    }
    return r.toString();
  }
}
