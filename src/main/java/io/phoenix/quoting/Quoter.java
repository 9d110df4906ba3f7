package io.phoenix.quoting;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.config.FeedSettings;
import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.ClientOrderIds;
import io.phoenix.market.BookCommand;
import io.phoenix.market.BookOwner;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.HostedBook;
import io.phoenix.market.InvalidReason;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.OrderBook;
import io.phoenix.market.SyncedBook;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Quotes one symbol. It owns the symbol's book ({@link SyncedBook}: snapshot, diffs by Binance's
 * sync rules, resync on any break, hosted through a {@link HostedBook}), fed by {@link Book}
 * commands straight from the market feed ({@link #bookOwner}); created without a {@link BookSource}
 * it quotes on someone else's {@link MarketEvent.BookUpdated} events instead. It also consumes
 * trades, mark prices and staleness from the feed, the user stream's {@link AccountEvent}s and the
 * gateway's order outcomes, and sends {@link OrderIntent}s to {@link Risk}, which forwards approved
 * ones to the gateway. All decisions are made by a {@link QuoterCore}.
 *
 * <p>Commands: {@link Market}, {@link Account}; {@link Order} carries the gateway's {@link
 * OrderEvent}s, relayed by risk (a -5022 reject backs the side off); from risk {@link RiskStop},
 * {@link RiskResume}, {@link Restore} (risk speaks its own {@link Risk.QuoterNotice} protocol,
 * which the quoter adapts into these); {@link GetStatus} replies with a {@link QuoterStatus};
 * {@link Crash} throws (supervision drills).
 *
 * <p>A burst of book updates leads to one requote: the first update of a burst sends a private
 * {@code Requote} to self, which is processed after every update already queued. Quotes are pulled
 * (cancel everything, place nothing) while the book is invalid or stale, the user stream is down,
 * or risk said stop.
 *
 * <p>Fees: created with a fee source (and {@code phoenix.quoter.fees.read-from-exchange}), each
 * incarnation reads the account's rates for its symbol at start and moves the fee floor to them;
 * until then, and while a failed read waits for its retry, the configured rates apply.
 *
 * <p>Timers: a periodic tick that requotes (a quote kept by the minimum quote life is replaced once
 * it ages; staleness is noticed without a new event).
 *
 * <p>A restart starts with no working orders and an empty, invalid book (resynchronised from a
 * fresh snapshot as diffs arrive): the new incarnation registers with risk (which answers with the
 * position and kill-switch state) and cancels every open order of its symbol, so that no order from
 * the previous incarnation is left unmanaged.
 */
public final class Quoter extends AbstractBehavior<Quoter.Command> {

  public sealed interface Command {}

  /** A market event of this quoter's symbol (events of other symbols are ignored). */
  public record Market(MarketEvent event) implements Command {}

  /** A user-stream event (order updates and positions of other symbols are ignored). */
  public record Account(AccountEvent event) implements Command {}

  /**
   * A command for the symbol's book, when this quoter keeps it (created with a {@link BookSource}):
   * diffs and stream losses from the feed that carries the depth stream, book queries from anyone.
   */
  public record Book(BookCommand command) implements Command {}

  /** The gateway's answer about one of this quoter's orders, relayed by risk. */
  public record Order(OrderEvent event) implements Command {}

  /** Risk tripped the kill switch: pull quotes and stay down until {@link RiskResume}. */
  public record RiskStop(String reason) implements Command {}

  /** Risk's kill switch was reset. */
  public enum RiskResume implements Command {
    INSTANCE
  }

  /** Risk's answer to registration: the position it knows and whether trading is stopped. */
  public record Restore(long positionSteps, double entryPrice, boolean riskStopped)
      implements Command {}

  public record GetStatus(ActorRef<QuoterStatus> replyTo) implements Command {}

  /** Throws inside the quoter so that its supervisor restarts it. */
  public record Crash(String reason) implements Command {}

  private enum Requote implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private record RiskDecided(Risk.Decision decision) implements Command {}

  private enum ReadFees implements Command {
    INSTANCE
  }

  private record FeesRead(AccountRestApi.FeeRates rates, Throwable failure) implements Command {}

  /** Reads the account's fee rates of a symbol ({@code GET /fapi/v1/commissionRate}). */
  public interface FeeSource {
    CompletionStage<AccountRestApi.FeeRates> read(Instrument instrument);
  }

  /**
   * What a quoter needs to keep its symbol's book itself: REST depth snapshots, the feed settings
   * (buffering, snapshot pacing), the metrics of the feed that carries the symbol, and who else
   * wants to see the top of book (null: nobody; called on the quoter's thread, must not block).
   */
  public record BookSource(
      DepthSnapshotClient snapshots,
      FeedSettings settings,
      FeedMetrics metrics,
      Consumer<MarketEvent.BookUpdated> topOfBook) {}

  private final QuoterCore core;
  private final OrderFeedback feedback;
  private final Instrument instrument;
  private final ActorRef<Risk.Command> risk;
  private final QuoteSender sender;
  private final ActorRef<Risk.Decision> decisions;
  private final ActorRef<Risk.QuoterNotice> riskNotices;
  private final long startNanos = System.nanoTime();
  private final HostedBook<Command> book;
  private final Consumer<MarketEvent.BookUpdated> topOfBook;
  private boolean requotePending;
  private final TimerScheduler<Command> timers;
  private final QuoterSettings settings;
  private final FeeSource feeSource;
  private long feeReadFailures;

  private Quoter(ActorContext<Command> context, TimerScheduler<Command> timers, Dependencies deps) {
    super(context);
    this.instrument = deps.instrument();
    this.settings = deps.settings();
    this.risk = deps.risk();
    this.timers = timers;
    this.feeSource = deps.fees();
    BookSource source = deps.book();
    this.topOfBook = source == null ? null : source.topOfBook();
    this.book =
        source == null
            ? null
            : new HostedBook<>(
                context,
                timers,
                Book::new,
                instrument,
                source.snapshots(),
                source.settings(),
                source.metrics(),
                new OwnBook());
    // a fresh id source per incarnation: a restarted quoter never reuses an id
    this.core =
        new QuoterCore(settings, instrument, deps.ids().apply(instrument), deps.userStreamUp());
    this.feedback = new OrderFeedback(core, instrument.id(), System::nanoTime);
    this.decisions = context.messageAdapter(Risk.Decision.class, RiskDecided::new);
    this.riskNotices = context.messageAdapter(Risk.QuoterNotice.class, Quoter::fromRisk);
    this.sender = new QuoteSender(core, instrument.id(), risk, decisions, deps.stages());
  }

  /**
   * Everything a quoter is built from; {@link #Dependencies(Instrument, QuoterSettings, ActorRef,
   * Function, boolean)} gives the defaults of the optional parts, the {@code with} methods set
   * them.
   *
   * @param ids makes the client-order-id source of an incarnation (called once per start, so a
   *     restarted quoter never reuses an id)
   * @param userStreamUp whether to assume the user stream is up until told otherwise
   * @param stages gets frame-to-decision: arrival of the book frame to the requote that placed
   *     orders because of it
   * @param book when not null the quoter keeps its symbol's book from the {@link Book} commands of
   *     the feed (one hop from frame to decision); when null it quotes on the {@link
   *     MarketEvent.BookUpdated} events of someone else's book
   * @param accountEvents when not null, called by every incarnation with the ref its account events
   *     must reach (the node subscribes it to the user data stream, which answers at once with the
   *     stream's current state): a restarted quoter learns whether the stream is up instead of
   *     waiting, halted, for the next reconnect
   * @param fees reads the account's fee rates at start (null: the configured rates only)
   */
  public record Dependencies(
      Instrument instrument,
      QuoterSettings settings,
      ActorRef<Risk.Command> risk,
      Function<Instrument, Supplier<String>> ids,
      boolean userStreamUp,
      LatencyRecorder stages,
      BookSource book,
      Consumer<ActorRef<AccountEvent>> accountEvents,
      FeeSource fees) {

    /**
     * No latency stages, quoting on someone else's book, no account subscription, configured fees.
     */
    public Dependencies(
        Instrument instrument,
        QuoterSettings settings,
        ActorRef<Risk.Command> risk,
        Function<Instrument, Supplier<String>> ids,
        boolean userStreamUp) {
      this(instrument, settings, risk, ids, userStreamUp, LatencyRecorder.NONE, null, null, null);
    }

    public Dependencies withStages(LatencyRecorder stages) {
      return new Dependencies(
          instrument, settings, risk, ids, userStreamUp, stages, book, accountEvents, fees);
    }

    public Dependencies withBook(BookSource book) {
      return new Dependencies(
          instrument, settings, risk, ids, userStreamUp, stages, book, accountEvents, fees);
    }

    public Dependencies withAccountEvents(Consumer<ActorRef<AccountEvent>> accountEvents) {
      return new Dependencies(
          instrument, settings, risk, ids, userStreamUp, stages, book, accountEvents, fees);
    }

    public Dependencies withFees(FeeSource fees) {
      return new Dependencies(
          instrument, settings, risk, ids, userStreamUp, stages, book, accountEvents, fees);
    }
  }

  public static Behavior<Command> create(Dependencies deps) {
    int symbolId = deps.instrument().id();
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                (TimerScheduler<Command> timers) -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, tickInterval(deps.settings()));
                  Quoter quoter = new Quoter(context, timers, deps);
                  if (deps.accountEvents() != null) {
                    deps.accountEvents()
                        .accept(context.messageAdapter(AccountEvent.class, Account::new));
                  }
                  quoter.readFees();
                  deps.risk().tell(new Risk.RegisterQuoter(symbolId, quoter.riskNotices));
                  deps.risk()
                      .tell(new Risk.Check(new OrderIntent.CancelAll(symbolId), quoter.decisions));
                  return quoter;
                }));
  }

  /**
   * The quoter as the keeper of its symbol's book, for the feed that carries the symbol's depth:
   * each {@link BookCommand} reaches it as a {@link Book}.
   */
  public static BookOwner bookOwner(ActorRef<Command> quoter) {
    return new BookRoute(quoter);
  }

  private record BookRoute(ActorRef<Command> quoter) implements BookOwner {
    @Override
    public void tell(BookCommand command) {
      quoter.tell(new Book(command));
    }
  }

  /** Risk's notices in this quoter's own protocol. */
  private static Command fromRisk(Risk.QuoterNotice notice) {
    if (notice instanceof Risk.QuoterNotice.OrderOutcome o) {
      return new Order(o.event());
    }
    if (notice instanceof Risk.QuoterNotice.Stop stop) {
      return new RiskStop(stop.reason());
    }
    if (notice instanceof Risk.QuoterNotice.Restore r) {
      return new Restore(r.positionSteps(), r.entryPrice(), r.riskStopped());
    }
    return RiskResume.INSTANCE;
  }

  /**
   * Client order ids from {@link ClientOrderIds} with prefix {@code phx}, sequence from the start
   * time.
   */
  public static Supplier<String> defaultIds(Instrument instrument) {
    return ids("phx").apply(instrument);
  }

  /**
   * An id-source factory for {@link #create}: each incarnation gets a {@link ClientOrderIds}
   * starting at the current time, so a restarted quoter never repeats an id.
   */
  public static Function<Instrument, Supplier<String>> ids(String prefix) {
    return ids(prefix, 0);
  }

  /** As {@link #ids(String)}, the ids carrying the trading unit's fencing {@code epoch}. */
  public static Function<Instrument, Supplier<String>> ids(String prefix, long epoch) {
    return instrument -> {
      ClientOrderIds ids = ClientOrderIds.startingNow(prefix, epoch, System.currentTimeMillis());
      return () -> ids.next(instrument.id());
    };
  }

  /**
   * Period of the requote tick: often enough to notice a stale book within a quarter of {@code
   * stale-book-after} and to replace a quote once its minimum life is over. The backtester ticks at
   * the same period.
   */
  public static Duration tickInterval(QuoterSettings settings) {
    Duration tick =
        clamp(settings.staleBookAfter().dividedBy(4), Duration.ofMillis(50), Duration.ofSeconds(1));
    if (!settings.minQuoteLife().isZero()) {
      tick = clamp(settings.minQuoteLife(), Duration.ofMillis(50), tick);
    }
    return tick;
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Market.class, this::onMarket)
        .onMessage(Book.class, this::onBook)
        .onMessageEquals(ReadFees.INSTANCE, this::readFees)
        .onMessage(FeesRead.class, this::onFeesRead)
        .onMessage(Account.class, this::onAccount)
        .onMessage(Order.class, this::onOrder)
        .onMessage(RiskStop.class, this::onRiskStop)
        .onMessageEquals(RiskResume.INSTANCE, this::onRiskResume)
        .onMessage(Restore.class, this::onRestore)
        .onMessage(RiskDecided.class, this::onRiskDecided)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(Crash.class, this::onCrash)
        .onMessageEquals(Requote.INSTANCE, this::onRequote)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onMarket(Market market) {
    MarketEvent event = market.event();
    if (event instanceof MarketEvent.BookUpdated b) {
      if (b.symbolId() == instrument.id()) {
        onTopMoved(b.bidPrice(), b.bidQty(), b.askPrice(), b.askQty(), b.receiveNanos());
      }
    } else if (event instanceof MarketEvent.BookInvalidated i) {
      if (i.symbolId() == instrument.id()) {
        onBookInvalidated(i.reason());
      }
    } else if (event instanceof MarketEvent.BookStale s) {
      if (s.symbolId() == instrument.id()) {
        core.onBookStale();
        scheduleRequote();
      }
    } else if (event instanceof MarketEvent.MarkPrice m) {
      if (m.symbolId() == instrument.id()) {
        core.onMark(m.markTicks(), m.fundingRate());
      }
    }
    // FeedDisconnected is not acted on: the owner of a book whose depth socket dropped reports
    // BookInvalidated per symbol, and a dropped mark-price socket does not make the book wrong
    return this;
  }

  private Behavior<Command> readFees() {
    if (feeSource != null && settings.fees().readFromExchange()) {
      CompletionStage<AccountRestApi.FeeRates> read;
      try {
        read = feeSource.read(instrument);
      } catch (RuntimeException e) {
        read = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      getContext().pipeToSelf(read, FeesRead::new);
    }
    return this;
  }

  private Behavior<Command> onFeesRead(FeesRead read) {
    if (read.failure() != null || read.rates() == null) {
      feeReadFailures++;
      getContext()
          .getLog()
          .warn(
              "{} fee rates not read ({}): quoting on the configured maker {} / taker {}, retry in {}",
              instrument.symbol(),
              read.failure(),
              core.makerRate(),
              core.takerRate(),
              settings.fees().retryInterval());
      timers.startSingleTimer(ReadFees.INSTANCE, settings.fees().retryInterval());
      return this;
    }
    AccountRestApi.FeeRates r = read.rates();
    core.onFees(r.makerRate(), r.takerRate());
    getContext()
        .getLog()
        .info(
            "{} fee rates from the exchange: maker {} taker {}; full spread at least {} bps",
            instrument.symbol(),
            r.makerRate(),
            r.takerRate(),
            settings.fees().floorBps(r.makerRate()));
    scheduleRequote();
    return this;
  }

  private Behavior<Command> onBook(Book command) {
    if (book == null) {
      getContext()
          .getLog()
          .warn(
              "{} quoter keeps no book; book command {} ignored",
              instrument.symbol(),
              command.command().getClass().getSimpleName());
      return this;
    }
    book.handle(command.command());
    return this;
  }

  /** The news of the book this quoter keeps. */
  private final class OwnBook implements HostedBook.Owner {
    /**
     * The top may have moved (a diff, a resync, a newer bookTicker): read it in place (no event
     * object unless someone watches).
     */
    @Override
    public void bookUpdated(long eventTime, long receiveNanos) {
      // the synced book's top: a bookTicker newer than the last diff, else the book's own
      SyncedBook top = book.book();
      onTopMoved(
          top.bestBidPrice(), top.bestBidQty(), top.bestAskPrice(), top.bestAskQty(), receiveNanos);
      if (topOfBook != null) {
        topOfBook.accept(MarketEvent.BookUpdated.of(top, eventTime, receiveNanos));
      }
    }

    @Override
    public void bookInvalidated(InvalidReason reason) {
      onBookInvalidated(reason);
    }

    @Override
    public void subscribe(ActorRef<MarketEvent> consumer) {
      getContext()
          .getLog()
          .warn("{} quoter does not publish its book to {}", instrument.symbol(), consumer);
    }
  }

  /** Whichever book it came from: the strategy sees the new top, one requote answers the burst. */
  private void onTopMoved(long bidTicks, long bidQty, long askTicks, long askQty, long frameNanos) {
    core.onTopOfBook(price(bidTicks), bidQty, price(askTicks), askQty, System.nanoTime());
    sender.frameArrived(frameNanos);
    scheduleRequote();
  }

  private void onBookInvalidated(InvalidReason reason) {
    getContext().getLog().info("{} book invalid ({}): pulling quotes", instrument.symbol(), reason);
    core.onBookInvalid();
    scheduleRequote();
  }

  private static long price(long ticks) {
    return ticks == OrderBook.NO_PRICE ? 0 : ticks;
  }

  private Behavior<Command> onAccount(Account account) {
    if (account.event() instanceof AccountEvent.UserStreamDown d) {
      getContext()
          .getLog()
          .info("{} user stream down ({}): pulling quotes", instrument.symbol(), d.reason());
    }
    if (feedback.onAccountEvent(account.event())) {
      scheduleRequote();
    }
    return this;
  }

  private Behavior<Command> onOrder(Order order) {
    if (order.event() instanceof OrderEvent.GatewayHalted h) {
      getContext().getLog().warn("{} order gateway halted: {}", instrument.symbol(), h.reason());
    }
    if (feedback.onOrderEvent(order.event())) {
      scheduleRequote();
    }
    return this;
  }

  private Behavior<Command> onRiskStop(RiskStop stop) {
    getContext()
        .getLog()
        .warn("{} stopped by risk ({}): pulling quotes", instrument.symbol(), stop.reason());
    core.stop();
    sender.requote();
    return this;
  }

  private Behavior<Command> onRiskResume() {
    core.resume();
    scheduleRequote();
    return this;
  }

  private Behavior<Command> onRestore(Restore restore) {
    core.onPosition(restore.positionSteps(), restore.entryPrice());
    if (restore.riskStopped()) {
      core.stop();
    }
    return this;
  }

  private Behavior<Command> onRiskDecided(RiskDecided decided) {
    feedback.onRiskDecision(decided.decision());
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(QuoterStatus.of(instrument.symbol(), core, settings, feeReadFailures, startNanos));
    return this;
  }

  private Behavior<Command> onCrash(Crash crash) {
    throw new IllegalStateException(
        "quoter " + instrument.symbol() + " crash requested: " + crash.reason());
  }

  private Behavior<Command> onRequote() {
    requotePending = false;
    sender.requote();
    return this;
  }

  private Behavior<Command> onTick() {
    scheduleRequote();
    return this;
  }

  private Behavior<Command> onPostStop(PostStop signal) {
    getContext()
        .getLog()
        .info(
            "{} quoter stopped with {} working orders", instrument.symbol(), core.working().size());
    return this;
  }

  private void scheduleRequote() {
    if (!requotePending) {
      requotePending = true;
      getContext().getSelf().tell(Requote.INSTANCE);
    }
  }
}
