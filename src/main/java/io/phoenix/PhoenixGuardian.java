package io.phoenix;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.typesafe.config.Config;
import io.phoenix.account.UserDataFeed;
import io.phoenix.cluster.ClusterMembership;
import io.phoenix.cluster.UnitEpoch;
import io.phoenix.config.PhoenixSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.execution.EpochLease;
import io.phoenix.execution.OrderGateway;
import io.phoenix.journal.Journal;
import io.phoenix.journal.JournalStore;
import io.phoenix.model.AccountEvent;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.recorder.Recorder;
import io.phoenix.risk.PortfolioLink;
import io.phoenix.risk.PortfolioRisk;
import io.phoenix.risk.Risk;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The guardian of one trading unit: one account with its symbols, placed on one cluster member by
 * {@link NodeGuardian} (Cluster Sharding). It reads every setting first ({@link PhoenixSettings}: a
 * bad key fails the start before anything connects), registers with the receptionist under {@link
 * #unitKey}, spawns the journal, then runs the start-up phases in its child {@link NodeStartup}
 * (exchangeInfo, one-way position mode, the account's recent epochs) and takes the unit's fencing
 * epoch ({@code cluster.UnitEpoch}); once both are in, it spawns the trading children of {@link
 * NodeWiring} ({@code time-sync}, {@code order-gateway}, {@code risk}, {@code quoter-SYMBOL} per
 * symbol, {@code market-feed-NAME}, {@code user-data-feed}, {@code reconcile}, {@code
 * dead-man-switch}), each restarted alone with back-off when it fails, and its portfolio link.
 * NodeWiring's Javadoc gives the route of a depth frame.
 *
 * <p>Commands: {@link GetStatus} replies with the latest {@link NodeStatus}; {@link GetParts} with
 * the running components (the ops view and the shutdown sequence ask them directly); {@link
 * GetWorkingOrders} is answered by the gateway; {@link GetRisk}, {@link Kill}, {@link Resume} go to
 * risk; {@link StopQuoting}, {@link FlushJournal} and {@link CloseFeeds} are the steps of the
 * shutdown sequence that need the guardian ({@code NodeShutdown} runs them); {@link HandOff} runs
 * them for this unit alone when it leaves the node, then stops it.
 *
 * <p>Timers: the status tick (quoter and risk statuses into {@link StatusBoard}, a log line per
 * symbol, the dead-man switch health report). A failing unit guardian is restarted with back-off by
 * {@link NodeGuardian} (a unit whose symbols the venue does not list keeps retrying, slowly); the
 * other units and the node run on.
 */
public final class PhoenixGuardian extends AbstractBehavior<PhoenixGuardian.Command> {

  public sealed interface Command {}

  public record GetStatus(ActorRef<NodeStatus> replyTo) implements Command {}

  /** The running components (empty before start), for readers that ask them directly. */
  public record GetParts(ActorRef<Parts> replyTo) implements Command {}

  /**
   * The references survive supervised restarts, so drills and the chaos soak also use them (crash
   * injection, status asks).
   *
   * @param quoters by symbol, in the order of {@code phoenix.symbols}
   * @param risk null before start
   * @param userFeed null before start and after the feeds closed
   * @param gateway null before start
   * @param deadManSwitch null before start
   */
  public record Parts(
      List<Instrument> instruments,
      Map<String, ActorRef<Quoter.Command>> quoters,
      ActorRef<Risk.Command> risk,
      List<MarketFeedPart> marketFeeds,
      ActorRef<UserDataFeed.Command> userFeed,
      ActorRef<OrderGateway.Command> gateway,
      ActorRef<DeadManSwitch.Command> deadManSwitch) {

    public Parts(
        List<Instrument> instruments,
        Map<String, ActorRef<Quoter.Command>> quoters,
        ActorRef<Risk.Command> risk,
        List<MarketFeedPart> marketFeeds,
        ActorRef<UserDataFeed.Command> userFeed,
        ActorRef<OrderGateway.Command> gateway) {
      this(instruments, quoters, risk, marketFeeds, userFeed, gateway, null);
    }
  }

  /** The gateway's working and in-flight orders (forwarded to the gateway; empty before start). */
  public record GetWorkingOrders(ActorRef<OrderGateway.WorkingOrders> replyTo) implements Command {}

  /**
   * First shutdown step: trips risk with reason "shutdown" (pulls every quote, cancels all) and
   * stops reporting health to the dead-man switch; replies at once. A second call only replies.
   */
  public record StopQuoting(ActorRef<Done> replyTo) implements Command {}

  /** Risk's current state (forwarded to risk; no reply before start). */
  public record GetRisk(ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Operator kill switch: trips risk with {@code reason}, then replies with risk's state. */
  public record Kill(String reason, ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Operator reset of the kill switch (risk's {@code Reset}); ignored once shutting down. */
  public record Resume(ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Writes everything the journal holds; replies at once with (0, 0) when there is no journal. */
  public record FlushJournal(ActorRef<Journal.Flushed> replyTo) implements Command {}

  /** Stops the market feeds and the user data feed (last shutdown step). */
  public record CloseFeeds(ActorRef<Done> replyTo) implements Command {}

  /**
   * Cluster Sharding moves the unit to another node (its node leaves, or a rebalance): stop
   * quoting, cancel every order and wait (bounded) until the gateway holds none, disarm the
   * dead-man switch, flush the journal, then stop, so the next incarnation starts from a clean
   * account.
   */
  public enum HandOff implements Command {
    INSTANCE
  }

  private record HandedOff(Throwable failure) implements Command {}

  /**
   * The latest statuses (refreshed every status interval).
   *
   * @param started children spawned (exchangeInfo loaded)
   */
  public record NodeStatus(
      boolean started,
      List<Instrument> instruments,
      List<QuoterStatus> quoters,
      Risk.RiskState risk) {}

  private record StartupReported(NodeStartup.Started started) implements Command {}

  private enum StartupStopped implements Command {
    INSTANCE
  }

  private enum StatusTick implements Command {
    INSTANCE
  }

  private record QuoterStatusArrived(QuoterStatus status) implements Command {}

  private record RiskStateArrived(Risk.RiskState state) implements Command {}

  private record UserStreamFirstUp(AccountEvent.UserStreamUp up) implements Command {}

  private record EpochAcquired(UnitEpoch.Acquired acquired) implements Command {}

  private record EpochSuperseded(UnitEpoch.Superseded superseded) implements Command {}

  private record JournalCompleted(
      Map<String, Integer> inserted, Throwable failure, ActorRef<Journal.Flushed> thenFlush)
      implements Command {}

  private final PhoenixSettings settings;
  private final TimerScheduler<Command> timers;
  private final Metrics metrics;
  private final NodeProbes probes;
  private final NodeWiring wiring;
  private final StatusBoard status;
  private final JournalStore journalStore;
  // per symbol, the last journaled trade before this run wrote anything: where the catch-up starts
  private final Map<String, Long> journalStartAfter;
  private final ActorRef<Journal.Command> journal;
  private List<Instrument> instruments = List.of();
  // both must be in before anything trades: the venue and account checks, and the fencing epoch
  private NodeStartup.Started started;
  private EpochLease lease;
  private NodeWiring.Children children;
  private final HandOffSteps handOffSteps;
  private boolean shuttingDown;

  private PhoenixGuardian(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      PhoenixSettings settings,
      Metrics metrics,
      NodeProbes probes,
      JournalStore journalStore,
      Recorder recorder,
      HandOffSteps handOffSteps) {
    super(context);
    this.handOffSteps = handOffSteps;
    this.settings = settings;
    this.timers = timers;
    this.metrics = metrics;
    this.probes = probes;
    this.wiring = new NodeWiring(context, settings, metrics, recorder);
    this.status = new StatusBoard(metrics, probes);
    this.journalStore = journalStore;
    this.journalStartAfter = journalStore == null ? null : lastTradeIds(journalStore);
    // the node's root and the ops view find the units on this node through the receptionist
    context
        .getSystem()
        .receptionist()
        .tell(
            akka.actor.typed.receptionist.Receptionist.register(
                unitKey(settings.guardian().unitName()), context.getSelf()));
    this.journal =
        journalStore == null
            ? null
            : context.spawn(
                wiring.supervised(
                    Journal.Command.class,
                    Journal.create(journalStore, settings.journal(), metrics.registry())),
                "journal");
  }

  /** The receptionist key a unit registers under: the node's root and ops view find it by it. */
  public static akka.actor.typed.receptionist.ServiceKey<Command> unitKey(String unit) {
    return akka.actor.typed.receptionist.ServiceKey.create(Command.class, "trading-unit-" + unit);
  }

  /**
   * @param config the full configuration (phoenix.* and akka.*), validated here before anything
   *     connects: a bad setting fails the start with the key named
   */
  public static Behavior<Command> create(Config config, Metrics metrics) {
    return create(config, metrics, new NodeProbes(), null);
  }

  /**
   * @param probes where the guardian publishes what gauges and the ops view read
   * @param journalStore the opened journal (null: no journal); the caller closes it after the actor
   *     system terminated
   */
  static Behavior<Command> create(
      Config config, Metrics metrics, NodeProbes probes, JournalStore journalStore) {
    return create(
        config,
        metrics,
        probes,
        journalStore,
        null,
        (system, unit, step, grace) -> CompletableFuture.completedFuture(Done.getInstance()));
  }

  /** How a unit leaving its node winds down before it stops ({@code NodeShutdown}'s steps). */
  @FunctionalInterface
  interface HandOffSteps {
    CompletionStage<Done> run(
        akka.actor.typed.ActorSystem<?> system,
        ActorRef<Command> unit,
        java.time.Duration step,
        java.time.Duration grace);
  }

  /**
   * @param recorder records the node's market data, orders and user stream (null: nothing is
   *     recorded)
   * @param handOff run on {@link HandOff} before the unit stops
   */
  static Behavior<Command> create(
      Config config,
      Metrics metrics,
      NodeProbes probes,
      JournalStore journalStore,
      Recorder recorder,
      HandOffSteps handOff) {
    return Behaviors.setup(
        context -> {
          // first, before any client exists: a bad key of any component fails here
          PhoenixSettings settings = PhoenixSettings.fromConfig(config);
          return Behaviors.withTimers(
              timers -> {
                PhoenixGuardian guardian =
                    new PhoenixGuardian(
                        context,
                        timers,
                        settings,
                        metrics,
                        probes,
                        journalStore,
                        recorder,
                        handOff);
                guardian.startUp();
                return guardian;
              });
        });
  }

  public static Behavior<Command> create(Config config) {
    return create(config, Metrics.create());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StartupReported.class, this::onStartupReported)
        .onMessageEquals(StartupStopped.INSTANCE, this::onStartupStopped)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetParts.class, this::onGetParts)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrders)
        .onMessage(StopQuoting.class, this::onStopQuoting)
        .onMessage(GetRisk.class, this::onGetRisk)
        .onMessage(Kill.class, this::onKill)
        .onMessage(Resume.class, this::onResume)
        .onMessage(FlushJournal.class, this::onFlushJournal)
        .onMessage(CloseFeeds.class, this::onCloseFeeds)
        .onMessageEquals(HandOff.INSTANCE, this::onHandOff)
        .onMessage(HandedOff.class, this::onHandedOff)
        .onMessage(UserStreamFirstUp.class, this::onUserStreamFirstUp)
        .onMessage(EpochAcquired.class, this::onEpochAcquired)
        .onMessage(EpochSuperseded.class, this::onEpochSuperseded)
        .onMessage(JournalCompleted.class, this::onJournalCompleted)
        .onMessageEquals(StatusTick.INSTANCE, this::onStatusTick)
        .onMessage(QuoterStatusArrived.class, this::onQuoterStatus)
        .onMessage(RiskStateArrived.class, this::onRiskState)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ---- start-up

  private Map<String, Long> lastTradeIds(JournalStore store) {
    try {
      // taken before the journal writes anything: the start points of the catch-up at the first Up
      return store.lastTradeIds();
    } catch (java.sql.SQLException e) {
      getContext()
          .getLog()
          .error("journal: cannot read the last trade ids from {}: {}", store.url(), e.toString());
      return null;
    }
  }

  private void startUp() {
    ActorRef<NodeStartup.Started> reportTo =
        getContext().messageAdapter(NodeStartup.Started.class, StartupReported::new);
    ActorRef<NodeStartup.Command> startup =
        getContext()
            .spawn(
                NodeStartup.create(
                    settings.guardian(),
                    settings.gateway().clientOrderIdPrefix(),
                    wiring.rest(),
                    wiring.clock(),
                    wiring.budget(),
                    metrics.registry(),
                    reportTo),
                "startup");
    getContext().watchWith(startup, StartupStopped.INSTANCE);
    if (!ClusterMembership.isMember(getContext().getSystem())) {
      // an actor system outside a cluster (tools, tests of the guardian): nobody else can trade
      lease = EpochLease.UNFENCED;
    }
  }

  /**
   * The epoch comes after the start-up phases: it must exceed every recent epoch of the account.
   */
  private void acquireEpoch(long highestRecentEpoch) {
    getContext()
        .spawn(
            UnitEpoch.create(
                settings.guardian().unitName(),
                settings.cluster(),
                highestRecentEpoch + 1,
                getContext().messageAdapter(UnitEpoch.Acquired.class, EpochAcquired::new),
                getContext().messageAdapter(UnitEpoch.Superseded.class, EpochSuperseded::new)),
            "epoch");
  }

  private Behavior<Command> onStartupReported(StartupReported reported) {
    started = reported.started();
    if (started.refusal() != null) {
      throw new IllegalStateException(started.refusal());
    }
    if (lease == null) {
      acquireEpoch(started.highestRecentEpoch());
    }
    return startTradingWhenReady();
  }

  private Behavior<Command> onEpochAcquired(EpochAcquired acquired) {
    lease = acquired.acquired().lease();
    return startTradingWhenReady();
  }

  /**
   * A newer incarnation of this unit trades the account: stop quoting and cancel this incarnation's
   * own orders (the gateway cancels order by order now, never the other incarnation's).
   */
  private Behavior<Command> onEpochSuperseded(EpochSuperseded superseded) {
    if (children != null) {
      children
          .risk()
          .tell(new Risk.Trip("superseded by epoch " + superseded.superseded().newerEpoch()));
    }
    return this;
  }

  /**
   * Portfolio risk across the units: the singleton (if no member runs it yet) and this unit's link.
   */
  private void startPortfolioLink() {
    getContext()
        .spawn(
            PortfolioLink.create(
                settings.guardian().unitName(),
                instruments,
                ClusterSingleton.get(getContext().getSystem())
                    .init(
                        SingletonActor.of(
                            PortfolioRisk.create(settings.portfolio()), "portfolio-risk")),
                children.risk(),
                settings.portfolio().reportInterval()),
            "portfolio-link");
  }

  private Behavior<Command> startTradingWhenReady() {
    if (started == null || lease == null || children != null) {
      return this;
    }
    instruments = started.instruments();
    ActorRef<AccountEvent.UserStreamUp> firstUp =
        journal == null
            ? null
            : getContext().messageAdapter(AccountEvent.UserStreamUp.class, UserStreamFirstUp::new);
    children =
        wiring.spawnTrading(started.exchangeInfo(), instruments, probes, journal, firstUp, lease);
    getContext()
        .getLog()
        .info(
            "phoenix started: unit {} epoch {}, {} symbols {}",
            settings.guardian().unitName(),
            lease.epoch(),
            instruments.size(),
            settings.guardian().symbols());
    timers.startTimerWithFixedDelay(StatusTick.INSTANCE, settings.guardian().statusInterval());
    if (ClusterMembership.isMember(getContext().getSystem())) {
      startPortfolioLink();
    }
    return this;
  }

  /** The start-up child stops after reporting; stopping before that means it failed. */
  private Behavior<Command> onStartupStopped() {
    if (started == null) {
      throw new IllegalStateException(
          "the start-up phases failed before the node could start; see the log above");
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    wiring.close();
    return this;
  }

  // ---- questions

  private Behavior<Command> onGetStatus(GetStatus get) {
    List<String> symbols = children == null ? List.of() : List.copyOf(children.quoters().keySet());
    get.replyTo()
        .tell(
            new NodeStatus(
                children != null && !children.quoters().isEmpty(),
                instruments,
                status.quoters(symbols),
                status.risk()));
    return this;
  }

  private Behavior<Command> onGetParts(GetParts get) {
    if (children == null) {
      get.replyTo().tell(new Parts(instruments, Map.of(), null, List.of(), null, null, null));
    } else {
      get.replyTo()
          .tell(
              new Parts(
                  instruments,
                  Collections.unmodifiableMap(new LinkedHashMap<>(children.quoters())),
                  children.risk(),
                  List.copyOf(children.marketFeeds()),
                  children.userFeed(),
                  children.gateway(),
                  children.deadManSwitch()));
    }
    return this;
  }

  private Behavior<Command> onGetWorkingOrders(GetWorkingOrders get) {
    if (children == null) {
      get.replyTo().tell(new OrderGateway.WorkingOrders(List.of()));
    } else {
      children.gateway().tell(new OrderGateway.GetWorkingOrders(get.replyTo()));
    }
    return this;
  }

  // ---- status tick

  private Behavior<Command> onStatusTick() {
    if (children == null) {
      return this;
    }
    ActorRef<QuoterStatus> statusTo =
        getContext().messageAdapter(QuoterStatus.class, QuoterStatusArrived::new);
    children.quoters().values().forEach(q -> q.tell(new Quoter.GetStatus(statusTo)));
    children.risk().tell(new Risk.GetState(riskStateTo()));
    if (!children.quoters().isEmpty()) {
      getContext().getLog().info(StatusLine.latency(metrics.latency()));
    }
    return this;
  }

  private ActorRef<Risk.RiskState> riskStateTo() {
    return getContext().messageAdapter(Risk.RiskState.class, RiskStateArrived::new);
  }

  private Behavior<Command> onQuoterStatus(QuoterStatusArrived arrived) {
    QuoterStatus s = arrived.status();
    status.quoter(
        s,
        instruments.stream().filter(i -> i.symbol().equals(s.symbol())).findFirst().orElse(null),
        getContext().getLog());
    return this;
  }

  private Behavior<Command> onRiskState(RiskStateArrived arrived) {
    Risk.RiskState state = arrived.state();
    status.risk(state);
    if (children != null && !shuttingDown) {
      children
          .deadManSwitch()
          .tell(
              state.tripped()
                  ? new DeadManSwitch.Unhealthy(
                      DeadManSwitch.ALL_SYMBOLS, "kill switch: " + state.tripReason())
                  : new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
    }
    return this;
  }

  // ---- operator commands

  private Behavior<Command> onGetRisk(GetRisk get) {
    if (children != null) {
      children.risk().tell(new Risk.GetState(get.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onKill(Kill kill) {
    if (children != null) {
      getContext().getLog().warn("kill switch: {}", kill.reason());
      children.risk().tell(new Risk.Trip(kill.reason()));
      children.risk().tell(new Risk.GetState(kill.replyTo()));
      // the refreshed state reaches the gauges before the next status tick
      children.risk().tell(new Risk.GetState(riskStateTo()));
    }
    return this;
  }

  private Behavior<Command> onResume(Resume resume) {
    if (children != null && !shuttingDown) {
      getContext().getLog().warn("kill switch reset by the operator");
      children.risk().tell(new Risk.Reset(resume.replyTo()));
      children.risk().tell(new Risk.GetState(riskStateTo()));
    }
    return this;
  }

  // ---- journal

  private Behavior<Command> onUserStreamFirstUp(UserStreamFirstUp up) {
    return journalStore == null || children == null ? this : completeJournal(null);
  }

  private Behavior<Command> completeJournal(ActorRef<Journal.Flushed> thenFlush) {
    getContext()
        .pipeToSelf(
            JournalCompletion.run(
                journalStore,
                children.accountApi(),
                instruments,
                journalStartAfter,
                getContext().getSystem(),
                settings.journal().dispatcher()),
            (inserted, failure) -> new JournalCompleted(inserted, failure, thenFlush));
    return this;
  }

  private Behavior<Command> onJournalCompleted(JournalCompleted done) {
    String what = done.thenFlush() == null ? "journal completion" : "shutdown: journal completion";
    if (done.failure() != null) {
      getContext().getLog().error("{} failed: {}", what, done.failure().toString());
    } else {
      getContext().getLog().info("{} from userTrades: inserted {}", what, done.inserted());
    }
    if (done.thenFlush() != null) {
      journal.tell(new Journal.Flush(done.thenFlush()));
    }
    return this;
  }

  // ---- the shutdown steps that need the guardian (the sequence is NodeShutdown's)

  private Behavior<Command> onStopQuoting(StopQuoting stop) {
    if (!shuttingDown) {
      shuttingDown = true;
      if (children != null) {
        getContext().getLog().info("shutting down: stopping quoters and cancelling every order");
        // the operator stop pulls every quoter and sends a cancel-all of every symbol to the
        // gateway
        children.risk().tell(new Risk.Trip("shutdown"));
      }
    }
    stop.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onFlushJournal(FlushJournal flush) {
    if (journal == null) {
      flush.replyTo().tell(new Journal.Flushed(0, 0));
    } else if (shuttingDown && journalStore != null && children != null) {
      // a fill of the last moments may be on the user stream still; userTrades has it already
      // (what is buffered is written now: the venue may not answer within the step)
      journal.tell(new Journal.Flush(getContext().getSystem().ignoreRef()));
      completeJournal(flush.replyTo());
    } else {
      journal.tell(new Journal.Flush(flush.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onHandOff() {
    if (children == null) {
      getContext().getLog().info("unit {} handed off before it started", unitName());
      return Behaviors.stopped();
    }
    getContext()
        .getLog()
        .info("unit {} handed off: cancelling its orders, then stopping", unitName());
    getContext()
        .pipeToSelf(
            handOffSteps.run(
                getContext().getSystem(),
                getContext().getSelf(),
                settings.ops().shutdownCancelTimeout(),
                settings.guardian().shutdownGrace()),
            (done, failure) -> new HandedOff(failure));
    return this;
  }

  private Behavior<Command> onHandedOff(HandedOff done) {
    if (done.failure() != null) {
      getContext()
          .getLog()
          .warn("unit {} hand-off incomplete: {}", unitName(), done.failure().toString());
    }
    return Behaviors.stopped();
  }

  private String unitName() {
    return settings.guardian().unitName();
  }

  /** Only the parent can stop its children. */
  private Behavior<Command> onCloseFeeds(CloseFeeds close) {
    if (children != null) {
      children.marketFeeds().forEach(f -> getContext().stop(f.feed()));
      if (children.userFeed() != null) {
        getContext().stop(children.userFeed());
      }
      children =
          new NodeWiring.Children(
              children.gateway(),
              children.risk(),
              children.quoters(),
              null,
              children.reconcile(),
              List.of(),
              children.deadManSwitch(),
              children.accountApi());
    }
    close.replyTo().tell(Done.getInstance());
    return this;
  }
}
