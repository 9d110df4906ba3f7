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
import io.phoenix.ops.Metrics;
import io.phoenix.account.AccountEvent;
import io.phoenix.account.AkkaUserStreamConnector;
import io.phoenix.account.BinanceAccountRestApi;
import io.phoenix.account.UserDataFeed;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.DeadManSwitchSettings;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.GatewaySettings;
import io.phoenix.config.GuardianSettings;
import io.phoenix.config.LatencySettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.config.UserStreamSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.execution.ExchangeTransport;
import io.phoenix.execution.LocalOrderView;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.RateBudget;
import io.phoenix.execution.TimeSync;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.FeedPlan;
import io.phoenix.market.HttpDepthSnapshotClient;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.MarketFeed;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The node's root supervisor. Starting, it loads exchangeInfo (retrying every few seconds until the
 * venue answers), then spawns every component under restart-with-backoff: {@code time-sync},
 * {@code order-gateway}, {@code risk}, one {@code quoter-SYMBOL} per symbol, the market feeds
 * ({@code market-feed-NAME}), {@code user-data-feed} and {@code dead-man-switch}. Market events
 * reach a quoter (and mark prices risk) through a small relay per symbol, user-stream events
 * through relays subscribed per symbol (quoters) and for everything (risk), so the feeds hold
 * stable references however often a quoter restarts.
 *
 * <p>Commands: {@link GetStatus} replies with the latest {@link NodeStatus};
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

  /** The gateway's working and in-flight orders (forwarded to the gateway; empty before start). */
  public record GetWorkingOrders(ActorRef<OrderGateway.WorkingOrders> replyTo) implements Command {}

  /** Stop quoting, cancel everything, disarm; reply when the grace period is over. */
  public record Shutdown(ActorRef<Done> replyTo) implements Command {}

  /**
   * The latest statuses (refreshed every status interval).
   *
   * @param started children spawned (exchangeInfo loaded)
   */
  public record NodeStatus(boolean started, List<Instrument> instruments, List<Quoter.Status> quoters, Risk.RiskState risk) {}

  private record ExchangeInfoLoaded(RestExchangeInfo info, String failure) implements Command {}

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

  private final Config config;
  private final GuardianSettings settings;
  private final TimerScheduler<Command> timers;
  private final Metrics metrics;
  private final MeterRegistry meters;
  private final ServerClock clock = new ServerClock();
  private final BinanceRestClient rest;

  private List<Instrument> instruments = List.of();
  private final Map<String, ActorRef<Quoter.Command>> quoters = new LinkedHashMap<>();
  private final Map<String, Quoter.Status> quoterStatus = new HashMap<>();
  private Risk.RiskState riskState;
  private ActorRef<Risk.Command> risk;
  private ActorRef<OrderGateway.Command> gateway;
  private ActorRef<DeadManSwitch.Command> deadManSwitch;
  private final List<ActorRef<Done>> shutdownWaiters = new ArrayList<>();
  private boolean shuttingDown;

  private PhoenixGuardian(ActorContext<Command> context, TimerScheduler<Command> timers, Config config, Metrics metrics) {
    super(context);
    this.config = config;
    this.settings = GuardianSettings.fromConfig(config);
    this.timers = timers;
    this.metrics = metrics;
    this.meters = metrics.registry();
    this.rest = BinanceRestClient.create(context.getSystem(), BinanceRestSettings.fromConfig(config), clock);
  }

  /**
   * @param config the full configuration (phoenix.* and akka.*), validated here: a bad setting
   *     fails the start with the key named
   */
  public static Behavior<Command> create(Config config, Metrics metrics) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  PhoenixGuardian guardian = new PhoenixGuardian(context, timers, config, metrics);
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
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetWorkingOrders.class, this::onGetWorkingOrders)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessageEquals(StatusTick.INSTANCE, this::onStatusTick)
        .onMessage(QuoterStatusArrived.class, this::onQuoterStatus)
        .onMessage(RiskStateArrived.class, this::onRiskState)
        .onMessage(DisarmDone.class, this::onDisarmDone)
        .onMessageEquals(GraceOver.INSTANCE, this::onGraceOver)
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
    spawnChildren(loaded.info());
    timers.startTimerWithFixedDelay(StatusTick.INSTANCE, settings.statusInterval());
    return this;
  }

  private Behavior<Command> onRetryStart() {
    loadExchangeInfo();
    return this;
  }

  private <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
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

    ActorRef<TimeSync.Command> timeSync = ctx.spawn(supervised(TimeSync.create(rest::serverTime, clock, gatewaySettings.timeSync())), "time-sync");
    gateway = ctx.spawn(supervised(OrderGateway.create(ExchangeTransport.of(rest), instruments, gatewaySettings, clock, timeSync, meters, metrics.latency())), "order-gateway", hot);
    gateway.tell(new OrderGateway.UpdateRateLimits(RateBudget.fromExchange(info.rateLimits())));
    ActorRef<OrderGateway.Command> gatewayRef = gateway;
    ActorRef<Risk.Outbound> gatewayPort =
        ctx.spawn(
            relay(Risk.Outbound.class, out -> {
              if (out instanceof Risk.Outbound.Send send) {
                gatewayRef.tell(new OrderGateway.Submit(send.intent(), send.replyTo(), send.riskNanos()));
              }
            }),
            "risk-gateway-port",
            hot);
    risk = ctx.spawn(supervised(Risk.create(riskSettings, instruments, gatewayPort, settings.riskCheckInterval(), metrics.latency())), "risk", hot);
    ActorRef<Risk.Command> riskRef = risk;

    Map<String, List<ActorRef<MarketEvent>>> marketConsumers = new HashMap<>();
    Function<Instrument, java.util.function.Supplier<String>> ids = Quoter.ids(gatewaySettings.clientOrderIdPrefix());
    BinanceAccountRestApi accountApi = new BinanceAccountRestApi(rest, symbol -> instruments.stream().filter(i -> i.symbol().equals(symbol)).findFirst().orElse(null));
    ActorRef<UserDataFeed.Command> userFeed =
        ctx.spawn(
            supervised(
                UserDataFeed.create(
                    UserStreamSettings.fromConfig(config),
                    ReconcileSettings.fromConfig(config),
                    settings.wsUrl(),
                    instruments,
                    accountApi,
                    LocalOrderView.ofGateway(gateway, Duration.ofSeconds(5), ctx.getSystem().scheduler()),
                    new AkkaUserStreamConnector(ctx.getSystem(), Duration.ofSeconds(5)),
                    meters)),
            "user-data-feed");
    for (Instrument ins : instruments) {
      ActorRef<Quoter.Command> quoter = ctx.spawn(supervised(Quoter.create(ins, quoterSettings, riskRef, ids, false, metrics.latency())), "quoter-" + ins.symbol(), hot);
      quoters.put(ins.symbol(), quoter);
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
      ActorRef<AccountEvent> accountRelay =
          ctx.spawn(relay(AccountEvent.class, event -> quoter.tell(new Quoter.Account(event))), "account-relay-" + ins.symbol());
      userFeed.tell(new UserDataFeed.SubscribeSymbol(ins.id(), accountRelay));
    }
    ActorRef<AccountEvent> riskAccountRelay =
        ctx.spawn(relay(AccountEvent.class, event -> riskRef.tell(new Risk.Account(event))), "account-relay-risk");
    userFeed.tell(new UserDataFeed.SubscribeAll(riskAccountRelay));

    HttpDepthSnapshotClient snapshots = new HttpDepthSnapshotClient(BinanceRestSettings.fromConfig(config).restUrl(), feedSettings.snapshotTimeout());
    for (FeedPlan plan : FeedPlan.plan(feedSettings, instruments)) {
      ctx.spawn(
          supervised(MarketFeed.create(plan, feedSettings, settings.wsUrl(), snapshots, new FeedMetrics(meters, plan.name(), plan.instruments()), marketConsumers)),
          "market-feed-" + plan.name(),
          hot);
    }
    deadManSwitch = ctx.spawn(supervised(DeadManSwitch.create(DeadManSwitchSettings.fromConfig(config), instruments, accountApi, meters)), "dead-man-switch");
    getContext().getLog().info("phoenix started: {} symbols {}", instruments.size(), settings.symbols());
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
    if (deadManSwitch != null && !shuttingDown) {
      if (riskState.tripped()) {
        deadManSwitch.tell(new DeadManSwitch.Unhealthy(DeadManSwitch.ALL_SYMBOLS, "kill switch: " + riskState.tripReason()));
      } else {
        deadManSwitch.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
      }
    }
    return this;
  }

  private Behavior<Command> onShutdown(Shutdown shutdown) {
    shutdownWaiters.add(shutdown.replyTo());
    if (shuttingDown) {
      return this;
    }
    shuttingDown = true;
    if (risk == null) {
      onGraceOver();
      return this;
    }
    getContext().getLog().info("shutting down: stopping quoters and cancelling every order");
    // the operator stop pulls every quoter and sends a cancel-all of every symbol to the gateway
    risk.tell(new Risk.Trip("shutdown"));
    timers.startSingleTimer(GraceOver.INSTANCE, settings.shutdownGrace());
    return this;
  }

  private Behavior<Command> onGraceOver() {
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
    for (ActorRef<Done> waiter : shutdownWaiters) {
      waiter.tell(Done.getInstance());
    }
    shutdownWaiters.clear();
  }
}
