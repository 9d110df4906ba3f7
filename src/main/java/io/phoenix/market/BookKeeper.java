package io.phoenix.market;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthSnapshot;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Owns one symbol's {@link OrderBook} and {@link BookSynchronizer} until the quoter takes them
 * over (both are plain classes, so they move without change).
 *
 * <p>Commands: {@link ApplyDiff} from the feed; {@link StreamDisconnected} when the feed's socket
 * drops; {@link Subscribe} to add a consumer; {@link GetBook} replies with a {@link BookSnapshot}.
 * It publishes {@link MarketEvent.BookUpdated} after every applied diff and
 * {@link MarketEvent.BookInvalidated} whenever the book breaks. On a break it fetches a REST
 * snapshot itself, at most once per {@code snapshot-min-interval} (a single timer spaces the
 * requests), while diffs keep arriving on the same socket.
 *
 * <p>A restart starts from an empty, invalid book and resynchronises from a fresh snapshot.
 */
public final class BookKeeper extends AbstractBehavior<BookKeeper.Command> {

  public sealed interface Command {}

  /** One diff, in arrival order, from the feed that carries this symbol's depth stream. */
  public record ApplyDiff(DepthDiff diff) implements Command {}

  /** The socket carrying this symbol dropped: events may be lost. */
  public record StreamDisconnected(String reason) implements Command {}

  public record Subscribe(ActorRef<MarketEvent> consumer) implements Command {}

  /** Replies with the whole book (for tests, diagnostics and the dashboard; allocates). */
  public record GetBook(ActorRef<BookSnapshot> replyTo) implements Command {}

  /**
   * A copy of the book, best level first on each side.
   *
   * @param valid the book follows the stream without a break since its snapshot
   * @param reason why it is not valid, or null
   */
  public record BookSnapshot(
      int symbolId,
      boolean valid,
      InvalidReason reason,
      long lastUpdateId,
      long[] bidPrices,
      long[] bidQtys,
      long[] askPrices,
      long[] askQtys) {}

  private enum FetchSnapshot implements Command {
    INSTANCE
  }

  private record SnapshotFetched(byte[] body, Throwable failure) implements Command {}

  private final Instrument instrument;
  private final DepthSnapshotClient client;
  private final FeedSettings settings;
  private final FeedMetrics metrics;
  private final TimerScheduler<Command> timers;
  private final OrderBook book;
  private final BookSynchronizer sync;
  private final DepthSnapshot snapshot = new DepthSnapshot();
  private final List<ActorRef<MarketEvent>> consumers;
  private boolean fetching;
  private long lastFetchNanos = Long.MIN_VALUE;

  private BookKeeper(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Instrument instrument,
      DepthSnapshotClient client,
      FeedSettings settings,
      FeedMetrics metrics,
      List<ActorRef<MarketEvent>> consumers) {
    super(context);
    this.timers = timers;
    this.instrument = instrument;
    this.client = client;
    this.settings = settings;
    this.metrics = metrics;
    this.book = new OrderBook(instrument.id());
    this.sync = new BookSynchronizer(book, settings.maxBufferedDiffs());
    this.consumers = new ArrayList<>(consumers);
  }

