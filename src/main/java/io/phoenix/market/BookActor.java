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

/**
 * Hosts one symbol's {@link SyncedBook} for a {@link MarketFeed} that owns its books itself (a feed
 * used without quoters: tests, tools). In the running node the symbol's quoter hosts the book and
 * the feed sends it the same commands.
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
public final class BookActor extends AbstractBehavior<BookActor.Command> {

  public sealed interface Command {}

  /** One diff, in arrival order, from the feed that carries this symbol's depth stream. */
  public record ApplyDiff(DepthDiff diff) implements Command {}

  /** The socket carrying this symbol dropped: events may be lost. */
  public record StreamDisconnected(String reason) implements Command {}

  public record Subscribe(ActorRef<MarketEvent> consumer) implements Command {}

  /** Replies with the whole book (for tests, diagnostics and the dashboard; allocates). */
  public record GetBook(ActorRef<BookSnapshot> replyTo) implements Command {}

  private enum FetchSnapshot implements Command {
    INSTANCE
  }

  private record SnapshotFetched(byte[] body, Throwable failure) implements Command {}

  private final TimerScheduler<Command> timers;
  private final SyncedBook synced;
  private final List<ActorRef<MarketEvent>> consumers;

  private BookActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Instrument instrument,
      DepthSnapshotClient client,
      FeedSettings settings,
      FeedMetrics metrics,
      List<ActorRef<MarketEvent>> consumers) {
    super(context);
    this.timers = timers;
    this.consumers = new ArrayList<>(consumers);
    this.synced = new SyncedBook(instrument, client, settings, metrics, context.getLog(),
        SyncedBook.actorHost(context, timers, FetchSnapshot.INSTANCE, SnapshotFetched::new, new SyncedBook.Listener() {
          @Override
          public void bookUpdated(long eventTime, long receiveNanos) {
            publish(MarketEvent.BookUpdated.of(synced.book(), synced.lastUpdateId(), eventTime, receiveNanos));
          }

          @Override
          public void bookInvalidated(InvalidReason reason) {
            publish(new MarketEvent.BookInvalidated(instrument.id(), reason));
          }
        }));
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
                timers -> new BookActor(context, timers, instrument, client, settings, metrics, consumers)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyDiff.class, command -> {
          synced.onDiff(command.diff());
          return this;
        })
        .onMessage(StreamDisconnected.class, command -> {
          synced.onDisconnected();
          return this;
        })
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(GetBook.class, command -> {
          command.replyTo().tell(synced.snapshot());
          return this;
        })
        .onMessageEquals(FetchSnapshot.INSTANCE, () -> {
          synced.onFetchDue();
          return this;
        })
        .onMessage(SnapshotFetched.class, result -> {
          synced.onSnapshot(result.body(), result.failure());
          return this;
        })
        .build();
  }

  private void publish(MarketEvent event) {
    for (int i = 0; i < consumers.size(); i++) {
      consumers.get(i).tell(event);
    }
  }

  private Behavior<Command> onSubscribe(Subscribe command) {
    if (!consumers.contains(command.consumer())) {
      consumers.add(command.consumer());
    }
    return this;
  }
}
