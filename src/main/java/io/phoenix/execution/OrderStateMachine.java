package io.phoenix.execution;

import io.phoenix.model.OrderState;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of one order as this process knows it: its state, its cumulative filled quantity
 * (monotonic: a late or replayed report never lowers it) and the trade ids already counted, so a
 * fill seen both in a REST response and on the user stream counts once. Pure and single-threaded.
 */
public final class OrderStateMachine {

  /** What a call did. */
  public enum Outcome {
    /** State or quantity changed. */
    APPLIED,
    /** Nothing new (same state, duplicate trade, older cumulative quantity). */
    IGNORED,
    /**
     * Not allowed from the current state: the caller counts and logs it; the machine is unchanged.
     */
    ILLEGAL
  }

  private static final Map<OrderState, Set<OrderState>> LEGAL = new EnumMap<>(OrderState.class);

  static {
    EnumSet<OrderState> exchangeOutcomes =
        EnumSet.of(
            OrderState.NEW,
            OrderState.PARTIALLY_FILLED,
            OrderState.FILLED,
            OrderState.CANCELED,
            OrderState.EXPIRED,
            OrderState.EXPIRED_IN_MATCH);
    EnumSet<OrderState> fromPendingNew = EnumSet.copyOf(exchangeOutcomes);
    fromPendingNew.addAll(
        EnumSet.of(OrderState.REJECTED, OrderState.UNKNOWN, OrderState.PENDING_CANCEL));
    LEGAL.put(OrderState.PENDING_NEW, fromPendingNew);
    // NEW -> NEW is an amendment (price/qty changed, still resting)
    LEGAL.put(
        OrderState.NEW,
        EnumSet.of(
            OrderState.NEW,
            OrderState.PARTIALLY_FILLED,
            OrderState.FILLED,
            OrderState.PENDING_CANCEL,
            OrderState.CANCELED,
            OrderState.EXPIRED,
            OrderState.EXPIRED_IN_MATCH,
            OrderState.UNKNOWN));
    LEGAL.put(
        OrderState.PARTIALLY_FILLED,
        EnumSet.of(
            OrderState.PARTIALLY_FILLED,
            OrderState.FILLED,
            OrderState.PENDING_CANCEL,
            OrderState.CANCELED,
            OrderState.EXPIRED,
            OrderState.EXPIRED_IN_MATCH,
            OrderState.UNKNOWN));
    // a refused cancel returns the order to where it was; fills may land while a cancel is in
    // flight
    LEGAL.put(
        OrderState.PENDING_CANCEL,
        EnumSet.of(
            OrderState.NEW,
            OrderState.PARTIALLY_FILLED,
            OrderState.FILLED,
            OrderState.CANCELED,
            OrderState.EXPIRED,
            OrderState.EXPIRED_IN_MATCH,
            OrderState.UNKNOWN));
    // UNKNOWN resolves to whatever the exchange says, or REJECTED when it never saw the order
    EnumSet<OrderState> fromUnknown = EnumSet.copyOf(exchangeOutcomes);
    fromUnknown.addAll(EnumSet.of(OrderState.REJECTED, OrderState.PENDING_CANCEL));
    LEGAL.put(OrderState.UNKNOWN, fromUnknown);
    for (OrderState s : OrderState.values()) {
      LEGAL.putIfAbsent(s, EnumSet.noneOf(OrderState.class));
    }
  }

  /** True when {@code from -> to} is an allowed transition. */
  public static boolean isLegal(OrderState from, OrderState to) {
    return LEGAL.get(from).contains(to);
  }

  private final String clientOrderId;
  private OrderState state;
  private long origQtySteps;
  private long cumQtySteps;
  private long[] tradeIds = new long[4];
  private int tradeCount;

  public OrderStateMachine(String clientOrderId, OrderState initial, long origQtySteps) {
    this.clientOrderId = clientOrderId;
    this.state = initial;
    this.origQtySteps = origQtySteps;
  }

  /** A freshly submitted order. */
  public static OrderStateMachine pendingNew(String clientOrderId, long origQtySteps) {
    return new OrderStateMachine(clientOrderId, OrderState.PENDING_NEW, origQtySteps);
  }

  public String clientOrderId() {
    return clientOrderId;
  }

  public OrderState state() {
    return state;
  }

  public long origQtySteps() {
    return origQtySteps;
  }

  public long cumQtySteps() {
    return cumQtySteps;
  }

  /**
   * Moves to {@code to}; a repeat of the current state is IGNORED, anything not legal is ILLEGAL.
   */
  public Outcome transition(OrderState to) {
    // repeats are idempotent except the two self-loops that mean "changed while resting"
    if (to == state && to != OrderState.NEW && to != OrderState.PARTIALLY_FILLED) {
      return Outcome.IGNORED;
    }
    if (!isLegal(state, to)) {
      return Outcome.ILLEGAL;
    }
    state = to;
    return Outcome.APPLIED;
  }

  /** Amendment accepted: the order rests with a new total quantity. */
  public void amended(long newOrigQtySteps) {
    this.origQtySteps = newOrigQtySteps;
  }

  /**
   * A fill with its trade id. A trade already seen is IGNORED; a fill that would exceed the order
   * quantity is ILLEGAL. Moves the state to PARTIALLY_FILLED or FILLED when legal.
   */
  public Outcome fill(long tradeId, long qtySteps) {
    if (seen(tradeId)) {
      return Outcome.IGNORED;
    }
    if (qtySteps <= 0 || cumQtySteps + qtySteps > origQtySteps) {
      return Outcome.ILLEGAL;
    }
    OrderState next =
        cumQtySteps + qtySteps == origQtySteps ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
    if (state != next && !isLegal(state, next)) {
      return Outcome.ILLEGAL;
    }
    remember(tradeId);
    cumQtySteps += qtySteps;
    // a partial fill during a cancel keeps the cancel pending
    if (!(state == OrderState.PENDING_CANCEL && next == OrderState.PARTIALLY_FILLED)) {
      state = next;
    }
    return Outcome.APPLIED;
  }

  /**
   * The exchange's cumulative filled quantity (from a REST response or a stream event without trade
   * detail). Only increases are applied.
   */
  public Outcome cumulative(long exchangeCumQtySteps) {
    if (exchangeCumQtySteps <= cumQtySteps) {
      return Outcome.IGNORED;
    }
    if (exchangeCumQtySteps > origQtySteps) {
      return Outcome.ILLEGAL;
    }
    cumQtySteps = exchangeCumQtySteps;
    return Outcome.APPLIED;
  }

  /** Applies an exchange report: cumulative quantity first, then the status. */
  public Outcome report(OrderState exchangeState, long exchangeCumQtySteps) {
    Outcome q = cumulative(exchangeCumQtySteps);
    Outcome s = transition(exchangeState);
    if (s == Outcome.ILLEGAL || q == Outcome.ILLEGAL) {
      return Outcome.ILLEGAL;
    }
    return s == Outcome.APPLIED || q == Outcome.APPLIED ? Outcome.APPLIED : Outcome.IGNORED;
  }

  private boolean seen(long tradeId) {
    for (int i = 0; i < tradeCount; i++) {
      if (tradeIds[i] == tradeId) {
        return true;
      }
    }
    return false;
  }

  private void remember(long tradeId) {
    if (tradeCount == tradeIds.length) {
      tradeIds = Arrays.copyOf(tradeIds, tradeIds.length * 2);
    }
    tradeIds[tradeCount++] = tradeId;
  }

  @Override
  public String toString() {
    return "Order[" + clientOrderId + " " + state + " " + cumQtySteps + "/" + origQtySteps + "]";
  }
}
