package io.phoenix.risk;

import io.phoenix.core.Instrument;

/**
 * Position and PnL of one instrument by the average-cost method: fills that grow the position move
 * the entry price, fills that shrink it realise PnL against it. Money is a double in the quote
 * currency (reports and limits, never order arithmetic); quantity stays in steps.
 */
public final class PositionPnl {
  private final double tickSize;
  private final double stepSize;
  private long positionSteps;
  private double entryPrice;
  private double realised;
  private double fees;

  public PositionPnl(Instrument instrument) {
    this.tickSize = instrument.price().toDouble(1);
    this.stepSize = instrument.quantity().toDouble(1);
  }

  /** Applies a fill; returns the PnL it realised. */
  public double onFill(boolean buy, long qtySteps, long priceTicks, double commission) {
    double price = priceTicks * tickSize;
    long signed = buy ? qtySteps : -qtySteps;
    long before = positionSteps;
    long after = Math.addExact(before, signed);
    double pnl = 0;
    if (before == 0 || Long.signum(before) == Long.signum(signed)) {
      entryPrice = (entryPrice * Math.abs(before) + price * qtySteps) / Math.abs(after);
    } else {
      long closed = Math.min(Math.abs(before), qtySteps);
      pnl = closed * stepSize * (price - entryPrice) * Long.signum(before);
      if (after == 0) {
        entryPrice = 0;
      } else if (Long.signum(after) != Long.signum(before)) {
        entryPrice = price;
      }
    }
    positionSteps = after;
    realised += pnl;
    fees += commission;
    return pnl;
  }

  /** Replaces the position with the exchange's (reconciliation); realised PnL is kept. */
  public void restate(long steps, double entry) {
    positionSteps = steps;
    entryPrice = steps == 0 ? 0 : entry;
  }

  public long positionSteps() {
    return positionSteps;
  }

  public double entryPrice() {
    return entryPrice;
  }

  public double realised() {
    return realised;
  }

  public double fees() {
    return fees;
  }

  /** Unrealised PnL at {@code markTicks} (0 without a mark). */
  public double unrealised(double markTicks) {
    if (positionSteps == 0 || !(markTicks > 0)) {
      return 0;
    }
    return positionSteps * stepSize * (markTicks * tickSize - entryPrice);
  }
}
