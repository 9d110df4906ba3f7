package io.phoenix.reconcile;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.account.UserDataFeed;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.AccountEvent.UserStreamDown;
import io.phoenix.model.Balances;
import io.phoenix.model.Positions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The {@code reconcile} actor: runs {@link Reconciliation} against the exchange after every
 * user-stream connect, on a timer ({@code phoenix.reconcile.interval}, only while the stream is
 * connected) and on {@link RunNow} (the gateway, an operator). Requests that arrive during a run
 * are merged into one follow-up run.
 *
 * <p>It keeps its own copy of the account as the user stream reports it (positions with their
 * trade-id memory, balances): it subscribes to every event of the {@link UserDataFeed}, which has
 * already dropped duplicate fills, and applies them as the feed does. The corrections a run makes
 * (replayed fills, restated orders, positions and balances) it applies to that copy, then hands to
 * the feed ({@link UserDataFeed.ApplyCorrections}), which applies them to its own state and fans
 * them out to everyone, in order, before the run's {@link UserDataFeed.Reconciled}: only then does
 * the feed publish Up after a connect. The events come back through the subscription; its own
 * position and balance corrections are recognised and skipped.
 *
 * <p>Commands: {@link RunNow}, {@link GetStatus} (replies {@link Status}). Timers: the periodic
 * run. A restart (or the feed's: a new feed incarnation) starts from an empty copy, as a new node
 * would: the next run takes positions and balances from the exchange, and replayed fills the feed
 * has already seen are dropped by its fill memory.
 */
public final class Reconcile extends AbstractBehavior<Reconcile.Command> {

  public sealed interface Command {}

  /** Reconcile now (for example after the gateway saw an order outcome it could not resolve). */
  public enum RunNow implements Command {
    INSTANCE
  }

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Runs started and differences found since the feed's current incarnation began. */
  public record Status(long runs, long differences) {}

  private record StreamConnected(UserDataFeed.Connected connected) implements Command {}

  private record StreamEvent(AccountEvent event) implements Command {}

  private record StepDone(Reconciliation session, Reconciliation.Step step) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private final ActorContext<Command> context;
  private final ReconcileSettings settings;
  private final int tradeIdMemory;
  private final List<Instrument> instruments;
  private final AccountRestApi api;
  private final LocalOrderView localOrders;
  private final ActorRef<UserDataFeed.Command> feed;
  private final ReconcileMetrics metrics;
  // position and balance corrections handed to the feed whose echo is still to come
  private final Set<AccountEvent> sentToFeed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<AccountEvent> corrections = new ArrayList<>();
  private Positions positions;
  private Balances balances;
  private Reconciliation reconciliation;
  private long feedIncarnation;
  private long generation;
  private boolean connected;

  private Reconcile(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ReconcileSettings settings,
      int tradeIdMemory,
      List<Instrument> instruments,
      AccountRestApi api,
      LocalOrderView localOrders,
      ActorRef<UserDataFeed.Command> feed,
      MeterRegistry meters) {
    super(context);
    this.context = context;
    this.settings = settings;
    this.tradeIdMemory = tradeIdMemory;
    this.instruments = List.copyOf(instruments);
    this.api = api;
    this.localOrders = localOrders;
    this.feed = feed;
    this.metrics = new ReconcileMetrics(meters);
    freshSession();
    feed.tell(
        new UserDataFeed.SubscribeAll(
            context.messageAdapter(AccountEvent.class, StreamEvent::new)));
    feed.tell(
        new UserDataFeed.RegisterReconciler(
            context.messageAdapter(UserDataFeed.Connected.class, StreamConnected::new)));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, Tick.INSTANCE, settings.interval());
  }

  /**
   * @param tradeIdMemory fills remembered per symbol ({@code phoenix.user-stream.trade-id-memory}),
   *     as the feed does
   * @param localOrders the system's working orders (the gateway's table)
   * @param feed the user data feed it subscribes to and corrects through
   */
  public static Behavior<Command> create(
      ReconcileSettings settings,
      int tradeIdMemory,
      List<Instrument> instruments,
      AccountRestApi api,
      LocalOrderView localOrders,
      ActorRef<UserDataFeed.Command> feed,
      MeterRegistry meters) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new Reconcile(
                        context,
                        timers,
                        settings,
                        tradeIdMemory,
                        instruments,
                        api,
                        localOrders,
                        feed,
                        meters)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamConnected.class, this::onStreamConnected)
        .onMessage(StreamEvent.class, this::onStreamEvent)
        .onMessage(StepDone.class, this::onStepDone)
        .onMessageEquals(Tick.INSTANCE, this::onRunRequested)
        .onMessageEquals(RunNow.INSTANCE, this::onRunRequested)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private void freshSession() {
    positions = new Positions(tradeIdMemory);
    balances = new Balances();
    sentToFeed.clear();
    reconciliation =
        new Reconciliation(
            settings,
            instruments,
            api,
            localOrders,
            positions,
            balances,
            metrics,
            context::getLog,
            corrections::add);
  }

  private Behavior<Command> onStreamConnected(StreamConnected m) {
    UserDataFeed.Connected c = m.connected();
    if (c.incarnation() != feedIncarnation) {
      // a restarted feed has forgotten the account: so does this copy, and runs in flight no longer
      // matter
      feedIncarnation = c.incarnation();
      freshSession();
    }
    connected = true;
    generation = c.generation();
    if (c.awaitingReconciliation()) {
      reconciliation.start(true, c.recoverSinceMillis(), c.generation());
      pump();
    }
    return this;
  }

  /** The account as the feed published it: applied exactly as the feed applies the stream. */
  private Behavior<Command> onStreamEvent(StreamEvent m) {
    AccountEvent event = m.event();
    if (sentToFeed.remove(event)) {
      return this;
    }
    if (event instanceof OrderUpdate u) {
      positions.applyFill(u);
    } else if (event instanceof PositionUpdate p) {
      if (p.positionSide() == AccountEvent.PositionSide.BOTH) {
        positions.setAmount(p.symbolId(), p.amountSteps(), p.eventTime());
      }
    } else if (event instanceof BalanceUpdate b) {
      balances.apply(b);
    } else if (event instanceof UserStreamDown) {
      connected = false;
      reconciliation.streamLost();
      reconciliation.abandonConnectRun();
    }
    return this;
  }

  private Behavior<Command> onRunRequested() {
    if (connected) {
      reconciliation.start(false, 0, generation);
      pump();
    }
    return this;
  }

  private Behavior<Command> onStepDone(StepDone m) {
    if (m.session() != reconciliation) {
      return this; // a run of the copy before the feed restarted
    }
    Reconciliation.Outcome outcome = reconciliation.onStepDone(m.step());
    handOverCorrections();
    pump();
    if (outcome != null) {
      feed.tell(
          new UserDataFeed.Reconciled(
              outcome.generation(),
              outcome.afterConnect(),
              outcome.succeeded(),
              reconciliation.runs(),
              reconciliation.differences()));
    }
    return this;
  }

  private void handOverCorrections() {
    if (corrections.isEmpty()) {
      return;
    }
    List<AccountEvent> batch = List.copyOf(corrections);
    corrections.clear();
    for (AccountEvent e : batch) {
      // the feed always passes these on; applied again they could undo a newer stream update.
      // Fills and restatements come back harmless (a fill is known by its trade id) and a fill
      // the feed drops as a duplicate never comes back, so they are not tracked.
      if (e instanceof PositionUpdate || e instanceof BalanceUpdate) {
        sentToFeed.add(e);
      }
    }
    feed.tell(new UserDataFeed.ApplyCorrections(batch));
  }

  /** Hands any asynchronous step the reconciliation wants to run back to this actor's mailbox. */
  private void pump() {
    Reconciliation session = reconciliation;
    for (Reconciliation.Pending p = session.nextAsync(); p != null; p = session.nextAsync()) {
      Reconciliation.Pending pending = p;
      context.pipeToSelf(
          pending.stage(),
          (step, failure) ->
              new StepDone(session, failure == null ? step : pending.failed(failure)));
    }
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(new Status(reconciliation.runs(), reconciliation.differences()));
    return this;
  }
}
