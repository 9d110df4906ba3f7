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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The user data stream: owns the listenKey, the WebSocket and the fan-out of the account's events,
 * with the state the fan-out needs (the fill memory that drops duplicate fills, the balances that
 * turn a funding update into {@link FundingPaid}).
 *
 * <p>Commands: {@link SubscribeSymbol} (a quoter: gets order and position events of its symbol and
 * every Up/Down), {@link SubscribeAll} (risk, journal, reconciliation: every event), {@link
 * Unsubscribe}, {@link GetStatus} (replies {@link Status}). A new subscriber immediately gets the
 * current Up/Down state. Fills are de-duplicated by trade id before anyone sees them. From the
 * reconciler ({@code io.phoenix.reconcile.Reconcile}): {@link RegisterReconciler}, {@link
 * ApplyCorrections} (fanned out like stream events), {@link Reconciled}.
 *
 * <p>Lifecycle: POST listenKey, connect to {@code ws-url + stream-path + key}, ask the reconciler
 * to reconcile ({@link Connected}), and publish {@link UserStreamUp} once it answers that the run
 * succeeded (a failed run is asked again with backoff). A close, failure, {@code listenKeyExpired},
 * keepalive -1125 or a failed idle probe publishes {@link UserStreamDown} and reconnects with
 * exponential backoff; each reconnect is reconciled again, which replays fills the outage hid.
 *
 * <p>Timers: keepalive (PUT listenKey), idle check (probe after silence), reconnect backoff,
 * connect timeout, the retry of a failed reconciliation after connect.
 *
 * <p>A supervised restart keeps the subscribers and the reconciler (they are told {@link
 * UserStreamDown}) but loses the fill memory and balances: the new incarnation reconnects, and its
 * reconciliation (told of the new incarnation) re-derives the account from REST, the exchange being
 * the truth. A subscriber registered both per symbol and for all gets an event twice; quoters
 * should ignore order updates whose client id they do not know (manual orders of their symbol are
 * routed to them too).
 */
public final class UserDataFeed extends AbstractBehavior<UserDataFeed.Command> {

  public sealed interface Command {}

  /** Route order and position events of {@code symbolId}, and Up/Down, to {@code consumer}. */
  public record SubscribeSymbol(int symbolId, ActorRef<AccountEvent> consumer) implements Command {}

  /** Route every event to {@code subscriber}. */
  public record SubscribeAll(ActorRef<AccountEvent> subscriber) implements Command {}

  /** Remove {@code subscriber} from every route (also done automatically when it stops). */
  public record Unsubscribe(ActorRef<AccountEvent> subscriber) implements Command {}

  /**
   * {@code reconciler} is asked, with {@link Connected}, to reconcile after every connect (and is
   * told the connection's state at once); a new registration replaces the previous one.
   */
  public record RegisterReconciler(ActorRef<Connected> reconciler) implements Command {}

  /**
   * To the reconciler: the stream is connected. When {@code awaitingReconciliation}, the feed
   * publishes Up only after a {@link Reconciled} of a connect-run for this {@code generation}.
   *
   * @param incarnation changes when the feed restarts (it has then forgotten the account)
   * @param recoverSinceMillis &gt; 0: recover fills missed since then (the stream was up before)
   */
  public record Connected(
      long incarnation, long generation, long recoverSinceMillis, boolean awaitingReconciliation) {}

  /**
   * A reconciliation's corrections (replayed fills, restatements, positions, balances), to apply
   * and fan out.
   */
  public record ApplyCorrections(List<AccountEvent> events) implements Command {}

