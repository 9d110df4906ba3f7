package io.phoenix.risk;

import io.phoenix.model.AccountEvent;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.Side;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Keeps the engine's exposure current from the model's events: the gateway's answers about the
 * orders risk approved, the user stream's account events and the exchange's positions read at
 * start. Fills are counted once: trade ids de-duplicate fills that arrive twice (reconnect replays,
 * reconciliation).
 */
final class ExposureUpdates {
  private static final int SEEN_TRADES = 10_000;

  private final RiskEngine engine;
  private final LinkedHashSet<String> seenTrades = new LinkedHashSet<>();

  ExposureUpdates(RiskEngine engine) {
    this.engine = engine;
  }

  /** Applies a gateway answer; returns the symbol it is about, -1 when it is about every symbol. */
  int onOrderEvent(OrderEvent event) {
    if (event instanceof OrderEvent.OrderAccepted a) {
      if (a.state().isTerminal()) {
        engine.onDone(a.clientOrderId());
      } else {
        engine.onAccepted(a.clientOrderId());
      }
      return a.symbolId();
    } else if (event instanceof OrderEvent.OrderRejected r) {
      if (r.kind() == OrderEvent.RequestKind.PLACE) {
        engine.onRejected(r.clientOrderId(), r.code());
      }
      return r.symbolId();
    } else if (event instanceof OrderEvent.OrderCanceled c) {
      engine.onDone(c.clientOrderId());
      return c.symbolId();
    } else if (event instanceof OrderEvent.OrderResolved r) {
      if (r.state().isTerminal()) {
        engine.onDone(r.clientOrderId());
      } else {
        engine.onAccepted(r.clientOrderId());
      }
      return r.symbolId();
    } else if (event instanceof OrderEvent.OrderUnknown u) {
      return u.symbolId();
    } else if (event instanceof OrderEvent.OrderAmended a) {
      return a.symbolId();
    } else if (event instanceof OrderEvent.AllCanceled a) {
      return a.symbolId();
    }
    return -1;
  }

  void onAccountEvent(AccountEvent event) {
    if (event instanceof AccountEvent.OrderUpdate u) {
      onOrderUpdate(u);
    } else if (event instanceof AccountEvent.PositionUpdate p) {
      engine.onPosition(p.symbolId(), p.amountSteps(), p.entryPrice());
    } else if (event instanceof AccountEvent.FundingPaid f) {
      engine.onFunding(f.amount());
    }
  }

  /**
   * The exchange's one-way positions of the symbols risk knows replace its own; returns every
   * position read that is not flat, as {@code symbolId=steps}, for the log.
   */
  List<String> onPositions(List<ExchangeState.Position> positions) {
    for (ExchangeState.Position p : positions) {
      if (p.positionSide() == AccountEvent.PositionSide.BOTH
          && engine.instrument(p.symbolId()) != null) {
        engine.onPosition(p.symbolId(), p.amountSteps(), p.entryPrice());
      }
    }
    return positions.stream()
        .filter(p -> p.amountSteps() != 0)
        .map(p -> p.symbolId() + "=" + p.amountSteps())
        .toList();
  }

  private void onOrderUpdate(AccountEvent.OrderUpdate u) {
    if (u.executionType() == AccountEvent.ExecutionType.NEW) {
      engine.onAccepted(u.clientOrderId());
    }
    if (u.isFill() && firstSight(u)) {
      engine.onFill(
          u.clientOrderId(),
          u.symbolId(),
          u.side() == Side.BUY,
          u.lastFillQtySteps(),
          u.lastFillPriceTicks(),
          u.commission());
    }
    if (!u.status().isOpen()) {
      engine.onDone(u.clientOrderId());
    }
  }

  private boolean firstSight(AccountEvent.OrderUpdate u) {
    if (u.tradeId() == 0) {
      return true;
    }
    String key = u.symbolId() + ":" + u.tradeId();
    if (!seenTrades.add(key)) {
      return false;
    }
    if (seenTrades.size() > SEEN_TRADES) {
      seenTrades.remove(seenTrades.iterator().next());
    }
    return true;
  }

  void validateInvariants() {
    if (seenTrades.size() > SEEN_TRADES) {
      throw new IllegalStateException("remembers " + seenTrades.size() + " trade ids");
    }
  }
}
