package io.phoenix.risk;

import java.util.HashMap;
import java.util.Map;

/**
 * The orders risk counts against its limits: approved and not yet done, working or still in flight.
 * Every change goes through here so that the per-symbol aggregates of {@link SymbolExposure} always
 * equal the sums over these orders.
 */
final class OpenOrders {
  private final Map<String, OpenOrder> byClientId = new HashMap<>();
  private final SymbolExposure[] symbols;

  OpenOrders(SymbolExposure[] symbols) {
    this.symbols = symbols;
  }

  static final class OpenOrder {
    final String clientOrderId;
    final int symbolId;
    final boolean buy;
    final long priceTicks;
    long leaves;
    boolean inFlight = true;

    OpenOrder(String clientOrderId, int symbolId, boolean buy, long priceTicks, long leaves) {
      this.clientOrderId = clientOrderId;
      this.symbolId = symbolId;
      this.buy = buy;
      this.priceTicks = priceTicks;
      this.leaves = leaves;
    }
  }

  boolean contains(String clientOrderId) {
    return byClientId.containsKey(clientOrderId);
  }

  OpenOrder get(String clientOrderId) {
    return byClientId.get(clientOrderId);
  }

  int size() {
    return byClientId.size();
  }

  void add(OpenOrder o) {
    byClientId.put(o.clientOrderId, o);
    symbols[o.symbolId].addOpen(o.buy, o.leaves);
  }

  /** Removes the order (if known) and returns it. */
  OpenOrder remove(String clientOrderId) {
    OpenOrder o = byClientId.remove(clientOrderId);
    if (o != null) {
      symbols[o.symbolId].removeOpen(o.buy, o.leaves);
    }
    return o;
  }

  /** A fill of {@code qty} (at most the leaves): the order is removed once nothing is left. */
  void fill(OpenOrder o, long qty) {
    long applied = Math.min(qty, o.leaves);
    o.leaves -= applied;
    symbols[o.symbolId].reduceOpen(o.buy, applied);
    if (o.leaves == 0) {
      remove(o.clientOrderId);
    }
  }

  int inFlight() {
    int n = 0;
    for (OpenOrder o : byClientId.values()) {
      if (o.inFlight) {
        n++;
      }
    }
    return n;
  }

  /** Our lowest sell price on the symbol, 0 when none. */
  long lowestAsk(int symbolId) {
    long best = 0;
    for (OpenOrder o : byClientId.values()) {
      if (o.symbolId == symbolId && !o.buy && (best == 0 || o.priceTicks < best)) {
        best = o.priceTicks;
      }
    }
    return best;
  }

  /** Our highest buy price on the symbol, 0 when none. */
  long highestBid(int symbolId) {
    long best = 0;
    for (OpenOrder o : byClientId.values()) {
      if (o.symbolId == symbolId && o.buy && o.priceTicks > best) {
        best = o.priceTicks;
      }
    }
    return best;
  }

  void validateInvariants() {
    for (SymbolExposure s : symbols) {
      if (s == null) {
        continue;
      }
      long buys = 0;
      long sells = 0;
      int count = 0;
      for (OpenOrder o : byClientId.values()) {
        if (o.symbolId == s.instrument.id()) {
          count++;
          if (o.buy) {
            buys += o.leaves;
          } else {
            sells += o.leaves;
          }
        }
      }
      if (buys != s.buyOpenSteps || sells != s.sellOpenSteps || count != s.openCount) {
        throw new IllegalStateException(
            "open-order aggregates out of sync for " + s.instrument.symbol());
      }
    }
  }
}
