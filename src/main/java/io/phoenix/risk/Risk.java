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
import io.phoenix.ops.LatencyRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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
 * <p>A restart loses the open orders: the new incarnation starts by sending a cancel-all of every
 * symbol so that no order it does not know stays on the book, and (with a {@link PositionSource})
 * refuses new orders until it has read the exchange's positions. The day's ledger, a tripped kill
 * switch ({@link RestartMemory}) and the quoter registrations survive the restart.
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
  private final IntentChecks intentChecks;
  private final ExposureUpdates exposure;
  private final Outlet gateway;
  private final QuoterRegistry<QuoterNotice> quoters;
  private final PreTradeResult scratch = new PreTradeResult();
  private final DecisionLatency latency = new DecisionLatency();
  private final ActorRef<OrderEvent> orderEvents;
  private final TimerScheduler<Command> timers;
  private final RestartMemory memory;
  private final Dependencies deps;
  // true until this incarnation has read the exchange's positions
  private boolean restoring;

  private Risk(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Dependencies deps,
      QuoterRegistry<QuoterNotice> quoters,
      RestartMemory memory) {
    super(context);
    this.timers = timers;
    this.memory = memory;
    this.deps = deps;
    this.quoters = quoters;
    this.engine = new RiskEngine(deps.settings(), deps.instruments());
    this.intentChecks = new IntentChecks(engine);
    this.exposure = new ExposureUpdates(engine);
    this.gateway = deps.gateway();
    this.orderEvents = context.messageAdapter(OrderEvent.class, GatewayEvent::new);
    if (memory.restoreInto(engine)) {
      context
          .getLog()
          .warn(
              "risk restarted with the kill switch still tripped ({}: {})",
              engine.tripReason(),
              engine.tripDetail());
    }
    cancelEverything();
    if (deps.positions() != null) {
      restoring = true;
      loadPositions();
    }
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
    QuoterRegistry<QuoterNotice> quoters = new QuoterRegistry<>();
    RestartMemory memory = new RestartMemory();
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                (TimerScheduler<Command> timers) -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, deps.checkInterval());
                  return new Risk(context, timers, deps, quoters, memory);
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
              memory.keepLedger(engine);
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
      deps.stages()
          .recordBetween(LatencyRecorder.Stage.DECISION_TO_RISK, p.createdNanos(), approvedNanos);
    }
    return new Outbound.Send(decision.intent(), orderEvents, approvedNanos);
  }

  /** Runs the pre-trade checks of one intent. */
  private Decision check(OrderIntent intent) {
    long start = System.nanoTime();
    if (restoring && (intent instanceof OrderIntent.Place || intent instanceof OrderIntent.Amend)) {
      return decided(intent, scratch.reject(RiskReason.POSITIONS_UNKNOWN), start);
    }
    OrderIntent sent = intentChecks.check(intent, System.currentTimeMillis(), scratch);
    Decision decision = decided(sent, scratch, start);
    if (!decision.approved()) {
      getContext()
          .getLog()
          .debug(
              "risk rejected {} for symbol {}: {}",
              intent.getClass().getSimpleName(),
              intent.symbolId(),
              decision.reason());
    }
    latency.record(intent, start, decision.decisionNanos());
    return decision;
  }

  private static Decision decided(OrderIntent intent, PreTradeResult result, long startNanos) {
    return new Decision(
        intent,
        result.verdict(),
        result.reason(),
        result.qtySteps(),
        System.nanoTime() - startNanos);
  }

  private Behavior<Command> onRegisterQuoter(RegisterQuoter register) {
    quoters.register(register.symbolId(), register.quoter());
    register.quoter().tell(restoreOf(register.symbolId()));
    return this;
  }

  /** The position risk knows of the symbol and whether trading is stopped. */
  private QuoterNotice.Restore restoreOf(int symbolId) {
    boolean known = engine.instrument(symbolId) != null;
    long position = known ? engine.positionSteps(symbolId) : 0;
    double entry = known ? engine.entryPrice(symbolId) : 0;
    return new QuoterNotice.Restore(position, entry, engine.tripped());
  }

  private Behavior<Command> onGatewayEvent(GatewayEvent wrapped) {
    OrderEvent event = wrapped.event();
    int symbolId = exposure.onOrderEvent(event);
    if (event instanceof OrderEvent.GatewayHalted h) {
      getContext().getLog().error("order gateway halted: {} (banned {})", h.reason(), h.banned());
    }
    quoters.tell(symbolId, new QuoterNotice.OrderOutcome(event));
    gateway.observed(event);
    checkPortfolio();
    return this;
  }

  private Behavior<Command> onAccount(Account account) {
    exposure.onAccountEvent(account.event());
    checkPortfolio();
    return this;
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
          h.reason() + " until " + Instant.ofEpochMilli(h.untilEpochMillis()),
          System.currentTimeMillis());
      killSwitch();
    } else if (!h.banned()) {
      getContext()
          .getLog()
          .warn(
              "order gateway paused: {} until {}",
              h.reason(),
              Instant.ofEpochMilli(h.untilEpochMillis()));
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
    memory.forgetTrip();
    if (was) {
      getContext().getLog().warn("kill switch reset by operator");
      quoters.tellAll(QuoterNotice.Resume.INSTANCE);
    }
    reset.replyTo().tell(state());
    return this;
  }

  private void loadPositions() {
    getContext().pipeToSelf(deps.positions().positions(), PositionsLoaded::new);
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
    List<String> read = exposure.onPositions(loaded.positions());
    restoring = false;
    getContext().getLog().info("risk read the exchange's positions: {}", read);
    quoters.tellEach(this::restoreOf);
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
      memory.forgetTrip();
      getContext()
          .getLog()
          .warn(
              "kill switch ({}) cleared after its cool-down: quoting resumes",
              RiskReason.CONSECUTIVE_REJECTS);
      quoters.tellAll(QuoterNotice.Resume.INSTANCE);
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
    memory.keepTrip(engine);
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
    quoters.tellAll(new QuoterNotice.Stop(engine.tripReason().name()));
    cancelEverything();
  }

  /** One cancel-all per symbol: nothing of ours stays on the book. */
  private void cancelEverything() {
    for (int id : engine.symbolIds()) {
      gateway.send(new Outbound.Send(new OrderIntent.CancelAll(id), orderEvents));
    }
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
        engine.rejectsByReason(),
        latency.decisionNanosAt(50),
        latency.decisionNanosAt(99),
        latency.hopNanosAt(99),
        List.copyOf(symbols));
  }
}
