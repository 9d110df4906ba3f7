package io.phoenix.market;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketRequest;
import akka.http.javadsl.model.ws.WebSocketUpgradeResponse;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSink;
import io.phoenix.binance.rest.DepthSnapshotClient;
import io.phoenix.binance.ws.AggTradeFrame;
import io.phoenix.binance.ws.BookTickerFrame;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.binance.ws.MarkPriceFrame;
import io.phoenix.binance.ws.MarketFrameDecoder;
import io.phoenix.binance.ws.MarketFrameHandler;
import io.phoenix.binance.ws.SubscriptionReply;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One market-data WebSocket connection carrying the combined streams of a {@link FeedPlan}'s
 * symbols: decodes every frame on its own thread with one reusable {@link MarketFrameDecoder},
 * forwards depth diffs to the symbol's {@link BookOwner} (its quoter in the node, else a {@link
 * BookActor} child named {@code book-SYMBOL}) and trades, mark prices and feed state to the
 * symbol's consumers.
 *
 * <p>Commands: {@link Subscribe} adds a consumer of a symbol's {@link MarketEvent}s (consumers
 * given to {@link #create} survive restarts, later ones do not); {@link GetBook} is forwarded to
 * whoever keeps the symbol's book; {@link GetStatus} replies with a {@link Status}; {@link
 * InjectFailure} throws, for supervision drills.
 *
 * <p>The socket is an Akka HTTP client WebSocket whose incoming side ends in {@code
 * ActorSink.actorRefWithBackpressure}: one batch of frames (those that queued up meanwhile, at most
 * 256) is in flight at a time and is acknowledged after it is processed, so a slow feed
 * back-pressures the TCP connection instead of filling the mailbox. Akka HTTP answers the server's
 * pings with pongs itself. Messages of an earlier connection carry an older generation and are only
 * acknowledged.
 *
 * <p>Timers: reconnect after a drop (exponential backoff with jitter, reset once a connection
 * delivers a frame); rotation after {@code max-connection-life}; a periodic staleness check that
 * sends {@link MarketEvent.BookStale} when a symbol is silent for {@code stale-after}.
 *
 * <p>A restart closes the old socket, stops the book keeper children or tells the books' owners the
 * stream broke (either way the books are rebuilt from fresh snapshots) and connects again.
 */
public final class MarketFeed extends AbstractBehavior<MarketFeed.Command> {

  public sealed interface Command {}

  public record Subscribe(String symbol, ActorRef<MarketEvent> consumer) implements Command {}

