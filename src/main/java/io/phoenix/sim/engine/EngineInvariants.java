package io.phoenix.sim.engine;

/** The engine's consistency checks, which tests run after every scenario. */
final class EngineInvariants {
  private EngineInvariants() {}

  /**
   * Throws if any book is crossed or inconsistent, or an account's open orders disagree with the
   * book or with its margin sums; tests call it after every scenario.
   */
  static void check(EngineState state) {
    for (SymbolMarket m : state.markets) {
      m.book.checkInvariants();
      m.tradeCandles.validateInvariants();
      m.markCandles.validateInvariants();
      m.indexCandles.validateInvariants();
    }
    for (Account a : state.accounts.values()) {
      for (WorkingAlgo w : a.openAlgos.values()) {
        if (w.status != AlgoStatus.NEW || a.closedAlgos.containsKey(w.algoId)) {
          throw new IllegalStateException("open conditional order " + w.algoId + " is " + w.status);
        }
      }
      for (WorkingAlgo w : a.closedAlgos.values()) {
        if (w.status == AlgoStatus.NEW
            || (w.status == AlgoStatus.TRIGGERED && (w.actual == null || !w.actual.isOpen()))) {
          throw new IllegalStateException(
              "closed conditional order " + w.algoId + " is " + w.status);
        }
      }
      for (Account.PerSymbol ps : a.symbols) {
        for (Position p : ps.legs()) {
          if (p.isolatedMargin < -EngineState.MONEY_EPSILON
              || (p.amountSteps == 0 && Math.abs(p.isolatedMargin) > EngineState.MONEY_EPSILON)) {
            throw new IllegalStateException(
                "isolated margin " + p.isolatedMargin + " on a position of " + p.amountSteps);
          }
        }
      }
    }
    for (Account a : state.accounts.values()) {
      if (a.internal) {
        continue;
      }
      for (SymbolMarket m : state.markets) {
        Account.PerSymbol ps = a.symbols[m.index];
        long[] bids = new long[3];
        long[] asks = new long[3];
        for (WorkingOrder o : ps.openById.values()) {
          if (!o.isOpen() || o.level == null || o.remaining() <= 0 || !o.countedInMargin) {
            throw new IllegalStateException("open order not resting: " + o.orderId);
          }
          (o.side == Side.BUY ? bids : asks)[o.positionSide.ordinal()] +=
              o.remaining() * o.priceTicks;
        }
        if (!java.util.Arrays.equals(bids, ps.bidRaw)
            || !java.util.Arrays.equals(asks, ps.askRaw)) {
          throw new IllegalStateException("open-order margin sums drifted for " + a.name);
        }
        if (ps.openById.size() != ps.openByClientId.size()) {
          throw new IllegalStateException("client id index out of step for " + a.name);
        }
      }
    }
  }
}
