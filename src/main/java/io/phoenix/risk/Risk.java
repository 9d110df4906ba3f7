package io.phoenix.risk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.ops.LatencyRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.HdrHistogram.Histogram;

/**
 * Portfolio-wide risk: every quoter intent passes through here before it reaches the gateway.
 *
 * <p>Commands: {@link Check} runs the pre-trade checks of {@link RiskEngine}; the reply is a {@link
 * Decision} (approve, clamp with the reduced quantity, or reject with a {@link RiskReason}) and an
 * approved intent is handed to the {@link Outlet} as {@link Outbound.Send}, with risk's own adapter
 * as the reply address. Cancels are always approved, even with the kill switch tripped. The
 * gateway's {@link OrderEvent}s (accepted, rejected with the exchange code, cancelled, unknown,
 * resolved) update the in-flight view and are forwarded to the symbol's quoter as {@link
 * QuoterNotice.OrderOutcome}; {@link Account} (fills, positions, funding from the user stream) and
 * {@link Market} (mark prices) keep the exposure current. {@link Trip} is an operator stop, {@link
 * Reset} the operator's reset, {@link GetState} replies with a {@link RiskState} for the ops API,
 * {@link RegisterQuoter} adds a quoter to stop on a trip, {@link InjectFailure} throws (drills).
 *
 * <p>Kill switch: a hard breach (daily loss, drawdown, consecutive rejects, actual position or
 * gross beyond its limit, operator) tells every registered quoter {@link QuoterNotice.Stop}, sends
 * a cancel-all of every symbol to the gateway, and rejects every new order until {@link Reset}.
 *
 * <p>Timers: a periodic portfolio check (day roll, stale marks). Each decision is stamped: its own
 * duration and the intent's age on arrival go into histograms reported in {@link RiskState}.
 *
 * <p>A restart loses the in-memory exposure (open orders, marks, PnL): the new incarnation starts
 * by sending a cancel-all of every symbol so that no order it does not know stays on the book;
 * positions come back with the next position reconciliation, marks with the next mark price. The
 * kill-switch state is lost too, which is why a restart also cancels everything. The quoter
 * registrations survive the restart (they are held outside the behavior).
 */
public final class Risk extends AbstractBehavior<Risk.Command> {

  public sealed interface Command {}

  /** Check an intent; reply to {@code replyTo}, forward to the gateway when approved. */
  public record Check(OrderIntent intent, ActorRef<Decision> replyTo) implements Command {}

  /**
   * The intents of one requote, checked in order (each sees the exposure of those before it), one
   * {@link Decision} each; the approved ones go to the gateway together, so it sends them in one
   * drain (cancels batched first, then places batched) instead of one request per message.
   */
  public record CheckAll(List<OrderIntent> intents, ActorRef<Decision> replyTo)
      implements Command {}

  /**
   * A quoter to tell when the kill switch trips or resets; it is answered with its {@link
   * QuoterNotice.Restore} data.
   */
  public record RegisterQuoter(int symbolId, ActorRef<QuoterNotice> quoter) implements Command {}

  public record Account(AccountEvent event) implements Command {}

  public record Market(MarketEvent event) implements Command {}

  /**
   * The gateway stopped sending (it registers risk as its alert listener). A 418 ban trips the kill
   * switch: the cancel-all waits in the gateway until the ban ends (the exchange-side dead-man
   * switch cancels earlier), and quoting stays stopped until an operator resets it.
   */
  public record GatewayAlert(OrderEvent.GatewayHalted halted) implements Command {}

  /** Operator stop: trips the kill switch. */
  public record Trip(String reason) implements Command {}

  /** Operator reset of a tripped kill switch. */
  public record Reset(ActorRef<RiskState> replyTo) implements Command {}

  public record GetState(ActorRef<RiskState> replyTo) implements Command {}

  /** Throws inside risk so that its supervisor restarts it (fault drills and tests). */
  public record InjectFailure(String reason) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** The gateway's answer about an order risk submitted on a quoter's behalf. */
  private record GatewayEvent(OrderEvent event) implements Command {}

