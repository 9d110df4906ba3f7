package io.phoenix.ops;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Messages handled, handling time and restarts of one logical actor. Either wrap the behaviour with
 * {@link #instrument} (inside the {@code Behaviors.supervise}, so restarts are seen) or call {@link
 * #handled} / {@link #restarted} from the actor itself.
 */
public final class ActorMetrics {
  private final String name;
  private final Counter messages;
  private final Timer handling;
  private final Counter restarts;

  /**
   * @param unit the trading unit the actor belongs to ({@code phoenix.unit-name}), or {@link
   *     Metrics#NO_UNIT}
   */
  ActorMetrics(MeterRegistry registry, String unit, String name) {
    this.name = name;
    this.messages =
        Counter.builder("phoenix.actor.messages")
            .description("Messages handled by the actor")
            .tags("actor", name, "unit", unit)
            .register(registry);
    this.handling =
        Timer.builder("phoenix.actor.handling")
            .description("Time spent handling one message")
            .tags("actor", name, "unit", unit)
            .register(registry);
    this.restarts =
        Counter.builder("phoenix.actor.restarts")
            .description("Supervisor restarts of the actor")
            .tags("actor", name, "unit", unit)
            .register(registry);
  }

  public String name() {
    return name;
  }

  public void handled(long nanos) {
    messages.increment();
    handling.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void restarted() {
    restarts.increment();
  }

  public long messages() {
    return (long) messages.count();
  }

  public long restarts() {
    return (long) restarts.count();
  }

  /**
   * Wraps {@code behavior} so that every message is counted and timed and every restart counted.
   * Place it inside the supervisor: {@code
   * Behaviors.supervise(metrics.actor("x").instrument(T.class, b))}.
   */
  public <T> Behavior<T> instrument(Class<T> messageClass, Behavior<T> behavior) {
    return Behaviors.intercept(() -> new MetricsInterceptor<>(messageClass, this), behavior);
  }

  /**
   * Counts and times every message an actor handles and counts the {@link PreRestart} signals its
   * supervisor sends. Two {@code System.nanoTime()} reads per message, no allocation.
   */
  private static final class MetricsInterceptor<T> extends BehaviorInterceptor<T, T> {
    private final ActorMetrics metrics;

    MetricsInterceptor(Class<T> messageClass, ActorMetrics metrics) {
      super(messageClass);
      this.metrics = metrics;
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
      long start = System.nanoTime();
      try {
        return target.apply(ctx, msg);
      } finally {
        metrics.handled(System.nanoTime() - start);
      }
    }

    @Override
    public Behavior<T> aroundSignal(
        TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
      if (signal instanceof PreRestart) {
        metrics.restarted();
      }
      return target.apply(ctx, signal);
    }
  }
}
