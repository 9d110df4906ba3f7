package io.phoenix.sim.engine;

/**
 * The engine's mutable view of one order while it lives (and, once closed, as kept for queries).
 * Resting orders are linked into their price level's FIFO queue so that a cancel or a fill unlinks in
 * constant time without searching the book.
 */
final class WorkingOrder {
  final Account account;
  final SymbolMarket market;
  long orderId;
  String clientOrderId;
  final Side side;
  final PositionSide positionSide;
  final OrderType type;
  final TimeInForce timeInForce;
  long priceTicks;
  long origQtySteps;
  long executedQtySteps;
  double cumQuote;
  OrderStatus status = OrderStatus.NEW;
  final boolean reduceOnly;
  StpMode stpMode;
  final long time;
  long updateTime;

  /** True while this order's remaining notional is part of its account's margin sums. */
  boolean countedInMargin;

  /** Accepted modifications so far. */
  int amendments;

  /** The conditional order that placed this one when it fired, or null. */
  WorkingAlgo algo;

  PriceLevel level;
  WorkingOrder prev;
  WorkingOrder next;

  WorkingOrder(
      Account account,
      SymbolMarket market,
      long orderId,
      String clientOrderId,
      Side side,
      PositionSide positionSide,
      OrderType type,
      TimeInForce timeInForce,
      long priceTicks,
      long origQtySteps,
      boolean reduceOnly,
      StpMode stpMode,
      long time) {
    this.account = account;
    this.market = market;
    this.orderId = orderId;
    this.clientOrderId = clientOrderId;
    this.side = side;
    this.positionSide = positionSide;
    this.type = type;
    this.timeInForce = timeInForce;
    this.priceTicks = priceTicks;
    this.origQtySteps = origQtySteps;
    this.reduceOnly = reduceOnly;
    this.stpMode = stpMode;
    this.time = time;
    this.updateTime = time;
  }

  long remaining() {
    return origQtySteps - executedQtySteps;
  }

  boolean isOpen() {
    return status == OrderStatus.NEW || status == OrderStatus.PARTIALLY_FILLED;
  }

  /** True when a fill may only shrink the position: reduce-only, or a closing order in hedge mode. */
  boolean reducing() {
    return reduceOnly
        || (positionSide == PositionSide.LONG && side == Side.SELL)
        || (positionSide == PositionSide.SHORT && side == Side.BUY);
  }

  SimOrder snapshot() {
    double avg =
        executedQtySteps == 0
            ? 0.0
            : cumQuote / market.instrument.quantity().toDouble(executedQtySteps);
    return new SimOrder(
        market.symbol,
        orderId,
        clientOrderId,
        side,
        positionSide,
        type,
        timeInForce,
        priceTicks,
        origQtySteps,
        executedQtySteps,
        cumQuote,
        avg,
        status,
        reduceOnly,
        stpMode,
        time,
        updateTime,
        algo == null ? type.name() : algo.order.type().name(),
        algo == null ? 0 : algo.order.triggerPriceTicks(),
        algo == null ? WorkingType.CONTRACT_PRICE : algo.order.workingType(),
        algo != null && algo.order.closePosition(),
        algo != null && algo.order.priceProtect());
  }
}