  public record GetBook(String symbol, ActorRef<BookSnapshot> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Throws inside the feed so that its supervisor restarts it (fault drills and tests). */
  public record InjectFailure(String reason) implements Command {}

  /** Connection state of the feed. */
  public record Status(String feed, boolean connected, long connections, String url) {}

  /** Acknowledgement the stream waits for before it sends the next frame. */
  enum Ack {
    INSTANCE
  }

  private enum Connect implements Command {
    INSTANCE
  }

  private enum Rotate implements Command {
    INSTANCE
  }

  private enum CheckStale implements Command {
    INSTANCE
  }

  private record Upgraded(long generation, WebSocketUpgradeResponse response, Throwable failure)
      implements Command {}

  private record StreamStarted(long generation, ActorRef<Ack> ackTo) implements Command {}

  /** Text frames that queued up while the previous batch was processed, in arrival order. */
  private record FramesArrived(long generation, List<String> frames, ActorRef<Ack> ackTo)
      implements Command {}

  private record StreamEnded(long generation, Throwable failure) implements Command {}

  // generations are unique across restarts so that a dying stream cannot pass for a new one
  private static final AtomicLong GENERATIONS = new AtomicLong();
  private static final int MAX_BATCH = 256;
  private static final long DECODE_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final FeedPlan plan;
  private final FeedSettings settings;
  private final String url;
  private final FeedMetrics metrics;
  private final TimerScheduler<Command> timers;
  private final Materializer materializer;
  private final MarketFrameDecoder decoder;
  private final ReconnectBackoff backoff;
  private final Instrument[] instruments;
  private final List<List<ActorRef<MarketEvent>>> consumers = new ArrayList<>();
  private final Set<ActorRef<MarketEvent>> allConsumers = new LinkedHashSet<>();
  private final FrameTap tap;
  // per symbol id: who keeps the book (the symbol's quoter, or a book keeper child), null if nobody
  private final List<BookOwner> keepers = new ArrayList<>();
  private final long[] lastEventNanos;
  private final boolean[] stale;
  private long generation = -1;
  private CompletableFuture<Optional<Message>> closer;
  private boolean connected;
  private boolean healthy;
  private boolean rotating;
  private long connections;
  private long frameReceiveNanos;
  private long frameReceiveMillis;
  private long lastDecodeLogNanos = System.nanoTime() - DECODE_LOG_INTERVAL_NANOS;
  private long suppressedDecodeLogs;

  private MarketFeed(
      ActorContext<Command> context, TimerScheduler<Command> timers, Dependencies deps) {
    super(context);
    this.plan = deps.plan();
    this.settings = deps.settings();
    this.metrics = deps.metrics();
    this.tap = deps.tap();
    this.timers = timers;
    this.url = plan.url(deps.wsBaseUrl(), settings);
    this.materializer = Materializer.matFromSystem(context.getSystem());
    this.decoder = new MarketFrameDecoder(InstrumentRegistry.of(plan.instruments()), new Handler());
    this.backoff =
        new ReconnectBackoff(
            settings.reconnectMinBackoff(),
            settings.reconnectMaxBackoff(),
            settings.reconnectJitter(),
            () -> ThreadLocalRandom.current().nextDouble());
    int size = 0;
    for (Instrument instrument : plan.instruments()) {
      size = Math.max(size, instrument.id() + 1);
    }
    instruments = new Instrument[size];
    lastEventNanos = new long[size];
    stale = new boolean[size];
    long now = System.nanoTime();
    for (int i = 0; i < size; i++) {
      consumers.add(new ArrayList<>());
      keepers.add(null);
      lastEventNanos[i] = now;
    }
    for (Instrument instrument : plan.instruments()) {
      int id = instrument.id();
      instruments[id] = instrument;
      List<ActorRef<MarketEvent>> initial =
          deps.consumers().getOrDefault(instrument.symbol(), List.of());
      consumers.get(id).addAll(initial);
      allConsumers.addAll(initial);
      BookOwner owner = deps.bookOwners().get(instrument.symbol());
      if (plan.depth() && owner != null) {
        // whatever this feed's previous incarnation delivered may have a hole now
        owner.tell(new BookCommand.StreamDisconnected("feed " + plan.name() + " (re)started"));
        keepers.set(id, owner);
      } else if (plan.depth()) {
        keepers.set(
            id,
            BookOwner.of(
                context.spawn(
                    BookActor.create(instrument, deps.snapshots(), settings, metrics, initial),
                    "book-" + instrument.symbol(),
                    DispatcherSelector.sameAsParent())));
      }
    }
    // check four times per stale-after so staleness is reported at most 25% late, within [10ms, 1s]
    long checkMillis = Math.max(10, Math.min(1000, settings.staleAfter().toMillis() / 4));
    timers.startTimerWithFixedDelay(CheckStale.INSTANCE, Duration.ofMillis(checkMillis));
    connect();
  }

  /**
   * What a feed is built from. The six-part constructor gives a feed that keeps every book of its
   * plan itself (no book owners) and has no tap; {@link #withBookOwners} and {@link #withTap} set
   * them.
   *
   * @param wsBaseUrl {@code phoenix.binance.ws-url}, e.g. {@code wss://fstream.binance.com}
   * @param snapshots REST depth snapshots (see {@link
   *     io.phoenix.binance.rest.RestDepthSnapshotClient})
   * @param metrics this feed's meters; create one per feed name
   * @param consumers symbol to consumers registered from the start (kept across restarts)
   * @param bookOwners symbol to the actor that keeps its book (the quoters): the feed sends their
   *     depth there instead of keeping those books itself, one hop from frame to the actor that
   *     quotes on it; their books are invalidated whenever this feed (re)starts or its socket drops
   * @param tap sees every frame as received (the recorder), before it is decoded
   */
  public record Dependencies(
      FeedPlan plan,
      FeedSettings settings,
      String wsBaseUrl,
      DepthSnapshotClient snapshots,
      FeedMetrics metrics,
      Map<String, List<ActorRef<MarketEvent>>> consumers,
      Map<String, BookOwner> bookOwners,
      FrameTap tap) {

    public Dependencies(
        FeedPlan plan,
        FeedSettings settings,
        String wsBaseUrl,
        DepthSnapshotClient snapshots,
        FeedMetrics metrics,
        Map<String, List<ActorRef<MarketEvent>>> consumers) {
      this(plan, settings, wsBaseUrl, snapshots, metrics, consumers, Map.of(), FrameTap.NONE);
    }

    public Dependencies withBookOwners(Map<String, BookOwner> bookOwners) {
      return new Dependencies(
          plan, settings, wsBaseUrl, snapshots, metrics, consumers, bookOwners, tap);
    }

    public Dependencies withTap(FrameTap tap) {
      return new Dependencies(
          plan, settings, wsBaseUrl, snapshots, metrics, consumers, bookOwners, tap);
    }
  }

  public static Behavior<Command> create(Dependencies deps) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new MarketFeed(context, timers, deps)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(GetBook.class, this::onGetBook)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onMessageEquals(Connect.INSTANCE, this::onConnect)
        .onMessageEquals(Rotate.INSTANCE, this::onRotate)
        .onMessageEquals(CheckStale.INSTANCE, this::onCheckStale)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(FramesArrived.class, this::onFramesArrived)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onSignal(PreRestart.class, signal -> onStop())
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Instrument instrument(String symbol) {
    for (Instrument instrument : instruments) {
      if (instrument != null && instrument.symbol().equalsIgnoreCase(symbol)) {
        return instrument;
      }
    }
    return null;
  }

  private Behavior<Command> onSubscribe(Subscribe command) {
    Instrument instrument = instrument(command.symbol());
    if (instrument == null) {
      getContext()
          .getLog()
          .warn("Feed {} does not carry {}; subscription ignored", plan.name(), command.symbol());
      return this;
    }
    List<ActorRef<MarketEvent>> list = consumers.get(instrument.id());
    if (!list.contains(command.consumer())) {
      list.add(command.consumer());
    }
    allConsumers.add(command.consumer());
    BookOwner keeper = keepers.get(instrument.id());
    if (keeper != null) {
      keeper.tell(new BookCommand.Subscribe(command.consumer()));
    }
    return this;
  }

  private Behavior<Command> onGetBook(GetBook command) {
    Instrument instrument = instrument(command.symbol());
    BookOwner keeper = instrument == null ? null : keepers.get(instrument.id());
    if (keeper == null) {
      getContext().getLog().warn("Feed {} keeps no book of {}", plan.name(), command.symbol());
      return this;
    }
    keeper.tell(new BookCommand.GetBook(command.replyTo()));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus command) {
    command.replyTo().tell(new Status(plan.name(), connected, connections, url));
    return this;
  }

  private Behavior<Command> onInjectFailure(InjectFailure command) {
    throw new IllegalStateException(
        "injected failure in feed " + plan.name() + ": " + command.reason());
  }

  private void connect() {
    long current = GENERATIONS.incrementAndGet();
    generation = current;
    ActorRef<Command> self = getContext().getSelf();
    long timeoutMillis = settings.snapshotTimeout().toMillis();
    Sink<List<String>, akka.NotUsed> toActor =
        ActorSink.<List<String>, Command, Ack>actorRefWithBackpressure(
            self,
            (ackTo, frames) -> new FramesArrived(current, frames, ackTo),
            ackTo -> new StreamStarted(current, ackTo),
            Ack.INSTANCE,
            new StreamEnded(current, null),
            failure -> new StreamEnded(current, failure));
    // Frames split across TCP reads are collected here; while the actor works on one batch the
    // next frames accumulate into the following one, so a burst costs one round trip, not one each.
    Sink<Message, akka.NotUsed> sink =
        Flow.<Message>create()
            .mapAsync(1, message -> text(message, materializer, timeoutMillis))
            .filter(text -> !text.isEmpty())
            .batch(
                MAX_BATCH,
                first -> {
                  List<String> batch = new ArrayList<>(4);
                  batch.add(first);
                  return batch;
                },
                (batch, next) -> {
                  batch.add(next);
                  return batch;
                })
            .to(toActor);
    // Binance streams need nothing from us; Source.maybe keeps our side open until we close it
    Flow<Message, Message, CompletableFuture<Optional<Message>>> flow =
        Flow.fromSinkAndSourceCoupledMat(sink, Source.<Message>maybe(), Keep.right());
    Pair<CompletionStage<WebSocketUpgradeResponse>, CompletableFuture<Optional<Message>>> pair =
        Http.get(getContext().getSystem())
            .singleWebSocketRequest(WebSocketRequest.create(url), flow, materializer);
    closer = pair.second();
    getContext().getLog().info("Feed {} connecting to {}", plan.name(), url);
    getContext()
        .pipeToSelf(pair.first(), (response, failure) -> new Upgraded(current, response, failure));
  }

  private Behavior<Command> onConnect() {
    if (!connected) {
      metrics.reconnect();
      connect();
    }
    return this;
  }

  private Behavior<Command> onUpgraded(Upgraded upgraded) {
    if (upgraded.generation() != generation) {
      return this;
    }
    if (upgraded.failure() != null
        || upgraded.response().response().status() != StatusCodes.SWITCHING_PROTOCOLS) {
      String reason =
          upgraded.failure() != null
              ? upgraded.failure().toString()
              : "HTTP " + upgraded.response().response().status().intValue();
      disconnected("connect failed: " + reason);
      return this;
    }
    connected = true;
    connections++;
    rotating = false;
    getContext().getLog().info("Feed {} connected", plan.name());
    timers.startSingleTimer(Rotate.INSTANCE, settings.maxConnectionLife());
    MarketEvent event = new MarketEvent.FeedConnected(plan.name());
    for (ActorRef<MarketEvent> consumer : allConsumers) {
      consumer.tell(event);
    }
    return this;
  }

  private Behavior<Command> onStreamStarted(StreamStarted started) {
    started.ackTo().tell(Ack.INSTANCE);
    return this;
  }

  /**
   * The text of a frame, assembled if it came in pieces; binary frames are drained and dropped.
   * Runs inside the stream, so it is static: it must not touch actor state.
   */
  private static CompletionStage<String> text(
      Message message, Materializer materializer, long timeoutMillis) {
    if (!message.isText()) {
      message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer);
      return CompletableFuture.completedFuture("");
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(text.getStrictText());
    }
    return text.toStrict(timeoutMillis, materializer).thenApply(TextMessage::getStrictText);
  }

