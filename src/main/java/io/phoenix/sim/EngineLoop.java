package io.phoenix.sim;

import io.phoenix.sim.engine.RecordedMarket;
import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimExchange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines the single-threaded {@link SimExchange} (and the listenKey registry and the stream hub's
 * engine-side state) behind one lock. A request runs its engine task on its own thread while
 * holding the lock, then publishes the stream events the task produced, so an acknowledgement costs
 * no hand-off to another thread and no wake-up, and its market data and user events are out before
 * its reply.
 *
 * <p>A timer thread advances simulated time on the market-model tick one model step at a time, each
 * under the lock on its own and published at once; the lock is fair, so a request that waits goes
 * in after the step in progress instead of after the whole advance (a tick that has to catch up
 * many steps, after a stall or with a long tick interval, used to hold every acknowledgement back
 * until it finished). Diff depth goes out on every 100 ms boundary on its own schedule. A task that
 * throws fails only its own future.
 */
final class EngineLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);

  /** The fastest diff-depth speed; every speed's boundary is a multiple of it. */
  private static final long DEPTH_PERIOD_MILLIS = 100;

  /** The API key a request thread runs engine tasks for (see {@link #asRequester}). */
  private static final ThreadLocal<String> REQUESTER = new ThreadLocal<>();

  /** Work on the engine; {@code now} is the engine's clock for this task. */
  interface Task<T> {
    T run(SimExchange exchange, long now);
  }

  private final ReentrantLock lock = new ReentrantLock(true);
  private final ScheduledExecutorService timer;
  private final SimExchange exchange;
  private final StreamHub hub;
  private final ListenKeys listenKeys;
  private final LongSupplier clock;

  /** Set under the lock: no task or tick runs once it is. */
  private volatile boolean closed;

  private long lastNow;
  private long nextMarkSecond;

  EngineLoop(
      SimEngineConfig config,
      StreamHub hub,
      ListenKeys listenKeys,
      LongSupplier clock,
      long tickMillis) {
    this(config, hub, listenKeys, clock, tickMillis, null);
  }

  EngineLoop(
      SimEngineConfig config,
      StreamHub hub,
      ListenKeys listenKeys,
      LongSupplier clock,
      long tickMillis,
      RecordedMarket replay) {
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "phoenix-sim-engine");
              t.setDaemon(true);
              return t;
            });
    this.hub = hub;
    this.listenKeys = listenKeys;
    this.clock = clock;
    this.lastNow = clock.getAsLong();
    this.exchange = new SimExchange(config, hub, lastNow, replay);
    hub.attach(exchange);
    timer.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    scheduleDepthFlush();
  }

  ListenKeys listenKeys() {
    return listenKeys;
  }

  /**
   * Runs {@code work} with {@code apiKey} as the requester of the engine tasks it calls, so a top
   * of book its request moves is known as its own (the reaction meter does not count it for that
   * key).
   */
  static <T> T asRequester(String apiKey, Supplier<T> work) {
    REQUESTER.set(apiKey);
    try {
      return work.get();
    } finally {
      REQUESTER.remove();
    }
  }

  /**
   * Runs {@code task} on the calling thread under the engine lock, then publishes the events it
   * produced.
   */
  <T> CompletableFuture<T> call(Task<T> task) {
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new Rejection(503, -1016, "Service shutting down."));
      }
      long now = now();
      hub.requester(REQUESTER.get());
      CompletableFuture<T> result;
      try {
        result = CompletableFuture.completedFuture(task.run(exchange, now));
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      publish(now);
      hub.requester(null);
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code last} and stops the engine with it: no tick runs after it (simulated time, takers
   * and fills stop) and new tasks are refused, so once the server is unbound what it reads is what
   * the venue held when it stopped.
   */
  <T> CompletableFuture<T> callThenClose(Task<T> last) {
    return call(
        (ex, now) -> {
          // under the lock: a tick or task waiting for it finds the engine closed
          closed = true;
          timer.shutdown();
          return last.run(ex, now);
        });
  }

  private void publish(long now) {
    try {
      hub.afterTask(now);
    } catch (RuntimeException e) {
      log.error("sim: stream flush failed", e);
    }
  }

  private long now() {
    long t = clock.getAsLong();
    if (t > lastNow) {
      lastNow = t;
    }
    return lastNow;
  }

  private void tick() {
    try {
      long target;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        target = now();
      } finally {
        lock.unlock();
      }
      while (step(target)) {
        // each step released the lock: waiting requests went in between
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        exchange.settle(target);
        publish(target);
        hub.flushKlines(target);
        if (target >= nextMarkSecond) {
          long second = target / 1000;
          hub.flushMarks(target, second % 3 == 0);
          hub.flushSecond(target);
          nextMarkSecond = (second + 1) * 1000;
        }
        List<String> expired = listenKeys.expire(target);
        for (String key : expired) {
          hub.expireKey(key, target);
        }
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      // the timer must survive a bad step, or simulated time stops for every client
      log.error("sim: engine tick failed", e);
    }
  }

  /**
   * One model step due by {@code target}, published; false when none was due or the engine closed.
   */
  private boolean step(long target) {
    lock.lock();
    try {
      if (closed || !exchange.stepDue(target)) {
        return false;
      }
      exchange.step();
      publish(target);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Diff depth goes out on its 100 ms boundaries whatever the model's tick (Binance's @depth@100ms
   * cadence).
   */
  private void scheduleDepthFlush() {
    if (closed) {
      return;
    }
    long wall = clock.getAsLong();
    long delay = DEPTH_PERIOD_MILLIS - Math.floorMod(wall, DEPTH_PERIOD_MILLIS);
    try {
      timer.schedule(this::flushDepth, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void flushDepth() {
    lock.lock();
    try {
      if (!closed) {
        hub.flushDepth(now());
      }
    } catch (RuntimeException e) {
      log.error("sim: depth flush failed", e);
    } finally {
      lock.unlock();
      scheduleDepthFlush();
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }
}
