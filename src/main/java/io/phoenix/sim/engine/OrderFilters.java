package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;

/**
 * Binance's request checks that need the symbol or the account: filters, position mode, client ids.
 */
final class OrderFilters {
  private OrderFilters() {}

  static SimError qtyFilter(SymbolMarket m, long qty) {
    Instrument ins = m.instrument;
    if (qty == Scale.INVALID) {
      return SimErrors.stepSize();
    }
    if (qty <= 0) {
      return SimErrors.qtyNotPositive();
    }
    if (qty < ins.minQtySteps()) {
      return SimErrors.qtyBelowMin();
    }
    if (ins.maxQtySteps() > 0 && qty > ins.maxQtySteps()) {
      return SimErrors.qtyAboveMax();
    }
    return null;
  }

  static SimError priceFilter(SymbolMarket m, Side side, long price) {
    Instrument ins = m.instrument;
    if (price == Scale.INVALID) {
      return SimErrors.tickSize();
    }
    if (price <= 0 || price < ins.minPriceTicks()) {
      return SimErrors.priceBelowMin();
    }
    if (ins.maxPriceTicks() > 0 && price > ins.maxPriceTicks()) {
      return SimErrors.priceAboveMax();
    }
    if (side == Side.BUY && ins.percentUp() > 0) {
      long upper = (long) Math.floor(m.markPriceTicks * ins.percentUp() + 1e-6);
      if (price > upper) {
        return SimErrors.priceAboveBand(ins.price().format(upper));
      }
    }
    if (side == Side.SELL && ins.percentDown() > 0) {
      long lower = (long) Math.ceil(m.markPriceTicks * ins.percentDown() - 1e-6);
      if (price < lower) {
        return SimErrors.priceBelowBand(ins.price().format(lower));
      }
    }
    return null;
  }

  /**
   * A new order's position side must match the account's mode, and hedge mode takes no reduceOnly.
   */
  static SimError positionModeError(Account a, PositionSide side, boolean reduceOnly) {
    if (a.dualSide == (side == PositionSide.BOTH)) {
      return SimErrors.positionSideMismatch();
    }
    return a.dualSide && reduceOnly ? SimErrors.notRequired("reduceonly") : null;
  }

  static boolean validClientId(String id) {
    int n = id.length();
    if (n < 1 || n > 36) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == ':'
              || c == '/'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static SimError triggerPriceFilter(SymbolMarket m, long price) {
    if (price == Scale.INVALID) {
      return SimErrors.tickSize();
    }
    if (price <= 0 || price < m.instrument.minPriceTicks()) {
      return SimErrors.priceBelowMin();
    }
    if (m.instrument.maxPriceTicks() > 0 && price > m.instrument.maxPriceTicks()) {
      return SimErrors.priceAboveMax();
    }
    return null;
  }
}
