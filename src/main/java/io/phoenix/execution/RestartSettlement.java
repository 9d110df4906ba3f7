package io.phoenix.execution;

import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A gateway restart without a forgotten order: what a failing incarnation hands over ({@link
 * #handover}), and how the next one settles it against the exchange's open orders ({@link #settle})
 * — still open ones are adopted with their requester, ones never sent are refused, the rest
 * resolved by query by client id, never resent. Pure and single-threaded, beside the {@link
 * OrderTable}.
 *
 * @param <R> who hears an order's events
 */
final class RestartSettlement<R> {

  /** What a failing gateway incarnation knew about one order, for the next one to settle. */
  record Hint<R>(
      int symbolId,
      String clientOrderId,
      Side side,
      TimeInForce timeInForce,
      boolean reduceOnly,
      R replyTo,
      boolean claimable,
      OrderState state,
      long orderId,
      long priceTicks,
      long origQtySteps,
      long cumQtySteps,
      boolean written,
      boolean placeUnknown,
      boolean cancelWanted,
      boolean amendWanted,
      long amendPriceTicks,
      long amendQtySteps) {}

  private final OrderTable<R> table;
  private final OrderTable.Effects<R> effects;
  private final GatewayMetrics metrics;

  RestartSettlement(OrderTable<R> table) {
    this.table = table;
    this.effects = table.effects();
    this.metrics = table.metrics();
  }

  /** What this incarnation knows, for the next one after a restart. */
  List<Hint<R>> handover() {
    List<Hint<R>> out = new ArrayList<>(table.size());
    for (OrderEntry<R> t : table.entries()) {
      if (!t.state().isTerminal()) {
        out.add(hintOf(t));
      }
    }
    return out;
  }

  private static <R> Hint<R> hintOf(OrderEntry<R> t) {
    OrderState s = t.state();
    boolean amendWanted =
        t.queued(Lane.AMEND)
            || (t.inFlight
                && t.amendPriceTicks != 0
                && (t.amendPriceTicks != t.priceTicks
                    || t.amendQtySteps != t.machine.origQtySteps()));
    return new Hint<>(
        t.symbolId,
        t.clientOrderId,
        t.side,
        t.timeInForce,
        t.reduceOnly,
        t.replyTo,
        t.claimable,
        s,
        t.orderId,
        t.priceTicks,
        t.machine.origQtySteps(),
        t.machine.cumQtySteps(),
        !t.queued(Lane.PLACE),
        t.placeUnknown || s == OrderState.PENDING_NEW,
        t.queued(Lane.CANCEL) || t.cancelAfterAck || s == OrderState.PENDING_CANCEL,
        amendWanted,
        t.amendPriceTicks,
        t.amendQtySteps);
  }

  /**
   * Settles the previous incarnation's orders against the open orders just read: still open ones
   * are adopted (their requester told), ones never sent are refused, the rest resolved by query.
   */
  void settle(List<Hint<R>> previous, Map<String, RestOrderResponse> open) {
    for (Hint<R> h : previous) {
      if (table.contains(h.clientOrderId()) || h.state().isTerminal()) {
        continue;
      }
      RestOrderResponse onExchange = open.get(h.clientOrderId());
      if (onExchange != null && adopt(onExchange, h) != null) {
        metrics.recovered("adopted");
      } else if (!h.written()) {
        metrics.recovered("not_sent");
        metrics.localReject();
        effects.tell(
            h.replyTo(),
            new OrderEvent.OrderRejected(
                h.symbolId(),
                h.clientOrderId(),
                RequestKind.PLACE,
                0,
                "gateway restarted before the order was sent"));
      } else {
        metrics.recovered("queried");
        resolveByQuery(h);
      }
    }
  }

  /**
   * An adopted order of another incarnation of the unit (another epoch): nobody may claim it and
   * its cancel is queued before anything this incarnation sends. Returns whether it was fenced off.
   */
  boolean fence(OrderEntry<R> t) {
    if (!table.isOtherEpoch(t.clientOrderId)) {
      return false;
    }
    t.claimable = false;
    table.enqueueCancel(t);
    table
        .log()
        .warn(
            "Order {} of epoch {} is open; this incarnation is epoch {}: cancelling it",
            t.clientOrderId,
            ClientOrderIds.epochOf(t.clientOrderId),
            table.epoch());
    return true;
  }

  /**
   * Takes an open order into the table; {@code hint} null = no requester known. Null when unusable.
   */
  OrderEntry<R> adopt(RestOrderResponse o, Hint<R> hint) {
    Instrument instrument = table.instrumentNamed(o.symbol());
    OrderState state = OrderState.fromExchange(o.status());
    Side side = "BUY".equals(o.side()) ? Side.BUY : "SELL".equals(o.side()) ? Side.SELL : null;
    long price =
        instrument == null || o.price() == null
            ? Scale.INVALID
            : instrument.price().parse(o.price());
    long orig =
        instrument == null || o.origQty() == null
            ? Scale.INVALID
            : instrument.quantity().parse(o.origQty());
    long cum =
        instrument == null || o.executedQty() == null
            ? 0
            : instrument.quantity().parse(o.executedQty());
    if (instrument == null
        || state == null
        || !state.isLive()
        || side == null
        || price == Scale.INVALID
        || orig == Scale.INVALID
        || cum == Scale.INVALID) {
      metrics.badResponse();
      table
          .log()
          .warn(
              "Recovery: cannot adopt open order {} ({} {} {} {} {}); left to reconciliation",
              o.clientOrderId(),
              o.symbol(),
              o.status(),
              o.side(),
              o.price(),
              o.origQty());
      return null;
    }
    OrderStateMachine machine = new OrderStateMachine(o.clientOrderId(), state, orig);
    machine.cumulative(cum);
    OrderEntry<R> t =
        new OrderEntry<>(
            instrument,
            o.clientOrderId(),
            side,
            hint == null ? timeInForceOf(o) : hint.timeInForce(),
            hint == null ? o.reduceOnly() : hint.reduceOnly(),
            hint == null ? table.nobody() : hint.replyTo(),
            machine,
            price,
            0);
    t.claimable = hint == null || hint.claimable();
    t.orderId = o.orderId();
    t.lastChangeMillis = table.nowMillis();
    table.admit(t);
    table.unsettle(t.clientOrderId);
    if (hint == null) {
      return t;
    }
    if (hint.state() == OrderState.PENDING_NEW) {
      // the place was in flight: the requester hears the usual unknown-then-resolved pair
      effects.tell(
          t.replyTo,
          new OrderEvent.OrderUnknown(
              t.symbolId,
              t.clientOrderId,
              RequestKind.PLACE,
              "gateway restarted with the request in flight"));
    }
    if (hint.amendWanted()) {
      if (price == hint.amendPriceTicks() && orig == hint.amendQtySteps()) {
        effects.tell(
            t.replyTo, new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, price, orig, cum));
      } else {
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderRejected(
                t.symbolId,
                t.clientOrderId,
                RequestKind.AMEND,
                0,
                "gateway restarted before the amend was confirmed"));
      }
    }
    effects.tell(
        t.replyTo,
        new OrderEvent.OrderResolved(
            t.symbolId, t.clientOrderId, state, t.orderId, price, orig, cum));
    if (hint.cancelWanted()) {
      table.enqueueCancel(t);
    }
    return t;
  }

  /**
   * An order of the previous incarnation the exchange does not list as open: ask what it became.
   */
  private void resolveByQuery(Hint<R> h) {
    Instrument instrument = table.instrument(h.symbolId());
    if (instrument == null) {
      return;
    }
    boolean place = h.state() == OrderState.PENDING_NEW || h.state() == OrderState.UNKNOWN;
    OrderState state = place ? OrderState.UNKNOWN : h.state();
    OrderStateMachine machine =
        new OrderStateMachine(
            h.clientOrderId(), state, h.origQtySteps() > 0 ? h.origQtySteps() : Long.MAX_VALUE);
    machine.cumulative(h.cumQtySteps());
    OrderEntry<R> t =
        new OrderEntry<>(
            instrument,
            h.clientOrderId(),
            h.side(),
            h.timeInForce(),
            h.reduceOnly(),
            h.replyTo(),
            machine,
            h.priceTicks(),
            0);
    t.claimable = h.claimable();
    t.orderId = h.orderId();
    t.placeUnknown = h.placeUnknown();
    t.cancelAfterAck = h.cancelWanted() && state != OrderState.PENDING_CANCEL;
    t.resolving = true;
    t.unknownSinceMillis = table.nowMillis();
    t.lastChangeMillis = t.unknownSinceMillis;
    table.admit(t);
    if (h.state() == OrderState.PENDING_NEW) {
      metrics.unknown();
      effects.tell(
          t.replyTo,
          new OrderEvent.OrderUnknown(
              t.symbolId,
              t.clientOrderId,
              RequestKind.PLACE,
              "gateway restarted with the request in flight"));
    }
    table.enqueue(Lane.QUERY, t);
  }

  private static TimeInForce timeInForceOf(RestOrderResponse o) {
    for (TimeInForce tif : TimeInForce.values()) {
      if (tif.name().equals(o.timeInForce())) {
        return tif;
      }
    }
    return null;
  }
}