  /**
   * What risk tells a registered quoter. The quoter adapts these into its own protocol ({@code
   * context.messageAdapter}), so risk knows no quoter command.
   */
  public sealed interface QuoterNotice {
    /** The gateway's answer about one of the quoter's orders, relayed by risk. */
    record OrderOutcome(OrderEvent event) implements QuoterNotice {}

    /** The kill switch tripped: pull quotes and stay down until {@link Resume}. */
    record Stop(String reason) implements QuoterNotice {}

    /** The kill switch was reset. */
    enum Resume implements QuoterNotice {
      INSTANCE
    }

    /** Answer to registration: the position risk knows and whether trading is stopped. */
    record Restore(long positionSteps, double entryPrice, boolean riskStopped)
        implements QuoterNotice {}
  }

  /**
   * Reply to {@link Check}.
   *
   * @param approvedQty the quantity that may be sent (clamped), 0 on reject
   * @param decisionNanos how long the checks took
   */
  public record Decision(
      OrderIntent intent,
      PreTradeResult.Verdict verdict,
      RiskReason reason,
      long approvedQty,
      long decisionNanos) {
    public boolean approved() {
      return verdict != PreTradeResult.Verdict.REJECT;
    }
  }

  /**
   * What risk hands its {@link Outlet}: exactly the shape of {@code OrderGateway.Submit}, so the
   * outlet is a one-line translation. {@code replyTo} is risk's own adapter: risk sees every
   * outcome (for in-flight counting and the reject streak) and forwards it to the symbol's quoter
   * as {@link QuoterNotice.OrderOutcome}.
   */
  public sealed interface Outbound {
    /**
     * An approved intent (places carry the approved quantity); cancel-alls on the kill switch.
     *
     * @param riskNanos {@code System.nanoTime()} of the approval (0 = not stamped), for the
     *     gateway's risk-to-write stage
     */
    record Send(OrderIntent intent, ActorRef<OrderEvent> replyTo, long riskNanos)
        implements Outbound {
      public Send(OrderIntent intent, ActorRef<OrderEvent> replyTo) {
        this(intent, replyTo, 0);
      }
    }
  }

  /**
   * Where approved intents go and who else sees the gateway's answers. The node's outlet tells the
   * gateway directly from risk's thread (no actor between risk and the gateway) and copies to the
   * journal; {@link #of(ActorRef)} makes one from a port actor or a test probe.
   */
  public interface Outlet {
    void send(Outbound.Send send);

    /** Approved intents of one requote, in order. */
    default void sendAll(List<Outbound.Send> sends) {
      for (int i = 0; i < sends.size(); i++) {
        send(sends.get(i));
      }
    }

    /** A gateway answer, after risk has accounted for it and forwarded it to the quoter. */
    default void observed(OrderEvent event) {}

    static Outlet of(ActorRef<Outbound> port) {
      return port::tell;
    }
  }

  /** The exchange's positions, read by a (re)started risk before it approves a new order. */
  @FunctionalInterface
  public interface PositionSource {
    CompletionStage<List<ExchangeState.Position>> positions();
  }

  private record PositionsLoaded(List<ExchangeState.Position> positions, Throwable failure)
      implements Command {}

  private enum LoadPositions implements Command {
    INSTANCE
  }

  /**
   * What outlives a restart besides the quoters: an operator's or a breach's stop must not be
   * undone by a crash.
   */
  private static final class Memory {
    RiskReason tripReason;
    String tripDetail;
    long trippedAtMillis;
    RiskEngine.Ledger ledger;
  }

  /** Exposure of one symbol in {@link RiskState}. */
  public record SymbolRisk(
      String symbol,
      long positionSteps,
      long markTicks,
      long buyOpenSteps,
      long sellOpenSteps,
      int openOrders) {}