  private Behavior<Command> onFramesArrived(FramesArrived arrived) {
    if (arrived.generation() == generation) {
      List<String> frames = arrived.frames();
      for (int i = 0; i < frames.size(); i++) {
        decode(frames.get(i));
      }
    }
    arrived.ackTo().tell(Ack.INSTANCE);
    return this;
  }

  private void decode(String text) {
    frameReceiveNanos = System.nanoTime();
    frameReceiveMillis = System.currentTimeMillis();
    tap.frame(frameReceiveNanos, text);
    if (!healthy) {
      healthy = true;
      backoff.reset();
    }
    decoder.decode(text);
  }

  private Behavior<Command> onStreamEnded(StreamEnded ended) {
    if (ended.generation() != generation) {
      return this;
    }
    String reason = ended.failure() == null ? "closed" : ended.failure().toString();
    disconnected(reason);
    return this;
  }

  private void disconnected(String reason) {
    boolean wasConnected = connected;
    connected = false;
    healthy = false;
    generation = -1;
    timers.cancel(Rotate.INSTANCE);
    Duration delay = rotating ? Duration.ZERO : backoff.next();
    rotating = false;
    getContext()
        .getLog()
        .warn(
            "Feed {} disconnected ({}); reconnecting in {} ms",
            plan.name(),
            reason,
            delay.toMillis());
    if (wasConnected) {
      for (BookOwner keeper : keepers) {
        if (keeper != null) {
          keeper.tell(new BookCommand.StreamDisconnected(reason));
        }
      }
      MarketEvent event = new MarketEvent.FeedDisconnected(plan.name(), reason);
      for (ActorRef<MarketEvent> consumer : allConsumers) {
        consumer.tell(event);
      }
    }
    timers.startSingleTimer(Connect.INSTANCE, delay);
  }

