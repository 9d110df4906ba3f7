package io.phoenix.sim.engine;

import java.util.List;
import java.util.Map;

/**
 * What the venue does to positions on its own: funding payments at every funding time, and
 * liquidation of positions whose margin no longer covers their maintenance margin.
 */
final class PositionSettlement {
  private final Matching matching;
  private final Margins margins;
  private final EngineState state;
  private final SimEngineConfig config;
  private final SimListener listener;
  private final SymbolMarket[] markets;
  private final Map<String, Account> accounts;

  PositionSettlement(EngineState state, Matching matching, Margins margins) {
    this.state = state;
    this.config = state.config;
    this.listener = state.listener;
    this.markets = state.markets;
    this.accounts = state.accounts;
    this.matching = matching;
    this.margins = margins;
  }

  /**
   * Pays funding at every boundary up to {@code now}: notional at mark x rate, longs pay if
   * positive.
   */
  void settleFunding(SymbolMarket m, long now) {
    while (m.nextFundingTime <= now) {
      long t = m.nextFundingTime;
      double rate = m.fundingRate;
      double mark = m.price(m.markPriceTicks);
      for (Account a : accounts.values()) {
        if (a.internal) {
          continue;
        }
        Account.PerSymbol ps = a.symbols[m.index];
        boolean paid = false;
        for (Position p : ps.legs()) {
          if (p.amountSteps != 0) {
            double fee = -m.qty(p.amountSteps) * mark * rate;
            a.walletBalance += fee;
            state.income(a, m.symbol, "FUNDING_FEE", fee, t, 0);
            paid = true;
          }
        }
        if (paid) {
          listener.onAccountUpdate(a.name, "FUNDING_FEE", margins.balances(a), List.of(), t);
        }
      }
      m.recordFunding(new FundingRecord(m.symbol, rate, t, m.markPriceTicks));
      m.nextFundingTime = t + Math.max(1, config.fundingIntervalMillis());
    }
  }

  /**
   * Liquidates every position whose margin no longer covers its maintenance margin: isolated ones
   * on their own margin, cross ones on the cross margin balance (margin ratio >= 100 %), the
   * largest first.
   */
  void checkLiquidations(long now) {
    for (Account a : accounts.values()) {
      if (a.internal || !a.hasPositions()) {
        continue;
      }
      for (SymbolMarket m : markets) {
        Account.PerSymbol ps = a.symbols[m.index];
        if (!ps.isolated) {
          continue;
        }
        double mark = m.price(m.markPriceTicks);
        for (Position p : ps.legs()) {
          if (p.amountSteps == 0) {
            continue;
          }
          double equity = p.isolatedMargin + p.unrealized(mark, m.stepValue);
          if (equity <= Brackets.maintenance(m.qty(p.amountSteps) * mark)) {
            liquidate(a, m, ps, p, equity, now);
          }
        }
      }
      for (int guard = 0; guard < 3 * markets.length; guard++) {
        double mm = margins.crossMaintenance(a, null);
        double equity = margins.crossEquity(a, null);
        if (mm <= 0 || equity > mm) {
          break;
        }
        Position largest = null;
        SymbolMarket where = null;
        double largestMm = -1;
        for (SymbolMarket m : markets) {
          Account.PerSymbol ps = a.symbols[m.index];
          if (ps.isolated) {
            continue;
          }
          for (Position p : ps.legs()) {
            double pm =
                p.amountSteps == 0
                    ? -1
                    : Brackets.maintenance(m.qty(p.amountSteps) * m.price(m.markPriceTicks));
            if (pm > largestMm) {
              largestMm = pm;
              largest = p;
              where = m;
            }
          }
        }
        if (largest == null) {
          break;
        }
        liquidate(a, where, a.symbols[where.index], largest, equity, now);
      }
    }
  }

  /**
   * Closes {@code p} the way the insurance fund does: open orders are cancelled (the symbol's for
   * isolated, all for cross), the position is taken over at the mark price, and whatever margin is
   * left above the bankruptcy price goes to the fund (INSURANCE_CLEAR), so the margin that backed
   * the position ends at exactly zero. The order carries the bankruptcy price as its price.
   */
  private void liquidate(
      Account a, SymbolMarket m, Account.PerSymbol ps, Position p, double equity, long now) {
    if (ps.isolated) {
      matching.cancelAll(a, m, now);
    } else {
      for (SymbolMarket each : markets) {
        if (!a.symbols[each.index].isolated) {
          matching.cancelAll(a, each, now);
        }
      }
    }
    long amount = p.amountSteps;
    double q = m.qty(amount);
    double mark = m.price(m.markPriceTicks);
    double bankruptcy = Brackets.bankruptcyPrice(q, mark, equity);
    long bankruptcyTicks = Math.max(1, Math.round(bankruptcy / m.tickValue));
    long qty = Math.abs(amount);
    Side side = amount > 0 ? Side.SELL : Side.BUY;
    double realized = p.apply(-amount, mark, m.stepValue, now);
    double clearance = -equity;
    a.walletBalance += realized + clearance;
    if (ps.isolated) {
      p.isolatedMargin = 0;
    }
    state.income(a, m.symbol, "REALIZED_PNL", realized, now, 0);
    if (clearance != 0) {
      state.income(a, m.symbol, "INSURANCE_CLEAR", clearance, now, 0);
    }
    long orderId = m.nextOrderId++;
    String clientId = "autoclose-" + now;
    double quote = Math.abs(q) * mark;
    SimOrder order =
        new SimOrder(
            m.symbol,
            orderId,
            clientId,
            side,
            p.positionSide,
            OrderType.LIQUIDATION,
            TimeInForce.IOC,
            bankruptcyTicks,
            qty,
            qty,
            quote,
            mark,
            OrderStatus.FILLED,
            false,
            StpMode.NONE,
            now,
            now,
            OrderType.LIQUIDATION.name(),
            0,
            WorkingType.CONTRACT_PRICE,
            false,
            false);
    long markTicks = m.markPriceTicks;
    SimFill fill =
        new SimFill(
            m.symbol,
            0,
            orderId,
            clientId,
            side,
            markTicks,
            qty,
            0,
            EngineState.USDT,
            realized,
            false,
            p.positionSide,
            now);
    ps.forceOrders.addLast(order);
    if (ps.forceOrders.size() > Account.FORCE_ORDERS_KEPT) {
      ps.forceOrders.removeFirst();
    }
    listener.onOrderUpdate(a.name, "CALCULATED", order, fill, now);
    listener.onAccountUpdate(
        a.name, "ORDER", margins.balances(a), List.of(margins.position(a, m, ps, p)), now);
    listener.onForceOrder(m.symbol, order, now);
  }
}
