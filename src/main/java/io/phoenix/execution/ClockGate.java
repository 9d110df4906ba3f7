package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import io.phoenix.binance.rest.ServerClock;
import java.time.Duration;

/**
 * Whether the order gateway may sign a request now: the shared server clock must be valid and
 * certain within {@code max-clock-uncertainty}, since the exchange refuses a timestamp outside its
 * receive window ({@code -1021}). While it is not, {@link TimeSync} is asked for a fresh sync, at
 * most once a second so that a drain retried on a timer does not flood it.
 */
final class ClockGate {
  private final ServerClock clock;
  private final ActorRef<TimeSync.Command> timeSync;
  private final long maxUncertaintyMillis;
  private long lastResyncRequestMillis;

  ClockGate(ServerClock clock, ActorRef<TimeSync.Command> timeSync, Duration maxUncertainty) {
    this.clock = clock;
    this.timeSync = timeSync;
    this.maxUncertaintyMillis = maxUncertainty.toMillis();
  }

  boolean usable() {
    ServerClock.Reading r = clock.reading();
    if (r.valid() && r.uncertaintyMillis() <= maxUncertaintyMillis) {
      return true;
    }
    long now = System.currentTimeMillis();
    if (now - lastResyncRequestMillis > 1_000) {
      lastResyncRequestMillis = now;
      timeSync.tell(new TimeSync.Resync());
    }
    return false;
  }

  /** The exchange refused our timestamp: the clock is not to be trusted until the next sync. */
  void resync() {
    clock.invalidate();
    lastResyncRequestMillis = System.currentTimeMillis();
    timeSync.tell(new TimeSync.Resync());
  }
}