  /**
   * The end of a reconciliation run, after its {@link ApplyCorrections}.
   *
   * @param runs runs started since the reconciler's current session began, for {@link Status}
   * @param differences differences found in them
   */
  public record Reconciled(
      long generation, boolean afterConnect, boolean succeeded, long runs, long differences)
      implements Command {}

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
    RECONCILE_RETRY
  }

  private record KeyCreated(long generation, String listenKey, Throwable failure)
      implements Command {}

  private record Upgraded(long generation, Throwable failure) implements Command {}

  private record ConnectTimedOut(long generation) implements Command {}

  private record StreamStarted(long generation, ActorRef<Ack> ackTo) implements Command {}

  private record FrameReceived(long generation, ActorRef<Ack> ackTo, String text)
      implements Command {}

  private record StreamEnded(long generation, Throwable failure) implements Command {}

  private record KeepaliveDone(long generation, boolean probe, Throwable failure)
      implements Command {}

  private record SubscriberTerminated(ActorRef<AccountEvent> subscriber) implements Command {}

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
  private final UserStreamMetrics metrics;
  private final AccountFanOut fanOut;
  private final RegisteredReconciler reconciler;
  // tells a reconciler that this incarnation knows nothing of the account yet
  private final long incarnation = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
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
  private long reconcileRuns;
  private long reconcileDifferences;

  private UserDataFeed(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      UserStreamSettings settings,
      String wsBaseUrl,
      List<Instrument> instruments,
      AccountRestApi api,
      UserStreamConnector connector,
      MeterRegistry meters,
      AccountFanOut fanOut,
      RegisteredReconciler reconciler) {
    super(context);
    this.fanOut = fanOut;
    this.reconciler = reconciler;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.wsBaseUrl =
        wsBaseUrl.endsWith("/") ? wsBaseUrl.substring(0, wsBaseUrl.length() - 1) : wsBaseUrl;
    this.api = api;
    this.connector = connector;
    for (Instrument i : instruments) {
      bySymbol.put(i.symbol(), i);
    }
    this.parser = new UserDataParser(bySymbol::get);
    this.positions = new Positions(settings.tradeIdMemory());
    this.metrics = new UserStreamMetrics(meters);
    this.downSinceMillis = System.currentTimeMillis();
    rewatchAfterRestart();
    timers.startTimerWithFixedDelay(Tick.KEEPALIVE, Tick.KEEPALIVE, settings.keepaliveInterval());
    timers.startTimerWithFixedDelay(Tick.IDLE_CHECK, Tick.IDLE_CHECK, idleCheckPeriod(settings));
    connect();
  }

  /**
   * @param wsBaseUrl {@code phoenix.binance.ws-url}
   * @param instruments the symbols this node trades; updates of others are counted and dropped
   * @param connector {@link AkkaUserStreamConnector} in production
   */
  public static Behavior<Command> create(
      UserStreamSettings settings,
      String wsBaseUrl,
      List<Instrument> instruments,
      AccountRestApi api,
      UserStreamConnector connector,
      MeterRegistry meters) {
    // the only state that outlives a supervised restart: who to tell (everything else is
    // re-derived)
    AccountFanOut fanOut = new AccountFanOut();
    RegisteredReconciler reconciler = new RegisteredReconciler();
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new UserDataFeed(
                        context,
                        timers,
                        settings,
                        wsBaseUrl,
                        List.copyOf(instruments),
                        api,
                        connector,
                        meters,
                        fanOut,
                        reconciler)));
  }

  /**
   * The registered reconciler (null until one registers); like the fan-out, it outlives restarts.
   */
  private static final class RegisteredReconciler {
    ActorRef<Connected> ref;
  }

  /** After a restart: watch the known subscribers again and tell them the stream is down. */
  private void rewatchAfterRestart() {
    Set<ActorRef<AccountEvent>> everyone = fanOut.everyone();
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
        .onMessage(RegisterReconciler.class, this::onRegisterReconciler)
        .onMessage(ApplyCorrections.class, this::onApplyCorrections)
        .onMessage(Reconciled.class, this::onReconciled)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(KeyCreated.class, this::onKeyCreated)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(ConnectTimedOut.class, this::onConnectTimedOut)
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(FrameReceived.class, this::onFrame)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(KeepaliveDone.class, this::onKeepaliveDone)
        .onMessageEquals(Tick.RECONNECT, this::onReconnect)
        .onMessageEquals(Tick.KEEPALIVE, this::onKeepaliveTick)
        .onMessageEquals(Tick.IDLE_CHECK, this::onIdleCheck)
        .onMessageEquals(Tick.RECONCILE_RETRY, this::onReconcileRetry)
        .onSignal(PreRestart.class, s -> closeConnection())
        .onSignal(PostStop.class, s -> closeConnection())
        .build();
  }

  // ---- subscriptions

  private Behavior<Command> onSubscribeSymbol(SubscribeSymbol m) {
    fanOut.subscribeSymbol(m.symbolId(), m.consumer());
    context.watchWith(m.consumer(), new SubscriberTerminated(m.consumer()));
    m.consumer().tell(currentState());
    return this;
  }

  private Behavior<Command> onSubscribeAll(SubscribeAll m) {
    fanOut.subscribeAll(m.subscriber());
    context.watchWith(m.subscriber(), new SubscriberTerminated(m.subscriber()));
    m.subscriber().tell(currentState());
    return this;
  }

  private Behavior<Command> onUnsubscribe(ActorRef<AccountEvent> subscriber) {
    fanOut.unsubscribe(subscriber);
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo()
        .tell(
            new Status(
                up,
                connected,
                frames,
                parser.malformedCount(),
                metrics.duplicateFills(),
                reconnects,
                reconcileRuns,
                reconcileDifferences));
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
    timers.startSingleTimer(
        ConnectTimedOut.class, new ConnectTimedOut(g), settings.connectTimeout());
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
    context
        .getLog()
        .info(
            "User stream connected to {} (attempt after {} failures); reconciling",
            wsBaseUrl,
            consecutiveFailures);
    askToReconcile();
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
    String reason =
        m.failure() == null
            ? "connection closed by the server"
            : "connection failed: " + Failures.describe(m.failure());
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
      case MALFORMED ->
          context.getLog().warn("Dropped a malformed user-stream frame: {}", parser.lastError());
      case UNKNOWN_SYMBOL ->
          context.getLog().debug("Dropped a user-stream update: {}", parser.lastError());
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
        context
            .getLog()
            .warn(
                "Funding update for {} without a known previous balance: amount unknown",
                b.asset());
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
    if (connected
        && listenKey != null
        && !probeInFlight
        && silentFor >= settings.idleProbeAfter().toMillis()) {
      probeInFlight = true;
      keepalive(true);
    }
    return this;
  }

  private void keepalive(boolean probe) {
    long g = generation;
    context.pipeToSelf(
        api.keepAliveListenKey(listenKey), (ok, failure) -> new KeepaliveDone(g, probe, failure));
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

  // ---- reconciliation (run by the reconciler; this feed gates Up on it and fans out its
  // corrections)

  /**
   * Not watched: the reconciler is an adapter of an actor that also subscribes, and Akka allows one
   * watch per reference. A restarted reconciler registers again.
   */
  private Behavior<Command> onRegisterReconciler(RegisterReconciler m) {
    reconciler.ref = m.reconciler();
    if (connected) {
      m.reconciler().tell(connectedState(!up));
    }
    return this;
  }

  /** Without a reconciler yet, its registration asks for the run. */
  private void askToReconcile() {
    if (reconciler.ref != null) {
      reconciler.ref.tell(connectedState(true));
    }
  }

  private Connected connectedState(boolean awaitingReconciliation) {
    return new Connected(
        incarnation, generation, everUp ? downSinceMillis : 0, awaitingReconciliation);
  }

  private Behavior<Command> onReconcileRetry() {
    if (connected && !up) {
      askToReconcile();
    }
    return this;
  }

  /** Applied to this feed's own state as stream events are, then fanned out. */
  private Behavior<Command> onApplyCorrections(ApplyCorrections m) {
    for (AccountEvent event : m.events()) {
      if (event instanceof OrderUpdate u && u.isFill()) {
        // the stream may have delivered it since the reconciler looked
        if (positions.applyFill(u)) {
          publish(u);
        }
      } else if (event instanceof BalanceUpdate b) {
        balances.apply(b);
        publish(b);
      } else {
        publish(event);
      }
    }
    return this;
  }

  private Behavior<Command> onReconciled(Reconciled m) {
    reconcileRuns = m.runs();
    reconcileDifferences = m.differences();
    if (!m.afterConnect() || m.generation() != generation || !connected) {
      return this;
    }
    if (m.succeeded()) {
      up = true;
      everUp = true;
      consecutiveFailures = 0;
      publish(new UserStreamUp(System.currentTimeMillis()));
      context.getLog().info("User stream up: connected and reconciled");
    } else {
      timers.startSingleTimer(
          Tick.RECONCILE_RETRY, Tick.RECONCILE_RETRY, backoff(consecutiveFailures++));
    }
    return this;
  }

  // ---- routing

  private void publish(AccountEvent event) {
    fanOut.publish(event);
  }

  private static Duration idleCheckPeriod(UserStreamSettings settings) {
    long half = Math.max(1, settings.idleProbeAfter().toMillis() / 2);
    return Duration.ofMillis(half);
  }
}
