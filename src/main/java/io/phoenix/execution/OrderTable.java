package io.phoenix.execution;

import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The order gateway's table: every order the account may have working, by client order id, with its
 * state machine, the requests queued for it ({@link OrderLanes}, one lane per request kind, in
 * dispatch priority), and who hears its outcome. Pure and single-threaded: the {@link OrderGateway}
 * actor owns one and feeds it intents; the exchange's word reaches it through the pieces beside it
 * — {@link ExchangeAnswers} (answers to our requests, unknown outcomes resolved by query), {@link
 * OrderReports} (user stream and reconciliation) and {@link RestartSettlement} (what a failed
 * incarnation handed over).
 *
 * <p>An order's fate is settled exactly once, by whichever source reports it first, and the order
 * then leaves the table and every lane through the one path {@link #forget}; its client id is
 * remembered for a while ({@link SettledIds}) so that later reports of it are recognised as late,
 * not as an unknown order. So the table equals the exchange's open orders plus the requests in
 * flight, and it stays bounded however many orders fill.
 *
 * @param <R> who hears an order's events (an actor ref in the gateway, a recorder in tests)
 */
public final class OrderTable<R> {

  /** What the table asks its host to do. */
  public interface Effects<R> {
    void tell(R requester, OrderEvent event);

    /** Call {@link ExchangeAnswers#onQueryDue} for the order after {@code delay}. */
    void scheduleQuery(String clientOrderId, Duration delay);

    /** Call {@link ExchangeAnswers#onCancelDue} for the order after {@code delay}. */
    void scheduleCancelRetry(String clientOrderId, Duration delay);

    /** The exchange refused a timestamp (-1021): the clock needs a fresh sync. */
    void resyncClock();
  }

  /** The knobs the table needs, from {@link GatewaySettings}. */
  public record Settings(
      String clientOrderIdPrefix,
      int timestampRetries,
      Duration unknownResolveBound,
      Duration queryBackoffMin,
      Duration queryBackoffMax,
      int settledMemory,
      long epoch) {
    /** Epoch 0: outside a cluster, every order of ours is this table's to adopt. */
    public Settings(
        String clientOrderIdPrefix,
        int timestampRetries,
        Duration unknownResolveBound,
        Duration queryBackoffMin,
        Duration queryBackoffMax,
        int settledMemory) {
      this(
          clientOrderIdPrefix,
          timestampRetries,
          unknownResolveBound,
          queryBackoffMin,
          queryBackoffMax,
          settledMemory,
          0);
    }

    public static Settings of(GatewaySettings s) {
      return new Settings(
          s.clientOrderIdPrefix(),
          s.timestampRetries(),
          s.unknownResolveBound(),
          s.queryBackoffMin(),
          s.queryBackoffMax(),
          4096);
    }

    /** The trading unit's fencing epoch: the one the ids this table sends carry. */
    public Settings withEpoch(long unitEpoch) {
      return new Settings(
          clientOrderIdPrefix,
          timestampRetries,
          unknownResolveBound,
          queryBackoffMin,
          queryBackoffMax,
          settledMemory,
          unitEpoch);
    }

    /**
     * The wait before query (or retry) number {@code attempt}: the minimum doubled per attempt, at
     * most the maximum.
     */
    public Duration queryBackoff(int attempt) {
      long delay = queryBackoffMin.toMillis() << Math.min(attempt, 16);
      return Duration.ofMillis(Math.min(delay, queryBackoffMax.toMillis()));
    }
  }

  private final Settings settings;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final Map<String, OrderEntry<R>> orders = new HashMap<>();
  private final OrderLanes<R> lanes = new OrderLanes<>(orders);
  private final SettledIds settled;
  private final GatewayMetrics metrics;
  private final Supplier<Logger> log;
  private final Effects<R> effects;
  private final LongSupplier wallMillis;
  private final R nobody;
  private final String ourPrefix;
  private final long epoch;

  /**
   * @param nobody the requester of orders adopted with nobody to tell (their events go nowhere
   *     until a cancel or amend claims them)
   * @param wallMillis local wall clock (ages, grace periods)
   */
  public OrderTable(
      Settings settings,
      Collection<Instrument> instruments,
      GatewayMetrics metrics,
      Supplier<Logger> log,
      Effects<R> effects,
      R nobody,
      LongSupplier wallMillis) {
    this.settings = settings;
    instruments.forEach(i -> this.instruments.put(i.id(), i));
    this.settled = new SettledIds(settings.settledMemory());
    this.metrics = metrics;
    this.log = log;
    this.effects = effects;
    this.nobody = nobody;
    this.wallMillis = wallMillis;
    this.ourPrefix = settings.clientOrderIdPrefix() + "-";
    this.epoch = settings.epoch();
  }

  // ------------------------------------------------------------------ intake

  /** A new order to send; refused locally (and told) when malformed or a duplicate. */
  public void place(OrderIntent.Place p, R replyTo, long riskNanos) {
    Instrument instrument = instruments.get(p.symbolId());
    String problem =
        instrument == null
            ? "unknown symbol id " + p.symbolId()
            : p.clientOrderId() == null
                    || !ClientOrderIds.BINANCE_PATTERN.matcher(p.clientOrderId()).matches()
                ? "invalid client order id"
                : orders.containsKey(p.clientOrderId()) || settled.contains(p.clientOrderId())
                    ? "duplicate client order id"
                    : p.priceTicks() <= 0 || p.qtySteps() <= 0
                        ? "price and quantity must be positive"
                        : null;
    if (problem != null) {
      metrics.localReject();
      log.get().warn("Refusing order {}: {}", p.clientOrderId(), problem);
      effects.tell(
          replyTo,
          new OrderEvent.OrderRejected(
              p.symbolId(), p.clientOrderId(), RequestKind.PLACE, 0, problem));
      return;
    }
    OrderEntry<R> t =
        new OrderEntry<>(
            instrument,
            p.clientOrderId(),
            p.side(),
            p.timeInForce(),
            p.reduceOnly(),
            replyTo,
            OrderStateMachine.pendingNew(p.clientOrderId(), p.qtySteps()),
            p.priceTicks(),
            p.createdNanos());
    t.lastChangeMillis = wallMillis.getAsLong();
    t.frameNanos = p.frameNanos();
    t.riskNanos = riskNanos;
    orders.put(t.clientOrderId, t);
    enqueue(Lane.PLACE, t);
  }

  /**
   * Cancel one order, known or not (an order of an earlier run is cancelled by id: the exchange
   * decides).
   */
  public void cancel(OrderIntent.Cancel c, R replyTo) {
    OrderEntry<R> t = orders.get(c.clientOrderId());
    if (t == null) {
      Instrument instrument = instruments.get(c.symbolId());
      if (instrument == null) {
        effects.tell(
            replyTo,
            new OrderEvent.OrderRejected(
                c.symbolId(),
                c.clientOrderId(),
                RequestKind.CANCEL,
                0,
                "unknown symbol id " + c.symbolId()));
        return;
      }
      if (settled.contains(c.clientOrderId())) {
        // settled already (filled, cancelled, expired): nothing to cancel; the requester heard the
        // outcome
        effects.tell(
            replyTo,
            new OrderEvent.OrderRejected(
                c.symbolId(),
                c.clientOrderId(),
                RequestKind.CANCEL,
                BinanceErrors.CANCEL_REJECTED,
                "order already settled"));
        return;
      }
      t =
          new OrderEntry<>(
              instrument,
              c.clientOrderId(),
              null,
              null,
              false,
              replyTo,
              new OrderStateMachine(c.clientOrderId(), OrderState.NEW, Long.MAX_VALUE),
              0,
              0);
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
      effects.tell(
          replyTo,
          new OrderEvent.OrderRejected(
              a.symbolId(),
              a.clientOrderId(),
              RequestKind.AMEND,
              0,
              "order not known to the gateway"));
      return;
    }
    claim(t, replyTo);
    if (a.newPriceTicks() <= 0 || a.newQtySteps() <= 0) {
      effects.tell(
          replyTo,
          new OrderEvent.OrderRejected(
              a.symbolId(),
              a.clientOrderId(),
              RequestKind.AMEND,
              0,
              "price and quantity must be positive"));
      return;
    }
    t.lastChangeMillis = wallMillis.getAsLong();
    if (t.queued(Lane.PLACE)) {
      // not sent yet: change the queued order instead of amending it later
      t.priceTicks = a.newPriceTicks();
      t.machine.amended(a.newQtySteps());
      effects.tell(
          replyTo,
          new OrderEvent.OrderAmended(
              t.symbolId, t.clientOrderId, t.priceTicks, a.newQtySteps(), 0));
      return;
    }
    OrderState s = t.state();
    if (s != OrderState.NEW && s != OrderState.PARTIALLY_FILLED) {
      effects.tell(
          replyTo,
          new OrderEvent.OrderRejected(
              a.symbolId(),
              a.clientOrderId(),
              RequestKind.AMEND,
              0,
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
    lanes.removeWhere(
        Lane.PLACE,
        t -> t.symbolId == symbolId,
        t -> {
          t.machine.transition(OrderState.CANCELED);
          forget(t);
          effects.tell(t.replyTo, new OrderEvent.OrderCanceled(t.symbolId, t.clientOrderId, 0));
        });
  }

  /**
   * Cancels each order of the symbol this table holds, as if each had been asked for: the
   * cancel-all of a unit that may not be the account's only writer.
   */
  public void cancelEachOrder(int symbolId) {
    List<OrderEntry<R>> live = new ArrayList<>();
    for (OrderEntry<R> t : orders.values()) {
      if (t.symbolId == symbolId && !t.state().isTerminal()) {
        live.add(t);
      }
    }
    for (OrderEntry<R> t : live) {
      cancel(new OrderIntent.Cancel(symbolId, t.clientOrderId), t.replyTo);
    }
  }

  /**
   * The exchange confirmed a cancel-all: every resting order of the symbol without a request in
   * flight is gone.
   */
  public void cancelAllConfirmed(int symbolId) {
    List<OrderEntry<R>> gone = new ArrayList<>();
    for (OrderEntry<R> t : orders.values()) {
      if (t.symbolId == symbolId
          && !t.inFlight
          && !t.queued(Lane.PLACE)
          && (t.state() == OrderState.NEW
              || t.state() == OrderState.PARTIALLY_FILLED
              || t.state() == OrderState.PENDING_CANCEL)) {
        gone.add(t);
      }
    }
    for (OrderEntry<R> t : gone) {
      transition(t, OrderState.CANCELED);
      forget(t);
    }
  }

  /** Queues a cancel of the order (once), remembering the state to return to if it is refused. */
  void enqueueCancel(OrderEntry<R> t) {
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
    return lanes.hasQueued();
  }

  public int queued(Lane lane) {
    return lanes.size(lane);
  }

  /**
   * Up to {@code max} queued ids of one symbol (the first sendable one's), skipping orders with a
   * request in flight when {@code skipBusy}; null when the lane holds nothing sendable. The ids
   * stay queued until {@link #take}.
   */
  public List<String> peekGroup(Lane lane, int max, boolean skipBusy) {
    return lanes.peekGroup(lane, max, skipBusy);
  }

  /**
   * {@link #peekGroup(Lane, int, boolean)} passing over the orders of symbols {@code held} says
   * wait.
   */
  public List<String> peekGroup(Lane lane, int max, boolean skipBusy, IntPredicate held) {
    return lanes.peekGroup(lane, max, skipBusy, held);
  }

  /** Takes {@code group} out of the lane: its request is being sent; the orders are in flight. */
  public void take(Lane lane, List<String> group) {
    lanes.take(lane, group);
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

  void enqueue(Lane lane, OrderEntry<R> t) {
    lanes.enqueue(lane, t);
  }

  void enqueueFirst(Lane lane, OrderEntry<R> t) {
    lanes.enqueueFirst(lane, t);
  }

  void unqueue(Lane lane, OrderEntry<R> t) {
    lanes.unqueue(lane, t);
  }

  // ------------------------------------------------------------------ in and out

  /**
   * Takes an order the exchange has (or may have) into the table: an adopted or handed-over one.
   */
  void admit(OrderEntry<R> t) {
    orders.put(t.clientOrderId, t);
  }

  /**
   * The order is settled: it leaves the table and every lane, and its id is remembered as settled.
   */
  void forget(OrderEntry<R> t) {
    orders.remove(t.clientOrderId);
    lanes.unqueueAll(t);
    settled.add(t.clientOrderId);
  }

  boolean isSettled(String clientOrderId) {
    return settled.contains(clientOrderId);
  }

  /** The exchange lists a settled id as open after all: it is an order again. */
  void unsettle(String clientOrderId) {
    settled.remove(clientOrderId);
  }

  // ------------------------------------------------------------------ state changes shared by
  // every source

  /** The order's outcome is no longer unknown: its requester hears where it stands. */
  void resolved(OrderEntry<R> t) {
    t.placeUnknown = false;
    t.resolving = false;
    t.unknownSinceMillis = 0;
    t.queryAttempts = 0;
    t.lastChangeMillis = wallMillis.getAsLong();
    effects.tell(t.replyTo, t.resolved());
  }

  void transition(OrderEntry<R> t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      metrics.illegalTransition();
      log.get().warn("Order {}: illegal local transition {} -> {}", t.clientOrderId, t.state(), to);
    }
  }

  /** The exchange's word wins over a local state the table did not foresee. */
  void forceState(OrderEntry<R> t, OrderState to) {
    if (t.machine.transition(to) == OrderStateMachine.Outcome.ILLEGAL) {
      OrderStateMachine replacement =
          new OrderStateMachine(t.clientOrderId, to, t.machine.origQtySteps());
      replacement.cumulative(t.machine.cumQtySteps());
      t.machine = replacement;
    }
  }

  // ------------------------------------------------------------------ what the pieces beside the
  // table share

  Settings settings() {
    return settings;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  Logger log() {
    return log.get();
  }

  Effects<R> effects() {
    return effects;
  }

  long nowMillis() {
    return wallMillis.getAsLong();
  }

  /** The requester of orders adopted with nobody to tell. */
  R nobody() {
    return nobody;
  }

  Instrument instrument(int symbolId) {
    return instruments.get(symbolId);
  }

  /** The instrument trading as {@code symbol}, null when the gateway does not trade it. */
  Instrument instrumentNamed(String symbol) {
    Instrument instrument = null;
    for (Instrument i : instruments.values()) {
      if (i.symbol().equals(symbol)) {
        instrument = i;
      }
    }
    return instrument;
  }

  // ------------------------------------------------------------------ views

  public boolean contains(String clientOrderId) {
    return orders.containsKey(clientOrderId);
  }

  /** The unit's fencing epoch, which the ids of its own orders carry. */
  public long epoch() {
    return epoch;
  }

  /**
   * An id of ours from another incarnation of the unit: an older epoch (or one from before epochs)
   * is fenced off, to be cancelled; a newer one means this incarnation is superseded. Never for an
   * unfenced table (epoch 0, outside a cluster), which adopts every order of ours.
   */
  public boolean isOtherEpoch(String clientOrderId) {
    return epoch != 0 && isOurs(clientOrderId) && ClientOrderIds.epochOf(clientOrderId) != epoch;
  }

  /** Is this client id one of ours (our prefix)? */
  public boolean isOurs(String clientOrderId) {
    return clientOrderId != null && clientOrderId.startsWith(ourPrefix);
  }

  /** Every order, for a look at each (a restart's handover). */
  Collection<OrderEntry<R>> entries() {
    return orders.values();
  }

  /** Every order not known to be closed, with a side (for reconciliation and the ops API). */
  public List<WorkingOrder> workingOrders() {
    List<WorkingOrder> out = new ArrayList<>(orders.size());
    for (OrderEntry<R> t : orders.values()) {
      if (t.state().isLive() && t.side != null) {
        out.add(
            new WorkingOrder(
                t.symbolId,
                t.clientOrderId,
                t.orderId,
                t.side,
                t.priceTicks,
                t.machine.origQtySteps(),
                t.machine.cumQtySteps(),
                t.state(),
                t.lastChangeMillis));
      }
    }
    return out;
  }

  /**
   * Throws when the table contradicts itself: every queued id names an order in the table and the
   * order knows it is queued there (once), no settled order is left in the table, no order both is
   * settled and still listed, none filled beyond its quantity, and the settled memory keeps to its
   * bound.
   */
  public void validateInvariants() {
    lanes.validateInvariants();
    for (OrderEntry<R> t : orders.values()) {
      if (t.state().isTerminal()) {
        throw new IllegalStateException(
            t.clientOrderId + " is " + t.state() + " but still in the table");
      }
      if (settled.contains(t.clientOrderId)) {
        throw new IllegalStateException(t.clientOrderId + " is in the table and settled");
      }
      if (t.machine.cumQtySteps() > t.machine.origQtySteps()) {
        throw new IllegalStateException(
            t.clientOrderId + " filled beyond its quantity: " + t.machine);
      }
    }
    settled.validateInvariants();
  }
}
