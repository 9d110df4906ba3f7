package io.phoenix.sim.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trading account: a USDT cross wallet, per-symbol settings, positions, open orders, a bounded
 * history of closed orders and fills. Internal accounts (the market model's liquidity providers and
 * noise takers) skip margin, accounting and user events: they exist only to shape the book.
 */
final class Account {
  static final int CLOSED_ORDERS_KEPT = 10_000;
  static final int FILLS_KEPT = 10_000;
  static final int INCOME_KEPT = 100_000;
  static final int ALGOS_KEPT = 10_000;
  static final int FORCE_ORDERS_KEPT = 1_000;

  final String name;
  final boolean internal;
  double walletBalance;
  boolean dualSide;
  boolean multiAssets;
  final PerSymbol[] symbols;
  final java.util.ArrayDeque<IncomeRecord> income = new java.util.ArrayDeque<>();

  /** Open conditional orders (NEW) by algo id, in placement order. */
  final LinkedHashMap<Long, WorkingAlgo> openAlgos = new LinkedHashMap<>();

  /** Every conditional order that left NEW, newest last, bounded. */
  final LinkedHashMap<Long, WorkingAlgo> closedAlgos =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, WorkingAlgo> eldest) {
          return size() > ALGOS_KEPT;
        }
      };

  Account(String name, boolean internal, double walletBalance, int symbolCount, int leverage) {
    this.name = name;
    this.internal = internal;
    this.walletBalance = walletBalance;
    this.symbols = new PerSymbol[symbolCount];
    for (int i = 0; i < symbolCount; i++) {
      symbols[i] = new PerSymbol(leverage);
    }
  }

  void addIncome(IncomeRecord r) {
    income.addLast(r);
    if (income.size() > INCOME_KEPT) {
      income.removeFirst();
    }
  }

  boolean hasOpenOrders() {
    for (PerSymbol s : symbols) {
      if (!s.openById.isEmpty()) {
        return true;
      }
    }
    return !openAlgos.isEmpty();
  }

  boolean hasPositions() {
    for (PerSymbol s : symbols) {
      if (s.both.amountSteps != 0 || s.longLeg.amountSteps != 0 || s.shortLeg.amountSteps != 0) {
        return true;
      }
    }
    return false;
  }

  /** This account's state on one symbol. */
  static final class PerSymbol {
    int leverage;
    boolean isolated;
    final Position both = new Position(PositionSide.BOTH);
    final Position longLeg = new Position(PositionSide.LONG);
    final Position shortLeg = new Position(PositionSide.SHORT);
    final LinkedHashMap<Long, WorkingOrder> openById = new LinkedHashMap<>();
    final Map<String, WorkingOrder> openByClientId = new java.util.HashMap<>();
    final LinkedHashMap<Long, WorkingOrder> closedById =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, WorkingOrder> eldest) {
            return size() > CLOSED_ORDERS_KEPT;
          }
        };
    final LinkedHashMap<String, WorkingOrder> closedByClientId =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, WorkingOrder> eldest) {
            return size() > CLOSED_ORDERS_KEPT;
          }
        };
    final java.util.ArrayDeque<SimFill> fills = new java.util.ArrayDeque<>();

    /** Accepted modifications of this account's orders on the symbol, newest last. */
    final java.util.ArrayDeque<SimAmendment> amendments = new java.util.ArrayDeque<>();

    /** This account's liquidation orders on the symbol, newest last. */
    final java.util.ArrayDeque<SimOrder> forceOrders = new java.util.ArrayDeque<>();

    /** Sum of remaining x price (ticks x steps) of open orders, per position side ordinal. */
    final long[] bidRaw = new long[3];

    final long[] askRaw = new long[3];

    PerSymbol(int leverage) {
      this.leverage = leverage;
    }

    /** The three position legs (one-way, hedge long, hedge short), as a fresh array. */
    Position[] legs() {
      return new Position[] {both, longLeg, shortLeg};
    }

    Position position(PositionSide side) {
      return switch (side) {
        case BOTH -> both;
        case LONG -> longLeg;
        case SHORT -> shortLeg;
      };
    }

    void addOpenNotional(WorkingOrder o) {
      long raw = o.remaining() * o.priceTicks;
      if (o.side == Side.BUY) {
        bidRaw[o.positionSide.ordinal()] += raw;
      } else {
        askRaw[o.positionSide.ordinal()] += raw;
      }
      o.countedInMargin = true;
    }

    /**
     * Removes {@code raw} of {@code o}'s notional; {@code stopCounting} when it leaves the book.
     */
    void subtractOpenNotional(WorkingOrder o, long raw, boolean stopCounting) {
      if (o.side == Side.BUY) {
        bidRaw[o.positionSide.ordinal()] -= raw;
      } else {
        askRaw[o.positionSide.ordinal()] -= raw;
      }
      if (stopCounting) {
        o.countedInMargin = false;
      }
    }

    void addFill(SimFill fill) {
      fills.addLast(fill);
      if (fills.size() > FILLS_KEPT) {
        fills.removeFirst();
      }
    }
  }
}
