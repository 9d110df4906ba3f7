package io.phoenix.market;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps one symbol's book for a {@link MarketFeed} used without quoters (tests, tools), which
 * spawns it as {@code book-SYMBOL}. In the running node the symbol's quoter keeps the book instead;
 * both speak {@link BookCommand} and host the book through a {@link HostedBook}.
 *
 * <p>Commands: {@link BookCommand.ApplyDiff} from the feed; {@link BookCommand.StreamDisconnected}
 * when the feed's socket drops; {@link BookCommand.Subscribe} adds a consumer; {@link
 * BookCommand.GetBook} replies with a {@link BookSnapshot}. It publishes {@link
 * MarketEvent.BookUpdated} after every applied diff and {@link MarketEvent.BookInvalidated}
 * whenever the book breaks. On a break it fetches a REST snapshot itself, at most once per {@code
 * snapshot-min-interval} (a single timer spaces the requests), while diffs keep arriving on the
 * same socket.
 *
 * <p>A restart starts from an empty, invalid book and resynchronises from a fresh snapshot.
 */
public final class BookActor extends AbstractBehavior<BookCommand> {

  private final HostedBook<BookCommand> hosted;
  private final List<ActorRef<MarketEvent>> consumers;

  private BookActor(
      ActorContext<BookCommand> context,
      TimerScheduler<BookCommand> timers,
      Instrument instrument,
      DepthSnapshotClient snapshots,
      FeedSettings settings,
      FeedMetrics metrics,
      List<ActorRef<MarketEvent>> consumers) {
    super(context);
    this.consumers = new ArrayList<>(consumers);
    this.hosted =
        new HostedBook<>(
            context,
            timers,
            Function.identity(),
            instrument,
            snapshots,
            settings,
            metrics,
            new Publisher(instrument.id()));
  }

  /**
   * @param consumers get the book's events from the start (kept across restarts)
   */
  public static Behavior<BookCommand> create(
      Instrument instrument,
      DepthSnapshotClient snapshots,
      FeedSettings settings,
      FeedMetrics metrics,
      List<ActorRef<MarketEvent>> consumers) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new BookActor(
                        context, timers, instrument, snapshots, settings, metrics, consumers)));
  }

  @Override
  public Receive<BookCommand> createReceive() {
    return newReceiveBuilder().onMessage(BookCommand.class, this::onBookCommand).build();
  }

  private Behavior<BookCommand> onBookCommand(BookCommand command) {
    hosted.handle(command);
    return this;
  }

  private void publish(MarketEvent event) {
    for (int i = 0; i < consumers.size(); i++) {
      consumers.get(i).tell(event);
    }
  }

  /** The book's news goes to every consumer. */
  private final class Publisher implements HostedBook.Owner {
    private final int symbolId;

    Publisher(int symbolId) {
      this.symbolId = symbolId;
    }

    @Override
    public void bookUpdated(long eventTime, long receiveNanos) {
      publish(MarketEvent.BookUpdated.of(hosted.book(), eventTime, receiveNanos));
    }

    @Override
    public void bookInvalidated(InvalidReason reason) {
      publish(new MarketEvent.BookInvalidated(symbolId, reason));
    }

    @Override
    public void subscribe(ActorRef<MarketEvent> consumer) {
      if (!consumers.contains(consumer)) {
        consumers.add(consumer);
      }
    }
  }
}
