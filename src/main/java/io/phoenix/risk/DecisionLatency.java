package io.phoenix.risk;

import io.phoenix.model.OrderIntent;
import org.HdrHistogram.Histogram;

/**
 * How long risk's decisions take and how old a new order's intent is when it reaches risk (the hop
 * from the quoter), for the ops API.
 */
final class DecisionLatency {
  private final Histogram decision = new Histogram(3_600_000_000_000L, 2);
  private final Histogram hop = new Histogram(3_600_000_000_000L, 2);

  /**
   * @param startNanos {@code System.nanoTime()} when risk took up the intent
   */
  void record(OrderIntent intent, long startNanos, long decisionNanos) {
    if (intent instanceof OrderIntent.Place p) {
      hop.recordValue(Math.max(0, startNanos - p.createdNanos()));
    }
    decision.recordValue(Math.max(0, decisionNanos));
  }

  long decisionNanosAt(double percentile) {
    return decision.getValueAtPercentile(percentile);
  }

  long hopNanosAt(double percentile) {
    return hop.getValueAtPercentile(percentile);
  }
}
