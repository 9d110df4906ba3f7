package io.phoenix.market;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link SyncedBook} hosted by an actor: the one way a book is kept in the running system, by the
 * symbol's quoter and by a {@link BookActor} alike. It answers every {@link BookCommand} on the
 * hosting actor's thread, schedules the snapshot fetch on the actor's timer and gets the fetch's
 * result back through {@code pipeToSelf}; the actor only wraps book commands into its own protocol
 * ({@code toOwner}) and says what the book's news means to it ({@link Owner}).
 *
 * <p>A diff costs no allocation here: the command the feed sent is handed to the book as it is.
 *
 * @param <T> the hosting actor's message type
 */
public final class HostedBook<T> implements SyncedBook.Host {

  /** The hosting actor's reaction to the book's news and to a consumer that wants its events. */
  public interface Owner extends SyncedBook.Listener {
    void subscribe(ActorRef<MarketEvent> consumer);
  }

  private final ActorContext<T> context;
  private final TimerScheduler<T> timers;
  private final Function<BookCommand, T> toOwner;
  // one instance: the timer's key, so that at most one fetch is pending
  private final T snapshotDue;
  private final Owner owner;
  private final SyncedBook book;

  /**
   * @param toOwner wraps a book command into the hosting actor's protocol (identity for a {@link
   *     BookActor}); must give equal messages for equal commands (records do)
   */
  public HostedBook(
      ActorContext<T> context,
      TimerScheduler<T> timers,
      Function<BookCommand, T> toOwner,
      Instrument instrument,
      DepthSnapshotClient snapshots,
      FeedSettings settings,
      FeedMetrics metrics,
      Owner owner) {
    this.context = context;
    this.timers = timers;
    this.toOwner = toOwner;
    this.snapshotDue = toOwner.apply(BookCommand.SnapshotDue.INSTANCE);
    this.owner = owner;
    this.book = new SyncedBook(instrument, snapshots, settings, metrics, context.getLog(), this);
  }

  /**
   * The book, for reading only (top of book, depth, microprice); valid only if {@link
   * SyncedBook#isValid}.
   */
  public SyncedBook book() {
    return book;
  }

  /** Answers one book command; a diff and a ticker, the hot path, are tested first. */
  public void handle(BookCommand command) {
    if (command instanceof BookCommand.ApplyDiff d) {
      book.onDiff(d.diff());
    } else if (command instanceof BookCommand.ApplyTicker t) {
      book.onTicker(t.top());
    } else if (command instanceof BookCommand.StreamDisconnected) {
      book.onDisconnected();
    } else if (command instanceof BookCommand.SnapshotFetched f) {
      book.onSnapshot(f.body(), f.failure());
    } else if (command == BookCommand.SnapshotDue.INSTANCE) {
      book.onFetchDue();
    } else if (command instanceof BookCommand.GetBook g) {
      g.replyTo().tell(book.snapshot());
    } else if (command instanceof BookCommand.Subscribe s) {
      owner.subscribe(s.consumer());
    }
  }

  @Override
  public void bookUpdated(long eventTime, long receiveNanos) {
    owner.bookUpdated(eventTime, receiveNanos);
  }

  @Override
  public void bookInvalidated(InvalidReason reason) {
    owner.bookInvalidated(reason);
  }

  @Override
  public void pipeSnapshot(CompletionStage<byte[]> fetch) {
    context.pipeToSelf(
        fetch, (body, failure) -> toOwner.apply(new BookCommand.SnapshotFetched(body, failure)));
  }

  @Override
  public void scheduleFetch(Duration delay) {
    timers.startSingleTimer(snapshotDue, delay);
  }

  @Override
  public boolean fetchScheduled() {
    return timers.isTimerActive(snapshotDue);
  }
}
