package io.phoenix.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.order.OrderResponses;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.core.Scale;
import io.phoenix.execution.DispatchPlanner.Dispatch;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderState;
import java.util.List;

/**
 * The exchange's answers to the gateway's own requests, applied to the {@link OrderTable}: a place,
 * cancel, amend or status query, alone or one slot of a batch, and a cancel-all. Pure and
 * single-threaded, beside the table.
 *
 * <p>Outcomes: definite refusals become {@link OrderEvent.OrderRejected}; a timeout, 5xx,
 * 503-unknown, {@code -1006/-1007} or connection loss makes the order {@link OrderState#UNKNOWN}
 * ({@link OrderEvent.OrderUnknown}), then it is queried by client id with exponential back-off
 * until the exchange (or the user stream) answers, and exactly one {@link OrderEvent.OrderResolved}
 * follows. A new order the exchange still does not know after {@code unknown-resolve-bound} is
 * declared not placed; nothing is ever resent on an unknown outcome. Cancels are idempotent and are
 * retried; a refused timestamp ({@code -1021}) resyncs the clock and resends.
 *
 * @param <R> who hears an order's events
 */
final class ExchangeAnswers<R> {
  private final OrderTable<R> table;
  private final DispatchPlanner<R> planner;
  private final OrderTable.Settings settings;
  private final OrderTable.Effects<R> effects;
  private final GatewayMetrics metrics;
  // a field, not a method reference per answer: answers arrive at the order rate
  private final OrderResponses.Undecodable undecodable;

  /**
   * @param planner holds the cancel-alls, which are sent again until the exchange answers for sure
   */
  ExchangeAnswers(OrderTable<R> table, DispatchPlanner<R> planner) {
    this.table = table;
    this.planner = planner;
    this.settings = table.settings();
    this.effects = table.effects();
    this.metrics = table.metrics();
    this.undecodable = metrics::badResponse;
  }

  /** The answer to a dispatched request; each order of a batch gets its own result. */
  void onAnswer(Dispatch<R> d, RestResult<JsonNode> r) {
    List<String> ids = d.clientOrderIds();
    switch (d.kind()) {
      case PLACE -> onPlaceResult(ids.get(0), OrderResponses.order(r, undecodable));
      case CANCEL -> onCancelResult(ids.get(0), OrderResponses.order(r, undecodable));
      case AMEND -> onAmendResult(ids.get(0), OrderResponses.order(r, undecodable));
      case QUERY -> onQueryResult(ids.get(0), OrderResponses.order(r, undecodable));
      case BATCH_PLACE, BATCH_CANCEL, BATCH_AMEND -> onBatch(d, r);
      case CANCEL_ALL -> onCancelAllResult(d, r);
    }
  }

  /** Hands each order of a batch its own result, in request order. */
  private void onBatch(Dispatch<R> d, RestResult<JsonNode> r) {
    List<String> ids = d.clientOrderIds();
    List<RestResult<RestOrderResponse>> results = OrderResponses.batch(r, ids.size(), undecodable);
    for (int i = 0; i < ids.size(); i++) {
      switch (d.kind()) {
        case BATCH_PLACE -> onPlaceResult(ids.get(i), results.get(i));
        case BATCH_CANCEL -> onCancelResult(ids.get(i), results.get(i));
        default -> onAmendResult(ids.get(i), results.get(i));
      }
    }
  }

  private void onCancelAllResult(Dispatch<R> d, RestResult<JsonNode> r) {
    planner.cancelAllAnswered(d.symbolId());
    if (r instanceof RestResult.Ok<JsonNode>) {
      table.cancelAllConfirmed(d.symbolId());
      effects.tell(d.replyTo(), new OrderEvent.AllCanceled(d.symbolId()));
    } else if (r instanceof RestResult.Rejected<JsonNode> rej
        && !rej.retryable()
        && rej.code() != BinanceErrors.INVALID_TIMESTAMP) {
      metrics.rejected(rej.code());
      effects.tell(
          d.replyTo(),
          new OrderEvent.OrderRejected(
              d.symbolId(), null, RequestKind.CANCEL_ALL, rej.code(), rej.msg()));
    } else {
      // idempotent: try again (after the pause, if rate limited)
      if (r instanceof RestResult.Rejected<JsonNode> rej
          && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        effects.resyncClock();
      }
      planner.cancelAll(d.symbolId(), d.replyTo());
    }
  }

