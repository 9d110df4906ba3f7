package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.account.AkkaUserStreamConnector;
import io.phoenix.account.UserDataFeed;
import io.phoenix.account.UserStreamConnector;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.order.WsApiTransport;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestDepthSnapshotClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.PhoenixSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.execution.EpochLease;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.OrderGatewayDependencies;
import io.phoenix.execution.OrderPathWarmUp;
import io.phoenix.execution.ReconciliationRequests;
import io.phoenix.execution.TimeSync;
import io.phoenix.journal.Journal;
import io.phoenix.journal.JournalFeed;
import io.phoenix.market.BookOwner;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.FeedPlan;
import io.phoenix.market.FrameTap;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.MarketFeed;
import io.phoenix.model.AccountEvent;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.Quoter;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.reconcile.Reconcile;
import io.phoenix.recorder.Recorder;
import io.phoenix.recorder.Taps;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's table of children: which actor is spawned under which name, under which supervision,
 * and what each is connected to. Used by {@link PhoenixGuardian} on its own thread; it owns the
 * REST clients of the node (one rate budget for every request of the account) and the WebSocket
 * trading session, which {@link #close()} ends.
 *
 * <p>Every child runs under restart-with-backoff ({@code phoenix.guardian.restart-*}): a failing
 * child is restarted alone, after a delay, while the others keep running; its reference survives,
 * so the links below never change. The route of a depth frame: {@code market-feed-NAME} ({@code
 * MarketFeed}) hands each symbol's diffs to the {@code BookOwner} of {@code Quoter.bookOwner},
 * which tells the symbol's {@code quoter-SYMBOL} (no relay actor, no extra hop); the quoter asks
 * {@code risk}; risk's outlet {@link RiskToGateway} tells the {@code order-gateway}, which sends
 * the order. Off the hot path the relays of {@link Relays} carry trades and marks to quoters and
 * risk, and user-stream events to the gateway, risk and the journal; {@code reconcile} corrects the
 * account through the user stream's fan-out.
 */
final class NodeWiring {
  private final ActorContext<?> context;
  private final PhoenixSettings settings;
  private final Metrics metrics;
  private final MeterRegistry meters;
  private final Recorder recorder;
  private final ServerClock clock = new ServerClock();
  private final SharedRateBudget budget;
  // everything but order entry, paced through the budget
  private final BinanceRestClient rest;
  // order entry only: connections of its own, charged to the budget by the gateway
  private final BinanceRestClient orderRest;
  // the WebSocket trading API session when phoenix.gateway.transport = ws-api, else null
  private WsApiTransport wsApi;

  /** The trading children, spawned once the venue and the account are known. */
  record Children(
      ActorRef<OrderGateway.Command> gateway,
      ActorRef<Risk.Command> risk,
      Map<String, ActorRef<Quoter.Command>> quoters,
      ActorRef<UserDataFeed.Command> userFeed,
      ActorRef<Reconcile.Command> reconcile,
      List<MarketFeedPart> marketFeeds,
      ActorRef<DeadManSwitch.Command> deadManSwitch,
      BinanceAccountRestApi accountApi) {}

  /**
   * @param recorder records market data, orders and the user stream (null: nothing is recorded)
   */
  NodeWiring(
      ActorContext<?> context, PhoenixSettings settings, Metrics metrics, Recorder recorder) {
    this.context = context;
    this.settings = settings;
    this.metrics = metrics;
    this.meters = metrics.registry();
    this.recorder = recorder;
    this.budget = OrderGatewayDependencies.defaultBudget(settings.gateway());
    // the budget's listener runs on whichever thread released the wait, never the actor's: the
    // context's logger may only be taken here
    org.slf4j.Logger log = context.getLog();
    this.rest =
        BinanceRestClient.background(
            context.getSystem(),
            settings.rest(),
            clock,
            budget,
            (event, millis) -> {
              meters.counter("phoenix.rest.background", "event", event).increment();
              // a wait this long holds up a listenKey or a snapshot a reconnect is waiting for: say
              // why
              if (millis >= 1_000) {
                log.warn(
                    "Background requests (listenKey, snapshots, reconciliation) wait {} ms: {}",
                    millis,
                    event.equals("budget")
                        ? "the request weight budget of this minute is used up"
                        : event);
              }
            });
    this.orderRest = BinanceRestClient.create(context.getSystem(), settings.rest(), clock);
  }

  BinanceRestClient rest() {
    return rest;
  }

  ServerClock clock() {
    return clock;
  }

  SharedRateBudget budget() {
    return budget;
  }

  /**
   * Restart with back-off; the per-actor meters sit inside the supervisor so restarts are counted.
   */
  <T> Behavior<T> supervised(Class<T> type, Behavior<T> behavior) {
    GuardianSettings guardian = settings.guardian();
    // behind the interceptor Akka's logger-class detection would name the actor "ActorCell":
    // name it after the actor class that declares the protocol (Risk.Command -> Risk)
    Class<?> owner = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
    Behavior<T> named =
        Behaviors.setup(
            ctx -> {
              ctx.setLoggerName(owner);
              return behavior;
            });
    return Behaviors.supervise(metrics.instrument(type, named, guardian.unitName()))
        .onFailure(
            RuntimeException.class,
            SupervisorStrategy.restartWithBackoff(
                guardian.restartMinBackoff(),
                guardian.restartMaxBackoff(),
                guardian.restartJitter()));
  }

  /**
   * Spawns the trading children in dependency order: time sync, gateway, journal feed, risk, user
   * stream, reconciliation, one quoter per symbol, the market feeds, the dead-man switch.
   *
   * @param journal null without a journal
   * @param firstUp told the user stream's first Up (the journal's catch-up), null without a journal
   * @param lease the unit's fencing epoch (in every client order id) and its right to send
   */
  Children spawnTrading(
      RestExchangeInfo info,
      List<Instrument> instruments,
      NodeProbes probes,
      ActorRef<Journal.Command> journal,
      ActorRef<AccountEvent.UserStreamUp> firstUp,
      EpochLease lease) {
    GuardianSettings guardian = settings.guardian();
    Props hot =
        settings.latency().ownDispatcher()
            ? DispatcherSelector.fromConfig(settings.latency().dispatcher())
            : Props.empty();

    ActorRef<TimeSync.Command> timeSync =
        context.spawn(
            supervised(
                TimeSync.Command.class,
                TimeSync.create(rest::serverTime, clock, settings.gateway().timeSync())),
            "time-sync");
    warmUpOrderPath(instruments, settings.gateway().warmUpRounds());
    ReconcileLink reconcileLink = new ReconcileLink();
    ActorRef<OrderGateway.Command> gateway =
        context.spawn(
            supervised(
                OrderGateway.Command.class,
                OrderGateway.create(
                    new OrderGatewayDependencies(
                        orderTransport(),
                        instruments,
                        settings.gateway(),
                        clock,
                        timeSync,
                        meters,
                        metrics.latency(),
                        budget,
                        reconcileLink,
                        lease))),
            "order-gateway",
            hot);
    probes.instruments(instruments, ordersPer10s(info));
    probes.registerGauges(metrics);
    ActorRef<JournalFeed.Command> journalFeed =
        journal == null
            ? null
            : context.spawn(
                JournalFeed.create(instruments, journal, firstUp, metrics::recordReject),
                "journal-feed");
    BinanceAccountRestApi accountApi = BinanceAccountRestApi.forInstruments(rest, instruments);
    if (recorder != null) {
      recorder.instruments(instruments);
    }
    // a (re)started risk reads the exchange's positions before it approves a new order
    ActorRef<Risk.Command> risk =
        context.spawn(
            supervised(
                Risk.Command.class,
                Risk.create(
                    new Risk.Dependencies(
                            settings.risk(),
                            instruments,
                            new RiskToGateway(gateway, journalFeed, recorder),
                            guardian.riskCheckInterval())
                        .withStages(metrics.latency())
                        .withPositions(accountApi::positions))),
            "risk",
            hot);
    gateway.tell(
        new OrderGateway.RegisterAlertListener(
            context.spawn(Relays.gatewayHaltsToRisk(risk), "gateway-alerts-risk")));

    ActorRef<UserDataFeed.Command> userFeed =
        context.spawn(
            supervised(
                UserDataFeed.Command.class,
                UserDataFeed.create(
                    settings.userStream(),
                    guardian.wsUrl(),
                    instruments,
                    accountApi,
                    userStreamConnector(),
                    meters)),
            "user-data-feed");
    // compares the gateway's table with the exchange after every connect of the user stream and on
    // a timer
    ActorRef<Reconcile.Command> reconcile =
        context.spawn(
            supervised(
                Reconcile.Command.class,
                Reconcile.create(
                    settings.reconcile(),
                    settings.userStream().tradeIdMemory(),
                    instruments,
                    accountApi,
                    LocalOrderView.ofGateway(
                        gateway, Duration.ofSeconds(5), context.getSystem().scheduler()),
                    userFeed,
                    meters)),
            "reconcile");
    reconcileLink.connect(reconcile);

    DepthSnapshotClient snapshots = new RestDepthSnapshotClient(rest);
    if (recorder != null) {
      snapshots = Taps.snapshots(snapshots, recorder);
    }
    List<FeedPlan> plans = FeedPlan.plan(settings.feed(), instruments);
    Map<FeedPlan, FeedMetrics> feedMetrics = new HashMap<>();
    Map<String, FeedMetrics> depthMetrics = new HashMap<>();
    for (FeedPlan plan : plans) {
      FeedMetrics m = new FeedMetrics(meters, plan.name(), plan.instruments());
      feedMetrics.put(plan, m);
      if (plan.depth()) {
        plan.instruments().forEach(i -> depthMetrics.put(i.symbol(), m));
      }
    }
    Map<String, ActorRef<Quoter.Command>> quoters = new LinkedHashMap<>();
    Map<String, BookOwner> bookOwners = new HashMap<>();
    Map<String, List<ActorRef<MarketEvent>>> marketConsumers = new HashMap<>();
    Function<Instrument, Supplier<String>> ids =
        Quoter.ids(settings.gateway().clientOrderIdPrefix(), lease.epoch());
    for (Instrument ins : instruments) {
      FeedMetrics bookMetrics = depthMetrics.get(ins.symbol());
      // nobody else needs the top of book: the ops view asks the quoter for its book and quotes
      // together
      Quoter.BookSource book =
          bookMetrics == null
              ? null
              : new Quoter.BookSource(snapshots, settings.feed(), bookMetrics, null);
      // each incarnation subscribes itself to its symbol's user-stream events: the feed answers a
      // new
      // subscriber with the stream's current state, so a restarted quoter does not wait for a
      // reconnect
      Consumer<ActorRef<AccountEvent>> accountEvents =
          ref -> userFeed.tell(new UserDataFeed.SubscribeSymbol(ins.id(), ref));
      ActorRef<Quoter.Command> quoter =
          context.spawn(
              supervised(
                  Quoter.Command.class,
                  Quoter.create(
                      new Quoter.Dependencies(ins, settings.quoter(), risk, ids, false)
                          .withStages(metrics.latency())
                          .withBook(book)
                          .withAccountEvents(accountEvents)
                          .withFees(accountApi::commissionRate))),
              "quoter-" + ins.symbol(),
              hot);
      quoters.put(ins.symbol(), quoter);
      if (book != null) {
        bookOwners.put(ins.symbol(), Quoter.bookOwner(quoter));
      }
      marketConsumers.put(
          ins.symbol(),
          List.of(
              context.spawn(
                  Relays.marketToQuoterAndRisk(quoter, risk),
                  "market-relay-" + ins.symbol(),
                  hot)));
    }
    userFeed.tell(
        new UserDataFeed.SubscribeAll(
            context.spawn(Relays.orderUpdatesToGateway(gateway), "account-relay-gateway")));
    userFeed.tell(
        new UserDataFeed.SubscribeAll(
            context.spawn(Relays.accountToRisk(risk), "account-relay-risk")));
    if (journalFeed != null) {
      userFeed.tell(
          new UserDataFeed.SubscribeAll(
              context.spawn(Relays.accountToJournal(journalFeed), "account-relay-journal")));
    }

    List<MarketFeedPart> marketFeeds = new ArrayList<>();
    for (FeedPlan plan : plans) {
      ActorRef<MarketFeed.Command> feed =
          context.spawn(
              supervised(
                  MarketFeed.Command.class,
                  MarketFeed.create(
                      new MarketFeed.Dependencies(
                          plan,
                          settings.feed(),
                          guardian.wsUrl(),
                          snapshots,
                          feedMetrics.get(plan),
                          marketConsumers,
                          bookOwners,
                          recorder == null ? FrameTap.NONE : recorder.tap()))),
              "market-feed-" + plan.name(),
              hot);
      marketFeeds.add(
          new MarketFeedPart(plan.name(), feed, plan.instruments(), feedMetrics.get(plan)));
    }
    ActorRef<DeadManSwitch.Command> deadManSwitch =
        context.spawn(
            supervised(
                DeadManSwitch.Command.class,
                DeadManSwitch.create(settings.deadManSwitch(), instruments, accountApi, meters)),
            "dead-man-switch");
    return new Children(
        gateway, risk, quoters, userFeed, reconcile, marketFeeds, deadManSwitch, accountApi);
  }

  /**
   * The gateway's asks for a reconciliation run, to the {@code reconcile} actor. Reconcile is
   * spawned after the gateway (it reads the gateway's table), so the link is connected then; an ask
   * before that is dropped, which loses nothing: reconcile runs after the user stream's first
   * connect, and the stream starts after it.
   */
  private static final class ReconcileLink implements ReconciliationRequests {
    private volatile ActorRef<Reconcile.Command> reconcile;

    void connect(ActorRef<Reconcile.Command> reconcile) {
      this.reconcile = reconcile;
    }

    @Override
    public void request() {
      ActorRef<Reconcile.Command> target = reconcile;
      if (target != null) {
        target.tell(Reconcile.RunNow.INSTANCE);
      }
    }
  }

  private UserStreamConnector userStreamConnector() {
    UserStreamConnector connector =
        new AkkaUserStreamConnector(context.getSystem(), Duration.ofSeconds(5));
    return recorder == null ? connector : Taps.userStream(connector, recorder);
  }

  /**
   * REST, or the WebSocket trading API with REST as its fallback ({@code
   * phoenix.gateway.transport}); the session's state is a gauge ({@code phoenix_gateway_ws_api_up})
   * and every switch is logged.
   */
  private ExchangeTransport orderTransport() {
    ExchangeTransport restTransport = ExchangeTransport.of(orderRest);
    if (!settings.wsApi().enabled()) {
      return restTransport;
    }
    WsApiTransport ws =
        WsApiTransport.create(
            context.getSystem(),
            settings.wsApi(),
            settings.rest().apiKey(),
            settings.rest().apiSecret(),
            clock,
            settings.rest().recvWindow(),
            restTransport);
    wsApi = ws;
    meters.gauge("phoenix.gateway.ws.api.up", ws, t -> t.up() ? 1 : 0);
    FunctionCounter.builder(
            "phoenix.gateway.transport.requests", ws, WsApiTransport::sentOverWebSocket)
        .tag("transport", "ws-api")
        .register(meters);
    FunctionCounter.builder(
            "phoenix.gateway.transport.requests", ws, WsApiTransport::sentOverFallback)
        .tag("transport", "rest-fallback")
        .register(meters);
    return ws.start();
  }

  /**
   * Before anything trades, on purpose on this thread: run concurrently it competed with the first
   * orders for the CPU and made their tail worse. A few hundred milliseconds, once per start.
   */
  private void warmUpOrderPath(List<Instrument> instruments, int rounds) {
    if (rounds == 0) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      int built = OrderPathWarmUp.run(instruments, rounds, orderRest::prepare);
      context
          .getLog()
          .info(
              "order path warmed up: {} requests built and signed (none sent) in {} ms",
              built,
              (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      context.getLog().warn("order path warm-up skipped: {}", e.getMessage());
    }
  }

  private static int ordersPer10s(RestExchangeInfo info) {
    int limit = 0;
    for (RateBudget.Limit l : RateBudget.fromExchange(info.rateLimits())) {
      if (l.scope() == RateBudget.Scope.ORDERS
          && l.windowMillis() <= 10_000
          && (limit == 0 || l.limit() < limit)) {
        limit = l.limit();
      }
    }
    return limit;
  }

  /** Ends the WebSocket trading session, if any (the guardian's PostStop). */
  void close() {
    if (wsApi != null) {
      wsApi.close();
    }
  }
}
