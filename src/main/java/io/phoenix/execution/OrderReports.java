package io.phoenix.execution;

import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;

/**
 * What the exchange says about orders unasked, applied to the {@link OrderTable}: a user-stream
 * {@code ORDER_TRADE_UPDATE} or a reconciliation restatement. A report settles an order exactly
 * like a REST answer carrying the same state would, whichever comes first. Pure and
 * single-threaded, beside the table.
 *
 * @param <R> who hears an order's events
 */
final class OrderReports<R> {

  /** What a report did to the table (for metrics and tests). */
  enum ReportOutcome {
    /** State or quantity changed; the order is still in the table. */
    UPDATED,
    /** The order's final state: it left the table. */
    SETTLED,
    /** Nothing new (a repeat, an older report, or a report of an order settled already). */
    IGNORED,
    /**
     * An order of ours, open on the exchange, that the table did not know: adopted and cancelled.
     */
    ORPHAN,
    /** An order of a newer incarnation of the unit: this one is superseded and must stop. */
    SUPERSEDED,
    /** Not ours, or not usable. */
    FOREIGN
  }

  private final OrderTable<R> table;
  private final OrderTable.Effects<R> effects;
  private final EpochLease lease;
  private long lateReports;
  private long foreignReports;

  OrderReports(OrderTable<R> table) {
    this(table, EpochLease.UNFENCED);
  }

  /**
   * @param lease superseded when a report shows an order of a newer epoch of the unit
   */
  OrderReports(OrderTable<R> table, EpochLease lease) {
    this.table = table;
    this.effects = table.effects();
    this.lease = lease;
  }

