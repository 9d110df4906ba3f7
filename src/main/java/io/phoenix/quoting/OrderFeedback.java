package io.phoenix.quoting;

import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.util.function.LongSupplier;

/**
 * The quoter's order bookkeeping: what the gateway, the user stream and risk say about one symbol's
 * orders, applied to its {@link QuoterCore}. Each method answers whether the news calls for a
 * requote; the {@link Quoter} actor only logs and schedules it.
 */
final class OrderFeedback {
  private final QuoterCore core;
  private final int symbolId;
  private final LongSupplier nanoClock;

  /**
   * @param nanoClock read only by the news that is timed (cancel rejects, fills, finished orders)
   */
  OrderFeedback(QuoterCore core, int symbolId, LongSupplier nanoClock) {
    this.core = core;
    this.symbolId = symbolId;
    this.nanoClock = nanoClock;
  }

  /** The gateway's outcome of one of our requests, relayed by risk. */
  boolean onOrderEvent(OrderEvent event) {
    if (event instanceof OrderEvent.OrderAccepted a) {
      core.onAccepted(a.clientOrderId());
    } else if (event instanceof OrderEvent.OrderRejected r) {
      if (r.kind() == OrderEvent.RequestKind.PLACE) {
        core.onRejected(r.clientOrderId(), r.code());
      } else if (r.kind() == OrderEvent.RequestKind.CANCEL) {
        core.onCancelRejected(r.clientOrderId(), r.code(), nanoClock.getAsLong());
      } else if (r.kind() == OrderEvent.RequestKind.AMEND) {
        core.onLiveAgain(r.clientOrderId());
      }
      return true;
    } else if (event instanceof OrderEvent.OrderCanceled c) {
      core.onFinished(c.clientOrderId(), c.cumQtySteps(), nanoClock.getAsLong());
      return true;
    } else if (event instanceof OrderEvent.OrderAmended a) {
      core.onAmended(a.clientOrderId(), a.origQtySteps());
    } else if (event instanceof OrderEvent.OrderUnknown u) {
      core.onUnknown(u.clientOrderId());
    } else if (event instanceof OrderEvent.OrderResolved r) {
      if (r.state().isTerminal()) {
        core.onFinished(r.clientOrderId(), r.cumQtySteps(), nanoClock.getAsLong());
        return true;
      }
      core.onAccepted(r.clientOrderId());
    }
    return false;
  }

  /** A user-stream event; order updates and positions of other symbols are ignored. */
  boolean onAccountEvent(AccountEvent event) {
    if (event instanceof AccountEvent.OrderUpdate u) {
      if (u.symbolId() != symbolId) {
        return false;
      }
      if (u.executionType() == AccountEvent.ExecutionType.NEW) {
        core.onAccepted(u.clientOrderId());
      }
      long fill =
          core.onOrderUpdate(
              u.clientOrderId(),
              u.side() == Side.BUY,
              u.status().isOpen(),
              u.cumQtySteps(),
              u.lastFillQtySteps(),
              u.lastFillPriceTicks(),
              u.commission(),
              nanoClock.getAsLong());
      return fill != 0 || !u.status().isOpen();
    }
    if (event instanceof AccountEvent.PositionUpdate p) {
      if (p.symbolId() != symbolId) {
        return false;
      }
      core.onPosition(p.amountSteps(), p.entryPrice());
      return true;
    }
    if (event instanceof AccountEvent.UserStreamUp) {
      core.onUserStream(true);
      return true;
    }
    if (event instanceof AccountEvent.UserStreamDown) {
      core.onUserStream(false);
      return true;
    }
    return false;
  }

  /**
   * Risk's decision on one of our intents: a refused place is gone (and a refusal for the order
   * rate holds the next ones back); a place risk made smaller rests with the approved quantity.
   */
  void onRiskDecision(Risk.Decision d) {
    if (!(d.intent() instanceof OrderIntent.Place p)) {
      return;
    }
    if (!d.approved()) {
      core.onRejected(p.clientOrderId(), 0);
      if (d.reason() == RiskReason.ORDER_RATE) {
        core.onOrderRateRefused(nanoClock.getAsLong());
      }
    } else if (d.approvedQty() != p.qtySteps()) {
      int slot = core.working().slotOf(p.clientOrderId());
      if (slot >= 0) {
        core.working().setOrigQty(slot, d.approvedQty());
      }
    }
  }
}
