package io.phoenix.ops;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;

/**
 * Counts and times every message an actor handles and counts the {@link PreRestart} signals its
 * supervisor sends. Two {@code System.nanoTime()} reads per message, no allocation.
 */
final class MetricsInterceptor<T> extends BehaviorInterceptor<T, T> {
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
  public Behavior<T> aroundSignal(TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
    if (signal instanceof PreRestart) {
      metrics.restarted();
    }
    return target.apply(ctx, signal);
  }
}
