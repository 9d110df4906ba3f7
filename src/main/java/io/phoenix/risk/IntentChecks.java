package io.phoenix.risk;

import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;

/**
 * A quoter's intent through the engine's pre-trade checks, in the model's vocabulary: places and
 * amends are checked (a place may come back with a clamped quantity); cancels always pass, even
 * with the kill switch tripped.
 */
final class IntentChecks {
  private final RiskEngine engine;

  IntentChecks(RiskEngine engine) {
    this.engine = engine;
  }

  /** Writes the verdict into {@code out}; returns the intent to send if approved. */
  OrderIntent check(OrderIntent intent, long nowMillis, PreTradeResult out) {
    if (intent instanceof OrderIntent.Place p) {
      engine.checkNew(
          p.clientOrderId(),
          p.symbolId(),
          p.side() == Side.BUY,
          p.priceTicks(),
          p.qtySteps(),
          p.reduceOnly(),
          nowMillis,
          out);
      return out.qtySteps() == p.qtySteps() || !out.approved() ? p : p.withQty(out.qtySteps());
    }
    if (intent instanceof OrderIntent.Amend a) {
      engine.checkAmend(a.clientOrderId(), a.newPriceTicks(), a.newQtySteps(), nowMillis, out);
      return a;
    }
    out.pass(0, RiskReason.NONE);
    return intent;
  }
}
