package io.phoenix.execution;

import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The order gateway's table: every order the account may have working, by client order id, with
 * its state machine, the requests queued for it (one lane per request kind, in dispatch
 * priority), and who hears its outcome. Pure and single-threaded: the {@link OrderGateway} actor
 * owns one, feeds it intents, REST answers, user-stream and reconciliation reports and timer
 * ticks, and sends what the lanes hold.
 *
 * <p>An order's fate is settled here exactly once, by whichever source reports it first — the
 * REST answer, a batch slot, a user-stream {@code ORDER_TRADE_UPDATE}, a reconciliation
 * restatement or a status query — and the order then leaves the table and every lane
 * ({@link #forget}); its client id is remembered for a while so that later reports of it are
 * recognised as late, not as an unknown order. So the table equals the exchange's open orders plus
 * the requests in flight, and it stays bounded however many orders fill.
 *
 * <p>Outcomes: definite refusals become {@link OrderEvent.OrderRejected}; a timeout, 5xx,
 * 503-unknown, {@code -1006/-1007} or connection loss makes the order {@link OrderState#UNKNOWN}
 * ({@link OrderEvent.OrderUnknown}), then it is queried by client id with exponential back-off
 * until the exchange (or the user stream) answers, and exactly one {@link OrderEvent.OrderResolved}
 * follows. A new order the exchange still does not know after {@code unknown-resolve-bound} is
 * declared not placed; nothing is ever resent on an unknown outcome.
 *
 * @param <R> who hears an order's events (an actor ref in the gateway, a recorder in tests)
 */
public final class OrderTable<R> {

  /** What the table asks its host to do. */
  public interface Effects<R> {
    void tell(R requester, OrderEvent event);

    /** Call {@link #onQueryDue} for the order after {@code delay}. */
    void scheduleQuery(String clientOrderId, Duration delay);

    /** Call {@link #onCancelDue} for the order after {@code delay}. */
    void scheduleCancelRetry(String clientOrderId, Duration delay);

    /** The exchange refused a timestamp (-1021): the clock needs a fresh sync. */
    void resyncClock();
  }

  /** The knobs the table needs, from {@link GatewaySettings}. */
  public record Settings(String clientOrderIdPrefix, int timestampRetries, Duration unknownResolveBound,
      Duration queryBackoffMin, Duration queryBackoffMax, int settledMemory) {
    public static Settings of(GatewaySettings s) {
      return new Settings(s.clientOrderIdPrefix(), s.timestampRetries(), s.unknownResolveBound(), s.queryBackoffMin(),
          s.queryBackoffMax(), 4096);
    }
  }

  /** What a failing gateway incarnation knew about one order, for the next one to settle. */
  public record Hint<R>(int symbolId, String clientOrderId, Side side, TimeInForce timeInForce,
      boolean reduceOnly, R replyTo, boolean claimable, OrderState state, long orderId, long priceTicks,
      long origQtySteps, long cumQtySteps, boolean written, boolean placeUnknown, boolean cancelWanted,
      boolean amendWanted, long amendPriceTicks, long amendQtySteps) {}

  private static final Lane[] LANES = Lane.values();

  private final Settings settings;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final Map<String, OrderEntry<R>> orders = new HashMap<>();
  @SuppressWarnings("unchecked")
  private final ArrayDeque<String>[] lanes = new ArrayDeque[LANES.length];
  // client ids settled recently (insertion order = age): a report arriving after is late, not foreign
  private final LinkedHashSet<String> settled = new LinkedHashSet<>();
  private final GatewayMetrics metrics;
  private final Supplier<Logger> log;
  private final Effects<R> effects;
  private final LongSupplier wallMillis;
  private final R nobody;
  private final String ourPrefix;
  private long lateReports;
  private long foreignReports;

  /**
   * @param nobody the requester of orders adopted with nobody to tell (their events go nowhere
   *     until a cancel or amend claims them)
   * @param wallMillis local wall clock (ages, grace periods)
   */
  public OrderTable(Settings settings, Collection<Instrument> instruments, GatewayMetrics metrics, Supplier<Logger> log,
      Effects<R> effects, R nobody, LongSupplier wallMillis) {
    this.settings = settings;
    instruments.forEach(i -> this.instruments.put(i.id(), i));
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new ArrayDeque<>();
    }
    this.metrics = metrics;
    this.log = log;
    this.effects = effects;
    this.nobody = nobody;
    this.wallMillis = wallMillis;
    this.ourPrefix = settings.clientOrderIdPrefix() + "-";
  }

  // ------------------------------------------------------------------ intake

  /** A new order to send; refused locally (and told) when malformed or a duplicate. */
  public void place(OrderIntent.Place p, R replyTo, long riskNanos) {
    Instrument instrument = instruments.get(p.symbolId());
    String problem = instrument == null ? "unknown symbol id " + p.symbolId()
        : p.clientOrderId() == null || !ClientOrderIds.BINANCE_PATTERN.matcher(p.clientOrderId()).matches()
            ? "invalid client order id"
            : orders.containsKey(p.clientOrderId()) || settled.contains(p.clientOrderId()) ? "duplicate client order id"
            : p.priceTicks() <= 0 || p.qtySteps() <= 0 ? "price and quantity must be positive" : null;
    if (problem != null) {
      metrics.localReject();
      log.get().warn("Refusing order {}: {}", p.clientOrderId(), problem);
      effects.tell(replyTo, new OrderEvent.OrderRejected(p.symbolId(), p.clientOrderId(), RequestKind.PLACE, 0, problem));
      return;
    }
    OrderEntry<R> t = new OrderEntry<>(instrument, p.clientOrderId(), p.side(), p.timeInForce(), p.reduceOnly(), replyTo,
        OrderStateMachine.pendingNew(p.clientOrderId(), p.qtySteps()), p.priceTicks(), p.createdNanos());
    t.lastChangeMillis = wallMillis.getAsLong();
    t.frameNanos = p.frameNanos();
    t.riskNanos = riskNanos;
    orders.put(t.clientOrderId, t);
    enqueue(Lane.PLACE, t);
  }

  /** Cancel one order, known or not (an order of an earlier run is cancelled by id: the exchange decides). */
  public void cancel(OrderIntent.Cancel c, R replyTo) {
    OrderEntry<R> t = orders.get(c.clientOrderId());
    if (t == null) {
      Instrument instrument = instruments.get(c.symbolId());
      if (instrument == null) {
        effects.tell(replyTo, new OrderEvent.OrderRejected(c.symbolId(), c.clientOrderId(), RequestKind.CANCEL, 0,
            "unknown symbol id " + c.symbolId()));
        return;
      }
      if (settled.contains(c.clientOrderId())) {
        // settled already (filled, cancelled, expired): nothing to cancel; the requester heard the outcome
        effects.tell(replyTo, new OrderEvent.OrderRejected(c.symbolId(), c.clientOrderId(), RequestKind.CANCEL,
            BinanceErrors.CANCEL_REJECTED, "order already settled"));
        return;
      }
      t = new OrderEntry<>(instrument, c.clientOrderId(), null, null, false, replyTo,
          new OrderStateMachine(c.clientOrderId(), OrderState.NEW, Long.MAX_VALUE), 0, 0);
      orders.put(t.clientOrderId, t);
    }
    claim(t, replyTo);
    t.lastChangeMillis = wallMillis.getAsLong();
    if (t.queued(Lane.PLACE)) {
      // never sent: nothing to cancel on the exchange
      t.machine.transition(OrderState.CANCELED);
      forget(t);
      effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, 0));
      return;
    }
    if (t.state() == OrderState.PENDING_NEW) {
      t.cancelAfterAck = true;
      return;
    }
    enqueueCancel(t);
  }

  /** Change price/quantity of a working order (or of a queued one, which is simply changed). */
  public void amend(OrderIntent.Amend a, R replyTo) {
    OrderEntry<R> t = orders.get(a.clientOrderId());
    if (t == null || t.side == null) {
      effects.tell(replyTo, new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "order not known to the gateway"));
      return;
    }
    claim(t, replyTo);
    if (a.newPriceTicks() <= 0 || a.newQtySteps() <= 0) {
      effects.tell(replyTo, new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "price and quantity must be positive"));
      return;
    }
    t.lastChangeMillis = wallMillis.getAsLong();
    if (t.queued(Lane.PLACE)) {
      // not sent yet: change the queued order instead of amending it later
      t.priceTicks = a.newPriceTicks();
      t.machine.amended(a.newQtySteps());
      effects.tell(replyTo, new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, t.priceTicks, a.newQtySteps(), 0));
      return;
    }
    OrderState s = t.state();
    if (s != OrderState.NEW && s != OrderState.PARTIALLY_FILLED) {
      effects.tell(replyTo, new OrderEvent.OrderRejected(a.symbolId(), a.clientOrderId(), RequestKind.AMEND, 0,
          "order is " + s + ", not amendable"));
      return;
    }
    t.amendPriceTicks = a.newPriceTicks();
    t.amendQtySteps = a.newQtySteps();
    enqueue(Lane.AMEND, t);
  }

  /**
   * A cancel-all of the symbol is about to go: new orders of it still queued are dropped (sending
   * them after the cancel-all would defeat it) and reported cancelled.
   */
  public void dropQueuedPlaces(int symbolId) {
    for (Iterator<String> it = lanes[Lane.PLACE.ordinal()].iterator(); it.hasNext(); ) {
      OrderEntry<R> t = orders.get(it.next());
      if (t.symbolId == symbolId) {
        it.remove();
        t.queued[Lane.PLACE.ordinal()] = false;
        t.machine.transition(OrderState.CANCELED);
        forget(t);
        effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, 0));
      }
    }
  }

  /** The exchange confirmed a cancel-all: every resting order of the symbol without a request in flight is gone. */
  public void cancelAllConfirmed(int symbolId) {
    List<OrderEntry<R>> gone = new ArrayList<>();
    for (OrderEntry<R> t : orders.values()) {
      if (t.symbolId == symbolId && !t.inFlight && !t.queued(Lane.PLACE)
          && (t.state() == OrderState.NEW || t.state() == OrderState.PARTIALLY_FILLED
              || t.state() == OrderState.PENDING_CANCEL)) {
        gone.add(t);
      }
    }
    for (OrderEntry<R> t : gone) {
      transition(t, OrderState.CANCELED);
      forget(t);
    }
  }

  private void enqueueCancel(OrderEntry<R> t) {
    if (t.queued(Lane.CANCEL) || t.state().isTerminal()) {
      return;
    }
    unqueue(Lane.AMEND, t);
    if (t.state() != OrderState.UNKNOWN && t.state() != OrderState.PENDING_CANCEL) {
      t.beforeCancel = t.state();
      transition(t, OrderState.PENDING_CANCEL);
    }
    enqueue(Lane.CANCEL, t);
  }

  /** An order adopted without a requester reports to whoever first acts on it. */
  private void claim(OrderEntry<R> t, R replyTo) {
    if (t.claimable) {
      t.claimable = false;
      t.replyTo = replyTo;
    }
  }

  // ------------------------------------------------------------------ lanes

  public boolean hasQueued() {
    for (ArrayDeque<String> lane : lanes) {
      if (!lane.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  public int queued(Lane lane) {
    return lanes[lane.ordinal()].size();
  }

  /**
   * Up to {@code max} queued ids of one symbol (the first sendable one's), skipping orders with a
   * request in flight when {@code skipBusy}; null when the lane holds nothing sendable. The ids
   * stay queued until {@link #take}.
   */
  public List<String> peekGroup(Lane lane, int max, boolean skipBusy) {
    return peekGroup(lane, max, skipBusy, symbol -> false);
  }

  /** {@link #peekGroup(Lane, int, boolean)} passing over the orders of symbols {@code held} says wait. */
  public List<String> peekGroup(Lane lane, int max, boolean skipBusy, java.util.function.IntPredicate held) {
    String head = null;
    for (String id : lanes[lane.ordinal()]) {
      OrderEntry<R> t = orders.get(id);
      if (!(skipBusy && t.inFlight) && !held.test(t.symbolId)) {
        head = id;
        break;
      }
    }
    if (head == null) {
      return null;
    }
    int symbol = orders.get(head).symbolId;
    List<String> group = new ArrayList<>(max);
    for (String id : lanes[lane.ordinal()]) {
      OrderEntry<R> t = orders.get(id);
      if (t.symbolId == symbol && !(skipBusy && t.inFlight)) {
        group.add(id);
        if (group.size() == max) {
          break;
        }
      }
    }
    return group;
  }

  /** Takes {@code group} out of the lane: its request is being sent; the orders are in flight. */
  public void take(Lane lane, List<String> group) {
    for (String id : group) {
      OrderEntry<R> t = orders.get(id);
      lanes[lane.ordinal()].remove(id);
      t.queued[lane.ordinal()] = false;
      t.inFlight = true;
    }
  }

  /** The answer to a request for {@code ids} is back (whatever it says). */
  public void answered(List<String> ids) {
    for (String id : ids) {
      OrderEntry<R> t = orders.get(id);
      if (t != null) {
        t.inFlight = false;
      }
    }
  }

  OrderEntry<R> entry(String clientOrderId) {
    return orders.get(clientOrderId);
  }

  public int size() {
    return orders.size();
  }

  private void enqueue(Lane lane, OrderEntry<R> t) {
    if (!t.queued[lane.ordinal()]) {
      t.queued[lane.ordinal()] = true;
      lanes[lane.ordinal()].addLast(t.clientOrderId);
    }
  }

  private void enqueueFirst(Lane lane, OrderEntry<R> t) {
    if (!t.queued[lane.ordinal()]) {
      t.queued[lane.ordinal()] = true;
      lanes[lane.ordinal()].addFirst(t.clientOrderId);
    }
  }

  private void unqueue(Lane lane, OrderEntry<R> t) {
    if (t.queued[lane.ordinal()]) {
      lanes[lane.ordinal()].remove(t.clientOrderId);
      t.queued[lane.ordinal()] = false;
    }
  }

  /** The order is settled: it leaves the table and every lane, and its id is remembered as settled. */
  private void forget(OrderEntry<R> t) {
    orders.remove(t.clientOrderId);
    for (Lane lane : LANES) {
      unqueue(lane, t);
    }
    settled.add(t.clientOrderId);
    if (settled.size() > settings.settledMemory()) {
      Iterator<String> oldest = settled.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  // ------------------------------------------------------------------ REST answers

  /**
   * The answer to a place (or one slot of a batch place). An {@code Ok} whose body could not be
   * decoded carries a null body.
   */
  public void onPlaceResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = orders.get(clientOrderId);
    if (t == null) {
      return; // settled meanwhile (by the user stream, say): the answer has nothing left to tell
    }
    t.lastChangeMillis = wallMillis.getAsLong();
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state = resp == null ? null : OrderState.fromExchange(resp.status());
      if (state == null) {
        markUnknown(t, RequestKind.PLACE, "undecodable order response");
        return;
      }
      t.orderId = resp.orderId();
      applyReport(t, state, resp);
      effects.tell(t.replyTo, new OrderEvent.OrderAccepted(t.symbolId, t.clientOrderId, t.orderId, t.state(),
          t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps()));
      afterAck(t);
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        enqueueFirst(Lane.PLACE, t);
      } else if (rej.code() == BinanceErrors.DUPLICATED_CLIENT_ORDER_ID) {
        // an order with this id is open: possibly this very order from an earlier unknown attempt
        markUnknown(t, RequestKind.PLACE, rej.code() + " " + rej.msg());
      } else {
        metrics.rejected(rej.code());
        if (rej.code() != BinanceErrors.GTX_ORDER_REJECT) {
          // these count toward risk's consecutive-reject kill switch: the reason must be on record
          log.get().warn("Order {} rejected by the exchange: {} {}", t.clientOrderId, rej.code(), rej.msg());
        }
        transition(t, OrderState.REJECTED);
        forget(t);
        effects.tell(t.replyTo, new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.PLACE, rej.code(),
            rej.msg()));
      }
    } else {
      markUnknown(t, RequestKind.PLACE, describe(r));
    }
  }

  /** After a new order is known to exist: honour a cancel that arrived while it was in flight. */
  private void afterAck(OrderEntry<R> t) {
    if (t.state().isTerminal()) {
      forget(t);
      return;
    }
    if (t.cancelAfterAck) {
      t.cancelAfterAck = false;
      enqueueCancel(t);
    }
  }

  /** The answer to a cancel (or one slot of a batch cancel). */
  public void onCancelResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = orders.get(clientOrderId);
    if (t == null) {
      return;
    }
    t.lastChangeMillis = wallMillis.getAsLong();
    if (r instanceof RestResult.Ok<RestOrderResponse> ok) {
      RestOrderResponse resp = ok.body();
      OrderState state = resp == null ? OrderState.CANCELED : OrderState.fromExchange(resp.status());
      applyReport(t, state == null ? OrderState.CANCELED : state, resp);
      t.resolving = false;
      effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
      forget(t);
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.CANCEL_REJECTED || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        // not open any more (filled, cancelled, expired) or never placed: ask what it became
        t.resolving = true;
        if (t.unknownSinceMillis == 0) {
          t.unknownSinceMillis = wallMillis.getAsLong();
        }
        enqueue(Lane.QUERY, t);
      } else if (rej.code() == BinanceErrors.INVALID_TIMESTAMP || rej.retryable()) {
        if (rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
          effects.resyncClock();
        }
        scheduleCancelRetry(t);
      } else {
        metrics.rejected(rej.code());
        if (t.state() == OrderState.PENDING_CANCEL && t.beforeCancel != null) {
          transition(t, t.beforeCancel);
        }
        effects.tell(t.replyTo, new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.CANCEL, rej.code(),
            rej.msg()));
      }
    } else {
      // cancels are idempotent: resend until the exchange answers
      if (t.cancelAttempts == 0) {
        effects.tell(t.replyTo, new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.CANCEL, describe(r)));
      }
      metrics.unknown();
      scheduleCancelRetry(t);
    }
  }

  private void scheduleCancelRetry(OrderEntry<R> t) {
    effects.scheduleCancelRetry(t.clientOrderId, backoff(t.cancelAttempts++));
  }

  /** A cancel retry is due. */
  public void onCancelDue(String clientOrderId) {
    OrderEntry<R> t = orders.get(clientOrderId);
    if (t != null && !t.state().isTerminal()) {
      enqueue(Lane.CANCEL, t);
    }
  }

  /** The answer to an amend (or one slot of a batch amend). */
  public void onAmendResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = orders.get(clientOrderId);
    if (t == null) {
      return;
    }
    t.lastChangeMillis = wallMillis.getAsLong();
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
        effects.tell(t.replyTo, new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, t.priceTicks,
            t.machine.origQtySteps(), t.machine.cumQtySteps()));
      } else {
        // Binance cancels instead of amending (qty at or below filled, post-only would cross)
        applyReport(t, state, resp);
        effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
        forget(t);
      }
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej) {
      if (rej.code() == BinanceErrors.INVALID_TIMESTAMP && t.timestampRetries < settings.timestampRetries()) {
        resendAfterResync(t);
        enqueueFirst(Lane.AMEND, t);
        return;
      }
      metrics.rejected(rej.code());
      effects.tell(t.replyTo, new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.AMEND, rej.code(),
          rej.msg()));
      if (rej.code() == BinanceErrors.CANCEL_REJECTED || rej.code() == BinanceErrors.NO_SUCH_ORDER) {
        t.resolving = true;
        t.unknownSinceMillis = wallMillis.getAsLong();
        enqueue(Lane.QUERY, t);
      }
    } else {
      markUnknown(t, RequestKind.AMEND, describe(r));
    }
  }

  /** The answer to a status query by client order id. */
  public void onQueryResult(String clientOrderId, RestResult<RestOrderResponse> r) {
    OrderEntry<R> t = orders.get(clientOrderId);
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
      long orig = resp.origQty() == null ? Scale.INVALID : t.instrument.quantity().parse(resp.origQty());
      if (orig != Scale.INVALID && orig > 0) {
        t.machine.amended(orig);
      }
      boolean wasPendingCancel = t.state() == OrderState.PENDING_CANCEL;
      applyReport(t, state, resp);
      resolved(t);
      if (t.state().isTerminal()) {
        forget(t);
      } else if (wasPendingCancel || t.cancelAfterAck) {
        t.cancelAfterAck = false;
        enqueueCancel(t);
      }
    } else if (r instanceof RestResult.Rejected<RestOrderResponse> rej && rej.code() == BinanceErrors.NO_SUCH_ORDER) {
      long age = wallMillis.getAsLong() - t.unknownSinceMillis;
      if (age < settings.unknownResolveBound().toMillis()) {
        scheduleQuery(t);
        return;
      }
      if (t.placeUnknown || t.state() == OrderState.UNKNOWN) {
        log.get().warn("Order {} not found {} ms after an unknown outcome: not placed", t.clientOrderId, age);
        forceState(t, OrderState.REJECTED);
      } else {
        log.get().warn("Order {} no longer known to the exchange: treating as cancelled", t.clientOrderId);
        forceState(t, OrderState.CANCELED);
      }
      resolved(t);
      forget(t);
    } else {
      if (r instanceof RestResult.Rejected<RestOrderResponse> rej && rej.code() == BinanceErrors.INVALID_TIMESTAMP) {
        effects.resyncClock();
      }
      scheduleQuery(t);
    }
  }

  /** A status query is due (the order may have been settled by another source meanwhile). */
  public void onQueryDue(String clientOrderId) {
    OrderEntry<R> t = orders.get(clientOrderId);
    if (t != null && t.resolving) {
      enqueue(Lane.QUERY, t);
    }
  }

  // ------------------------------------------------------------------ user stream and reconciliation

  /** What a report did to the table (for metrics and tests). */
  public enum ReportOutcome {
    /** State or quantity changed; the order is still in the table. */
    UPDATED,
    /** The order's final state: it left the table. */
    SETTLED,
    /** Nothing new (a repeat, an older report, or a report of an order settled already). */
    IGNORED,
    /** An order of ours, open on the exchange, that the table did not know: adopted and cancelled. */
    ORPHAN,
    /** Not ours, or not usable. */
    FOREIGN
  }

  /**
   * A user-stream {@code ORDER_TRADE_UPDATE} or a reconciliation restatement. Applied exactly like
   * a REST answer carrying the same state: monotone (a repeated or older report changes nothing),
   * and a final state settles the order whatever request is still in flight for it, whose answer
   * is then dropped. An order of ours the table does not know that the exchange reports open is an
   * orphan: adopted and cancelled at once.
   */
  public ReportOutcome onReport(OrderReport r) {
    OrderEntry<R> t = orders.get(r.clientOrderId());
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
      boolean awaited = before == OrderState.PENDING_NEW || before == OrderState.PENDING_CANCEL
          || before == OrderState.UNKNOWN || t.resolving || t.inFlight;
      if (t.machine.report(r.state(), r.cumQtySteps()) == OrderStateMachine.Outcome.ILLEGAL) {
        forceState(t, r.state());
      }
      t.lastChangeMillis = wallMillis.getAsLong();
      if (awaited) {
        // someone waits for an answer that will now never be read: this is it
        boolean cancelled = r.state() == OrderState.CANCELED || r.state() == OrderState.EXPIRED
            || r.state() == OrderState.EXPIRED_IN_MATCH;
        if (before == OrderState.PENDING_CANCEL && cancelled) {
          effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps()));
        } else {
          effects.tell(t.replyTo, new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, t.state(), t.orderId,
              t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps()));
        }
      }
      forget(t);
      return ReportOutcome.SETTLED;
    }
    // still open on the exchange
    if (before == OrderState.PENDING_CANCEL) {
      // a fill while the cancel is under way: the cancel stays pending
      t.machine.cumulative(r.cumQtySteps());
    } else if (t.machine.report(r.state(), r.cumQtySteps()) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      return ReportOutcome.IGNORED;
    }
    boolean changed = t.state() != before || t.machine.cumQtySteps() != cumBefore;
    if (changed) {
      t.lastChangeMillis = wallMillis.getAsLong();
    }
    if (before == OrderState.UNKNOWN || (t.resolving && before != OrderState.PENDING_CANCEL)) {
      // the exchange has it: the unknown outcome is resolved, no query needed
      unqueue(Lane.QUERY, t);
      resolved(t);
      if (t.cancelAfterAck) {
        t.cancelAfterAck = false;
        enqueueCancel(t);
      }
      return ReportOutcome.UPDATED;
    }
    if (before == OrderState.PENDING_NEW && t.cancelAfterAck) {
      // known to exist before its answer is back: the wanted cancel can go now
      t.cancelAfterAck = false;
      enqueueCancel(t);
    }
    return changed ? ReportOutcome.UPDATED : ReportOutcome.IGNORED;
  }

  private ReportOutcome onReportOfUnknown(OrderReport r) {
    if (settled.contains(r.clientOrderId())) {
      lateReports++;
      return ReportOutcome.IGNORED;
    }
    Instrument instrument = instruments.get(r.symbolId());
    if (r.clientOrderId() == null || !r.clientOrderId().startsWith(ourPrefix) || instrument == null || r.side() == null) {
      foreignReports++;
      return ReportOutcome.FOREIGN;
    }
    if (!r.state().isLive() || r.unknownToExchange()) {
      return ReportOutcome.IGNORED;
    }
    // ours and resting, yet unknown here: nobody will ever cancel it unless the table does
    OrderStateMachine machine = new OrderStateMachine(r.clientOrderId(), r.state(),
        r.origQtySteps() > 0 ? r.origQtySteps() : Long.MAX_VALUE);
    machine.cumulative(r.cumQtySteps());
    OrderEntry<R> t = new OrderEntry<>(instrument, r.clientOrderId(), r.side(), null, false, nobody, machine, r.priceTicks(), 0);
    t.claimable = true;
    t.orderId = r.orderId();
    t.lastChangeMillis = wallMillis.getAsLong();
    orders.put(t.clientOrderId, t);
    metrics.recovered("stream_orphan");
    log.get().warn("Order {} of ours is open on the exchange but unknown to the gateway: cancelling it", t.clientOrderId);
    enqueueCancel(t);
    return ReportOutcome.ORPHAN;
  }

  /**
   * Reconciliation asked for the order and the exchange does not know it. An order whose placing
   * is still being resolved is left to the gateway's own queries (they declare it not placed
   * after the bound: the exchange may not have processed the place yet). An acknowledged one is
   * not open and never will be (purged after it ended, or lost by a venue restart): cancelled,
   * whatever request for it is still under way.
   */
  private ReportOutcome onUnknownToExchange(OrderEntry<R> t) {
    if (t.placeUnknown || t.state() == OrderState.PENDING_NEW || t.orderId == 0) {
      return ReportOutcome.IGNORED;
    }
    boolean cancelling = t.state() == OrderState.PENDING_CANCEL || t.queued(Lane.CANCEL);
    forceState(t, OrderState.CANCELED);
    effects.tell(t.replyTo, cancelling
        ? new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, t.machine.cumQtySteps())
        : new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, t.state(), t.orderId, t.priceTicks,
            t.machine.origQtySteps(), t.machine.cumQtySteps()));
    forget(t);
    return ReportOutcome.SETTLED;
  }

  /** Reports of orders settled earlier (user stream after the REST answer, say). */
  public long lateReports() {
    return lateReports;
  }

  /** Reports of orders that are not ours (manual orders on the account). */
  public long foreignReports() {
    return foreignReports;
  }

  // ------------------------------------------------------------------ recovery

  /** What this incarnation knows, for the next one after a restart. */
  public List<Hint<R>> handover() {
    List<Hint<R>> out = new ArrayList<>(orders.size());
    for (OrderEntry<R> t : orders.values()) {
      if (!t.state().isTerminal()) {
        out.add(hintOf(t));
      }
    }
    return out;
  }

  private static <R> Hint<R> hintOf(OrderEntry<R> t) {
    OrderState s = t.state();
    boolean amendWanted = t.queued(Lane.AMEND) || (t.inFlight && t.amendPriceTicks != 0
        && (t.amendPriceTicks != t.priceTicks || t.amendQtySteps != t.machine.origQtySteps()));
    return new Hint<>(t.symbolId, t.clientOrderId, t.side, t.timeInForce, t.reduceOnly, t.replyTo, t.claimable, s,
        t.orderId, t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps(), !t.queued(Lane.PLACE),
        t.placeUnknown || s == OrderState.PENDING_NEW, t.queued(Lane.CANCEL) || t.cancelAfterAck
            || s == OrderState.PENDING_CANCEL, amendWanted, t.amendPriceTicks, t.amendQtySteps);
  }

  public boolean contains(String clientOrderId) {
    return orders.containsKey(clientOrderId);
  }

  /** Is this client id one of ours (our prefix)? */
  public boolean isOurs(String clientOrderId) {
    return clientOrderId != null && clientOrderId.startsWith(ourPrefix);
  }

  /**
   * Settles the previous incarnation's orders against the open orders just read: still open ones
   * are adopted (their requester told), ones never sent are refused, the rest resolved by query.
   */
  public void settle(List<Hint<R>> previous, Map<String, RestOrderResponse> open) {
    for (Hint<R> h : previous) {
      if (orders.containsKey(h.clientOrderId()) || h.state().isTerminal()) {
        continue;
      }
      RestOrderResponse onExchange = open.get(h.clientOrderId());
      if (onExchange != null && adopt(onExchange, h) != null) {
        metrics.recovered("adopted");
      } else if (!h.written()) {
        metrics.recovered("not_sent");
        metrics.localReject();
        effects.tell(h.replyTo(), new OrderEvent.OrderRejected(h.symbolId(), h.clientOrderId(), RequestKind.PLACE, 0,
            "gateway restarted before the order was sent"));
      } else {
        metrics.recovered("queried");
        resolveByQuery(h);
      }
    }
  }

  /** Takes an open order into the table; {@code hint} null = no requester known. Null when unusable. */
  public OrderEntry<R> adopt(RestOrderResponse o, Hint<R> hint) {
    Instrument instrument = null;
    for (Instrument i : instruments.values()) {
      if (i.symbol().equals(o.symbol())) {
        instrument = i;
      }
    }
    OrderState state = OrderState.fromExchange(o.status());
    Side side = "BUY".equals(o.side()) ? Side.BUY : "SELL".equals(o.side()) ? Side.SELL : null;
    long price = instrument == null || o.price() == null ? Scale.INVALID : instrument.price().parse(o.price());
    long orig = instrument == null || o.origQty() == null ? Scale.INVALID : instrument.quantity().parse(o.origQty());
    long cum = instrument == null || o.executedQty() == null ? 0 : instrument.quantity().parse(o.executedQty());
    if (instrument == null || state == null || !state.isLive() || side == null || price == Scale.INVALID
        || orig == Scale.INVALID || cum == Scale.INVALID) {
      metrics.badResponse();
      log.get().warn("Recovery: cannot adopt open order {} ({} {} {} {} {}); left to reconciliation",
          o.clientOrderId(), o.symbol(), o.status(), o.side(), o.price(), o.origQty());
      return null;
    }
    OrderStateMachine machine = new OrderStateMachine(o.clientOrderId(), state, orig);
    machine.cumulative(cum);
    OrderEntry<R> t = new OrderEntry<>(instrument, o.clientOrderId(), side, hint == null ? timeInForceOf(o) : hint.timeInForce(),
        hint == null ? o.reduceOnly() : hint.reduceOnly(), hint == null ? nobody : hint.replyTo(), machine, price, 0);
    t.claimable = hint == null || hint.claimable();
    t.orderId = o.orderId();
    t.lastChangeMillis = wallMillis.getAsLong();
    orders.put(t.clientOrderId, t);
    settled.remove(t.clientOrderId);
    if (hint == null) {
      return t;
    }
    if (hint.state() == OrderState.PENDING_NEW) {
      // the place was in flight: the requester hears the usual unknown-then-resolved pair
      effects.tell(t.replyTo, new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.PLACE,
          "gateway restarted with the request in flight"));
    }
    if (hint.amendWanted()) {
      if (price == hint.amendPriceTicks() && orig == hint.amendQtySteps()) {
        effects.tell(t.replyTo, new OrderEvent.OrderAmended(t.symbolId, t.clientOrderId, price, orig, cum));
      } else {
        effects.tell(t.replyTo, new OrderEvent.OrderRejected(t.symbolId, t.clientOrderId, RequestKind.AMEND, 0,
            "gateway restarted before the amend was confirmed"));
      }
    }
    effects.tell(t.replyTo, new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, state, t.orderId, price, orig, cum));
    if (hint.cancelWanted()) {
      enqueueCancel(t);
    }
    return t;
  }

  /** An order of the previous incarnation the exchange does not list as open: ask what it became. */
  private void resolveByQuery(Hint<R> h) {
    Instrument instrument = instruments.get(h.symbolId());
    if (instrument == null) {
      return;
    }
    boolean place = h.state() == OrderState.PENDING_NEW || h.state() == OrderState.UNKNOWN;
    OrderState state = place ? OrderState.UNKNOWN : h.state();
    OrderStateMachine machine = new OrderStateMachine(h.clientOrderId(), state,
        h.origQtySteps() > 0 ? h.origQtySteps() : Long.MAX_VALUE);
    machine.cumulative(h.cumQtySteps());
    OrderEntry<R> t = new OrderEntry<>(instrument, h.clientOrderId(), h.side(), h.timeInForce(), h.reduceOnly(), h.replyTo(),
        machine, h.priceTicks(), 0);
    t.claimable = h.claimable();
    t.orderId = h.orderId();
    t.placeUnknown = h.placeUnknown();
    t.cancelAfterAck = h.cancelWanted() && state != OrderState.PENDING_CANCEL;
    t.resolving = true;
    t.unknownSinceMillis = wallMillis.getAsLong();
    t.lastChangeMillis = t.unknownSinceMillis;
    orders.put(t.clientOrderId, t);
    if (h.state() == OrderState.PENDING_NEW) {
      metrics.unknown();
      effects.tell(t.replyTo, new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, RequestKind.PLACE,
          "gateway restarted with the request in flight"));
    }
    enqueue(Lane.QUERY, t);
  }

  private static TimeInForce timeInForceOf(RestOrderResponse o) {
    for (TimeInForce tif : TimeInForce.values()) {
      if (tif.name().equals(o.timeInForce())) {
        return tif;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ views

  /** Every order not known to be closed, with a side (for reconciliation and the ops API). */
  public List<OrderGateway.WorkingOrder> workingOrders() {
    List<OrderGateway.WorkingOrder> out = new ArrayList<>(orders.size());
    for (OrderEntry<R> t : orders.values()) {
      if (t.state().isLive() && t.side != null) {
        out.add(new OrderGateway.WorkingOrder(t.symbolId, t.clientOrderId, t.orderId, t.side, t.priceTicks,
            t.machine.origQtySteps(), t.machine.cumQtySteps(), t.state(), t.lastChangeMillis));
      }
    }
    return out;
  }

  /**
   * Throws when the table contradicts itself: every queued id names an order in the table and
   * the order knows it is queued there (once), no settled order is left in the table, and no
   * order both is settled and still listed.
   */
  public void validateInvariants() {
    for (Lane lane : LANES) {
      ArrayDeque<String> q = lanes[lane.ordinal()];
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String id : q) {
        OrderEntry<R> t = orders.get(id);
        if (t == null) {
          throw new IllegalStateException(lane + " lane holds " + id + ", which is not in the table");
        }
        if (!t.queued(lane)) {
          throw new IllegalStateException(id + " is in the " + lane + " lane but does not know it");
        }
        if (!seen.add(id)) {
          throw new IllegalStateException(id + " is twice in the " + lane + " lane");
        }
      }
    }
    for (OrderEntry<R> t : orders.values()) {
      if (t.state().isTerminal()) {
        throw new IllegalStateException(t.clientOrderId + " is " + t.state() + " but still in the table");
      }
      if (settled.contains(t.clientOrderId)) {
        throw new IllegalStateException(t.clientOrderId + " is in the table and settled");
      }
      for (Lane lane : LANES) {
        if (t.queued(lane) && !lanes[lane.ordinal()].contains(t.clientOrderId)) {
          throw new IllegalStateException(t.clientOrderId + " believes it is in the " + lane + " lane but is not");
        }
      }
      if (t.machine.cumQtySteps() > t.machine.origQtySteps()) {
        throw new IllegalStateException(t.clientOrderId + " filled beyond its quantity: " + t.machine);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private void resolved(OrderEntry<R> t) {
    t.placeUnknown = false;
    t.resolving = false;
    t.unknownSinceMillis = 0;
    t.queryAttempts = 0;
    t.lastChangeMillis = wallMillis.getAsLong();
    effects.tell(t.replyTo, new OrderEvent.OrderResolved(t.symbolId, t.clientOrderId, t.state(), t.orderId,
        t.priceTicks, t.machine.origQtySteps(), t.machine.cumQtySteps()));
  }

  private void markUnknown(OrderEntry<R> t, RequestKind kind, String reason) {
    metrics.unknown();
    if (kind == RequestKind.PLACE) {
      t.placeUnknown = true;
    }
    if (t.state() != OrderState.UNKNOWN) {
      transition(t, OrderState.UNKNOWN);
    }
    if (t.unknownSinceMillis == 0) {
      t.unknownSinceMillis = wallMillis.getAsLong();
    }
    t.resolving = true;
    log.get().info("Order {} {} outcome unknown ({}); resolving by query", t.clientOrderId, kind, reason);
    effects.tell(t.replyTo, new OrderEvent.OrderUnknown(t.symbolId, t.clientOrderId, kind, reason));
    scheduleQuery(t);
  }

  private void scheduleQuery(OrderEntry<R> t) {
    effects.scheduleQuery(t.clientOrderId, backoff(t.queryAttempts++));
  }

  private Duration backoff(int attempt) {
    long min = settings.queryBackoffMin().toMillis();
    long delay = min << Math.min(attempt, 16);
    return Duration.ofMillis(Math.min(delay, settings.queryBackoffMax().toMillis()));
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
        log.get().warn("Order {}: executedQty {} is not a multiple of the step", t.clientOrderId, resp.executedQty());
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
      log.get().warn("Order {}: exchange reports {} cum {} while local state is {}", t.clientOrderId, state, cum,
          t.machine);
      forceState(t, state);
    }
  }

  private void transition(OrderEntry<R> t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      log.get().warn("Order {}: illegal local transition {} -> {}", t.clientOrderId, t.state(), to);
    }
  }

  /** The exchange's word wins over a local state the table did not foresee. */
  private void forceState(OrderEntry<R> t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      OrderStateMachine replacement = new OrderStateMachine(t.clientOrderId, to, t.machine.origQtySteps());
      replacement.cumulative(t.machine.cumQtySteps());
      t.machine = replacement;
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
