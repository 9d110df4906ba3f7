package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.PositionMode;
import io.phoenix.binance.rest.RateBudget;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.config.GuardianSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.ClientOrderIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node's start-up phases before anything trades, as a child of the guardian: load exchangeInfo
 * (retrying every 2 s until the venue answers) and take the venue's request limits into the shared
 * budget; then read the account's position mode. Phoenix trades only in one-way mode: a hedge-mode
 * account is read again every {@code account-check-retry}, or switched to one-way when {@code
 * phoenix.guardian.switch-to-one-way-mode} allows (and read back rather than trusted). Last, the
 * highest fencing epoch among the account's recent orders of ours, which the unit's new epoch must
 * exceed.
 *
 * <p>It replies once to its parent, {@link Started} with the symbols' instruments, then stops. The
 * configuration names a symbol the venue does not list: {@link Started#refusal()} says which, and
 * the guardian fails the node. Timers: the exchangeInfo retry, the position-mode re-read. Not
 * supervised: if it fails, the guardian sees it stop before replying and fails the node.
 */
final class NodeStartup extends AbstractBehavior<NodeStartup.Command> {

  sealed interface Command {}

  /**
   * The venue is known and the account is one-way, or {@code refusal} says why the node cannot
   * trade the configured symbols (then the other fields are null).
   */
  record Started(
      RestExchangeInfo exchangeInfo,
      List<Instrument> instruments,
      String refusal,
      long highestRecentEpoch) {}

  private record RecentEpochsRead(long highest, String failure) implements Command {}

  private record ExchangeInfoLoaded(RestExchangeInfo info, String failure) implements Command {}

  private record PositionModeRead(PositionMode.Read read) implements Command {}

  private record OneWaySwitched(PositionMode.Read read) implements Command {}

  private enum Retry implements Command {
    EXCHANGE_INFO,
    POSITION_MODE,
    RECENT_ORDERS
  }

  private final TimerScheduler<Command> timers;
  private final GuardianSettings settings;
  private final String clientOrderIdPrefix;
  private final BinanceRestClient rest;
  private final ServerClock clock;
  private final SharedRateBudget budget;
  private final MeterRegistry meters;
  private final ActorRef<Started> replyTo;
  private RestExchangeInfo exchangeInfo;
  private List<Instrument> instruments;

  private NodeStartup(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      GuardianSettings settings,
      String clientOrderIdPrefix,
      BinanceRestClient rest,
      ServerClock clock,
      SharedRateBudget budget,
      MeterRegistry meters,
      ActorRef<Started> replyTo) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.clientOrderIdPrefix = clientOrderIdPrefix;
    this.rest = rest;
    this.clock = clock;
    this.budget = budget;
    this.meters = meters;
    this.replyTo = replyTo;
  }

  /**
   * @param rest the paced background client (every request charged to {@code budget})
   * @param budget takes the venue's limits from exchangeInfo
   */
  static Behavior<Command> create(
      GuardianSettings settings,
      String clientOrderIdPrefix,
      BinanceRestClient rest,
      ServerClock clock,
      SharedRateBudget budget,
      MeterRegistry meters,
      ActorRef<Started> replyTo) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  NodeStartup startup =
                      new NodeStartup(
                          context,
                          timers,
                          settings,
                          clientOrderIdPrefix,
                          rest,
                          clock,
                          budget,
                          meters,
                          replyTo);
                  startup.loadExchangeInfo();
                  return startup;
                }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ExchangeInfoLoaded.class, this::onExchangeInfoLoaded)
        .onMessage(PositionModeRead.class, this::onPositionModeRead)
        .onMessage(OneWaySwitched.class, this::onOneWaySwitched)
        .onMessageEquals(Retry.EXCHANGE_INFO, this::loadExchangeInfo)
        .onMessageEquals(Retry.POSITION_MODE, this::checkPositionMode)
        .onMessage(RecentEpochsRead.class, this::onRecentEpochsRead)
        .onMessageEquals(Retry.RECENT_ORDERS, this::readRecentEpochs)
        .build();
  }

  private Behavior<Command> loadExchangeInfo() {
    getContext()
        .pipeToSelf(
            rest.exchangeInfo(),
            (result, failure) -> {
              if (failure != null) {
                return new ExchangeInfoLoaded(null, failure.toString());
              }
              return result instanceof RestResult.Ok<RestExchangeInfo> ok
                  ? new ExchangeInfoLoaded(ok.body(), null)
                  : new ExchangeInfoLoaded(null, String.valueOf(result));
            });
    return this;
  }

  private Behavior<Command> onExchangeInfoLoaded(ExchangeInfoLoaded loaded) {
    if (loaded.info() == null) {
      getContext()
          .getLog()
          .warn("exchangeInfo not available ({}); retrying in 2 s", loaded.failure());
      timers.startSingleTimer(Retry.EXCHANGE_INFO, Duration.ofSeconds(2));
      return this;
    }
    instruments = loaded.info().instruments(settings.symbols());
    if (instruments.size() != settings.symbols().size()) {
      replyTo.tell(
          new Started(
              null,
              null,
              "phoenix.symbols names symbols the venue does not list: wanted "
                  + settings.symbols()
                  + ", found "
                  + instruments.stream().map(Instrument::symbol).toList(),
              0));
      return Behaviors.stopped();
    }
    exchangeInfo = loaded.info();
    budget.replaceLimits(RateBudget.fromExchange(exchangeInfo.rateLimits()));
    return checkPositionMode();
  }

  /** Nothing trades before the account is known to be in one-way mode. */
  private Behavior<Command> checkPositionMode() {
    getContext()
        .pipeToSelf(
            PositionMode.read(rest, clock),
            (read, e) ->
                new PositionModeRead(e == null ? read : new PositionMode.Read(null, e.toString())));
    return this;
  }

  private Behavior<Command> onPositionModeRead(PositionModeRead msg) {
    PositionMode.Read read = msg.read();
    meters
        .counter(
            "phoenix.account.position.mode.checks",
            "result",
            read.hedge() == null ? "unknown" : read.hedge() ? "hedge" : "one_way")
        .increment();
    if (read.hedge() == null) {
      getContext()
          .getLog()
          .warn(
              "account position mode unknown ({}); not trading, reading it again in {}",
              read.failure(),
              settings.accountCheckRetry());
      timers.startSingleTimer(Retry.POSITION_MODE, settings.accountCheckRetry());
    } else if (!read.hedge()) {
      return readRecentEpochs();
    } else if (settings.switchToOneWayMode()) {
      getContext()
          .getLog()
          .warn(
              "account is in hedge position mode; switching it to one-way"
                  + " (phoenix.guardian.switch-to-one-way-mode)");
      getContext()
          .pipeToSelf(
              PositionMode.switchToOneWay(rest),
              (r, e) ->
                  new OneWaySwitched(e == null ? r : new PositionMode.Read(null, e.toString())));
    } else {
      getContext()
          .getLog()
          .error(
              "account is in hedge position mode (dualSidePosition=true): Phoenix keeps one net"
                  + " position per symbol and would have every order refused. Not trading. Switch"
                  + " the account to one-way (POST /fapi/v1/positionSide/dual"
                  + " dualSidePosition=false, or phoenix.guardian.switch-to-one-way-mode = true);"
                  + " reading the mode again in {}",
              settings.accountCheckRetry());
      timers.startSingleTimer(Retry.POSITION_MODE, settings.accountCheckRetry());
    }
    return this;
  }

  /**
   * The highest fencing epoch among the account's recent orders of ours (the 50 latest per symbol,
   * open or not): the unit's new epoch must be above it even if the cluster's register lost a write
   * (its only holders left before it spread), so an earlier incarnation's orders are always fenced
   * off, never adopted as its own, and an earlier epoch never looks newer than this one.
   */
  private Behavior<Command> readRecentEpochs() {
    List<CompletableFuture<RestResult<JsonNode>>> reads = new ArrayList<>();
    for (Instrument i : instruments) {
      reads.add(
          rest.send(
                  RestRequest.get("/fapi/v1/allOrders")
                      .signed()
                      .param("symbol", i.symbol())
                      .param("limit", "50")
                      .build())
              .toCompletableFuture());
    }
    getContext()
        .pipeToSelf(
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)),
            (done, failure) -> {
              if (failure != null) {
                return new RecentEpochsRead(0, failure.toString());
              }
              long highest = 0;
              for (CompletableFuture<RestResult<JsonNode>> read : reads) {
                if (!(read.join() instanceof RestResult.Ok<JsonNode> ok)) {
                  return new RecentEpochsRead(0, String.valueOf(read.join()));
                }
                for (JsonNode order : ok.body()) {
                  String id = order.path("clientOrderId").asText();
                  if (id.startsWith(clientOrderIdPrefix + "-")) {
                    highest = Math.max(highest, ClientOrderIds.epochOf(id));
                  }
                }
              }
              return new RecentEpochsRead(highest, null);
            });
    return this;
  }

  private Behavior<Command> onRecentEpochsRead(RecentEpochsRead read) {
    if (read.failure() != null) {
      getContext()
          .getLog()
          .warn(
              "recent orders not read ({}); not trading, reading them again in 1 s",
              read.failure());
      timers.startSingleTimer(Retry.RECENT_ORDERS, Duration.ofSeconds(1));
      return this;
    }
    replyTo.tell(new Started(exchangeInfo, instruments, null, read.highest()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onOneWaySwitched(OneWaySwitched msg) {
    if (msg.read().failure() != null) {
      getContext()
          .getLog()
          .error(
              "switching the account to one-way mode failed ({}); not trading, trying again in {}",
              msg.read().failure(),
              settings.accountCheckRetry());
      timers.startSingleTimer(Retry.POSITION_MODE, settings.accountCheckRetry());
      return this;
    }
    // read it back rather than trust the answer
    return checkPositionMode();
  }
}
