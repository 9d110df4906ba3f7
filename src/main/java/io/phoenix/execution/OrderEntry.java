package io.phoenix.execution;

import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;

/**
 * Everything the order table knows about one order: what was asked (fixed at intake), its state
 * machine, the lanes it is queued in, the flags of an outcome being resolved, and the hot-path
 * stamps. Mutable and owned by one {@link OrderTable}; the gateway reads it to build requests and
 * writes only the latency stamps.
 *
 * @param <R> who hears the order's events
 */
final class OrderEntry<R> {
  final int symbolId;
  final Instrument instrument;
  final String clientOrderId;
  final Side side;
  final TimeInForce timeInForce;
  final boolean reduceOnly;
  R replyTo;
  // adopted from the exchange with nobody to tell: the first Cancel/Amend naming it takes it over
  boolean claimable;
  OrderStateMachine machine;
  final long createdNanos;
  // hot-path stamps (System.nanoTime(), 0 = none): frame arrival, risk approval, request written
  long frameNanos;
  long riskNanos;
  long writtenNanos;
  // when the rate budget first held this order back (0 = never): that wait is not processing
  long budgetHeldNanos;
  long orderId;
  long priceTicks;
  long amendPriceTicks;
  long amendQtySteps;
  OrderState beforeCancel;
  final boolean[] queued = new boolean[Lane.values().length];
  boolean inFlight;
  boolean cancelAfterAck;
  boolean placeUnknown;
  boolean resolving;
  long unknownSinceMillis;
  int queryAttempts;
  int cancelAttempts;
  int timestampRetries;
  long lastChangeMillis;

  OrderEntry(
      Instrument instrument,
      String clientOrderId,
      Side side,
      TimeInForce tif,
      boolean reduceOnly,
      R replyTo,
      OrderStateMachine machine,
      long priceTicks,
      long createdNanos) {
    this.symbolId = instrument.id();
    this.instrument = instrument;
    this.clientOrderId = clientOrderId;
    this.side = side;
    this.timeInForce = tif;
    this.reduceOnly = reduceOnly;
    this.replyTo = replyTo;
    this.machine = machine;
    this.priceTicks = priceTicks;
    this.createdNanos = createdNanos;
  }

  boolean queued(Lane lane) {
    return queued[lane.ordinal()];
  }

  OrderState state() {
    return machine.state();
  }

  /** Its requester's last word on it: what it became, at what price, how much filled. */
  OrderEvent.OrderResolved resolved() {
    return new OrderEvent.OrderResolved(
        symbolId,
        clientOrderId,
        state(),
        orderId,
        priceTicks,
        machine.origQtySteps(),
        machine.cumQtySteps());
  }
}
