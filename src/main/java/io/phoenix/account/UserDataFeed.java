package io.phoenix.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.stream.javadsl.Sink;
import akka.stream.typed.javadsl.ActorSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.binance.ws.UserDataParser;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.UserStreamSettings;
import io.phoenix.core.Failures;
import io.phoenix.core.Instrument;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.FundingPaid;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.AccountEvent.UserStreamDown;
import io.phoenix.model.AccountEvent.UserStreamUp;
import io.phoenix.model.Balances;
import io.phoenix.model.Positions;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.reconcile.ReconcileMetrics;
import io.phoenix.reconcile.Reconciliation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user data stream: owns the listenKey, the WebSocket, the account's positions and balances
 * as the stream reports them, and the reconciliation that corrects them from REST.
 *
 * <p>Commands: {@link SubscribeSymbol} (a quoter: gets order and position events of its symbol
 * and every Up/Down), {@link SubscribeAll} (risk, journal: every event), {@link Unsubscribe},
 * {@link ReconcileNow}, {@link GetStatus} (replies {@link Status}). A new subscriber immediately
 * gets the current Up/Down state. Fills are de-duplicated by trade id before anyone sees them.
 *
 * <p>Lifecycle: POST listenKey, connect to {@code ws-url + stream-path + key}, reconcile, then
 * publish {@link UserStreamUp}. A close, failure, {@code listenKeyExpired}, keepalive -1125 or a
 * failed idle probe publishes {@link UserStreamDown} and reconnects with exponential backoff; each
 * reconnect reconciles again and replays fills the outage hid (from userTrades).
 *
 * <p>Timers: keepalive (PUT listenKey), idle check (probe after silence), timed reconciliation
 * (only while connected), reconnect backoff, connect timeout.
 *
 * <p>A supervised restart keeps the subscribers (they are told {@link UserStreamDown}) but loses
 * positions, balances and the trade-id memory: the new incarnation reconnects and re-derives them
 * from REST, the exchange being the truth. A subscriber registered both per symbol and for all gets
 * an event twice; quoters should ignore order updates whose client id they do not know (manual
 * orders of their symbol are routed to them too).
 */
public final class UserDataFeed extends AbstractBehavior<UserDataFeed.Command> {

  public sealed interface Command {}

  /** Route order and position events of {@code symbolId}, and Up/Down, to {@code consumer}. */
  public record SubscribeSymbol(int symbolId, ActorRef<AccountEvent> consumer) implements Command {}

  /** Route every event to {@code subscriber}. */
  public record SubscribeAll(ActorRef<AccountEvent> subscriber) implements Command {}

  /** Remove {@code subscriber} from every route (also done automatically when it stops). */
  public record Unsubscribe(ActorRef<AccountEvent> subscriber) implements Command {}

  /** Reconcile now (for example after the gateway saw an unknown order outcome). */
  public enum ReconcileNow implements Command {
    INSTANCE
  }

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param up connected and reconciled: subscribers were sent {@link UserStreamUp}
   * @param connected the WebSocket is open
   */
  public record Status(
      boolean up,
      boolean connected,
      long frames,
      long malformedFrames,
      long duplicateFills,
      long reconnects,
      long reconcileRuns,
      long reconcileDifferences) {}

  private enum Ack {
    INSTANCE
  }

  private enum Tick implements Command {
    RECONNECT,
    KEEPALIVE,
    IDLE_CHECK,
    RECONCILE,
    RECONCILE_RETRY
  }

  private record KeyCreated(long generation, String listenKey, Throwable failure) implements Command {}

  private record Upgraded(long generation, Throwable failure) implements Command {}

  private record ConnectTimedOut(long generation) implements Command {}

  private record StreamStarted(long generation, ActorRef<Ack> ackTo) implements Command {}

  private record FrameReceived(long generation, ActorRef<Ack> ackTo, String text) implements Command {}

  private record StreamEnded(long generation, Throwable failure) implements Command {}

  private record KeepaliveDone(long generation, boolean probe, Throwable failure) implements Command {}

  private record SubscriberTerminated(ActorRef<AccountEvent> subscriber) implements Command {}

