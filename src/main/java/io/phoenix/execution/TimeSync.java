package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.RestServerTime;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings.TimeSyncSettings;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the shared {@link ServerClock} in step with the exchange's clock.
 *
 * <p>Each refresh calls {@code GET /fapi/v1/time} {@code samples} times in a row and keeps the
 * sample with the shortest round trip: {@code offset = serverTime - midpoint(t0, t1)}, uncertainty
 * = half that round trip (+1 ms for the server's millisecond resolution). A sample less certain
 * than {@code max-uncertainty} leaves the clock invalid, which holds every signed send.
 *
 * <p>Commands: {@link GetClock} answers {@link ClockReading}; {@link Resync} (sent by whoever got a
 * {@code -1021}) marks the clock invalid and refreshes at once. Timer: the refresh period, or the
 * retry delay after a refresh without a usable sample. A restart starts a fresh refresh; the shared
 * clock keeps its last offset meanwhile.
 */
public final class TimeSync extends AbstractBehavior<TimeSync.Command> {

  /** Protocol. */
  public sealed interface Command {}

  /** Asks for the current offset. */
  public record GetClock(ActorRef<ClockReading> replyTo) implements Command {}

  /** The clock was found wrong (e.g. {@code -1021}): invalidate and refresh now. */
  public record Resync() implements Command {}

  /** Reply to {@link GetClock}. {@code valid} false = signed requests must wait. */
  public record ClockReading(long offsetMillis, long uncertaintyMillis, boolean valid) {}

  /** Where server time comes from: {@code client::serverTime} in production, a stub in tests. */
  @FunctionalInterface
  public interface ServerTimeSource {
    CompletionStage<RestResult<RestServerTime>> fetch();
  }

  private enum Refresh implements Command {
    INSTANCE
  }

  private record Sampled(
      long t0Millis, long t0Nanos, long t1Nanos, RestResult<RestServerTime> result)
      implements Command {}

  private static final Object TIMER_KEY = "refresh";

  private final ServerTimeSource source;
  private final ServerClock clock;
  private final TimeSyncSettings settings;
  private final TimerScheduler<Command> timers;
  private boolean refreshing;
  private int samplesTaken;
  private long bestRttNanos;
  private long bestOffset;

  private TimeSync(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ServerTimeSource source,
      ServerClock clock,
      TimeSyncSettings settings) {
    super(context);
    this.timers = timers;
    this.source = source;
    this.clock = clock;
    this.settings = settings;
    startRefresh();
  }

  /**
   * @param clock the clock shared with every signer; this actor is its only writer
   */
  public static Behavior<Command> create(
      ServerTimeSource source, ServerClock clock, TimeSyncSettings settings) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new TimeSync(ctx, timers, source, clock, settings)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetClock.class, this::onGetClock)
        .onMessage(Resync.class, this::onResync)
        .onMessageEquals(Refresh.INSTANCE, this::onRefresh)
        .onMessage(Sampled.class, this::onSampled)
        .build();
  }

  private Behavior<Command> onGetClock(GetClock msg) {
    ServerClock.Reading r = clock.reading();
    msg.replyTo().tell(new ClockReading(r.offsetMillis(), r.uncertaintyMillis(), r.valid()));
    return this;
  }

  private Behavior<Command> onResync(Resync msg) {
    getContext()
        .getLog()
        .info(
            "Clock resync requested; offset {} ms held until a new sample",
            clock.reading().offsetMillis());
    clock.invalidate();
    startRefresh();
    return this;
  }

  private Behavior<Command> onRefresh() {
    startRefresh();
    return this;
  }

  private void startRefresh() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    samplesTaken = 0;
    bestRttNanos = Long.MAX_VALUE;
    sample();
  }

  private void sample() {
    long t0Millis = System.currentTimeMillis();
    long t0Nanos = System.nanoTime();
    getContext()
        .pipeToSelf(
            source.fetch(),
            (result, error) ->
                new Sampled(
                    t0Millis,
                    t0Nanos,
                    System.nanoTime(),
                    error != null
                        ? new RestResult.UnknownOutcome<>(
                            "time source failed", 0, RateLimitUsage.NONE)
                        : result));
  }

  private Behavior<Command> onSampled(Sampled s) {
    samplesTaken++;
    if (s.result() instanceof RestResult.Ok<RestServerTime> ok) {
      long rtt = s.t1Nanos() - s.t0Nanos();
      if (rtt < bestRttNanos) {
        bestRttNanos = rtt;
        bestOffset = ServerClock.offsetMillis(ok.body().serverTime(), s.t0Millis(), rtt);
      }
    }
    if (samplesTaken < settings.samples()) {
      sample();
      return this;
    }
    refreshing = false;
    if (bestRttNanos == Long.MAX_VALUE) {
      getContext()
          .getLog()
          .warn(
              "Clock refresh got no server time in {} samples; retrying in {}",
              settings.samples(),
              settings.retry());
      timers.startSingleTimer(TIMER_KEY, Refresh.INSTANCE, settings.retry());
      return this;
    }
    long uncertainty = ServerClock.uncertaintyMillis(bestRttNanos);
    if (uncertainty > settings.maxUncertainty().toMillis()) {
      getContext()
          .getLog()
          .warn(
              "Clock sample too uncertain ({} ms > {} ms); retrying in {}",
              uncertainty,
              settings.maxUncertainty().toMillis(),
              settings.retry());
      timers.startSingleTimer(TIMER_KEY, Refresh.INSTANCE, settings.retry());
      return this;
    }
    long previous = clock.reading().offsetMillis();
    clock.update(bestOffset, uncertainty, System.currentTimeMillis());
    if (Math.abs(previous - bestOffset) > 100) {
      getContext()
          .getLog()
          .info(
              "Server clock offset {} ms (was {} ms), uncertainty {} ms",
              bestOffset,
              previous,
              uncertainty);
    }
    timers.startSingleTimer(TIMER_KEY, Refresh.INSTANCE, settings.interval());
    return this;
  }
}
