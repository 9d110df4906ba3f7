package io.phoenix.sim;

import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimExchange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines the single-threaded {@link SimExchange} (and the listenKey registry and the stream
 * hub's engine-side state) to one dedicated thread. Requests run as tasks on it; a fixed-rate
 * timer advances simulated time, flushes depth every 100 ms boundary, emits mark prices each
 * second and expires listenKeys. A task that throws fails only its own future.
 */
final class EngineLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);

  /** Work on the engine thread; {@code now} is the engine's clock for this task. */
  interface Task<T> {
    T run(SimExchange exchange, long now);
  }

  private final ScheduledExecutorService thread;
  private final SimExchange exchange;
  private final StreamHub hub;
  private final ListenKeys listenKeys;
  private final LongSupplier clock;
  private long lastNow;
  private long nextMarkSecond;

  EngineLoop(SimEngineConfig config, StreamHub hub, ListenKeys listenKeys, LongSupplier clock, long tickMillis) {
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "phoenix-sim-engine");
      t.setDaemon(true);
      return t;
    });
    this.hub = hub;
    this.listenKeys = listenKeys;
    this.clock = clock;
    this.lastNow = clock.getAsLong();
    this.exchange = new SimExchange(config, hub, lastNow);
    hub.attach(exchange);
    thread.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  ListenKeys listenKeys() {
    return listenKeys;
  }

  /** Runs {@code task} on the engine thread, then flushes the events it produced. */
  <T> CompletableFuture<T> call(Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        long now = now();
        try {
          result.complete(task.run(exchange, now));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
        try {
          hub.afterTask(now);
        } catch (RuntimeException e) {
          log.error("sim: stream flush failed", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new Rejection(503, -1016, "Service shutting down."));
    }
    return result;
  }

  /**
   * Runs {@code last} on the engine thread and stops the engine with it: no tick runs after it
   * (simulated time, takers and fills stop) and new tasks are refused, so once the server is
   * unbound what it reads is what the venue held when it stopped.
   */
  <T> CompletableFuture<T> callThenClose(Task<T> last) {
    return call((ex, now) -> {
      // from inside the thread: the periodic tick is cancelled before it can run again
      thread.shutdown();
      return last.run(ex, now);
    });
  }

  private long now() {
    long t = clock.getAsLong();
    if (t > lastNow) {
      lastNow = t;
    }
    return lastNow;
  }

  private void tick() {
    long now = now();
    try {
      exchange.advanceTo(now);
      hub.afterTask(now);
      hub.flushDepth(now);
      hub.flushKlines(now);
      if (now >= nextMarkSecond) {
        long second = now / 1000;
        hub.flushMarks(now, second % 3 == 0);
        hub.flushSecond(now);
        nextMarkSecond = (second + 1) * 1000;
      }
      List<String> expired = listenKeys.expire(now);
      for (String key : expired) {
        hub.expireKey(key, now);
      }
    } catch (RuntimeException e) {
      // the timer must survive a bad step, or simulated time stops for every client
      log.error("sim: engine tick failed", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
