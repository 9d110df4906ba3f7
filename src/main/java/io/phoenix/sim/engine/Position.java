package io.phoenix.sim.engine;

/**
 * One position leg (BOTH in one-way mode, LONG or SHORT in hedge mode). Quantity is exact (signed
 * steps); money is double because it is reported, never used to decide an order's price or size.
 */
final class Position {
  final PositionSide positionSide;
  long amountSteps;
  double entryPrice;
  double realizedPnlAccum;
  long updateTime;

  /**
   * Margin held by this position in isolated mode (0 in cross): grows with fills, shrinks on
   * reduce.
   */
  double isolatedMargin;

  Position(PositionSide positionSide) {
    this.positionSide = positionSide;
  }

  /**
   * Applies a signed fill and returns the realised PnL it produced. Adding to a position averages
   * the entry price; reducing realises against the entry; flipping through zero re-opens at the
   * fill price.
   */
  double apply(long deltaSteps, double price, double stepValue, long now) {
    updateTime = now;
    long before = amountSteps;
    if (before == 0 || Long.signum(before) == Long.signum(deltaSteps)) {
      long after = before + deltaSteps;
      entryPrice = (Math.abs(before) * entryPrice + Math.abs(deltaSteps) * price) / Math.abs(after);
      amountSteps = after;
      return 0.0;
    }
    long closed = Math.min(Math.abs(before), Math.abs(deltaSteps));
    double realized = closed * stepValue * (price - entryPrice) * Long.signum(before);
    long after = before + deltaSteps;
    if (after == 0) {
      entryPrice = 0.0;
    } else if (Long.signum(after) != Long.signum(before)) {
      entryPrice = price;
    }
    amountSteps = after;
    realizedPnlAccum += realized;
    return realized;
  }

  double unrealized(double mark, double stepValue) {
    return amountSteps * stepValue * (mark - entryPrice);
  }
}
