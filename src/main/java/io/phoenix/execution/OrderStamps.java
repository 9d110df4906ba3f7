package io.phoenix.execution;

import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.Stage;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The hot-path stages that end in the order gateway, stamped on the orders' entries: risk-to-write
 * and frame-to-write when a new order's first request is handed to the transport, budget wait when
 * the rate budget held it back, write-to-ack when that request's answer is back; and the gateway's
 * own intent-to-write histogram.
 *
 * <p>An order's stamps travel with its entry, so they survive whatever delays its first write: the
 * budget, or the gateway's start-up recovery (the intent then waits in the stash and reaches the
 * table, stamps and all, when recovery ends).
 *
 * @param <R> who hears an order's events
 */
final class OrderStamps<R> {
  private final OrderTable<R> table;
  private final LatencyRecorder stages;
  private final GatewayMetrics metrics;
  private final Histogram intentToWrite = new Histogram(3);

  OrderStamps(OrderTable<R> table, LatencyRecorder stages, GatewayMetrics metrics) {
    this.table = table;
    this.stages = stages;
    this.metrics = metrics;
  }

  /**
   * New orders the rate budget holds back now: their wait from here on is budget wait, not
   * processing.
   */
  void budgetHeld(List<String> clientOrderIds) {
    long now = System.nanoTime();
    for (int i = 0; i < clientOrderIds.size(); i++) {
      OrderEntry<R> t = table.entry(clientOrderIds.get(i));
      if (t.budgetHeldNanos == 0) {
        t.budgetHeldNanos = now;
        metrics.budgetHeldOrder();
      }
    }
  }

  /**
   * The first write of a new order ends its risk-to-write and frame-to-write stages. An order the
   * budget held has those stages end where the hold began, and the hold is its own stage: a p99
   * that mixes a 500 ms wait for the budget with 200 us of processing says nothing about either.
   */
  void written(List<String> clientOrderIds, long written) {
    for (int i = 0; i < clientOrderIds.size(); i++) {
      OrderEntry<R> t = table.entry(clientOrderIds.get(i));
      if (t.timestampRetries != 0) {
        continue;
      }
      if (t.createdNanos != 0) {
        intentToWrite.recordValue(Math.max(0, written - t.createdNanos));
      }
      t.writtenNanos = written;
      long processed = written;
      if (t.budgetHeldNanos != 0) {
        processed = t.budgetHeldNanos;
        stages.recordBetween(Stage.BUDGET_WAIT, t.budgetHeldNanos, written);
      }
      if (t.riskNanos != 0) {
        stages.recordBetween(Stage.RISK_TO_WRITE, t.riskNanos, processed);
      }
      if (t.frameNanos != 0) {
        stages.recordBetween(Stage.FRAME_TO_WRITE, t.frameNanos, processed);
      }
    }
  }

  /** The answer to a request for these orders is back (before the table settles any of them). */
  void answered(List<String> clientOrderIds, long answered) {
    for (int i = 0; i < clientOrderIds.size(); i++) {
      OrderEntry<R> t = table.entry(clientOrderIds.get(i));
      if (t != null && t.writtenNanos != 0) {
        // the first answer to the first write of a new order: the venue round trip plus our mailbox
        stages.recordBetween(Stage.WRITE_TO_ACK, t.writtenNanos, answered);
        t.writtenNanos = 0;
      }
    }
  }

  /** Intent-to-write of new orders (the quoter's {@code createdNanos} to the request written). */
  Histogram intentToWrite() {
    return intentToWrite;
  }
}