  /** Snapshot for the ops API. */
  public record RiskState(
      boolean tripped,
      RiskReason tripReason,
      String tripDetail,
      long trippedAtMillis,
      double pnl,
      double realised,
      double unrealised,
      double fees,
      double funding,
      int openOrders,
      int inFlightOrders,
      int consecutiveRejects,
      long approved,
      long clamped,
      long rejected,
      Map<RiskReason, Long> rejectsByReason,
      long decisionP50Nanos,
      long decisionP99Nanos,
      long hopP99Nanos,
      List<SymbolRisk> symbols) {}

  private final RiskEngine engine;
  private final Outlet gateway;
  // outlives a supervised restart (allocated in create, outside setup): quoters register once
  private final Map<Integer, ActorRef<QuoterNotice>> quoters;
  private final PreTradeResult scratch = new PreTradeResult();
  private final Histogram decisionLatency = new Histogram(3_600_000_000_000L, 2);
  private final Histogram hopLatency = new Histogram(3_600_000_000_000L, 2);
  private final LinkedHashSet<String> seenTrades = new LinkedHashSet<>();
  private final ActorRef<OrderEvent> orderEvents;
  private final LatencyRecorder stages;
  private final TimerScheduler<Command> timers;
  private final Memory memory;
  private final PositionSource positionSource;
  // true until this incarnation has read the exchange's positions
  private boolean restoring;

  private Risk(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      RiskEngine engine,
      Outlet gateway,
      Map<Integer, ActorRef<QuoterNotice>> quoters,
      Memory memory,
      PositionSource positionSource,
      LatencyRecorder stages) {
    super(context);
    this.timers = timers;
    this.memory = memory;
    this.positionSource = positionSource;
    this.stages = stages;
    this.quoters = quoters;
    this.engine = engine;
    this.gateway = gateway;
    this.orderEvents = context.messageAdapter(OrderEvent.class, GatewayEvent::new);
  }

  /**
   * Everything risk is built from; {@link #Dependencies(RiskSettings, List, Outlet, Duration)}
   * gives the defaults of the optional parts, the {@code with} methods set them.
   *
   * @param gateway where approved intents and cancel-alls go, called on risk's thread ({@link
   *     Outlet#of} for a plain actor)
   * @param checkInterval period of the portfolio check
   * @param stages gets decision-to-risk: quoter decision to risk approval of each new order
   * @param positions when not null, every incarnation reads the exchange's positions before it
   *     approves a new order (new orders are refused with {@link RiskReason#POSITIONS_UNKNOWN}
   *     meanwhile; cancels pass); null trusts the user stream alone
   */
  public record Dependencies(
      RiskSettings settings,
      List<Instrument> instruments,
      Outlet gateway,
      Duration checkInterval,
      LatencyRecorder stages,
      PositionSource positions) {

    /** No latency stages; positions from the user stream alone. */
    public Dependencies(
        RiskSettings settings,
        List<Instrument> instruments,
        Outlet gateway,
        Duration checkInterval) {
      this(settings, instruments, gateway, checkInterval, LatencyRecorder.NONE, null);
    }

    public Dependencies withStages(LatencyRecorder stages) {
      return new Dependencies(settings, instruments, gateway, checkInterval, stages, positions);
    }

    public Dependencies withPositions(PositionSource positions) {
      return new Dependencies(settings, instruments, gateway, checkInterval, stages, positions);
    }
  }

