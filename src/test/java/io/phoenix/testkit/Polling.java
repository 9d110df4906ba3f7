package io.phoenix.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Waiting on state that no probe is told about (a server's book, a counter on another thread)
 * without fixed sleeps: read, check, pause briefly, until a deadline, then fail saying what was
 * last seen.
 */
public final class Polling {
  private static final long PAUSE_NANOS = Duration.ofMillis(5).toNanos();

  private Polling() {}

  /** A read that may throw (HTTP calls, futures). */
  @FunctionalInterface
  public interface Read<T> {
    T get() throws Exception;
  }

  /** Returns once {@code condition} holds; fails after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      LockSupport.parkNanos(PAUSE_NANOS);
    }
  }

  /**
   * Reads every {@code pause} until a value satisfies {@code done} and returns it; after {@code
   * timeout} fails with {@code failure} applied to the last value read.
   */
  public static <T> T until(
      Duration timeout,
      Duration pause,
      Read<T> read,
      Predicate<T> done,
      Function<T, String> failure)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.apply(value));
      }
      LockSupport.parkNanos(pause.toNanos());
    }
  }

  /**
   * Lets {@code d} pass: paces a test that drives a fault at a rate (it waits for nothing in
   * particular).
   */
  public static void pace(Duration d) {
    LockSupport.parkNanos(d.toNanos());
  }
}