  private Behavior<Command> onRotate() {
    if (connected) {
      getContext()
          .getLog()
          .info(
              "Feed {} rotating its connection after {}",
              plan.name(),
              settings.maxConnectionLife());
      rotating = true;
      closer.complete(Optional.empty());
    }
    return this;
  }

  private Behavior<Command> onCheckStale() {
    if (!plan.depth() && !plan.bookTicker()) {
      // a trades/mark-price connection says nothing about the book; its loss shows as
      // FeedDisconnected
      return this;
    }
    long now = System.nanoTime();
    long limit = settings.staleAfter().toNanos();
    for (Instrument instrument : instruments) {
      if (instrument == null) {
        continue;
      }
      int id = instrument.id();
      long silent = now - lastEventNanos[id];
      if (!stale[id] && silent > limit) {
        stale[id] = true;
        getContext()
            .getLog()
            .warn(
                "Feed {}: {} silent for {} ms",
                plan.name(),
                instrument.symbol(),
                silent / 1_000_000);
        publish(id, new MarketEvent.BookStale(id, silent / 1_000_000));
      }
    }
    return this;
  }

  private Behavior<Command> onStop() {
    if (closer != null) {
      closer.complete(Optional.empty());
    }
    return this;
  }

  private void publish(int symbolId, MarketEvent event) {
    List<ActorRef<MarketEvent>> list = consumers.get(symbolId);
    for (int i = 0; i < list.size(); i++) {
      list.get(i).tell(event);
    }
  }