  private record ReconcileStepDone(Reconciliation.Step step) implements Command {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final UserStreamSettings settings;
  private final String wsBaseUrl;
  private final AccountRestApi api;
  private final UserStreamConnector connector;
  private final Map<String, Instrument> bySymbol = new HashMap<>();
  private final UserDataParser parser;
  private final Positions positions;
  private final Balances balances = new Balances();
  private final Reconciliation reconciliation;
  private final UserStreamMetrics metrics;
  private final Map<Integer, Set<ActorRef<AccountEvent>>> symbolConsumers;
  private final Set<ActorRef<AccountEvent>> allSubscribers;
  private final List<AccountEvent> scratch = new ArrayList<>();

  private long generation;
  private UserStreamConnector.Connection connection;
  private String listenKey;
  private boolean connected;
  private boolean up;
  private boolean everUp;
  private int consecutiveFailures;
  private long lastAliveMillis;
  private long downSinceMillis;
  private boolean probeInFlight;
  private String lastDownReason = "starting";
  private long frames;
  private long reconnects;

  private UserDataFeed(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      UserStreamSettings settings,
      ReconcileSettings reconcileSettings,
      String wsBaseUrl,
      List<Instrument> instruments,
      AccountRestApi api,
      LocalOrderView localOrders,
      UserStreamConnector connector,
      MeterRegistry meters,
      Subscribers subscribers) {
    super(context);
    this.symbolConsumers = subscribers.bySymbol;
    this.allSubscribers = subscribers.all;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.wsBaseUrl = wsBaseUrl.endsWith("/") ? wsBaseUrl.substring(0, wsBaseUrl.length() - 1) : wsBaseUrl;
    this.api = api;
    this.connector = connector;
    for (Instrument i : instruments) {
      bySymbol.put(i.symbol(), i);
    }
    this.parser = new UserDataParser(bySymbol::get);
    this.positions = new Positions(settings.tradeIdMemory());
    this.metrics = new UserStreamMetrics(meters);
    this.reconciliation = new Reconciliation(reconcileSettings, instruments, api, localOrders, positions,
        balances, new ReconcileMetrics(meters), context::getLog, this::publish);
    this.downSinceMillis = System.currentTimeMillis();
    rewatchAfterRestart();
    timers.startTimerWithFixedDelay(Tick.KEEPALIVE, Tick.KEEPALIVE, settings.keepaliveInterval());
    timers.startTimerWithFixedDelay(Tick.IDLE_CHECK, Tick.IDLE_CHECK, idleCheckPeriod(settings));
    timers.startTimerWithFixedDelay(Tick.RECONCILE, Tick.RECONCILE, reconcileSettings.interval());
    connect();
  }

