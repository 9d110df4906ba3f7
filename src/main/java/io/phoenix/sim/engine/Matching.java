package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The order lifecycle on the books: an order's entry into the book, matching in price-time priority
 * with self-trade prevention and reduce-only limits, resting, cancelling and closing; the fill's
 * settlement into position, wallet, income and the account's history; the events that tell the
 * listener. Also the few moves a recording makes on a replayed book. No checks: callers validate.
 */
final class Matching {
  /** Told when one of our orders joins or leaves the book of a recorded symbol. */
  interface RestingWatcher {
    void rested(WorkingOrder o, long now);

    void left(WorkingOrder o, long now);
  }

  private final Margins margins;

  /** The recording's queue model, or null when nothing is replayed. */
  private final RestingWatcher watcher;

  private final EngineState state;
  private final SimEngineConfig config;
  private final SimListener listener;
  private final SymbolMarket[] markets;

  Matching(EngineState state, Margins margins, RestingWatcher watcher) {
    this.state = state;
    this.config = state.config;
    this.listener = state.listener;
    this.markets = state.markets;
    this.margins = margins;
    this.watcher = watcher;
  }

  /** Places an order for the market model: no filters, no margin, no user events. */
  WorkingOrder placeInternal(
      Account a, SymbolMarket m, Side side, OrderType type, long qty, long price, long now) {
    TimeInForce tif = type == OrderType.MARKET ? null : TimeInForce.IOC;
    return placeInternal(a, m, side, type, tif, qty, price, now);
  }

  WorkingOrder placeInternal(
      Account a,
      SymbolMarket m,
      Side side,
      OrderType type,
      TimeInForce tif,
      long qty,
      long price,
      long now) {
    WorkingOrder w =
        new WorkingOrder(
            a.name,
            a.internal,
            m,
            0,
            null,
            side,
            PositionSide.BOTH,
            type,
            tif,
            price,
            qty,
            false,
            StpMode.NONE,
            now);
    return submit(withId(w), now);
  }

  SymbolMarket marketAt(int index) {
    return markets[index];
  }

  void cancelInternal(WorkingOrder o, long now) {
    if (o.isOpen()) {
      finish(o, OrderStatus.CANCELED, "CANCELED", now);
    }
  }

  static WorkingOrder withId(WorkingOrder w) {
    // ids are drawn only once every check has passed, so rejected orders leave no gaps
    w.orderId = w.market.nextOrderId++;
    return w;
  }

  WorkingOrder submit(WorkingOrder o, long now) {
    if (!o.internal) {
      Account.PerSymbol ps = state.accountOf(o).symbols[o.market.index];
      ps.openById.put(o.orderId, o);
      ps.openByClientId.put(o.clientOrderId, o);
    }
    orderEvent(o, "NEW", null, now);
    matchAndRest(o, now);
    return o;
  }