  private void alive(int symbolId, long eventTime) {
    lastEventNanos[symbolId] = frameReceiveNanos;
    stale[symbolId] = false;
    metrics.event(symbolId);
    metrics.lag(symbolId, frameReceiveMillis - eventTime);
  }

  /** Decoder callbacks, on the feed's thread inside {@link #decode}. */
  private final class Handler implements MarketFrameHandler {
    @Override
    public void onDepthUpdate(DepthUpdateFrame frame) {
      int id = frame.symbolId();
      alive(id, frame.eventTime());
      BookOwner keeper = keepers.get(id);
      if (keeper != null && !frame.partial()) {
        keeper.tell(new BookCommand.ApplyDiff(DepthDiff.copyOf(frame, frameReceiveNanos)));
      }
    }

    @Override
    public void onBookTicker(BookTickerFrame frame) {
      int id = frame.symbolId();
      alive(id, frame.eventTime());
      // the top moves on the ticker the moment it changes; the diffs catch up a batch later
      BookOwner keeper = keepers.get(id);
      if (keeper != null) {
        keeper.tell(new BookCommand.ApplyTicker(TickerTop.of(frame, frameReceiveNanos)));
      }
    }

    @Override
    public void onAggTrade(AggTradeFrame frame) {
      int id = frame.symbolId();
      alive(id, frame.eventTime());
      publish(
          id,
          new MarketEvent.Trade(
              id,
              frame.aggregateId(),
              frame.price(),
              frame.quantity(),
              frame.buyerMaker(),
              frame.tradeTime(),
              frameReceiveNanos));
    }

    @Override
    public void onMarkPrice(MarkPriceFrame frame) {
      int id = frame.symbolId();
      alive(id, frame.eventTime());
      publish(
          id,
          new MarketEvent.MarkPrice(
              id,
              frame.markPrice(),
              frame.fundingRate(),
              frame.nextFundingTime(),
              frame.eventTime()));
    }

    @Override
    public void onSubscriptionReply(SubscriptionReply reply) {
      getContext().getLog().debug("Feed {} subscription reply {}", plan.name(), reply);
    }

    @Override
    public void onDecodeError(DecodeError error, int symbolId) {
      metrics.decodeError(symbolId);
      // every error is counted; the log gets one line per 10 s so a broken stream cannot flood it
      long now = System.nanoTime();
      if (now - lastDecodeLogNanos < DECODE_LOG_INTERVAL_NANOS) {
        suppressedDecodeLogs++;
        return;
      }
      getContext()
          .getLog()
          .warn(
              "Feed {} dropped an undecodable frame ({}, symbol id {}); {} more since the last report",
              plan.name(),
              error,
              symbolId,
              suppressedDecodeLogs);
      lastDecodeLogNanos = now;
      suppressedDecodeLogs = 0;
    }
  }
}
