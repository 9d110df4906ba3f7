package io.phoenix;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.phoenix.account.AkkaUserStreamConnector;
import io.phoenix.account.UserDataFeed;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.binance.rest.PositionMode;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestDepthSnapshotClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.DeadManSwitchSettings;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.JournalSettings;
import io.phoenix.config.LatencySettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.config.UserStreamSettings;
import io.phoenix.config.WsApiSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.OrderPathWarmUp;
import io.phoenix.execution.TimeSync;
import io.phoenix.binance.order.WsApiTransport;
import io.phoenix.journal.Journal;
import io.phoenix.journal.JournalCompleter;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalFeed;
import io.phoenix.journal.JournalStore;
import io.phoenix.market.BookOwner;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.FeedPlan;
import io.phoenix.market.FrameTap;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.MarketFeed;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderEvent;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.Quoter;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.recorder.Recorder;
import io.phoenix.recorder.Taps;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The node's root supervisor. Starting, it loads exchangeInfo (retrying every few seconds until the
 * venue answers) and reads the account's position mode (it trades only in one-way mode: a
 * hedge-mode account waits, or is switched when {@code switch-to-one-way-mode} allows), then
 * spawns every component under restart-with-backoff: {@code time-sync},
 * {@code order-gateway}, {@code risk}, one {@code quoter-SYMBOL} per symbol, the market feeds
 * ({@code market-feed-NAME}), {@code user-data-feed} and {@code dead-man-switch}.
 *
 * <p>The hot path has three hops: the feed sends a symbol's depth diffs straight to its quoter,
 * which owns the book; the quoter asks risk; risk's outlet tells the gateway. Trades, mark prices
 * and staleness reach a quoter (and mark prices risk) through a small relay per symbol;
 * user-stream events through relays subscribed per symbol (quoters) and for everything (risk).
 *
 * <p>Commands: {@link GetStatus} replies with the latest {@link NodeStatus};
 * {@link GetParts} with the running components, which the ops view asks itself at request time;
 * {@link GetWorkingOrders} is answered by the gateway; {@link Shutdown}
 * stops quoting, cancels every order of every symbol, disarms the dead-man switch and replies
 * {@link Done} after the shutdown grace.
 *
 * <p>Timers: the status tick (a log line per symbol, the dead-man switch health report), the
 * start-up retry. A failing guardian stops the node: it has no supervisor above it, which is
 * deliberate, since a node that cannot wire itself must not trade.
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
   */
  public record Parts(
      List<Instrument> instruments,
      Map<String, ActorRef<Quoter.Command>> quoters,
      ActorRef<Risk.Command> risk,
      List<MarketFeedPart> marketFeeds,
      ActorRef<UserDataFeed.Command> userFeed,
      ActorRef<OrderGateway.Command> gateway) {}

  /** A market feed, the symbols it carries and its counters (thread-safe: read them anywhere). */
  public record MarketFeedPart(String name, ActorRef<MarketFeed.Command> feed, List<Instrument> instruments, FeedMetrics metrics) {}

  /** The gateway's working and in-flight orders (forwarded to the gateway; empty before start). */
  public record GetWorkingOrders(ActorRef<OrderGateway.WorkingOrders> replyTo) implements Command {}

  /**
   * Stop quoting and cancel everything (once: a second call only waits), wait until the gateway
   * holds no working order or the shutdown grace is over, disarm the dead-man switch, reply.
   */
  public record Shutdown(ActorRef<Done> replyTo) implements Command {}

  /** First shutdown step: trips risk with reason "shutdown" (pulls every quote, cancels all); replies at once. */
  public record StopQuoting(ActorRef<Done> replyTo) implements Command {}

  /** Risk's current state (forwarded to risk; no reply before start). */
  public record GetRisk(ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Operator kill switch: trips risk with {@code reason}, then replies with risk's state. */
  public record Kill(String reason, ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Operator reset of the kill switch (risk's {@code Reset}). */
  public record Resume(ActorRef<Risk.RiskState> replyTo) implements Command {}

  /** Writes everything the journal holds; replies at once with (0, 0) when there is no journal. */
  public record FlushJournal(ActorRef<Journal.Flushed> replyTo) implements Command {}

  /** Stops the market feeds and the user data feed (last shutdown step). */
  public record CloseFeeds(ActorRef<Done> replyTo) implements Command {}

  /**
   * The latest statuses (refreshed every status interval).
   *
   * @param started children spawned (exchangeInfo loaded)
   */
  public record NodeStatus(boolean started, List<Instrument> instruments, List<Quoter.Status> quoters, Risk.RiskState risk) {}

  private record ExchangeInfoLoaded(RestExchangeInfo info, String failure) implements Command {}

  private record PositionModeRead(PositionMode.Read read) implements Command {}

  private record OneWaySwitched(PositionMode.Read read) implements Command {}

  private enum CheckPositionMode implements Command {
    INSTANCE
  }

  private enum RetryStart implements Command {
    INSTANCE
  }

  private enum StatusTick implements Command {
    INSTANCE
  }

  private enum GraceOver implements Command {
    INSTANCE
  }

  private record QuoterStatusArrived(Quoter.Status status) implements Command {}

  private record RiskStateArrived(Risk.RiskState state) implements Command {}

  private record DisarmDone(DeadManSwitch.Disarmed disarmed) implements Command {}

  private record OrdersLeft(OrderGateway.WorkingOrders orders) implements Command {}

  private enum CheckOrdersLeft implements Command {
    INSTANCE
  }

  private record UserStreamFirstUp(AccountEvent.UserStreamUp up) implements Command {}

  private record JournalCompleted(Map<String, Integer> inserted, Throwable failure) implements Command {}

  private final Config config;
  private final GuardianSettings settings;
  private final TimerScheduler<Command> timers;
  private final Metrics metrics;
  private final MeterRegistry meters;
  private final ServerClock clock = new ServerClock();
  // one budget for every request of the account, whichever client sends it
  private final SharedRateBudget budget;
  // everything but order entry, paced through the budget
  private final BinanceRestClient rest;
  // order entry only: connections of its own, charged to the budget by the gateway
  private final BinanceRestClient orderRest;
  private final WsApiSettings wsApiSettings;
  // the WebSocket trading API session when phoenix.gateway.transport = ws-api, else null
  private WsApiTransport wsApi;

  private List<Instrument> instruments = List.of();
  private RestExchangeInfo exchangeInfo;
  private final Map<String, ActorRef<Quoter.Command>> quoters = new LinkedHashMap<>();
  private final Map<String, Quoter.Status> quoterStatus = new HashMap<>();
  private Risk.RiskState riskState;
  private ActorRef<Risk.Command> risk;
  private ActorRef<OrderGateway.Command> gateway;
  private ActorRef<DeadManSwitch.Command> deadManSwitch;
  private final List<ActorRef<Done>> shutdownWaiters = new ArrayList<>();
  private boolean shuttingDown;
  private boolean disarming;
  private boolean shutdownDone;
  private final NodeProbes probes;
  private final JournalStore journalStore;
  private final JournalSettings journalSettings;
  // null unless phoenix.recorder.enabled: sees every market frame, snapshot, order and user-stream frame
  private final Recorder recorder;
  private Map<String, Long> journalStartAfter;
  private ActorRef<Journal.Command> journal;
  private ActorRef<JournalFeed.Command> journalFeed;
  private ActorRef<UserDataFeed.Command> userFeed;
  private BinanceAccountRestApi accountApi;
  private final List<MarketFeedPart> marketFeeds = new ArrayList<>();
  private final Map<RiskReason, Long> riskRejectsSeen = new HashMap<>();

  private PhoenixGuardian(ActorContext<Command> context, TimerScheduler<Command> timers, Config config, Metrics metrics, NodeProbes probes, JournalStore journalStore,
      Recorder recorder) {
    super(context);
    this.recorder = recorder;
    this.config = config;
    this.settings = GuardianSettings.fromConfig(config);
    this.timers = timers;
    this.metrics = metrics;
    this.meters = metrics.registry();
    this.probes = probes;
    BinanceRestSettings restSettings = BinanceRestSettings.fromConfig(config);
    this.budget = OrderGateway.defaultBudget(GatewaySettings.fromConfig(config));
    this.rest = BinanceRestClient.background(context.getSystem(), restSettings, clock, budget,
        (event, millis) -> {
          meters.counter("phoenix.rest.background", "event", event).increment();
          // a wait this long holds up a listenKey or a snapshot a reconnect is waiting for: say why
          if (millis >= 1_000) {
            context.getLog().warn("Background requests (listenKey, snapshots, reconciliation) wait {} ms: {}", millis,
                event.equals("budget") ? "the request weight budget of this minute is used up" : event);
          }
        });
    this.orderRest = BinanceRestClient.create(context.getSystem(), restSettings, clock);
    this.wsApiSettings = WsApiSettings.fromConfig(config);
    this.journalStore = journalStore;
    this.journalSettings = journalStore == null ? null : JournalSettings.fromConfig(config);
    if (journalStore != null) {
      try {
        // taken before the journal writes anything: the start points of the completion at the first UserStreamUp
        journalStartAfter = journalStore.lastTradeIds();
      } catch (java.sql.SQLException e) {
        context.getLog().error("journal: cannot read the last trade ids from {}: {}", journalStore.url(), e.toString());
      }
      journal = context.spawn(supervised(Journal.Command.class, Journal.create(journalStore, journalSettings, meters)), "journal");
    }
  }

  /**
   * @param config the full configuration (phoenix.* and akka.*), validated here: a bad setting
   *     fails the start with the key named
   */
  public static Behavior<Command> create(Config config, Metrics metrics) {
    return create(config, metrics, new NodeProbes(), null);
  }

  /**
   * @param probes where the guardian publishes what gauges and the ops view read
   * @param journalStore the opened journal (null: no journal); the caller closes it after the
   *     actor system terminated
   */
  static Behavior<Command> create(Config config, Metrics metrics, NodeProbes probes, JournalStore journalStore) {
    return create(config, metrics, probes, journalStore, null);
  }

  /** @param recorder records the node's market data, orders and user stream (null: nothing is recorded) */
  static Behavior<Command> create(Config config, Metrics metrics, NodeProbes probes, JournalStore journalStore, Recorder recorder) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  PhoenixGuardian guardian = new PhoenixGuardian(context, timers, config, metrics, probes, journalStore, recorder);
                  guardian.loadExchangeInfo();
                  return guardian;
                }));
  }

  public static Behavior<Command> create(Config config) {
    return create(config, Metrics.create());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ExchangeInfoLoaded.class, this::onExchangeInfoLoaded)
        .onMessageEquals(RetryStart.INSTANCE, this::onRetryStart)
        .onMessage(PositionModeRead.class, this::onPositionModeRead)
        .onMessage(OneWaySwitched.class, this::onOneWaySwitched)
        .onMessageEquals(CheckPositionMode.INSTANCE, () -> {
          checkPositionMode();
          return this;
        })
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetParts.class, this::onGetParts)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrders)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(StopQuoting.class, this::onStopQuoting)
        .onMessage(GetRisk.class, this::onGetRisk)
        .onMessage(Kill.class, this::onKill)
        .onMessage(Resume.class, this::onResume)
        .onMessage(FlushJournal.class, this::onFlushJournal)
        .onMessage(CloseFeeds.class, this::onCloseFeeds)
        .onMessage(OrdersLeft.class, this::onOrdersLeft)
        .onMessageEquals(CheckOrdersLeft.INSTANCE, this::onCheckOrdersLeft)
        .onMessage(UserStreamFirstUp.class, this::onUserStreamFirstUp)
        .onMessage(JournalCompleted.class, this::onJournalCompleted)
        .onMessageEquals(StatusTick.INSTANCE, this::onStatusTick)
        .onMessage(QuoterStatusArrived.class, this::onQuoterStatus)
        .onMessage(RiskStateArrived.class, this::onRiskState)
        .onMessage(DisarmDone.class, this::onDisarmDone)
        .onMessageEquals(GraceOver.INSTANCE, this::onGraceOver)
        .onSignal(akka.actor.typed.PostStop.class, signal -> {
          if (wsApi != null) {
            wsApi.close();
          }
          return this;
        })
        .build();
  }

  private void loadExchangeInfo() {
    getContext()
        .pipeToSelf(
            rest.exchangeInfo(),
            (result, failure) -> {
              if (failure != null) {
                return new ExchangeInfoLoaded(null, failure.toString());
              }
              return result instanceof RestResult.Ok<RestExchangeInfo> ok ? new ExchangeInfoLoaded(ok.body(), null) : new ExchangeInfoLoaded(null, String.valueOf(result));
            });
  }

  private Behavior<Command> onExchangeInfoLoaded(ExchangeInfoLoaded loaded) {
    if (loaded.info() == null) {
      getContext().getLog().warn("exchangeInfo not available ({}); retrying in 2 s", loaded.failure());
      timers.startSingleTimer(RetryStart.INSTANCE, Duration.ofSeconds(2));
      return this;
    }
    instruments = loaded.info().instruments(settings.symbols());
    if (instruments.size() != settings.symbols().size()) {
      throw new IllegalStateException("phoenix.symbols names symbols the venue does not list: wanted " + settings.symbols() + ", found " + instruments.stream().map(Instrument::symbol).toList());
    }
    exchangeInfo = loaded.info();
    budget.replaceLimits(RateBudget.fromExchange(exchangeInfo.rateLimits()));
    checkPositionMode();
    return this;
  }

  /** Nothing trades before the account is known to be in one-way mode. */
  private void checkPositionMode() {
    getContext().pipeToSelf(PositionMode.read(rest, clock), (read, e) -> new PositionModeRead(e == null ? read : new PositionMode.Read(null, e.toString())));
  }

  private Behavior<Command> onPositionModeRead(PositionModeRead msg) {
    PositionMode.Read read = msg.read();
    meters.counter("phoenix.account.position.mode.checks", "result", read.hedge() == null ? "unknown" : read.hedge() ? "hedge" : "one_way").increment();
    if (read.hedge() == null) {
      getContext().getLog().warn("account position mode unknown ({}); not trading, reading it again in {}", read.failure(), settings.accountCheckRetry());
      timers.startSingleTimer(CheckPositionMode.INSTANCE, settings.accountCheckRetry());
    } else if (!read.hedge()) {
      spawnChildren(exchangeInfo);
      timers.startTimerWithFixedDelay(StatusTick.INSTANCE, settings.statusInterval());
    } else if (settings.switchToOneWayMode()) {
      getContext().getLog().warn("account is in hedge position mode; switching it to one-way (phoenix.guardian.switch-to-one-way-mode)");
      getContext().pipeToSelf(PositionMode.switchToOneWay(rest), (r, e) -> new OneWaySwitched(e == null ? r : new PositionMode.Read(null, e.toString())));
    } else {
      getContext().getLog().error("account is in hedge position mode (dualSidePosition=true): Phoenix keeps one net position per symbol and"
          + " would have every order refused. Not trading. Switch the account to one-way (POST /fapi/v1/positionSide/dual"
          + " dualSidePosition=false, or phoenix.guardian.switch-to-one-way-mode = true); reading the mode again in {}", settings.accountCheckRetry());
      timers.startSingleTimer(CheckPositionMode.INSTANCE, settings.accountCheckRetry());
    }
    return this;
  }

  private Behavior<Command> onOneWaySwitched(OneWaySwitched msg) {
    if (msg.read().failure() != null) {
      getContext().getLog().error("switching the account to one-way mode failed ({}); not trading, trying again in {}", msg.read().failure(), settings.accountCheckRetry());
      timers.startSingleTimer(CheckPositionMode.INSTANCE, settings.accountCheckRetry());
    } else {
      // read it back rather than trust the answer
      checkPositionMode();
    }
    return this;
  }

  private Behavior<Command> onRetryStart() {
    loadExchangeInfo();
    return this;
  }

  /** Restart with back-off; the per-actor meters sit inside the supervisor so restarts are counted. */
  private <T> Behavior<T> supervised(Class<T> type, Behavior<T> behavior) {
    // behind the interceptor Akka's logger-class detection would name the actor "ActorCell":
    // name it after the actor class that declares the protocol (Risk.Command -> Risk)
    Class<?> owner = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
    Behavior<T> named = Behaviors.setup(ctx -> {
      ctx.setLoggerName(owner);
      return behavior;
    });
    return Behaviors.supervise(metrics.instrument(type, named))
        .onFailure(
            RuntimeException.class,
            SupervisorStrategy.restartWithBackoff(settings.restartMinBackoff(), settings.restartMaxBackoff(), settings.restartJitter()));
  }

  private void spawnChildren(RestExchangeInfo info) {
    ActorContext<Command> ctx = getContext();
    GatewaySettings gatewaySettings = GatewaySettings.fromConfig(config);
    QuoterSettings quoterSettings = QuoterSettings.fromConfig(config);
    RiskSettings riskSettings = RiskSettings.fromConfig(config);
    FeedSettings feedSettings = FeedSettings.fromConfig(config);
    LatencySettings latencySettings = LatencySettings.fromConfig(config);
    Props hot = latencySettings.ownDispatcher() ? DispatcherSelector.fromConfig(latencySettings.dispatcher()) : Props.empty();

    ActorRef<TimeSync.Command> timeSync = ctx.spawn(supervised(TimeSync.Command.class, TimeSync.create(rest::serverTime, clock, gatewaySettings.timeSync())), "time-sync");
    warmUpOrderPath(gatewaySettings.warmUpRounds());
    gateway = ctx.spawn(supervised(OrderGateway.Command.class, OrderGateway.create(new OrderGateway.Dependencies(orderTransport(), instruments, gatewaySettings, clock, timeSync, meters, metrics.latency(), budget))), "order-gateway", hot);
    ActorRef<OrderGateway.Command> gatewayRef = gateway;
    probes.instruments(instruments, ordersPer10s(info));
    probes.registerGauges(metrics);
    if (journal != null) {
      journalFeed = ctx.spawn(
          JournalFeed.create(instruments, journal, ctx.messageAdapter(AccountEvent.UserStreamUp.class, UserStreamFirstUp::new), metrics::recordReject),
          "journal-feed");
    }
    accountApi = new BinanceAccountRestApi(rest, symbol -> instruments.stream().filter(i -> i.symbol().equals(symbol)).findFirst().orElse(null));
    // a (re)started risk reads the exchange's positions before it approves a new order
    if (recorder != null) {
      recorder.instruments(instruments);
    }
    risk = ctx.spawn(supervised(Risk.Command.class, Risk.create(new Risk.Dependencies(riskSettings, instruments, gatewayOutlet(gatewayRef, journalFeed, recorder),
        settings.riskCheckInterval()).withStages(metrics.latency()).withPositions(accountApi::positions))), "risk", hot);
    ActorRef<Risk.Command> riskRef = risk;
    // a 418 must stop trading, not just pause the gateway
    gatewayRef.tell(new OrderGateway.RegisterAlertListener(ctx.spawn(relay(OrderEvent.class, event -> {
      if (event instanceof OrderEvent.GatewayHalted halted) {
        riskRef.tell(new Risk.GatewayAlert(halted));
      }
    }), "gateway-alerts-risk")));

    Map<String, List<ActorRef<MarketEvent>>> marketConsumers = new HashMap<>();
    Function<Instrument, java.util.function.Supplier<String>> ids = Quoter.ids(gatewaySettings.clientOrderIdPrefix());
    userFeed =
        ctx.spawn(
            supervised(
                UserDataFeed.Command.class,
                UserDataFeed.create(
                    UserStreamSettings.fromConfig(config),
                    ReconcileSettings.fromConfig(config),
                    settings.wsUrl(),
                    instruments,
                    accountApi,
                    LocalOrderView.ofGateway(gateway, Duration.ofSeconds(5), ctx.getSystem().scheduler()),
                    recorder == null
                        ? new AkkaUserStreamConnector(ctx.getSystem(), Duration.ofSeconds(5))
                        : Taps.userStream(new AkkaUserStreamConnector(ctx.getSystem(), Duration.ofSeconds(5)), recorder),
                    meters)),
            "user-data-feed");
    ActorRef<UserDataFeed.Command> userFeedRef = userFeed;
    DepthSnapshotClient snapshots = new RestDepthSnapshotClient(rest);
    if (recorder != null) {
      snapshots = Taps.snapshots(snapshots, recorder);
    }
    List<FeedPlan> plans = FeedPlan.plan(feedSettings, instruments);
    Map<FeedPlan, FeedMetrics> feedMetrics = new HashMap<>();
    Map<String, FeedMetrics> depthMetrics = new HashMap<>();
    for (FeedPlan plan : plans) {
      FeedMetrics m = new FeedMetrics(meters, plan.name(), plan.instruments());
      feedMetrics.put(plan, m);
      if (plan.depth()) {
        plan.instruments().forEach(i -> depthMetrics.put(i.symbol(), m));
      }
    }
    Map<String, BookOwner> bookOwners = new HashMap<>();
    for (Instrument ins : instruments) {
      FeedMetrics bookMetrics = depthMetrics.get(ins.symbol());
      // nobody else needs the top of book: the ops view asks the quoter for its book and quotes together
      Quoter.BookSource book = bookMetrics == null ? null : new Quoter.BookSource(snapshots, feedSettings, bookMetrics, null);
      // each incarnation subscribes itself to its symbol's user-stream events: the feed answers a new
      // subscriber with the stream's current state, so a restarted quoter does not wait for a reconnect
      java.util.function.Consumer<ActorRef<AccountEvent>> accountEvents =
          ref -> userFeedRef.tell(new UserDataFeed.SubscribeSymbol(ins.id(), ref));
      ActorRef<Quoter.Command> quoter = ctx.spawn(supervised(Quoter.Command.class, Quoter.create(new Quoter.Dependencies(ins, quoterSettings, riskRef, ids, false).withStages(metrics.latency()).withBook(book)
          .withAccountEvents(accountEvents).withFees(accountApi::commissionRate))), "quoter-" + ins.symbol(), hot);
      quoters.put(ins.symbol(), quoter);
      if (book != null) {
        // the quoter owns the book: the feed's diffs go straight to it (a supervised restart keeps the ref)
        bookOwners.put(ins.symbol(), command -> quoter.tell(new Quoter.Depth(command)));
      }
      ActorRef<MarketEvent> marketRelay =
          ctx.spawn(
              relay(MarketEvent.class, event -> {
                quoter.tell(new Quoter.Market(event));
                if (event instanceof MarketEvent.MarkPrice) {
                  riskRef.tell(new Risk.Market(event));
                }
              }),
              "market-relay-" + ins.symbol(),
              hot);
      marketConsumers.put(ins.symbol(), List.of(marketRelay));
    }
    // the gateway settles its table from the user stream (and reconciliation's restatements) too
    userFeed.tell(new UserDataFeed.SubscribeAll(ctx.spawn(relay(AccountEvent.class, event -> {
      if (event instanceof AccountEvent.OrderUpdate u) {
        gatewayRef.tell(new OrderGateway.Report(u.report()));
      }
    }), "account-relay-gateway")));
    ActorRef<AccountEvent> riskAccountRelay =
        ctx.spawn(relay(AccountEvent.class, event -> riskRef.tell(new Risk.Account(event))), "account-relay-risk");
    userFeed.tell(new UserDataFeed.SubscribeAll(riskAccountRelay));
    if (journalFeed != null) {
      ActorRef<JournalFeed.Command> feedRef = journalFeed;
      userFeed.tell(new UserDataFeed.SubscribeAll(ctx.spawn(relay(AccountEvent.class, event -> feedRef.tell(new JournalFeed.Account(event))), "account-relay-journal")));
    }

    for (FeedPlan plan : plans) {
      ActorRef<MarketFeed.Command> feed = ctx.spawn(
          supervised(MarketFeed.Command.class, MarketFeed.create(plan, feedSettings, settings.wsUrl(), snapshots, feedMetrics.get(plan), marketConsumers, bookOwners,
              recorder == null ? FrameTap.NONE : recorder.tap())),
          "market-feed-" + plan.name(),
          hot);
      marketFeeds.add(new MarketFeedPart(plan.name(), feed, plan.instruments(), feedMetrics.get(plan)));
    }
    deadManSwitch = ctx.spawn(supervised(DeadManSwitch.Command.class, DeadManSwitch.create(DeadManSwitchSettings.fromConfig(config), instruments, accountApi, meters)), "dead-man-switch");
    getContext().getLog().info("phoenix started: {} symbols {}", instruments.size(), settings.symbols());
  }

  /**
   * REST, or the WebSocket trading API with REST as its fallback ({@code phoenix.gateway.transport});
   * the session's state is a gauge ({@code phoenix_gateway_ws_api_up}) and every switch is logged.
   */
  private ExchangeTransport orderTransport() {
    ExchangeTransport rest = ExchangeTransport.of(orderRest);
    if (!wsApiSettings.enabled()) {
      return rest;
    }
    BinanceRestSettings restSettings = BinanceRestSettings.fromConfig(config);
    wsApi = WsApiTransport.create(getContext().getSystem(), wsApiSettings, restSettings.apiKey(), restSettings.apiSecret(),
        clock, restSettings.recvWindow(), rest);
    WsApiTransport ws = wsApi;
    meters.gauge("phoenix.gateway.ws.api.up", ws, t -> t.up() ? 1 : 0);
    io.micrometer.core.instrument.FunctionCounter.builder("phoenix.gateway.transport.requests", ws, WsApiTransport::sentOverWebSocket)
        .tag("transport", "ws-api").register(meters);
    io.micrometer.core.instrument.FunctionCounter.builder("phoenix.gateway.transport.requests", ws, WsApiTransport::sentOverFallback)
        .tag("transport", "rest-fallback").register(meters);
    return ws.start();
  }

  /**
   * Risk's outlet to the gateway, run on risk's thread: every approved intent goes to the gateway
   * unchanged and a copy to the journal feed (conversion happens there, off this path); risk hands
   * over every gateway answer after it has forwarded it, so the journal also sees rejections that
   * never reach the user stream.
   */
  private static Risk.Outlet gatewayOutlet(ActorRef<OrderGateway.Command> gateway, ActorRef<JournalFeed.Command> journalFeed, Recorder recorder) {
    return new Risk.Outlet() {
      @Override
      public void send(Risk.Outbound.Send send) {
        gateway.tell(submit(send));
        journal(send);
      }

      @Override
      public void sendAll(List<Risk.Outbound.Send> sends) {
        List<OrderGateway.Submit> submits = new ArrayList<>(sends.size());
        for (Risk.Outbound.Send send : sends) {
          submits.add(submit(send));
        }
        gateway.tell(new OrderGateway.SubmitAll(submits));
        sends.forEach(this::journal);
      }

      @Override
      public void observed(OrderEvent event) {
        if (recorder != null) {
          recorder.answer(System.nanoTime(), event);
        }
        if (journalFeed != null) {
          journalFeed.tell(new JournalFeed.Gateway(event));
        }
      }

      private OrderGateway.Submit submit(Risk.Outbound.Send send) {
        return new OrderGateway.Submit(send.intent(), send.replyTo(), send.riskNanos());
      }

      private void journal(Risk.Outbound.Send send) {
        if (recorder != null) {
          recorder.request(System.nanoTime(), send.intent());
        }
        if (journalFeed != null) {
          journalFeed.tell(new JournalFeed.Requested(send.intent()));
        }
      }
    };
  }

  /**
   * Before anything trades, on purpose on this thread: run concurrently it competed with the first
   * orders for the CPU and made their tail worse. A few hundred milliseconds, once per start.
   */
  private void warmUpOrderPath(int rounds) {
    if (rounds == 0) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      int built = OrderPathWarmUp.run(instruments, rounds, orderRest::prepare);
      getContext().getLog().info("order path warmed up: {} requests built and signed (none sent) in {} ms", built, (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      getContext().getLog().warn("order path warm-up skipped: {}", e.getMessage());
    }
  }

  private static int ordersPer10s(RestExchangeInfo info) {
    int limit = 0;
    for (RateBudget.Limit l : RateBudget.fromExchange(info.rateLimits())) {
      if (l.scope() == RateBudget.Scope.ORDERS && l.windowMillis() <= 10_000 && (limit == 0 || l.limit() < limit)) {
        limit = l.limit();
      }
    }
    return limit;
  }

  /**
   * A stateless forwarder: gives a producer (feed, user stream, risk) a stable reference whatever
   * happens to the consumer behind it, and translates one protocol into another.
   */
  private static <A> Behavior<A> relay(Class<A> type, java.util.function.Consumer<A> action) {
    return Behaviors.receive(type)
        .onAnyMessage(
            message -> {
              action.accept(message);
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    List<Quoter.Status> list = new ArrayList<>();
    for (String symbol : quoters.keySet()) {
      Quoter.Status s = quoterStatus.get(symbol);
      if (s != null) {
        list.add(s);
      }
    }
    get.replyTo().tell(new NodeStatus(!quoters.isEmpty(), instruments, List.copyOf(list), riskState));
    return this;
  }

  private Behavior<Command> onGetParts(GetParts get) {
    get.replyTo().tell(new Parts(instruments, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(quoters)), risk, List.copyOf(marketFeeds), userFeed, gateway));
    return this;
  }

  private Behavior<Command> onGetWorkingOrders(GetWorkingOrders get) {
    if (gateway == null) {
      get.replyTo().tell(new OrderGateway.WorkingOrders(List.of()));
    } else {
      gateway.tell(new OrderGateway.GetWorkingOrders(get.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onStatusTick() {
    ActorRef<Quoter.Status> statusTo = getContext().messageAdapter(Quoter.Status.class, QuoterStatusArrived::new);
    for (ActorRef<Quoter.Command> q : quoters.values()) {
      q.tell(new Quoter.GetStatus(statusTo));
    }
    if (risk != null) {
      risk.tell(new Risk.GetState(getContext().messageAdapter(Risk.RiskState.class, RiskStateArrived::new)));
    }
    if (!quoters.isEmpty()) {
      getContext().getLog().info(StatusLine.latency(metrics.latency()));
    }
    return this;
  }

  private Behavior<Command> onQuoterStatus(QuoterStatusArrived arrived) {
    Quoter.Status s = arrived.status();
    quoterStatus.put(s.symbol(), s);
    probes.quoter(s);
    Instrument ins = instrument(s.symbol());
    if (ins != null) {
      getContext().getLog().info(StatusLine.format(s, ins));
    }
    return this;
  }

  private Instrument instrument(String symbol) {
    for (Instrument i : instruments) {
      if (i.symbol().equals(symbol)) {
        return i;
      }
    }
    return null;
  }

  private Behavior<Command> onRiskState(RiskStateArrived arrived) {
    riskState = arrived.state();
    probes.risk(riskState);
    countRiskRejects(riskState);
    if (deadManSwitch != null && !shuttingDown) {
      if (riskState.tripped()) {
        deadManSwitch.tell(new DeadManSwitch.Unhealthy(DeadManSwitch.ALL_SYMBOLS, "kill switch: " + riskState.tripReason()));
      } else {
        deadManSwitch.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
      }
    }
    return this;
  }

  /** Risk's reject counts are cumulative: the counter gets the increase since the last state. */
  private void countRiskRejects(Risk.RiskState state) {
    if (state.rejectsByReason() == null) {
      return;
    }
    state.rejectsByReason().forEach((reason, count) -> {
      long before = riskRejectsSeen.getOrDefault(reason, 0L);
      long delta = count < before ? count : count - before; // a restarted risk starts from 0
      if (delta > 0) {
        metrics.counter("phoenix.order.rejects", "Order rejects by code (exchange error codes and local risk codes)",
            Tags.of("code", GuardianOpsView.code(reason))).increment(delta);
      }
      riskRejectsSeen.put(reason, count);
    });
  }

  private Behavior<Command> onGetRisk(GetRisk get) {
    if (risk != null) {
      risk.tell(new Risk.GetState(get.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onKill(Kill kill) {
    if (risk != null) {
      getContext().getLog().warn("kill switch: {}", kill.reason());
      risk.tell(new Risk.Trip(kill.reason()));
      risk.tell(new Risk.GetState(kill.replyTo()));
      // the refreshed state reaches the gauges before the next status tick
      risk.tell(new Risk.GetState(getContext().messageAdapter(Risk.RiskState.class, RiskStateArrived::new)));
    }
    return this;
  }

  private Behavior<Command> onResume(Resume resume) {
    if (risk != null && !shuttingDown) {
      getContext().getLog().warn("kill switch reset by the operator");
      risk.tell(new Risk.Reset(resume.replyTo()));
      risk.tell(new Risk.GetState(getContext().messageAdapter(Risk.RiskState.class, RiskStateArrived::new)));
    }
    return this;
  }

  private Behavior<Command> onFlushJournal(FlushJournal flush) {
    if (journal == null) {
      flush.replyTo().tell(new Journal.Flushed(0, 0));
    } else {
      journal.tell(new Journal.Flush(flush.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onCloseFeeds(CloseFeeds close) {
    marketFeeds.forEach(f -> getContext().stop(f.feed()));
    marketFeeds.clear();
    if (userFeed != null) {
      getContext().stop(userFeed);
      userFeed = null;
    }
    close.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onUserStreamFirstUp(UserStreamFirstUp up) {
    if (journalStore == null || accountApi == null) {
      return this;
    }
    BinanceAccountRestApi api = accountApi;
    Map<String, Instrument> bySymbol = new HashMap<>();
    instruments.forEach(i -> bySymbol.put(i.symbol(), i));
    JournalCompleter completer = new JournalCompleter(journalStore, (symbol, fromId) -> {
      Instrument ins = bySymbol.get(symbol);
      // without a journaled trade: the last 7 days, the longest window userTrades serves by time
      long since = System.currentTimeMillis() - Duration.ofDays(7).minusMinutes(1).toMillis();
      return api.userTrades(ins, fromId, since).thenApply(trades -> trades.stream().map(t -> fill(ins, t)).toList());
    }, journalStartAfter);
    java.util.concurrent.Executor blocking =
        getContext().getSystem().dispatchers().lookup(akka.actor.typed.DispatcherSelector.fromConfig(journalSettings.dispatcher()));
    getContext().pipeToSelf(completer.completeAsync(bySymbol.keySet(), blocking), JournalCompleted::new);
    return this;
  }

  private static JournalEntry.FillRecorded fill(Instrument ins, ExchangeState.Trade t) {
    return new JournalEntry.FillRecorded(ins.symbol(), t.tradeId(), t.orderId(), null, t.side().name(),
        new BigDecimal(ins.price().format(t.priceTicks())), new BigDecimal(ins.quantity().format(t.qtySteps())),
        BigDecimal.valueOf(t.commission()), BigDecimal.valueOf(t.realizedPnl()), t.maker(), Instant.ofEpochMilli(t.time()));
  }

  private Behavior<Command> onJournalCompleted(JournalCompleted done) {
    if (done.failure() != null) {
      getContext().getLog().error("journal completion failed: {}", done.failure().toString());
    } else {
      getContext().getLog().info("journal completion from userTrades: inserted {}", done.inserted());
    }
    return this;
  }

  private Behavior<Command> onStopQuoting(StopQuoting stop) {
    stopQuoting();
    stop.replyTo().tell(Done.getInstance());
    return this;
  }

  private void stopQuoting() {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    if (risk != null) {
      getContext().getLog().info("shutting down: stopping quoters and cancelling every order");
      // the operator stop pulls every quoter and sends a cancel-all of every symbol to the gateway
      risk.tell(new Risk.Trip("shutdown"));
    }
  }

  private Behavior<Command> onShutdown(Shutdown shutdown) {
    if (shutdownDone) {
      shutdown.replyTo().tell(Done.getInstance());
      return this;
    }
    shutdownWaiters.add(shutdown.replyTo());
    if (shutdownWaiters.size() > 1) {
      return this;
    }
    stopQuoting();
    if (risk == null) {
      onGraceOver();
      return this;
    }
    timers.startSingleTimer(GraceOver.INSTANCE, settings.shutdownGrace());
    timers.startTimerWithFixedDelay(CheckOrdersLeft.INSTANCE, CheckOrdersLeft.INSTANCE, Duration.ofMillis(100));
    return this;
  }

  private Behavior<Command> onCheckOrdersLeft() {
    if (gateway != null) {
      gateway.tell(new OrderGateway.GetWorkingOrders(getContext().messageAdapter(OrderGateway.WorkingOrders.class, OrdersLeft::new)));
    }
    return this;
  }

  private Behavior<Command> onOrdersLeft(OrdersLeft left) {
    if (left.orders().orders().isEmpty() && !disarming && !shutdownWaiters.isEmpty()) {
      getContext().getLog().info("shutdown: the gateway holds no working order");
      return onGraceOver();
    }
    return this;
  }

  private Behavior<Command> onGraceOver() {
    if (disarming) {
      return this;
    }
    disarming = true;
    timers.cancel(CheckOrdersLeft.INSTANCE);
    timers.cancel(GraceOver.INSTANCE);
    if (deadManSwitch != null) {
      deadManSwitch.tell(new DeadManSwitch.Disarm(getContext().messageAdapter(DeadManSwitch.Disarmed.class, DisarmDone::new)));
      // the reply ends the shutdown; if it never comes the caller's ask times out
      return this;
    }
    finishShutdown();
    return this;
  }

  private Behavior<Command> onDisarmDone(DisarmDone done) {
    getContext().getLog().info("dead-man switch disarmed for {} (failed {})", done.disarmed().symbols(), done.disarmed().failed());
    finishShutdown();
    return this;
  }

  private void finishShutdown() {
    shutdownDone = true;
    for (ActorRef<Done> waiter : shutdownWaiters) {
      waiter.tell(Done.getInstance());
    }
    shutdownWaiters.clear();
  }
}
