package io.phoenix.risk;

import io.phoenix.core.Instrument;

/**
 * What risk knows of one symbol: its position and PnL, its last mark, and the aggregates of our
 * working and in-flight orders on it ({@link OpenOrders} keeps them in step with the orders).
 */
final class SymbolExposure {
  final Instrument instrument;
  final PositionPnl pnl;
  long positionSteps;
  long markTicks;
  long markAtMillis;
  long buyOpenSteps;
  long sellOpenSteps;
  int openCount;

  SymbolExposure(Instrument instrument) {
    this.instrument = instrument;
    this.pnl = new PositionPnl(instrument);
  }

  /** The larger absolute position if every buy, or every sell, of ours filled. */
  long worstAbsSteps() {
    return Math.max(
        Math.abs(positionSteps + buyOpenSteps), Math.abs(positionSteps - sellOpenSteps));
  }

  void addOpen(boolean buy, long leaves) {
    openCount++;
    if (buy) {
      buyOpenSteps += leaves;
    } else {
      sellOpenSteps += leaves;
    }
  }

  void removeOpen(boolean buy, long leaves) {
    openCount--;
    reduceOpen(buy, leaves);
  }

  void reduceOpen(boolean buy, long qty) {
    if (buy) {
      buyOpenSteps -= qty;
    } else {
      sellOpenSteps -= qty;
    }
  }
}