  /**
   * Matches {@code taker} against the opposite side, then rests, expires or closes what is left.
   */
  void matchAndRest(WorkingOrder taker, long now) {
    SymbolMarket m = taker.market;
    BookSide opposite = m.book.opposite(taker.side);
    boolean limit = taker.type == OrderType.LIMIT;
    boolean stp =
        taker.stpMode != StpMode.NONE
            && (taker.timeInForce == null
                || taker.timeInForce == TimeInForce.GTC
                || taker.timeInForce == TimeInForce.IOC);
    boolean expireTaker = false;
    boolean reduceExhausted = false;
    while (taker.remaining() > 0) {
      PriceLevel level = opposite.best();
      if (level == null || (limit && !opposite.crossedBy(taker.priceTicks))) {
        break;
      }
      WorkingOrder maker = (WorkingOrder) level.head;
      if (stp && state.accountOf(maker) == state.accountOf(taker)) {
        StpMode mode = taker.stpMode;
        if (mode == StpMode.EXPIRE_MAKER || mode == StpMode.EXPIRE_BOTH) {
          finish(maker, OrderStatus.EXPIRED_IN_MATCH, "EXPIRED", now);
        }
        if (mode == StpMode.EXPIRE_TAKER || mode == StpMode.EXPIRE_BOTH) {
          expireTaker = true;
          break;
        }
        continue;
      }
      long qty = Math.min(taker.remaining(), maker.remaining());
      if (taker.reducing()) {
        long r = reducible(taker);
        if (r <= 0) {
          reduceExhausted = true;
          break;
        }
        qty = Math.min(qty, r);
      }
      if (maker.reducing()) {
        long r = reducible(maker);
        if (r <= 0) {
          finish(maker, OrderStatus.EXPIRED, "EXPIRED", now);
          continue;
        }
        qty = Math.min(qty, r);
      }
      trade(m, taker, maker, qty, now);
    }
    if (taker.remaining() == 0) {
      closeOrder(taker);
    } else if (expireTaker) {
      finish(taker, OrderStatus.EXPIRED_IN_MATCH, "EXPIRED", now);
    } else if (reduceExhausted
        || taker.timeInForce == null
        || taker.timeInForce == TimeInForce.IOC
        || taker.timeInForce == TimeInForce.FOK) {
      finish(taker, OrderStatus.EXPIRED, "EXPIRED", now);
    } else {
      rest(taker, now);
    }
  }

  private void trade(SymbolMarket m, WorkingOrder taker, WorkingOrder maker, long qty, long now) {
    long price = maker.priceTicks;
    long tradeId = m.nextTradeId++;
    double quote = m.price(price) * m.qty(qty);
    taker.executedQtySteps += qty;
    taker.cumQuote += quote;
    taker.updateTime = now;
    taker.status = taker.remaining() == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    fillResting(maker, qty, quote, now);
    PublicTrade pt = new PublicTrade(tradeId, tradeId, price, qty, maker.side == Side.BUY, now);
    m.recordTrade(pt);
    listener.onPublicTrade(m.symbol, pt);
    closeIfFilled(maker, now);
    settleFill(m, maker, tradeId, price, qty, quote, true, now);
    settleFill(m, taker, tradeId, price, qty, quote, false, now);
  }

  /**
   * Lets the next level change take id {@code atLeast + 1}: a replayed book carries the recorded
   * ids.
   */
  void raiseUpdateId(SymbolMarket m, long atLeast) {
    m.updateId = Math.max(m.updateId, atLeast);
  }

  /**
   * Sets the recorded (everyone else's) quantity at one price of a replayed book, without matching:
   * a level the recording moves through one of our orders is the model's to fill, right after.
   */
  void setRecordedLevel(
      SymbolMarket m,
      Side side,
      long price,
      long qty,
      Map<Long, WorkingOrder> liquidity,
      long now) {
    WorkingOrder o = liquidity.get(price);
    if (o != null && (o.level == null || !o.isOpen())) {
      // our taking consumed it: the recording now says what is there again
      liquidity.remove(price);
      o = null;
    }
    long levelQty;
    if (qty <= 0) {
      if (o == null) {
        PriceLevel level = m.book.side(side).find(price);
        levelQty = level == null ? 0 : level.totalQtySteps;
      } else {
        liquidity.remove(price);
        levelQty = m.book.remove(o);
        o.status = OrderStatus.CANCELED;
      }
    } else if (o == null) {
      o =
          new WorkingOrder(
              state.liquidity.name,
              true,
              m,
              0,
              null,
              side,
              PositionSide.BOTH,
              OrderType.LIMIT,
              TimeInForce.GTC,
              price,
              qty,
              false,
              StpMode.NONE,
              now);
      liquidity.put(price, o);
      levelQty = m.book.add(o);
    } else {
      long delta = qty - o.remaining();
      o.origQtySteps += delta;
      o.level.totalQtySteps += delta;
      levelQty = o.level.totalQtySteps;
    }
    levelChanged(m, side, price, levelQty, now);
  }