  /**
   * Applied exactly like a REST answer carrying the same state: monotone (a repeated or older
   * report changes nothing), and a final state settles the order whatever request is still in
   * flight for it, whose answer is then dropped. An order of ours the table does not know that the
   * exchange reports open is an orphan: adopted and cancelled at once.
   */
  ReportOutcome onReport(OrderReport r) {
    OrderEntry<R> t = table.entry(r.clientOrderId());
    if (t == null) {
      return onReportOfUnknown(r);
    }
    if (t.queued(Lane.PLACE)) {
      // not (or, after a -1021, not yet again) sent: the exchange cannot know this order
      return ReportOutcome.IGNORED;
    }
    if (r.unknownToExchange()) {
      return onUnknownToExchange(t);
    }
    OrderState before = t.state();
    long cumBefore = t.machine.cumQtySteps();
    if (r.orderId() > 0) {
      t.orderId = r.orderId();
    }
    if (r.state().isTerminal()) {
      boolean awaited =
          before == OrderState.PENDING_NEW
              || before == OrderState.PENDING_CANCEL
              || before == OrderState.UNKNOWN
              || t.resolving
              || t.inFlight;
      if (t.machine.report(r.state(), r.cumQtySteps()) == OrderStateMachine.Outcome.ILLEGAL) {
        table.forceState(t, r.state());
      }
      t.lastChangeMillis = table.nowMillis();
      if (awaited) {
        // someone waits for an answer that will now never be read: this is it
        boolean cancelled =
            r.state() == OrderState.CANCELED
                || r.state() == OrderState.EXPIRED
                || r.state() == OrderState.EXPIRED_IN_MATCH;
        if (before == OrderState.PENDING_CANCEL && cancelled) {
          effects.tell(
              t.replyTo,
              new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
        } else {
          effects.tell(t.replyTo, t.resolved());
        }
      }
      table.forget(t);
      return ReportOutcome.SETTLED;
    }
    // still open on the exchange
    if (before == OrderState.PENDING_CANCEL) {
      // a fill while the cancel is under way: the cancel stays pending
      t.machine.cumulative(r.cumQtySteps());
    } else if (t.machine.report(r.state(), r.cumQtySteps()) == OrderStateMachine.Outcome.ILLEGAL) {
      table.metrics().illegalTransition();
      return ReportOutcome.IGNORED;
    }
    boolean changed = t.state() != before || t.machine.cumQtySteps() != cumBefore;
    if (changed) {
      t.lastChangeMillis = table.nowMillis();
    }
    if (before == OrderState.UNKNOWN || (t.resolving && before != OrderState.PENDING_CANCEL)) {
      // the exchange has it: the unknown outcome is resolved, no query needed
      table.unqueue(Lane.QUERY, t);
      table.resolved(t);
      if (t.cancelAfterAck) {
        t.cancelAfterAck = false;
        table.enqueueCancel(t);
      }
      return ReportOutcome.UPDATED;
    }
    if (before == OrderState.PENDING_NEW && t.cancelAfterAck) {
      // known to exist before its answer is back: the wanted cancel can go now
      t.cancelAfterAck = false;
      table.enqueueCancel(t);
    }
    return changed ? ReportOutcome.UPDATED : ReportOutcome.IGNORED;
  }

  private ReportOutcome onReportOfUnknown(OrderReport r) {
    if (table.isSettled(r.clientOrderId())) {
      lateReports++;
      return ReportOutcome.IGNORED;
    }
    Instrument instrument = table.instrument(r.symbolId());
    if (!table.isOurs(r.clientOrderId()) || instrument == null || r.side() == null) {
      foreignReports++;
      return ReportOutcome.FOREIGN;
    }
    if (!r.state().isLive() || r.unknownToExchange()) {
      return ReportOutcome.IGNORED;
    }
    long epoch = ClientOrderIds.epochOf(r.clientOrderId());
    if (table.epoch() != 0 && epoch > table.epoch()) {
      // a newer incarnation of the unit trades the account: its orders are not ours to cancel
      if (lease.supersededBy() == 0) {
        lease.supersede(epoch);
        table
            .log()
            .error(
                "Order {} of epoch {} on the account: this incarnation (epoch {}) is superseded"
                    + " and sends no new order",
                r.clientOrderId(),
                epoch,
                table.epoch());
      }
      return ReportOutcome.SUPERSEDED;
    }
    // ours and resting, yet unknown here (an older epoch's included: fenced off): nobody will ever
    // cancel it unless the table does
    OrderStateMachine machine =
        new OrderStateMachine(
            r.clientOrderId(), r.state(), r.origQtySteps() > 0 ? r.origQtySteps() : Long.MAX_VALUE);
    machine.cumulative(r.cumQtySteps());
    OrderEntry<R> t =
        new OrderEntry<>(
            instrument,
            r.clientOrderId(),
            r.side(),
            null,
            false,
            table.nobody(),
            machine,
            r.priceTicks(),
            0);
    t.claimable = true;
    t.orderId = r.orderId();
    t.lastChangeMillis = table.nowMillis();
    table.admit(t);
    table.metrics().recovered("stream_orphan");
    table
        .log()
        .warn(
            "Order {} of ours is open on the exchange but unknown to the gateway: cancelling it",
            t.clientOrderId);
    table.enqueueCancel(t);
    return ReportOutcome.ORPHAN;
  }

  /**
   * Reconciliation asked for the order and the exchange does not know it. An order whose placing is
   * still being resolved is left to the gateway's own queries (they declare it not placed after the
   * bound: the exchange may not have processed the place yet). An acknowledged one is not open and
   * never will be (purged after it ended, or lost by a venue restart): cancelled, whatever request
   * for it is still under way.
   */
  private ReportOutcome onUnknownToExchange(OrderEntry<R> t) {
    if (t.placeUnknown || t.state() == OrderState.PENDING_NEW || t.orderId == 0) {
      return ReportOutcome.IGNORED;
    }
    boolean cancelling = t.state() == OrderState.PENDING_CANCEL || t.queued(Lane.CANCEL);
    table.forceState(t, OrderState.CANCELED);
    effects.tell(
        t.replyTo,
        cancelling
            ? new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps())
            : t.resolved());
    table.forget(t);
    return ReportOutcome.SETTLED;
  }

  /**
   * A report of an order of ours that the table neither holds nor has settled: something about it
   * was missed (sent by an earlier run, or its answer and reports lost), so the table alone cannot
   * be trusted. Not reconciliation's own "the exchange does not know it", which comes from a run.
   */
  boolean isUnknownOfOurs(OrderReport r) {
    return !r.unknownToExchange()
        && table.entry(r.clientOrderId()) == null
        && !table.isSettled(r.clientOrderId())
        && table.isOurs(r.clientOrderId());
  }

  /** Reports of orders settled earlier (user stream after the REST answer, say). */
  long lateReports() {
    return lateReports;
  }

  /** Reports of orders that are not ours (manual orders on the account). */
  long foreignReports() {
    return foreignReports;
  }
}
