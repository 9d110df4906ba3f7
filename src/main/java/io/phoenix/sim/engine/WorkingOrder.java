package io.phoenix.sim.engine;

/**
 * The engine's mutable view of one order while it lives (and, once closed, as kept for queries).
 * Resting orders are linked into their price level's FIFO queue ({@link PriceLevel.Entry}).
 */
final class WorkingOrder extends PriceLevel.Entry {
  /** The conditional order that placed an order when it fired, as the order reports it. */
  interface Origin {
    /** The conditional order's request, every default applied. */
    NewAlgoOrder request();
  }

  /** The owning account's name; the engine holds the account (it holds its orders). */
  final String accountName;

  /** True for the market model's accounts: no margin, accounting or user events. */
  final boolean internal;

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
  Origin algo;

  WorkingOrder(
      String accountName,
      boolean internal,
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
    this.accountName = accountName;
    this.internal = internal;
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

  @Override
  Side side() {
    return side;
  }

  @Override
  long priceTicks() {
    return priceTicks;
  }

  @Override
  long id() {
    return orderId;
  }

  @Override
  long remaining() {
    return origQtySteps - executedQtySteps;
  }

  @Override
  boolean isOpen() {
    return status == OrderStatus.NEW || status == OrderStatus.PARTIALLY_FILLED;
  }

  /**
   * True when a fill may only shrink the position: reduce-only, or a closing order in hedge mode.
   */
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
        algo == null ? type.name() : algo.request().type().name(),
        algo == null ? 0 : algo.request().triggerPriceTicks(),
        algo == null ? WorkingType.CONTRACT_PRICE : algo.request().workingType(),
        algo != null && algo.request().closePosition(),
        algo != null && algo.request().priceProtect());
  }
}
