package io.phoenix.quoting;

import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.util.ArrayList;
import java.util.List;

/** The actions of one {@link QuoterCore#requote} as the {@link OrderIntent}s the quoter sends to risk. */
final class QuoteIntents {
  private QuoteIntents() {}

  /**
   * @param n the number of actions the requote returned (at least one)
   * @param decidedNanos when the requote decided, stamped on every place
   * @param frameNanos arrival of the oldest book frame the requote answers (0 = none), likewise
   */
  static List<OrderIntent> of(QuoterCore core, int symbolId, int n, long decidedNanos, long frameNanos) {
    List<OrderIntent> intents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = core.actionClientId(i);
      OrderIntent intent =
          switch (core.actionKind(i)) {
            case PLACE -> new OrderIntent.Place(symbolId, id, core.actionBuy(i) ? Side.BUY : Side.SELL, core.actionPrice(i), core.actionQty(i),
                TimeInForce.GTX, false, decidedNanos, frameNanos);
            case CANCEL -> new OrderIntent.Cancel(symbolId, id);
            case AMEND -> new OrderIntent.Amend(symbolId, id, core.actionPrice(i), core.actionQty(i));
          };
      intents.add(intent);
    }
    return intents;
  }

  /** Whether the first {@code n} actions place an order (only a place is timed from its frame). */
  static boolean placesAny(QuoterCore core, int n) {
    for (int i = 0; i < n; i++) {
      if (core.actionKind(i) == OrderDiff.Kind.PLACE) {
        return true;
      }
    }
    return false;
  }
}
