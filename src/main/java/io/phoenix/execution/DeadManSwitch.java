package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.config.DeadManSwitchSettings;
import io.phoenix.core.Instrument;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The exchange-side dead-man switch: while the system reports itself healthy, refreshes {@code POST
 * /fapi/v1/countdownCancelAll} for every traded symbol each {@code refresh-interval} with {@code
 * countdownTime = countdown}. If this process hangs, dies or declares itself unhealthy, the
 * refreshes stop and the exchange cancels the symbol's open orders when the countdown runs out.
 *
 * <p>Commands: {@link Healthy} / {@link Unhealthy} (for all symbols with {@link #ALL_SYMBOLS}, or
 * one symbol id; a quoter can report its own book stale), {@link Disarm} (clean shutdown: sends
 * countdownTime 0 for every symbol, replies {@link Disarmed}, then stops, so a late Healthy cannot
 * re-arm it), {@link GetStatus} (replies {@link Status}). It starts unhealthy: nothing is armed
 * until the first Healthy. Becoming healthy refreshes at once.
 *
 * <p>Timer: the refresh tick. A failed refresh is logged and counted ({@code
 * phoenix_dead_man_refresh_failures_total}) and retried on the next tick, which the settings
 * guarantee is at most half a countdown away. A restart forgets health: it waits for the next
 * Healthy, and meanwhile the countdown armed before keeps running on the exchange, which is the
 * safe direction.
 */
public final class DeadManSwitch extends AbstractBehavior<DeadManSwitch.Command> {

  /** Symbol id meaning "every symbol" in health reports. */
  public static final int ALL_SYMBOLS = -1;

  public sealed interface Command {}

  /** The system (or one symbol) is healthy: keep the switch refreshed. */
  public record Healthy(int symbolId) implements Command {}

  /** The system (or one symbol) is not healthy: stop refreshing so the exchange cancels. */
  public record Unhealthy(int symbolId, String reason) implements Command {}

  /**
   * Disarm every symbol (countdownTime 0) and stop; for a clean shutdown after cancelling orders.
   */
  public record Disarm(ActorRef<Disarmed> replyTo) implements Command {}

  /** Reply to {@link Disarm}: the symbols whose disarm the exchange confirmed. */
  public record Disarmed(List<String> symbols, List<String> failed) {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param armedSymbols symbols refreshed on the last tick
   */
  public record Status(boolean healthy, Set<String> armedSymbols, long refreshes, long failures) {}

  private enum Tick implements Command {
    REFRESH
  }

  private record Refreshed(String symbol, Throwable failure) implements Command {}

  private record DisarmDone(ActorRef<Disarmed> replyTo, List<String> symbols, List<String> failed)
      implements Command {}

  private final ActorContext<Command> context;
  private final DeadManSwitchSettings settings;
  private final List<Instrument> instruments;
  private final AccountRestApi api;
  private final Counter refreshFailures;
  private final Set<Integer> unhealthySymbols = new HashSet<>();
  private final Set<String> armed = new HashSet<>();
  private boolean healthy;
  private boolean disarming;
  private long refreshes;
  private long failures;

  private DeadManSwitch(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      DeadManSwitchSettings settings,
      List<Instrument> instruments,
      AccountRestApi api,
      MeterRegistry meters) {
    super(context);
    this.context = context;
    this.settings = settings;
    this.instruments = instruments;
    this.api = api;
    this.refreshFailures =
        Counter.builder("phoenix.dead.man.refresh.failures")
            .description("countdownCancelAll refreshes that failed")
            .register(meters);
    timers.startTimerWithFixedDelay(Tick.REFRESH, Tick.REFRESH, settings.refreshInterval());
  }

  /**
   * @param instruments the symbols to protect
   */
  public static Behavior<Command> create(
      DeadManSwitchSettings settings,
      List<Instrument> instruments,
      AccountRestApi api,
      MeterRegistry meters) {
    if (!settings.enabled()) {
      return disabled();
    }
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new DeadManSwitch(
                        context, timers, settings, List.copyOf(instruments), api, meters)));
  }

  /** With the switch disabled: health reports are ignored and Disarm answers at once. */
  private static Behavior<Command> disabled() {
    return Behaviors.receive(Command.class)
        .onMessage(
            Disarm.class,
            m -> {
              m.replyTo().tell(new Disarmed(List.of(), List.of()));
              return Behaviors.same();
            })
        .onMessage(
            GetStatus.class,
            m -> {
              m.replyTo().tell(new Status(false, Set.of(), 0, 0));
              return Behaviors.same();
            })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Healthy.class, this::onHealthy)
        .onMessage(Unhealthy.class, this::onUnhealthy)
        .onMessage(Disarm.class, this::onDisarm)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessageEquals(Tick.REFRESH, this::onRefreshTick)
        .onMessage(Refreshed.class, this::onRefreshed)
        .onMessage(DisarmDone.class, this::onDisarmDone)
        .build();
  }

  private Behavior<Command> onHealthy(Healthy m) {
    boolean changed;
    if (m.symbolId() == ALL_SYMBOLS) {
      changed = !healthy;
      healthy = true;
    } else {
      changed = unhealthySymbols.remove(m.symbolId());
    }
    if (changed && !disarming) {
      context.getLog().info("Dead-man switch: healthy{}, refreshing", scope(m.symbolId()));
      refresh();
    }
    return this;
  }

  private Behavior<Command> onUnhealthy(Unhealthy m) {
    boolean changed;
    if (m.symbolId() == ALL_SYMBOLS) {
      changed = healthy;
      healthy = false;
    } else {
      changed = unhealthySymbols.add(m.symbolId());
    }
    if (changed) {
      context
          .getLog()
          .warn(
              "Dead-man switch: unhealthy{} ({}); refreshes stop, the exchange cancels in {}",
              scope(m.symbolId()),
              m.reason(),
              settings.countdown());
    }
    return this;
  }

  private Behavior<Command> onRefreshTick() {
    if (!disarming) {
      refresh();
    }
    return this;
  }

  private void refresh() {
    armed.clear();
    if (!healthy) {
      return;
    }
    long countdown = settings.countdown().toMillis();
    for (Instrument i : instruments) {
      if (unhealthySymbols.contains(i.id())) {
        continue;
      }
      armed.add(i.symbol());
      context.pipeToSelf(
          api.countdownCancelAll(i, countdown),
          (ok, failure) -> new Refreshed(i.symbol(), failure));
    }
  }

  private Behavior<Command> onRefreshed(Refreshed m) {
    if (m.failure() == null) {
      refreshes++;
      return this;
    }
    failures++;
    refreshFailures.increment();
    context
        .getLog()
        .warn("Dead-man switch refresh for {} failed: {}", m.symbol(), m.failure().toString());
    return this;
  }

  private Behavior<Command> onDisarm(Disarm m) {
    disarming = true;
    healthy = false;
    armed.clear();
    List<CompletableFuture<String>> calls =
        instruments.stream()
            .map(
                i ->
                    api.countdownCancelAll(i, 0)
                        .toCompletableFuture()
                        .handle((ok, failure) -> failure == null ? i.symbol() : "!" + i.symbol()))
            .toList();
    CompletableFuture<List<String>> all =
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
            .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
    context.pipeToSelf(
        all,
        (names, failure) -> {
          List<String> done =
              names == null ? List.of() : names.stream().filter(n -> !n.startsWith("!")).toList();
          List<String> failed =
              names == null
                  ? List.of("*")
                  : names.stream().filter(n -> n.startsWith("!")).map(n -> n.substring(1)).toList();
          return new DisarmDone(m.replyTo(), done, failed);
        });
    return this;
  }

  private Behavior<Command> onDisarmDone(DisarmDone m) {
    if (!m.failed().isEmpty()) {
      context
          .getLog()
          .warn(
              "Dead-man switch: disarm failed for {}; their countdown will still fire", m.failed());
    }
    context.getLog().info("Dead-man switch disarmed for {}", m.symbols());
    m.replyTo().tell(new Disarmed(m.symbols(), m.failed()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(new Status(healthy, Set.copyOf(armed), refreshes, failures));
    return this;
  }

  private String scope(int symbolId) {
    if (symbolId == ALL_SYMBOLS) {
      return "";
    }
    for (Instrument i : instruments) {
      if (i.id() == symbolId) {
        return " for " + i.symbol();
      }
    }
    return " for symbol " + symbolId;
  }
}