  /** A recorded public trade of a replayed symbol. */
  void recordedTrade(SymbolMarket m, long price, long qty, boolean buyerMaker, long now) {
    state.touchClock(now);
    long tradeId = m.nextTradeId++;
    PublicTrade pt = new PublicTrade(tradeId, tradeId, price, qty, buyerMaker, now);
    m.recordTrade(pt);
    listener.onPublicTrade(m.symbol, pt);
  }

  /**
   * Fills our resting order {@code o} as maker because recorded trading reached it (the queue model
   * said so). The counterparty is the recording's taker, whose trade is already public.
   */
  void fillFromRecording(WorkingOrder o, long qty, long price, long now) {
    SymbolMarket m = o.market;
    long tradeId = m.nextTradeId++;
    double quote = m.price(price) * m.qty(qty);
    fillResting(o, qty, quote, now);
    closeIfFilled(o, now);
    settleFill(m, o, tradeId, price, qty, quote, true, now);
  }

  /**
   * Books a fill of {@code qty} (worth {@code quote}) on the resting order {@code o}: its
   * quantities, its margin sums and its book level, whose change is published.
   */
  private void fillResting(WorkingOrder o, long qty, double quote, long now) {
    SymbolMarket m = o.market;
    o.executedQtySteps += qty;
    o.cumQuote += quote;
    o.updateTime = now;
    o.status = o.remaining() == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    if (o.countedInMargin) {
      state.accountOf(o).symbols[m.index].subtractOpenNotional(o, qty * o.priceTicks, false);
    }
    long levelQty = m.book.filled(o, qty);
    levelChanged(m, o.side, o.priceTicks, levelQty, now);
  }

  /** A resting order that filled completely is closed, and leaves the recording's queue. */
  private void closeIfFilled(WorkingOrder o, long now) {
    SymbolMarket m = o.market;
    if (o.remaining() == 0) {
      closeOrder(o);
      if (m.recorded && !o.internal) {
        watcher.left(o, now);
      }
    }
  }

  private void settleFill(
      SymbolMarket m,
      WorkingOrder o,
      long tradeId,
      long price,
      long qty,
      double quote,
      boolean maker,
      long now) {
    Account a = state.accountOf(o);
    if (a.internal) {
      return;
    }
    Account.PerSymbol ps = a.symbols[m.index];
    double commission = quote * (maker ? config.makerFeeRate() : config.takerFeeRate());
    Position p = ps.position(o.positionSide);
    long delta = o.side == Side.BUY ? qty : -qty;
    long before = p.amountSteps;
    double realized = p.apply(delta, m.price(price), m.stepValue, now);
    if (ps.isolated) {
      Margins.moveIsolatedMargin(m, ps, p, before, price);
    }
    a.walletBalance += realized - commission;
    if (realized != 0) {
      state.income(a, m.symbol, "REALIZED_PNL", realized, now, tradeId);
    }
    if (commission != 0) {
      state.income(a, m.symbol, "COMMISSION", -commission, now, tradeId);
    }
    SimFill fill =
        new SimFill(
            m.symbol,
            tradeId,
            o.orderId,
            o.clientOrderId,
            o.side,
            price,
            qty,
            commission,
            EngineState.USDT,
            realized,
            maker,
            o.positionSide,
            now);
    ps.addFill(fill);
    listener.onOrderUpdate(a.name, "TRADE", o.snapshot(), fill, now);
    listener.onAccountUpdate(
        a.name, "ORDER", margins.balances(a), List.of(margins.position(a, m, ps, p)), now);
  }

  private void rest(WorkingOrder o, long now) {
    SymbolMarket m = o.market;
    long levelQty = m.book.add(o);
    if (!o.internal) {
      state.accountOf(o).symbols[m.index].addOpenNotional(o);
    }
    levelChanged(m, o.side, o.priceTicks, levelQty, now);
    if (m.recorded && !o.internal) {
      watcher.rested(o, now);
    }
  }

