package io.phoenix.sim.engine;

import java.util.List;
import java.util.Map;

/**
 * What an account is worth and owes: initial margin of positions and open orders, unrealized PnL,
 * equity, balances and position reports, isolated margin, the cross margin ratio, maintenance
 * margin and liquidation prices.
 */
final class Margins {
  private final EngineState state;
  private final SimEngineConfig config;
  private final SimListener listener;
  private final SymbolMarket[] markets;
  private final Map<String, SymbolMarket> bySymbol;

  Margins(EngineState state) {
    this.state = state;
    this.config = state.config;
    this.listener = state.listener;
    this.markets = state.markets;
    this.bySymbol = state.bySymbol;
  }

  /**
   * True when adding an order worth {@code extraRaw} (ticks x steps) would raise the initial margin
   * above the account's equity. Per symbol the margin is the worse of "all bids fill" and "all asks
   * fill" on top of the position, divided by leverage, so quoting both sides costs one side and
   * orders that only reduce the position cost nothing.
   */
  boolean marginShort(
      Account a, SymbolMarket m, Side side, PositionSide positionSide, long extraRaw) {
    if (a.internal) {
      return false;
    }
    double before = initialMargin(a);
    Account.PerSymbol ps = a.symbols[m.index];
    long[] sums = side == Side.BUY ? ps.bidRaw : ps.askRaw;
    sums[positionSide.ordinal()] += extraRaw;
    double after = initialMargin(a);
    sums[positionSide.ordinal()] -= extraRaw;
    return after > before + EngineState.MONEY_EPSILON
        && after > equity(a) + EngineState.MONEY_EPSILON;
  }

  private double initialMargin(Account a) {
    double total = 0;
    for (SymbolMarket m : markets) {
      total += symbolMargin(a.symbols[m.index], m);
    }
    return total;
  }

  private static double symbolMargin(Account.PerSymbol ps, SymbolMarket m) {
    long mark = m.markPriceTicks;
    int both = PositionSide.BOTH.ordinal();
    long pos = ps.both.amountSteps * mark;
    long worst = Math.max(Math.abs(pos + ps.bidRaw[both]), Math.abs(pos - ps.askRaw[both]));
    long hedged =
        ps.longLeg.amountSteps * mark
            + ps.bidRaw[PositionSide.LONG.ordinal()]
            + Math.abs(ps.shortLeg.amountSteps * mark)
            + ps.askRaw[PositionSide.SHORT.ordinal()];
    return m.raw(worst + hedged) / ps.leverage;
  }

