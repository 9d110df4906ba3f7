package io.phoenix.quoting;

import io.phoenix.model.OrderState;
import io.phoenix.risk.PositionPnl;

/**
 * What became of the orders a quoter sent, applied to its working orders, its post-only back-off
 * and its position: acceptances, rejects, amends, unknown outcomes, finished orders and fills. A
 * part of {@link QuoterCore}, which takes its answers through its own methods of the same names; it
 * runs per order event, never per book frame.
 *
 * <p>The back-off arrays are shared with {@link QuoterCore}: its requote reads them (and clears
 * {@link #skipNext}) in place, without a call per frame.
 */
final class OrderOutcomes {
  private final QuoterOrders working;
  private final PositionPnl position;
  private final MarkoutTracker markouts;
  private final int maxBackoffTicks;
  private final long fillReportTimeoutNanos;

  /** Per side (0 buy, 1 sell): ticks the side stays back after post-only rejects. */
  final int[] backoff = new int[2];

  /** Per side: sit the next requote out after a post-only reject. */
  final boolean[] skipNext = new boolean[2];

  private long fills;
  private long filledBuySteps;
  private long filledSellSteps;
  private long postOnlyRejects;
  private long rejects;

  OrderOutcomes(
      QuoterOrders working,
      PositionPnl position,
      MarkoutTracker markouts,
      int maxBackoffTicks,
      long fillReportTimeoutNanos) {
    this.working = working;
    this.position = position;
    this.markouts = markouts;
    this.maxBackoffTicks = maxBackoffTicks;
    this.fillReportTimeoutNanos = fillReportTimeoutNanos;
  }

  void onAccepted(String clientOrderId) {
    int s = working.slotOf(clientOrderId);
    if (s < 0) {
      return;
    }
    if (working.state(s) == OrderState.PENDING_NEW || working.state(s) == OrderState.UNKNOWN) {
      working.setState(s, working.filledQty(s) > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW);
    }
    int side = working.isBuy(s) ? 0 : 1;
    if (backoff[side] > 0) {
      backoff[side]--;
    }
  }

  /** Returns true when it was a post-only reject that changed the back-off. */
  boolean onRejected(String clientOrderId, int errorCode) {
    int s = working.slotOf(clientOrderId);
    if (s < 0) {
      return false;
    }
    boolean buy = working.isBuy(s);
    working.remove(s);
    rejects++;
    if (errorCode == -5022) {
      postOnlyRejects++;
      int side = buy ? 0 : 1;
      backoff[side] = Math.min(backoff[side] + 1, maxBackoffTicks);
      skipNext[side] = true;
      return true;
    }
    return false;
  }

  void onGone(String clientOrderId) {
    int s = working.slotOf(clientOrderId);
    if (s >= 0) {
      working.remove(s);
    }
  }

  /**
   * Fills reach the position only from the user stream, so whatever of {@code cumQtySteps} it has
   * not reported yet keeps counting against the soft limit until it does, or for {@code
   * fill-report-timeout}.
   */
  void onFinished(String clientOrderId, long cumQtySteps, long nowNanos) {
    int s = working.slotOf(clientOrderId);
    if (s >= 0) {
      working.settle(s, cumQtySteps, nowNanos + fillReportTimeoutNanos);
    }
  }

  void onAmended(String clientOrderId, long origQtySteps) {
    int s = working.slotOf(clientOrderId);
    if (s >= 0 && !working.settling(s) && origQtySteps > 0) {
      working.setOrigQty(s, origQtySteps);
    }
    onLiveAgain(clientOrderId);
  }

  void onLiveAgain(String clientOrderId) {
    int s = working.slotOf(clientOrderId);
    if (s >= 0 && !working.settling(s)) {
      working.setState(s, working.filledQty(s) > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW);
    }
  }

  void onUnknown(String clientOrderId) {
    int s = working.slotOf(clientOrderId);
    if (s >= 0 && working.state(s) != OrderState.PENDING_CANCEL) {
      working.setState(s, OrderState.UNKNOWN);
    }
  }

  /**
   * Unknown order (-2011): the order is gone already, filled or cancelled, we cannot tell which;
   * its final state arrives on the user stream, and until it does its whole leaves quantity may
   * have filled (see {@link #onFinished}). Otherwise it is live again.
   */
  void onCancelRejected(String clientOrderId, int errorCode, long nowNanos) {
    int s = working.slotOf(clientOrderId);
    if (s < 0 || working.settling(s)) {
      return;
    }
    if (errorCode == -2011) {
      working.settle(s, working.origQty(s), nowNanos + fillReportTimeoutNanos);
    } else {
      working.setState(s, working.filledQty(s) > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW);
    }
  }

  /** See {@link QuoterCore#onOrderUpdate}; a fill's markouts are measured from {@code nowNanos}. */
  long onOrderUpdate(
      String clientOrderId,
      boolean buy,
      boolean open,
      long cumQtySteps,
      long lastFillQtySteps,
      long lastFillPriceTicks,
      double commission,
      long nowNanos) {
    int s = working.slotOf(clientOrderId);
    long fill = 0;
    if (s >= 0) {
      long delta = working.fillTo(s, cumQtySteps);
      if (delta > 0) {
        fill = delta;
      }
      if (!open || (working.settling(s) && working.leavesQty(s) <= 0)) {
        working.remove(s);
      } else if (working.state(s) == OrderState.PENDING_NEW
          || working.state(s) == OrderState.UNKNOWN
          || working.state(s) == OrderState.NEW) {
        working.setState(s, cumQtySteps > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW);
      }
    } else {
      // an order we no longer track (restart): trust the event's own fill size
      fill = lastFillQtySteps;
    }
    if (fill <= 0) {
      return 0;
    }
    long price = lastFillPriceTicks > 0 ? lastFillPriceTicks : (s >= 0 ? working.price(s) : 0);
    position.onFill(buy, fill, price, commission);
    markouts.onFill(nowNanos, buy, price, fill);
    fills++;
    if (buy) {
      filledBuySteps += fill;
    } else {
      filledSellSteps += fill;
    }
    return buy ? fill : -fill;
  }

  long fills() {
    return fills;
  }

  long filledBuySteps() {
    return filledBuySteps;
  }

  long filledSellSteps() {
    return filledSellSteps;
  }

  long postOnlyRejects() {
    return postOnlyRejects;
  }

  long rejects() {
    return rejects;
  }
}