  /** Takes a resting order out of the book and out of the margin sums, keeping it open. */
  void unrest(WorkingOrder o, long now) {
    SymbolMarket m = o.market;
    if (o.countedInMargin) {
      state
          .accountOf(o)
          .symbols[m.index]
          .subtractOpenNotional(o, o.remaining() * o.priceTicks, true);
    }
    if (o.level != null) {
      long price = o.priceTicks;
      long levelQty = m.book.remove(o);
      levelChanged(m, o.side, price, levelQty, now);
      if (m.recorded && !o.internal) {
        watcher.left(o, now);
      }
    }
  }

  /** Ends an open order (cancel, expiry) and tells its owner. */
  void finish(WorkingOrder o, OrderStatus status, String executionType, long now) {
    unrest(o, now);
    o.status = status;
    o.updateTime = now;
    closeOrder(o);
    orderEvent(o, executionType, null, now);
  }

  private void closeOrder(WorkingOrder o) {
    if (o.internal) {
      return;
    }
    if (o.algo instanceof WorkingAlgo w && w.status == AlgoStatus.TRIGGERED) {
      finishAlgo(w, o.updateTime);
    }
    Account.PerSymbol ps = state.accountOf(o).symbols[o.market.index];
    if (o.countedInMargin) {
      ps.subtractOpenNotional(o, o.remaining() * o.priceTicks, true);
    }
    ps.openById.remove(o.orderId);
    ps.openByClientId.remove(o.clientOrderId);
    ps.closedById.put(o.orderId, o);
    ps.closedByClientId.put(o.clientOrderId, o);
  }

  List<SimOrder> cancelAll(Account a, SymbolMarket m, long now) {
    List<WorkingOrder> open = new ArrayList<>(a.symbols[m.index].openById.values());
    List<SimOrder> out = new ArrayList<>(open.size());
    for (WorkingOrder o : open) {
      finish(o, OrderStatus.CANCELED, "CANCELED", now);
      out.add(o.snapshot());
    }
    return out;
  }

  WorkingOrder findOpen(Account a, SymbolMarket m, long orderId, String clientId) {
    Account.PerSymbol ps = a.symbols[m.index];
    if (orderId != 0) {
      return ps.openById.get(orderId);
    }
    return clientId == null ? null : ps.openByClientId.get(clientId);
  }

  /** Quantity an FOK order could take right now, counting only levels its price reaches. */
  static long fillableQty(BookSide opposite, WorkingOrder o) {
    long sum = 0;
    for (int d = 0; d < opposite.size() && sum < o.origQtySteps; d++) {
      PriceLevel level = opposite.level(d);
      if (!opposite.crossedBy(o.priceTicks)
          || !opposite.atOrBetter(o.priceTicks, level.priceTicks)) {
        break;
      }
      sum += level.totalQtySteps;
    }
    return sum;
  }

  /** How much of a reducing order may still fill without growing (or flipping) the position. */
  long reducible(WorkingOrder o) {
    if (o.internal) {
      return Long.MAX_VALUE;
    }
    Account.PerSymbol ps = state.accountOf(o).symbols[o.market.index];
    long amount = ps.position(o.positionSide).amountSteps;
    return o.side == Side.BUY ? Math.max(0, -amount) : Math.max(0, amount);
  }

  private void levelChanged(SymbolMarket m, Side side, long price, long qty, long now) {
    listener.onLevelChanged(m.symbol, ++m.updateId, side, price, qty, now);
  }

  void orderEvent(WorkingOrder o, String executionType, SimFill fill, long now) {
    if (!o.internal) {
      listener.onOrderUpdate(o.accountName, executionType, o.snapshot(), fill, now);
    }
  }

  void finishAlgo(WorkingAlgo w, long now) {
    w.status = AlgoStatus.FINISHED;
    w.updateTime = now;
    algoEvent(w, now);
  }

  void algoEvent(WorkingAlgo w, long now) {
    listener.onAlgoUpdate(w.accountName, w.snapshot(), now);
  }
}