  /**
   * @param wsBaseUrl {@code phoenix.binance.ws-url}
   * @param instruments the symbols this node trades; updates of others are counted and dropped
   * @param localOrders the system's working orders, for reconciliation
   * @param connector {@link AkkaUserStreamConnector} in production
   */
  public static Behavior<Command> create(
      UserStreamSettings settings,
      ReconcileSettings reconcileSettings,
      String wsBaseUrl,
      List<Instrument> instruments,
      AccountRestApi api,
      LocalOrderView localOrders,
      UserStreamConnector connector,
      MeterRegistry meters) {
    // the only state that outlives a supervised restart: who to tell (everything else is re-derived)
    Subscribers subscribers = new Subscribers();
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new UserDataFeed(context, timers, settings, reconcileSettings, wsBaseUrl,
                        List.copyOf(instruments), api, localOrders, connector, meters, subscribers)));
  }

  /**
   * Subscriber lists, allocated once per created behavior so that a restarted incarnation still
   * knows whom to tell; only one incarnation runs at a time, so there is no sharing.
   */
  private static final class Subscribers {
    final Map<Integer, Set<ActorRef<AccountEvent>>> bySymbol = new HashMap<>();
    final Set<ActorRef<AccountEvent>> all = new LinkedHashSet<>();
  }

  /** After a restart: watch the known subscribers again and tell them the stream is down. */
  private void rewatchAfterRestart() {
    Set<ActorRef<AccountEvent>> everyone = new LinkedHashSet<>(allSubscribers);
    symbolConsumers.values().forEach(everyone::addAll);
    if (everyone.isEmpty()) {
      return;
    }
    lastDownReason = "user stream restarted";
    UserStreamDown down = new UserStreamDown(lastDownReason, System.currentTimeMillis());
    for (ActorRef<AccountEvent> ref : everyone) {
      context.watchWith(ref, new SubscriberTerminated(ref));
      ref.tell(down);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SubscribeSymbol.class, this::onSubscribeSymbol)
        .onMessage(SubscribeAll.class, this::onSubscribeAll)
        .onMessage(Unsubscribe.class, m -> onUnsubscribe(m.subscriber()))
        .onMessage(SubscriberTerminated.class, m -> onUnsubscribe(m.subscriber()))
        .onMessage(ReconcileNow.class, m -> onReconcileTick())
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(KeyCreated.class, this::onKeyCreated)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(ConnectTimedOut.class, this::onConnectTimedOut)
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(FrameReceived.class, this::onFrame)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(KeepaliveDone.class, this::onKeepaliveDone)
        .onMessage(ReconcileStepDone.class, this::onReconcileStep)
        .onMessageEquals(Tick.RECONNECT, this::onReconnect)
        .onMessageEquals(Tick.KEEPALIVE, this::onKeepaliveTick)
        .onMessageEquals(Tick.IDLE_CHECK, this::onIdleCheck)
        .onMessageEquals(Tick.RECONCILE, this::onReconcileTick)
        .onMessageEquals(Tick.RECONCILE_RETRY, this::onReconcileRetry)
        .onSignal(PreRestart.class, s -> closeConnection())
        .onSignal(PostStop.class, s -> closeConnection())
        .build();
  }

  // ---- subscriptions

  private Behavior<Command> onSubscribeSymbol(SubscribeSymbol m) {
    symbolConsumers.computeIfAbsent(m.symbolId(), k -> new LinkedHashSet<>()).add(m.consumer());
    context.watchWith(m.consumer(), new SubscriberTerminated(m.consumer()));
    m.consumer().tell(currentState());
    return this;
  }

  private Behavior<Command> onSubscribeAll(SubscribeAll m) {
    allSubscribers.add(m.subscriber());
    context.watchWith(m.subscriber(), new SubscriberTerminated(m.subscriber()));
    m.subscriber().tell(currentState());
    return this;
  }

  private Behavior<Command> onUnsubscribe(ActorRef<AccountEvent> subscriber) {
    allSubscribers.remove(subscriber);
    symbolConsumers.values().forEach(set -> set.remove(subscriber));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(new Status(up, connected, frames, parser.malformedCount(), metrics.duplicateFills(),
        reconnects, reconciliation.runs(), reconciliation.differences()));
    return this;
  }

  private AccountEvent currentState() {
    long now = System.currentTimeMillis();
    return up ? new UserStreamUp(now) : new UserStreamDown(lastDownReason, now);
  }

  // ---- connection lifecycle

  private void connect() {
    closeConnection();
    generation++;
    connected = false;
    long g = generation;
    context.pipeToSelf(api.createListenKey(), (key, failure) -> new KeyCreated(g, key, failure));
  }

  private Behavior<Command> onKeyCreated(KeyCreated m) {
    if (m.generation() != generation) {
      return this;
    }
    if (m.failure() != null) {
      return connectionLost("listenKey could not be created: " + Failures.describe(m.failure()));
    }
    listenKey = m.listenKey();
    long g = generation;
    Sink<String, akka.NotUsed> sink =
        ActorSink.actorRefWithBackpressure(
            context.getSelf(),
            (ActorRef<Ack> ackTo, String text) -> new FrameReceived(g, ackTo, text),
            (ActorRef<Ack> ackTo) -> new StreamStarted(g, ackTo),
            Ack.INSTANCE,
            new StreamEnded(g, null),
            failure -> new StreamEnded(g, failure));
    // the URL carries the listenKey, which grants read access to the account: never logged
    connection = connector.connect(wsBaseUrl + settings.streamPath() + m.listenKey(), sink);
    context.pipeToSelf(connection.upgraded(), (done, failure) -> new Upgraded(g, failure));
    timers.startSingleTimer(ConnectTimedOut.class, new ConnectTimedOut(g), settings.connectTimeout());
    return this;
  }

  private Behavior<Command> onUpgraded(Upgraded m) {
    if (m.generation() != generation) {
      return this;
    }
    timers.cancel(ConnectTimedOut.class);
    if (m.failure() != null) {
      return connectionLost("WebSocket connect failed: " + Failures.describe(m.failure()));
    }
    connected = true;
    lastAliveMillis = System.currentTimeMillis();
    context.getLog().info("User stream connected to {} (attempt after {} failures); reconciling", wsBaseUrl,
        consecutiveFailures);
    reconciliation.start(true, everUp ? downSinceMillis : 0, generation);
    pumpReconciliation();
    return this;
  }

  private Behavior<Command> onConnectTimedOut(ConnectTimedOut m) {
    if (m.generation() != generation || connected) {
      return this;
    }
    return connectionLost("WebSocket connect timed out after " + settings.connectTimeout());
  }

  private Behavior<Command> onStreamStarted(StreamStarted m) {
    m.ackTo().tell(Ack.INSTANCE);
    return this;
  }

  private Behavior<Command> onStreamEnded(StreamEnded m) {
    if (m.generation() != generation) {
      return this;
    }
    String reason = m.failure() == null ? "connection closed by the server" : "connection failed: " + Failures.describe(m.failure());
    return connectionLost(reason);
  }

  private Behavior<Command> onReconnect() {
    if (connection == null) {
      reconnects++;
      metrics.reconnect();
      connect();
    }
    return this;
  }

  /** Tears the connection down, tells everyone, and schedules a reconnect with backoff. */
  private Behavior<Command> connectionLost(String reason) {
    closeConnection();
    connected = false;
    probeInFlight = false;
    generation++; // late messages of the old connection are now ignored
    reconciliation.streamLost();
    reconciliation.abandonConnectRun();
    lastDownReason = reason;
    if (up) {
      downSinceMillis = System.currentTimeMillis();
    }
    up = false;
    publish(new UserStreamDown(reason, System.currentTimeMillis()));
    Duration delay = backoff(consecutiveFailures);
    consecutiveFailures++;
    context.getLog().warn("User stream down: {}; reconnecting in {} ms", reason, delay.toMillis());
    timers.startSingleTimer(Tick.RECONNECT, Tick.RECONNECT, delay);
    return this;
  }

  private Behavior<Command> closeConnection() {
    if (connection != null) {
      connection.killSwitch().shutdown();
      connection = null;
    }
    return this;
  }

  private Duration backoff(int failures) {
    long min = settings.reconnectMinBackoff().toMillis();
    long max = settings.reconnectMaxBackoff().toMillis();
    long delay = failures >= 20 ? max : Math.min(max, min << failures);
    return Duration.ofMillis(delay);
  }

  // ---- frames

  private Behavior<Command> onFrame(FrameReceived m) {
    m.ackTo().tell(Ack.INSTANCE);
    if (m.generation() != generation) {
      return this;
    }
    frames++;
    lastAliveMillis = System.currentTimeMillis();
    scratch.clear();
    UserDataParser.Outcome outcome = parser.parse(m.text(), scratch);
    metrics.frame(outcome);
    switch (outcome) {
      case EVENTS -> scratch.forEach(this::onStreamEvent);
      case LISTEN_KEY_EXPIRED -> {
        listenKey = null;
        consecutiveFailures = 0; // an expiry is not a failing venue: reconnect at once
        return connectionLost("listenKey expired");
      }
      case MALFORMED -> context.getLog().warn("Dropped a malformed user-stream frame: {}", parser.lastError());
      case UNKNOWN_SYMBOL -> context.getLog().debug("Dropped a user-stream update: {}", parser.lastError());
      case IGNORED -> {}
    }
    scratch.clear();
    return this;
  }

  private void onStreamEvent(AccountEvent event) {
    if (event instanceof OrderUpdate u) {
      if (u.isFill() && !positions.applyFill(u)) {
        metrics.duplicateFill();
        context.getLog().debug("Duplicate fill {} of {} dropped", u.tradeId(), u.clientOrderId());
        return;
      }
      publish(u);
    } else if (event instanceof PositionUpdate p) {
      if (p.positionSide() == AccountEvent.PositionSide.BOTH) {
        // one-way mode only: hedge-mode legs are routed but do not overwrite the net position
        positions.setAmount(p.symbolId(), p.amountSteps(), p.eventTime());
      }
      publish(p);
    } else if (event instanceof BalanceUpdate b) {
      double funding = balances.apply(b);
      publish(b);
      if (!Double.isNaN(funding)) {
        publish(new FundingPaid(b.asset(), funding, b.eventTime()));
      } else if (Balances.FUNDING_FEE.equals(b.reason())) {
        context.getLog().warn("Funding update for {} without a known previous balance: amount unknown", b.asset());
      }
    } else {
      publish(event);
    }
  }

  // ---- keepalive and watchdog

  private Behavior<Command> onKeepaliveTick() {
    if (connected && listenKey != null) {
      keepalive(false);
    }
    return this;
  }

  private Behavior<Command> onIdleCheck() {
    long silentFor = System.currentTimeMillis() - lastAliveMillis;
    if (connected && listenKey != null && !probeInFlight && silentFor >= settings.idleProbeAfter().toMillis()) {
      probeInFlight = true;
      keepalive(true);
    }
    return this;
  }

  private void keepalive(boolean probe) {
    long g = generation;
    context.pipeToSelf(api.keepAliveListenKey(listenKey), (ok, failure) -> new KeepaliveDone(g, probe, failure));
  }

  private Behavior<Command> onKeepaliveDone(KeepaliveDone m) {
    if (m.generation() != generation) {
      return this;
    }
    if (m.probe()) {
      probeInFlight = false;
    }
    if (m.failure() == null) {
      lastAliveMillis = System.currentTimeMillis();
      return this;
    }
    if (AccountRestApi.isError(m.failure(), AccountRestApi.INVALID_LISTEN_KEY)) {
      listenKey = null;
      return connectionLost("listenKey no longer valid (-1125)");
    }
    if (m.probe()) {
      return connectionLost("idle probe failed: " + Failures.describe(m.failure()));
    }
    // a lost keepalive is not yet a lost key (60 min validity): let the next idle check probe soon
    context.getLog().warn("listenKey keepalive failed: {}", Failures.describe(m.failure()));
    lastAliveMillis = 0;
    return this;
  }

  // ---- reconciliation

  private Behavior<Command> onReconcileTick() {
    if (connected) {
      reconciliation.start(false, 0, generation);
      pumpReconciliation();
    }
    return this;
  }

  private Behavior<Command> onReconcileRetry() {
    if (connected && !up) {
      reconciliation.start(true, everUp ? downSinceMillis : 0, generation);
      pumpReconciliation();
    }
    return this;
  }

  private Behavior<Command> onReconcileStep(ReconcileStepDone m) {
    Reconciliation.Outcome outcome = reconciliation.onStepDone(m.step());
    pumpReconciliation();
    if (outcome == null || !outcome.afterConnect() || outcome.generation() != generation || !connected) {
      return this;
    }
    if (outcome.succeeded()) {
      up = true;
      everUp = true;
      consecutiveFailures = 0;
      publish(new UserStreamUp(System.currentTimeMillis()));
      context.getLog().info("User stream up: connected and reconciled");
    } else {
      timers.startSingleTimer(Tick.RECONCILE_RETRY, Tick.RECONCILE_RETRY, backoff(consecutiveFailures++));
    }
    return this;
  }

  /** Hands any asynchronous step the reconciliation wants to run back to this actor's mailbox. */
  private void pumpReconciliation() {
    for (Reconciliation.Pending p = reconciliation.nextAsync(); p != null; p = reconciliation.nextAsync()) {
      Reconciliation.Pending pending = p;
      context.pipeToSelf(pending.stage(), (step, failure) ->
          new ReconcileStepDone(failure == null ? step : pending.failed(failure)));
    }
  }

  // ---- routing

  private void publish(AccountEvent event) {
    if (event instanceof OrderUpdate u) {
      sendToSymbol(u.symbolId(), event);
    } else if (event instanceof PositionUpdate p) {
      sendToSymbol(p.symbolId(), event);
    } else if (event instanceof UserStreamUp || event instanceof UserStreamDown) {
      Set<ActorRef<AccountEvent>> everyone = new LinkedHashSet<>(allSubscribers);
      symbolConsumers.values().forEach(everyone::addAll);
      everyone.forEach(ref -> ref.tell(event));
      return;
    }
    for (ActorRef<AccountEvent> ref : allSubscribers) {
      ref.tell(event);
    }
  }

  private void sendToSymbol(int symbolId, AccountEvent event) {
    Set<ActorRef<AccountEvent>> consumers = symbolConsumers.get(symbolId);
    if (consumers != null) {
      for (ActorRef<AccountEvent> ref : consumers) {
        ref.tell(event);
      }
    }
  }

  private static Duration idleCheckPeriod(UserStreamSettings settings) {
    long half = Math.max(1, settings.idleProbeAfter().toMillis() / 2);
    return Duration.ofMillis(half);
  }
}
