package io.phoenix.sim;

import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.RecordedMarket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the engine when the next recorded event is due, so a replayed market moves at the
 * recording's own pace: the engine's tick alone would batch trades and book changes into its period
 * (50 ms by default), late by half of it on average.
 */
final class ReplayClock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplayClock.class);
  private static final long MAX_PARK_MILLIS = 100;

  private final Thread thread;
  private volatile boolean closed;

  private ReplayClock(EngineLoop engine, RecordedMarket replay) {
    this.thread = new Thread(() -> run(engine, replay), "phoenix-sim-replay");
    thread.setDaemon(true);
  }

  /**
   * Reads the configured recordings for the listed {@code instruments}; null when nothing is to be
   * replayed.
   */
  static RecordedMarket load(SimSettings settings, List<Instrument> instruments)
      throws IOException {
    SimSettings.ReplaySettings r = settings.replay();
    if (!r.enabled()) {
      return null;
    }
    return RecordedMarket.load(
        r.files().stream().map(Path::of).toList(),
        instruments,
        r.speed(),
        r.queue(),
        r.queuePower(),
        settings.makerFeeRate(),
        settings.takerFeeRate());
  }

  /** Starts waking {@code engine} for {@code replay}; null when there is no replay. */
  static ReplayClock start(EngineLoop engine, RecordedMarket replay) {
    if (replay == null) {
      return null;
    }
    ReplayClock clock = new ReplayClock(engine, replay);
    clock.thread.start();
    return clock;
  }

  private void run(EngineLoop engine, RecordedMarket replay) {
    while (!closed) {
      long due = replay.nextDueMillis();
      if (due == Long.MAX_VALUE) {
        return; // the recording ended
      }
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(wait, MAX_PARK_MILLIS)));
        continue;
      }
      try {
        engine
            .call(
                (ex, now) -> {
                  ex.advanceTo(now);
                  return null;
                })
            .get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Rejection) {
          return; // the engine is shutting down
        }
        log.error("sim: replay step failed", e.getCause());
      } catch (TimeoutException e) {
        log.warn("sim: replay step took over 5 s");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