  double unrealized(Account a) {
    double total = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      double mark = m.price(m.markPriceTicks);
      total +=
          ps.both.unrealized(mark, m.stepValue)
              + ps.longLeg.unrealized(mark, m.stepValue)
              + ps.shortLeg.unrealized(mark, m.stepValue);
    }
    return total;
  }

  private double equity(Account a) {
    return a.walletBalance + unrealized(a);
  }

  List<SimBalance> balances(Account a) {
    double upnl = unrealized(a);
    double available = a.walletBalance + upnl - initialMargin(a);
    return List.of(new SimBalance(EngineState.USDT, a.walletBalance, upnl, available, state.clock));
  }

  SimPosition position(Account a, SymbolMarket m, Account.PerSymbol ps, Position p) {
    double mark = m.price(m.markPriceTicks);
    double entry = p.amountSteps == 0 ? 0.0 : p.entryPrice;
    double breakEven = 0.0;
    if (p.amountSteps != 0) {
      // an approximation: the entry moved by a taker fee on the way in and on the way out
      double sign = Long.signum(p.amountSteps);
      double fee = config.takerFeeRate();
      breakEven = entry * (1 + sign * fee) / (1 - sign * fee);
    }
    double notional = Math.abs(m.qty(p.amountSteps) * mark);
    return new SimPosition(
        m.symbol,
        p.positionSide,
        p.amountSteps,
        entry,
        breakEven,
        mark,
        p.unrealized(mark, m.stepValue),
        p.realizedPnlAccum,
        ps.leverage,
        ps.isolated,
        p.updateTime,
        ps.isolated ? p.isolatedMargin : 0,
        Brackets.maintenance(notional),
        liquidationPrice(a, m, ps, p));
  }

  /**
   * Isolated mode: opening moves {@code notional / leverage} into the position's margin, reducing
   * releases the closed share of it, flipping releases all and opens anew.
   */
  static void moveIsolatedMargin(
      SymbolMarket m, Account.PerSymbol ps, Position p, long before, long price) {
    long after = p.amountSteps;
    if (before != 0
        && (after == 0
            || Long.signum(after) != Long.signum(before)
            || Math.abs(after) < Math.abs(before))) {
      long closed = Math.min(Math.abs(before), Math.abs(before - after));
      p.isolatedMargin -= p.isolatedMargin * closed / Math.abs(before);
      if (after == 0) {
        p.isolatedMargin = 0;
      }
    }
    long opened =
        after == 0
            ? 0
            : Long.signum(after) != Long.signum(before)
                ? Math.abs(after)
                : Math.max(0, Math.abs(after) - Math.abs(before));
    p.isolatedMargin += m.raw(opened * price) / ps.leverage;
  }

  /**
   * {@code POST /fapi/v1/positionMargin}: adds to (type 1) or takes from (type 2) an isolated
   * position's margin. Null on success.
   */
  SimError modifyPositionMargin(
      String account, String symbol, PositionSide side, double amount, int type, long nowMillis) {
    state.touch(nowMillis);
    SymbolMarket m = bySymbol.get(symbol);
    if (m == null) {
      return SimErrors.badSymbol();
    }
    Account a = state.account(account);
    Account.PerSymbol ps = a.symbols[m.index];
    PositionSide ps0 = side == null ? PositionSide.BOTH : side;
    if (a.dualSide == (ps0 == PositionSide.BOTH)) {
      return SimErrors.positionSideMismatch();
    }
    Position p = ps.position(ps0);
    if (!ps.isolated) {
      return SimErrors.marginNotIsolated();
    }
    if (p.amountSteps == 0) {
      return SimErrors.noPositionForMargin();
    }
    if (type == 1) {
      if (amount > balances(a).get(0).availableBalance() + EngineState.MONEY_EPSILON) {
        return SimErrors.crossBalanceInsufficient();
      }
      p.isolatedMargin += amount;
    } else {
      double mark = m.price(m.markPriceTicks);
      double required = Math.abs(m.qty(p.amountSteps)) * mark / ps.leverage;
      if (p.isolatedMargin + Math.min(0, p.unrealized(mark, m.stepValue)) - amount
          < required - EngineState.MONEY_EPSILON) {
        return SimErrors.isolatedBalanceInsufficient();
      }
      p.isolatedMargin -= amount;
    }
    p.updateTime = nowMillis;
    listener.onAccountUpdate(
        a.name, "MARGIN_TRANSFER", balances(a), List.of(position(a, m, ps, p)), nowMillis);
    return null;
  }

  private double isolatedTotal(Account a) {
    double total = 0;
    for (Account.PerSymbol ps : a.symbols) {
      if (ps.isolated) {
        total += ps.both.isolatedMargin + ps.longLeg.isolatedMargin + ps.shortLeg.isolatedMargin;
      }
    }
    return total;
  }

  /** Cross wallet plus the unrealized PnL of cross positions: what backs the cross positions. */
  double crossEquity(Account a, Position exclude) {
    double equity = a.walletBalance - isolatedTotal(a);
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      if (ps.isolated) {
        continue;
      }
      double mark = m.price(m.markPriceTicks);
      for (Position p : ps.legs()) {
        if (p != exclude) {
          equity += p.unrealized(mark, m.stepValue);
        }
      }
    }
    return equity;
  }

  double crossMaintenance(Account a, Position exclude) {
    double mm = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      if (ps.isolated) {
        continue;
      }
      double mark = m.price(m.markPriceTicks);
      for (Position p : ps.legs()) {
        if (p != exclude && p.amountSteps != 0) {
          mm += Brackets.maintenance(m.qty(p.amountSteps) * mark);
        }
      }
    }
    return mm;
  }

  /** Cross margin ratio (maintenance / margin balance); 0 without cross positions. */
  double marginRatio(String account) {
    Account a = state.account(account);
    double mm = crossMaintenance(a, null);
    if (mm == 0) {
      return 0;
    }
    double equity = crossEquity(a, null);
    return equity <= 0 ? Double.POSITIVE_INFINITY : mm / equity;
  }

  /** Total maintenance margin of the account, cross and isolated. */
  double maintenanceMargin(String account) {
    Account a = state.account(account);
    double mm = 0;
    for (SymbolMarket m : markets) {
      Account.PerSymbol ps = a.symbols[m.index];
      double mark = m.price(m.markPriceTicks);
      for (Position p : ps.legs()) {
        mm += Brackets.maintenance(m.qty(p.amountSteps) * mark);
      }
    }
    return mm;
  }

  /**
   * The mark price at which this position is liquidated, with the maintenance rate of its current
   * bracket and every other position held at its mark; 0 when no price gets there.
   */
  private double liquidationPrice(Account a, SymbolMarket m, Account.PerSymbol ps, Position p) {
    if (p.amountSteps == 0 || a.internal) {
      return 0;
    }
    double q = m.qty(p.amountSteps);
    double mark = m.price(m.markPriceTicks);
    Brackets.Bracket b = Brackets.of(Math.abs(q * mark));
    double backing;
    double otherMaint = 0;
    if (ps.isolated) {
      backing = p.isolatedMargin;
    } else {
      backing = crossEquity(a, p);
      otherMaint = crossMaintenance(a, p);
    }
    double denominator = q - Math.abs(q) * b.maintMarginRatio();
    double price = (q * p.entryPrice - backing + otherMaint - b.cum()) / denominator;
    return price > 0 ? price : 0;
  }
}
