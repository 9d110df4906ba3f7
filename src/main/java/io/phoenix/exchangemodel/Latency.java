package io.phoenix.exchangemodel;

import java.util.SplittableRandom;

/**
 * Order-entry latency (our request leaves → the matching engine acts on it) and response latency
 * (the engine acts → we see the answer or the fill), in nanoseconds.
 */
public interface Latency {
  long entryNanos();

  long responseNanos();

  /** The same two delays every time. */
  static Latency constant(long entryNanos, long responseNanos) {
    if (entryNanos < 0 || responseNanos < 0) {
      throw new IllegalArgumentException("latencies must not be negative");
    }
    return new Latency() {
      @Override
      public long entryNanos() {
        return entryNanos;
      }

      @Override
      public long responseNanos() {
        return responseNanos;
      }
    };
  }

  /**
   * Delays drawn from round trips a live node measured (request written → acknowledgement), half
   * each way; seeded, so a backtest stays repeatable.
   */
  static Latency sampled(long[] roundTripNanos, long seed) {
    if (roundTripNanos.length == 0) {
      throw new IllegalArgumentException("no round trips to sample from");
    }
    long[] samples = roundTripNanos.clone();
    SplittableRandom random = new SplittableRandom(seed);
    return new Latency() {
      @Override
      public long entryNanos() {
        return Math.max(0, samples[random.nextInt(samples.length)] / 2);
      }

      @Override
      public long responseNanos() {
        return Math.max(0, samples[random.nextInt(samples.length)] / 2);
      }
    };
  }
}