  /**
   * The answer to a place (or one slot of a batch place). An {@code Ok} whose body could not be
   * decoded carries a null body.
   */
  void onPlaceResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t == null) {
      return; // settled meanwhile (by the user stream, say): the answer has nothing left to tell
    }
    t.lastChangeMillis = table.nowMillis();
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        markUnknown(t, RequestKind.PLACE, "undecodable order response");
        return;
      }
      t.orderId = resp.orderId();
      applyReport(t, state, resp);
      effects.tell(
          t.replyTo,
          new OrderEvent.OrderAccepted(
              t.symbolId,
              t.clientOrderId,
              t.orderId,
              t.state(),
              t.priceTicks,
              t.machine.origQtySteps(),
              t.machine.cumQtySteps()));
      afterAck(t);
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP
          && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        table.enqueueFirst(Lane.PLACE, t);
      } else if (rej.code() == BinanceErrors.DUPLICATED_CLIENT_ORDER_ID) {
        // an order with this id is open: possibly this very order from an earlier unknown attempt
        markUnknown(t, RequestKind.PLACE, rej.code() + " " + rej.msg());
      } else {
        metrics.rejected(rej.code());
        if (rej.code() != BinanceErrors.GTX_ORDER_REJECT) {
          // these count toward risk's consecutive-reject kill switch: the reason must be on record
          table
              .log()
              .warn(
                  "Order {} rejected by the exchange: {} {}",
                  t.clientOrderId,
                  rej.code(),
                  rej.msg());
        }
        table.transition(t, OrderState.REJECTED);
        table.forget(t);
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderRejected(
                t.symbolId, t.clientOrderId, RequestKind.PLACE, rej.code(), rej.msg()));
      }
    } else {
      markUnknown(t, RequestKind.PLACE, describe(r));
    }
  }

  /** After a new order is known to exist: honour a cancel that arrived while it was in flight. */
  private void afterAck(OrderEntry<R> t) {
    if (t.state().isTerminal()) {
      table.forget(t);
      return;
    }
    if (t.cancelAfterAck) {
      t.cancelAfterAck = false;
      table.enqueueCancel(t);
    }
  }

  /** The answer to a cancel (or one slot of a batch cancel). */
  void onCancelResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t == null) {
      return;
    }
    t.lastChangeMillis = table.nowMillis();
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state =
          resp == null ? OrderState.CANCELED : OrderState.fromExchange(resp.status());
      applyReport(t, state == null ? OrderState.CANCELED : state, resp);
      t.resolving = false;
      effects.tell(
          t.replyTo,
          new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
      table.forget(t);
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.CANCEL_REJECTED
          || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        // not open any more (filled, cancelled, expired) or never placed: ask what it became
        t.resolving = true;
        if (t.unknownSinceMillis == 0) {
          t.unknownSinceMillis = table.nowMillis();
        }
        table.enqueue(Lane.QUERY, t);
      } else if (rej.code() == BinanceErrors.INVALID_TIMESTAMP || rej.retryable()) {
        if (rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
          effects.resyncClock();
        }
        scheduleCancelRetry(t);
      } else {
        metrics.rejected(rej.code());
        if (t.state() == OrderState.PENDING_CANCEL && t.beforeCancel != null) {
          table.transition(t, t.beforeCancel);
        }
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderRejected(
                t.symbolId, t.clientOrderId, RequestKind.CANCEL, rej.code(), rej.msg()));
      }
    } else {
      // cancels are idempotent: resend until the exchange answers
      if (t.cancelAttempts == 0) {
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderUnknown(
                t.symbolId, t.clientOrderId, RequestKind.CANCEL, describe(r)));
      }
      metrics.unknown();
      scheduleCancelRetry(t);
    }
  }

  private void scheduleCancelRetry(OrderEntry<R> t) {
    effects.scheduleCancelRetry(t.clientOrderId, settings.queryBackoff(t.cancelAttempts++));
  }

  /** A cancel retry is due. */
  void onCancelDue(String clientOrderId) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t != null && !t.state().isTerminal()) {
      table.enqueue(Lane.CANCEL, t);
    }
  }

  /** The answer to an amend (or one slot of a batch amend). */
  void onAmendResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t == null) {
      return;
    }
    t.lastChangeMillis = table.nowMillis();
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        markUnknown(t, RequestKind.AMEND, "undecodable amend response");
        return;
      }
      if (state.isLive()) {
        t.machine.amended(t.amendQtySteps);
        t.priceTicks = t.amendPriceTicks;
        applyReport(t, state, resp);
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderAmended(
                t.symbolId,
                t.clientOrderId,
                t.priceTicks,
                t.machine.origQtySteps(),
                t.machine.cumQtySteps()));
      } else {
        // Binance cancels instead of amending (qty at or below filled, post-only would cross)
        applyReport(t, state, resp);
        effects.tell(
            t.replyTo,
            new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
        table.forget(t);
      }
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP
          && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        table.enqueueFirst(Lane.AMEND, t);
        return;
      }
      metrics.rejected(rej.code());
      effects.tell(
          t.replyTo,
          new OrderEvent.OrderRejected(
              t.symbolId, t.clientOrderId, RequestKind.AMEND, rej.code(), rej.msg()));
      if (rej.code() == BinanceErrors.CANCEL_REJECTED
          || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        t.resolving = true;
        t.unknownSinceMillis = table.nowMillis();
        table.enqueue(Lane.QUERY, t);
      }
    } else {
      markUnknown(t, RequestKind.AMEND, describe(r));
    }
  }

  /** The answer to a status query by client order id. */
  void onQueryResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t == null) {
      return;
    }
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        metrics.badResponse();
        scheduleQuery(t);
        return;
      }
      t.orderId = resp.orderId();
      long price = resp.price() == null ? Scale.INVALID : t.instrument.price().parse(resp.price());
      if (price != Scale.INVALID && price > 0) {
        t.priceTicks = price;
      }
      long orig =
          resp.origQty() == null ? Scale.INVALID : t.instrument.quantity().parse(resp.origQty());
      if (orig != Scale.INVALID && orig > 0) {
        t.machine.amended(orig);
      }
      boolean wasPendingCancel = t.state() == OrderState.PENDING_CANCEL;
      applyReport(t, state, resp);
      table.resolved(t);
      if (t.state().isTerminal()) {
        table.forget(t);
      } else if (wasPendingCancel || t.cancelAfterAck) {
        t.cancelAfterAck = false;
        table.enqueueCancel(t);
      }
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej
        && rej.code() == BinanceErrors.NO_SUCH_ORDER) {
      long age = table.nowMillis() - t.unknownSinceMillis;
      if (age < settings.unknownResolveBound().toMillis()) {
        scheduleQuery(t);
        return;
      }
      if (t.placeUnknown || t.state() == OrderState.UNKNOWN) {
        table
            .log()
            .warn(
                "Order {} not found {} ms after an unknown outcome: not placed",
                t.clientOrderId,
                age);
        table.forceState(t, OrderState.REJECTED);
      } else {
        table
            .log()
            .warn(
                "Order {} no longer known to the exchange: treating as cancelled", t.clientOrderId);
        table.forceState(t, OrderState.CANCELED);
      }
      table.resolved(t);
      table.forget(t);
    } else {
      if (r instanceof RestResult.Rejected<RestOrderResponse> rej
          && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        effects.resyncClock();
      }
      scheduleQuery(t);
    }
  }

  /** A status query is due (the order may have been settled by another source meanwhile). */
  void onQueryDue(String clientOrderId) {
    OrderEntry<R> t = table.entry(clientOrderId);
    if (t != null && t.resolving) {
      table.enqueue(Lane.QUERY, t);
    }
  }

  private void markUnknown(OrderEntry<R> t, RequestKind kind, String reason) {
    metrics.unknown();
    if (kind == RequestKind.PLACE) {
      t.placeUnknown = true;
    }
    if (t.state() != OrderState.UNKNOWN) {
      table.transition(t, OrderState.UNKNOWN);
    }
    if (t.unknownSinceMillis == 0) {
      t.unknownSinceMillis = table.nowMillis();
    }
    t.resolving = true;
    table
        .log()
        .info(
            "Order {} {} outcome unknown ({}); resolving by query", t.clientOrderId, kind, reason);
    effects.tell(t.replyTo, new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, kind, reason));
    scheduleQuery(t);
  }

  private void scheduleQuery(OrderEntry<R> t) {
    effects.scheduleQuery(t.clientOrderId, settings.queryBackoff(t.queryAttempts++));
  }

  private void resendAfterResync(OrderEntry<R> t) {
    t.timestampRetries++;
    metrics.timestampRetry();
    effects.resyncClock();
  }

  private void applyReport(OrderEntry<R> t, OrderState state, RestOrderResponse resp) {
    long cum = t.machine.cumQtySteps();
    if (resp != null && resp.executedQty() != null) {
      long parsed = t.instrument.quantity().parse(resp.executedQty());
      if (parsed == Scale.INVALID) {
        metrics.badResponse();
        table
            .log()
            .warn(
                "Order {}: executedQty {} is not a multiple of the step",
                t.clientOrderId,
                resp.executedQty());
      } else {
        cum = parsed;
      }
    }
    if (state == OrderState.NEW && t.state() == OrderState.PARTIALLY_FILLED) {
      // an answer older than a fill the user stream already reported
      state = OrderState.PARTIALLY_FILLED;
    }
    if (t.machine.report(state, cum) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      table
          .log()
          .warn(
              "Order {}: exchange reports {} cum {} while local state is {}",
              t.clientOrderId,
              state,
              cum,
              t.machine);
      table.forceState(t, state);
    }
  }

  static String describe(RestResult<?> r) {
    if (r instanceof RestResult.UnknownOutcome<?> u) {
      return u.reason();
    }
    if (r instanceof RestResult.RateLimited<?> l) {
      return "HTTP " + l.httpStatus() + " rate limited";
    }
    if (r instanceof RestResult.Rejected<?> rej) {
      return rej.code() + " " + rej.msg();
    }
    return r.toString();
  }
}