  public static Behavior<Command> create(
      Instrument instrument,
      DepthSnapshotClient client,
      FeedSettings settings,
      FeedMetrics metrics,
      List<ActorRef<MarketEvent>> consumers) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new BookKeeper(context, timers, instrument, client, settings, metrics, consumers)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyDiff.class, this::onApplyDiff)
        .onMessage(StreamDisconnected.class, this::onStreamDisconnected)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(GetBook.class, this::onGetBook)
        .onMessageEquals(FetchSnapshot.INSTANCE, this::onFetchSnapshot)
        .onMessage(SnapshotFetched.class, this::onSnapshotFetched)
        .build();
  }

  private Behavior<Command> onApplyDiff(ApplyDiff command) {
    DepthDiff diff = command.diff();
    handle(sync.onDiff(diff), diff.eventTime(), diff.receiveNanos());
    return this;
  }

  private void handle(BookSynchronizer.Result result, long eventTime, long receiveNanos) {
    switch (result) {
      case APPLIED -> publishBook(eventTime, receiveNanos);
      case BUFFERED -> requestSnapshot();
      case RESYNC -> {
        InvalidReason reason = sync.invalidReason();
        if (reason == InvalidReason.SEQUENCE_GAP || reason == InvalidReason.SNAPSHOT_TOO_OLD) {
          metrics.gap(instrument.id());
        }
        getContext().getLog().warn("Book of {} invalid ({}); resynchronising", instrument.symbol(), reason);
        publish(new MarketEvent.BookInvalidated(instrument.id(), reason));
        requestSnapshot();
      }
      case STALE -> {
        // older than the book: nothing to do
      }
    }
  }

  private void publishBook(long eventTime, long receiveNanos) {
    publish(
        new MarketEvent.BookUpdated(
            instrument.id(),
            sync.lastUpdateId(),
            book.bestBidPrice(),
            book.bestBidQty(),
            book.bestAskPrice(),
            book.bestAskQty(),
            book.microprice(),
            book.imbalance(5),
            eventTime,
            receiveNanos));
  }

  private void publish(MarketEvent event) {
    for (int i = 0; i < consumers.size(); i++) {
      consumers.get(i).tell(event);
    }
  }

  private Behavior<Command> onStreamDisconnected(StreamDisconnected command) {
    sync.invalidate(InvalidReason.DISCONNECTED);
    publish(new MarketEvent.BookInvalidated(instrument.id(), InvalidReason.DISCONNECTED));
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe command) {
    if (!consumers.contains(command.consumer())) {
      consumers.add(command.consumer());
    }
    return this;
  }

  private Behavior<Command> onGetBook(GetBook command) {
    command.replyTo().tell(
        new BookSnapshot(
            instrument.id(),
            sync.isValid(),
            sync.invalidReason(),
            sync.lastUpdateId(),
            book.bidPrices(Integer.MAX_VALUE),
            book.bidQtys(Integer.MAX_VALUE),
            book.askPrices(Integer.MAX_VALUE),
            book.askQtys(Integer.MAX_VALUE)));
    return this;
  }

  /** Fetches a snapshot now, or once the minimum interval since the last one has passed. */
  private void requestSnapshot() {
    if (fetching || timers.isTimerActive(FetchSnapshot.INSTANCE) || sync.isValid()) {
      return;
    }
    long sinceLast = System.nanoTime() - lastFetchNanos;
    long minInterval = settings.snapshotMinInterval().toNanos();
    if (lastFetchNanos != Long.MIN_VALUE && sinceLast < minInterval) {
      timers.startSingleTimer(FetchSnapshot.INSTANCE, Duration.ofNanos(minInterval - sinceLast));
      return;
    }
    fetch();
  }

  private Behavior<Command> onFetchSnapshot() {
    if (!fetching && !sync.isValid()) {
      fetch();
    }
    return this;
  }

  private void fetch() {
    fetching = true;
    lastFetchNanos = System.nanoTime();
    metrics.resync(instrument.id());
    getContext()
        .pipeToSelf(
            client
                .fetch(instrument.symbol(), settings.snapshotLimit())
                .toCompletableFuture()
                .orTimeout(settings.snapshotTimeout().toMillis(), TimeUnit.MILLISECONDS),
            SnapshotFetched::new);
  }

  private Behavior<Command> onSnapshotFetched(SnapshotFetched result) {
    fetching = false;
    if (result.failure() != null) {
      getContext().getLog().warn("Depth snapshot of {} failed: {}", instrument.symbol(), result.failure().toString());
      retryLater();
      return this;
    }
    DecodeError error = snapshot.decode(result.body(), instrument);
    if (error != null) {
      metrics.decodeError(instrument.id());
      getContext().getLog().warn("Depth snapshot of {} rejected: {}", instrument.symbol(), error);
      retryLater();
      return this;
    }
    BookSynchronizer.Result outcome = sync.onSnapshot(snapshot);
    getContext()
        .getLog()
        .info("Loaded depth snapshot of {} at update id {}: {}", instrument.symbol(), snapshot.lastUpdateId(), outcome);
    if (outcome != BookSynchronizer.Result.BUFFERED) {
      // BUFFERED here means loaded and waiting for the first spanning diff: nothing to fetch
      handle(outcome, snapshot.eventTime(), System.nanoTime());
    }
    return this;
  }

  private void retryLater() {
    if (!timers.isTimerActive(FetchSnapshot.INSTANCE)) {
      timers.startSingleTimer(FetchSnapshot.INSTANCE, settings.snapshotMinInterval());
    }
  }
}