  public static Behavior<Command> create(Dependencies deps) {
    RiskSettings settings = deps.settings();
    List<Instrument> instruments = deps.instruments();
    Outlet gateway = deps.gateway();
    Duration checkInterval = deps.checkInterval();
    LatencyRecorder stages = deps.stages();
    PositionSource positions = deps.positions();
    Map<Integer, ActorRef<QuoterNotice>> quoters = new HashMap<>();
    Memory memory = new Memory();
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                (TimerScheduler<Command> timers) -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, checkInterval);
                  Risk risk =
                      new Risk(
                          context,
                          timers,
                          new RiskEngine(settings, instruments),
                          gateway,
                          quoters,
                          memory,
                          positions,
                          stages);
                  if (memory.ledger != null) {
                    risk.engine.restore(memory.ledger);
                  }
                  if (memory.tripReason != null) {
                    risk.engine.trip(memory.tripReason, memory.tripDetail, memory.trippedAtMillis);
                    context
                        .getLog()
                        .warn(
                            "risk restarted with the kill switch still tripped ({}: {})",
                            memory.tripReason,
                            memory.tripDetail);
                  }
                  risk.cancelEverything();
                  if (positions != null) {
                    risk.restoring = true;
                    risk.loadPositions();
                  }
                  return risk;
                }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Check.class, this::onCheck)
        .onMessage(CheckAll.class, this::onCheckAll)
        .onMessage(RegisterQuoter.class, this::onRegisterQuoter)
        .onMessage(GatewayEvent.class, this::onGatewayEvent)
        .onMessage(Account.class, this::onAccount)
        .onMessage(Market.class, this::onMarket)
        .onMessage(GatewayAlert.class, this::onGatewayAlert)
        .onMessage(Trip.class, this::onTrip)
        .onMessage(Reset.class, this::onReset)
        .onMessage(GetState.class, this::onGetState)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onSignal(
            PreRestart.class,
            signal -> {
              // taken on the way down: the next incarnation continues the day's accounts
              memory.ledger = engine.ledger();
              return this;
            })
        .onMessage(PositionsLoaded.class, this::onPositionsLoaded)
        .onMessageEquals(
            LoadPositions.INSTANCE,
            () -> {
              loadPositions();
              return this;
            })
        .build();
  }

  private Behavior<Command> onCheck(Check check) {
    Decision decision = check(check.intent());
    if (decision.approved()) {
      gateway.send(forward(decision));
    }
    check.replyTo().tell(decision);
    return this;
  }

  private Behavior<Command> onCheckAll(CheckAll check) {
    List<OrderIntent> intents = check.intents();
    List<Decision> decisions = new ArrayList<>(intents.size());
    List<Outbound.Send> sends = new ArrayList<>(intents.size());
    for (int i = 0; i < intents.size(); i++) {
      Decision d = check(intents.get(i));
      decisions.add(d);
      if (d.approved()) {
        sends.add(forward(d));
      }
    }
    // the gateway first: the decisions only update the quoter's bookkeeping
    if (!sends.isEmpty()) {
      gateway.sendAll(sends);
    }
    for (int i = 0; i < decisions.size(); i++) {
      check.replyTo().tell(decisions.get(i));
    }
    return this;
  }

  /**
   * The gateway's message for an approved decision, stamped: the decision-to-risk stage ends here.
   */
  private Outbound.Send forward(Decision decision) {
    long approvedNanos = System.nanoTime();
    if (decision.intent() instanceof OrderIntent.Place p && p.createdNanos() != 0) {
      stages.recordBetween(LatencyRecorder.Stage.DECISION_TO_RISK, p.createdNanos(), approvedNanos);
    }
    return new Outbound.Send(decision.intent(), orderEvents, approvedNanos);
  }

  /** Runs the pre-trade checks of one intent. */
  private Decision check(OrderIntent intent) {
    long start = System.nanoTime();
    if (restoring && (intent instanceof OrderIntent.Place || intent instanceof OrderIntent.Amend)) {
      return new Decision(
          intent,
          PreTradeResult.Verdict.REJECT,
          RiskReason.POSITIONS_UNKNOWN,
          0,
          System.nanoTime() - start);
    }
    long now = System.currentTimeMillis();
    Decision decision;
    if (intent instanceof OrderIntent.Place p) {
      boolean buy = p.side() == Side.BUY;
      engine.checkNew(
          p.clientOrderId(),
          p.symbolId(),
          buy,
          p.priceTicks(),
          p.qtySteps(),
          p.reduceOnly(),
          now,
          scratch);
      OrderIntent sent =
          scratch.qtySteps() == p.qtySteps() || !scratch.approved()
              ? p
              : p.withQty(scratch.qtySteps());
      decision = decide(sent, start);
    } else if (intent instanceof OrderIntent.Amend a) {
      engine.checkAmend(a.clientOrderId(), a.newPriceTicks(), a.newQtySteps(), now, scratch);
      decision = decide(a, start);
    } else {
      decision = approveAlways(intent, start);
    }
    if (!decision.approved()) {
      getContext()
          .getLog()
          .debug(
              "risk rejected {} for symbol {}: {}",
              intent.getClass().getSimpleName(),
              intent.symbolId(),
              decision.reason());
    }
    if (intent instanceof OrderIntent.Place p) {
      hopLatency.recordValue(Math.max(0, start - p.createdNanos()));
    }
    decisionLatency.recordValue(Math.max(0, decision.decisionNanos()));
    return decision;
  }

  private Decision decide(OrderIntent intent, long start) {
    return new Decision(
        intent, scratch.verdict(), scratch.reason(), scratch.qtySteps(), System.nanoTime() - start);
  }

  private static Decision approveAlways(OrderIntent intent, long start) {
    return new Decision(
        intent, PreTradeResult.Verdict.APPROVE, RiskReason.NONE, 0, System.nanoTime() - start);
  }

  private Behavior<Command> onRegisterQuoter(RegisterQuoter register) {
    quoters.put(register.symbolId(), register.quoter());
    Instrument ins = engine.instrument(register.symbolId());
    long position = ins == null ? 0 : engine.positionSteps(register.symbolId());
    double entry = ins == null ? 0 : engine.entryPrice(register.symbolId());
    register.quoter().tell(new QuoterNotice.Restore(position, entry, engine.tripped()));
    return this;
  }

  private Behavior<Command> onGatewayEvent(GatewayEvent wrapped) {
    OrderEvent event = wrapped.event();
    int symbolId = -1;
    if (event instanceof OrderEvent.OrderAccepted a) {
      symbolId = a.symbolId();
      if (a.state().isTerminal()) {
        engine.onDone(a.clientOrderId());
      } else {
        engine.onAccepted(a.clientOrderId());
      }
    } else if (event instanceof OrderEvent.OrderRejected r) {
      symbolId = r.symbolId();
      if (r.kind() == OrderEvent.RequestKind.PLACE) {
        engine.onRejected(r.clientOrderId(), r.code());
      }
    } else if (event instanceof OrderEvent.OrderCanceled c) {
      symbolId = c.symbolId();
      engine.onDone(c.clientOrderId());
    } else if (event instanceof OrderEvent.OrderResolved r) {
      symbolId = r.symbolId();
      if (r.state().isTerminal()) {
        engine.onDone(r.clientOrderId());
      } else {
        engine.onAccepted(r.clientOrderId());
      }
    } else if (event instanceof OrderEvent.OrderUnknown u) {
      symbolId = u.symbolId();
    } else if (event instanceof OrderEvent.OrderAmended a) {
      symbolId = a.symbolId();
    } else if (event instanceof OrderEvent.AllCanceled a) {
      symbolId = a.symbolId();
    } else if (event instanceof OrderEvent.GatewayHalted h) {
      getContext().getLog().error("order gateway halted: {} (banned {})", h.reason(), h.banned());
    }
    if (symbolId >= 0) {
      ActorRef<QuoterNotice> quoter = quoters.get(symbolId);
      if (quoter != null) {
        quoter.tell(new QuoterNotice.OrderOutcome(event));
      }
    } else {
      for (ActorRef<QuoterNotice> q : quoters.values()) {
        q.tell(new QuoterNotice.OrderOutcome(event));
      }
    }
    gateway.observed(event);
    checkPortfolio();
    return this;
  }

  private Behavior<Command> onAccount(Account account) {
    AccountEvent event = account.event();
    if (event instanceof AccountEvent.OrderUpdate u) {
      onOrderUpdate(u);
    } else if (event instanceof AccountEvent.PositionUpdate p) {
      engine.onPosition(p.symbolId(), p.amountSteps(), p.entryPrice());
    } else if (event instanceof AccountEvent.FundingPaid f) {
      engine.onFunding(f.amount());
    }
    checkPortfolio();
    return this;
  }

  private void onOrderUpdate(AccountEvent.OrderUpdate u) {
    if (u.executionType() == AccountEvent.ExecutionType.NEW) {
      engine.onAccepted(u.clientOrderId());
    }
    if (u.isFill() && firstSight(u)) {
      engine.onFill(
          u.clientOrderId(),
          u.symbolId(),
          u.side() == Side.BUY,
          u.lastFillQtySteps(),
          u.lastFillPriceTicks(),
          u.commission());
    }
    if (!u.status().isOpen()) {
      engine.onDone(u.clientOrderId());
    }
  }

  /** Trade ids de-duplicate fills that arrive twice (reconnect replays, reconciliation). */
  private boolean firstSight(AccountEvent.OrderUpdate u) {
    if (u.tradeId() == 0) {
      return true;
    }
    String key = u.symbolId() + ":" + u.tradeId();
    if (!seenTrades.add(key)) {
      return false;
    }
    if (seenTrades.size() > 10_000) {
      seenTrades.remove(seenTrades.iterator().next());
    }
    return true;
  }

  private Behavior<Command> onMarket(Market market) {
    if (market.event() instanceof MarketEvent.MarkPrice m) {
      engine.onMark(m.symbolId(), m.markTicks(), System.currentTimeMillis());
      checkPortfolio();
    }
    return this;
  }

  private Behavior<Command> onGatewayAlert(GatewayAlert alert) {
    OrderEvent.GatewayHalted h = alert.halted();
    if (h.banned() && !engine.tripped()) {
      engine.trip(
          RiskReason.IP_BANNED,
          h.reason() + " until " + java.time.Instant.ofEpochMilli(h.untilEpochMillis()),
          System.currentTimeMillis());
      killSwitch();
    } else if (!h.banned()) {
      getContext()
          .getLog()
          .warn(
              "order gateway paused: {} until {}",
              h.reason(),
              java.time.Instant.ofEpochMilli(h.untilEpochMillis()));
    }
    return this;
  }

  private Behavior<Command> onTrip(Trip trip) {
    if (!engine.tripped()) {
      engine.trip(RiskReason.OPERATOR, trip.reason(), System.currentTimeMillis());
      killSwitch();
    }
    return this;
  }

  private Behavior<Command> onReset(Reset reset) {
    boolean was = engine.tripped();
    engine.reset();
    memory.tripReason = null;
    if (was) {
      getContext().getLog().warn("kill switch reset by operator");
      for (ActorRef<QuoterNotice> q : quoters.values()) {
        q.tell(QuoterNotice.Resume.INSTANCE);
      }
    }
    reset.replyTo().tell(state());
    return this;
  }

  private void loadPositions() {
    getContext().pipeToSelf(positionSource.positions(), PositionsLoaded::new);
  }

  private Behavior<Command> onPositionsLoaded(PositionsLoaded loaded) {
    if (loaded.failure() != null) {
      getContext()
          .getLog()
          .warn(
              "risk cannot read the positions ({}); new orders wait, reading again in 1 s",
              loaded.failure().toString());
      timers.startSingleTimer(LoadPositions.INSTANCE, Duration.ofSeconds(1));
      return this;
    }
    for (ExchangeState.Position p : loaded.positions()) {
      if (p.positionSide() == AccountEvent.PositionSide.BOTH
          && engine.instrument(p.symbolId()) != null) {
        engine.onPosition(p.symbolId(), p.amountSteps(), p.entryPrice());
      }
    }
    restoring = false;
    getContext()
        .getLog()
        .info(
            "risk read the exchange's positions: {}",
            loaded.positions().stream()
                .filter(p -> p.amountSteps() != 0)
                .map(p -> p.symbolId() + "=" + p.amountSteps())
                .toList());
    for (Map.Entry<Integer, ActorRef<QuoterNotice>> q : quoters.entrySet()) {
      q.getValue()
          .tell(
              new QuoterNotice.Restore(
                  engine.positionSteps(q.getKey()),
                  engine.entryPrice(q.getKey()),
                  engine.tripped()));
    }
    checkPortfolio();
    return this;
  }

  private Behavior<Command> onGetState(GetState get) {
    get.replyTo().tell(state());
    return this;
  }

  private Behavior<Command> onInjectFailure(InjectFailure failure) {
    throw new IllegalStateException("risk failure injected: " + failure.reason());
  }

  private Behavior<Command> onTick() {
    checkPortfolio();
    return this;
  }

  private void checkPortfolio() {
    long now = System.currentTimeMillis();
    if (engine.rejectsTripCooledDown(now)) {
      engine.clearRejectsTrip();
      memory.tripReason = null;
      getContext()
          .getLog()
          .warn(
              "kill switch ({}) cleared after its cool-down: quoting resumes",
              RiskReason.CONSECUTIVE_REJECTS);
      for (ActorRef<QuoterNotice> q : quoters.values()) {
        q.tell(QuoterNotice.Resume.INSTANCE);
      }
    }
    if (restoring) {
      // positions unknown: the PnL would be missing their unrealised part
      return;
    }
    RiskReason breach = engine.checkPortfolio(now);
    if (breach != RiskReason.NONE) {
      killSwitch();
    }
  }

  private void killSwitch() {
    memory.tripReason = engine.tripReason();
    memory.tripDetail = engine.tripDetail();
    memory.trippedAtMillis = engine.trippedAtMillis();
    if (engine.tripReason() == RiskReason.OPERATOR) {
      getContext()
          .getLog()
          .warn(
              "trading stopped by operator ({}); cancelling all orders and stopping {} quoters",
              engine.tripDetail(),
              quoters.size());
    } else {
      getContext()
          .getLog()
          .error(
              "KILL SWITCH tripped: {} ({}); cancelling all orders and stopping {} quoters",
              engine.tripReason(),
              engine.tripDetail(),
              quoters.size());
    }
    for (ActorRef<QuoterNotice> q : quoters.values()) {
      q.tell(new QuoterNotice.Stop(engine.tripReason().name()));
    }
    cancelEverything();
  }

  /** One cancel-all per symbol: nothing of ours stays on the book. */
  private void cancelEverything() {
    for (int id : engine.symbolIds()) {
      gateway.send(new Outbound.Send(new OrderIntent.CancelAll(id), orderEvents));
    }
  }

  private Map<RiskReason, Long> rejectsByReason() {
    Map<RiskReason, Long> counts = new java.util.EnumMap<>(RiskReason.class);
    for (RiskReason r : RiskReason.values()) {
      long n = engine.rejectedCount(r);
      if (n > 0) {
        counts.put(r, n);
      }
    }
    return java.util.Collections.unmodifiableMap(counts);
  }

  private RiskState state() {
    List<SymbolRisk> symbols = new ArrayList<>();
    for (int id : engine.symbolIds()) {
      symbols.add(
          new SymbolRisk(
              engine.instrument(id).symbol(),
              engine.positionSteps(id),
              engine.markTicks(id),
              engine.buyOpenSteps(id),
              engine.sellOpenSteps(id),
              engine.openOrders(id)));
    }
    return new RiskState(
        engine.tripped(),
        engine.tripReason(),
        engine.tripDetail(),
        engine.trippedAtMillis(),
        engine.pnl(),
        engine.realised(),
        engine.unrealised(),
        engine.fees(),
        engine.funding(),
        engine.openOrders(),
        engine.inFlightOrders(),
        engine.consecutiveRejects(),
        engine.approvedCount(),
        engine.clampedCount(),
        engine.rejectedCount(),
        rejectsByReason(),
        decisionLatency.getValueAtPercentile(50),
        decisionLatency.getValueAtPercentile(99),
        hopLatency.getValueAtPercentile(99),
        List.copyOf(symbols));
  }
}
