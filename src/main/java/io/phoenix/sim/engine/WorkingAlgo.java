package io.phoenix.sim.engine;

/** The engine's mutable view of one conditional order, from placement until it finishes. */
final class WorkingAlgo {
  final Account account;
  final SymbolMarket market;
  final long algoId;
  final String clientAlgoId;
  final Side side;
  final PositionSide positionSide;
  final AlgoType type;
  final TimeInForce timeInForce;
  final long qtySteps;
  final long priceTicks;
  final long triggerPriceTicks;
  final WorkingType workingType;
  final boolean closePosition;
  final boolean priceProtect;
  final boolean reduceOnly;
  final long activatePriceTicks;
  final double callbackRatePercent;
  final StpMode stpMode;
  final long createTime;
  final AlgoTrigger trigger;
  AlgoStatus status = AlgoStatus.NEW;
  long updateTime;
  long triggerTime;
  String reason = "";
  /** The regular order placed on trigger; null before. */
  WorkingOrder actual;

  WorkingAlgo(Account account, SymbolMarket market, long algoId, NewAlgoOrder o, String clientAlgoId, long now) {
    this.account = account;
    this.market = market;
    this.algoId = algoId;
    this.clientAlgoId = clientAlgoId;
    this.side = o.side();
    this.positionSide = o.positionSide() == null ? PositionSide.BOTH : o.positionSide();
    this.type = o.type();
    this.timeInForce = o.timeInForce() == null ? TimeInForce.GTC : o.timeInForce();
    this.qtySteps = o.qtySteps();
    this.priceTicks = o.priceTicks();
    this.triggerPriceTicks = o.triggerPriceTicks();
    this.workingType = o.workingType() == null ? WorkingType.CONTRACT_PRICE : o.workingType();
    this.closePosition = o.closePosition();
    this.priceProtect = o.priceProtect();
    this.reduceOnly = o.reduceOnly();
    this.activatePriceTicks = o.activatePriceTicks();
    this.callbackRatePercent = o.callbackRatePercent();
    this.stpMode = o.stpMode() == null ? StpMode.NONE : o.stpMode();
    this.createTime = now;
    this.updateTime = now;
    this.trigger = new AlgoTrigger(type, side, triggerPriceTicks, activatePriceTicks, callbackRatePercent);
  }

  SimAlgoOrder snapshot() {
    long executed = actual == null ? 0 : actual.executedQtySteps;
    double avg = executed == 0 ? 0.0 : actual.cumQuote / market.qty(executed);
    return new SimAlgoOrder(algoId, clientAlgoId, market.symbol, side, positionSide, type, timeInForce, qtySteps,
        status, triggerPriceTicks, priceTicks, workingType, closePosition, priceProtect, reduceOnly,
        activatePriceTicks, callbackRatePercent, stpMode, createTime, updateTime, triggerTime,
        actual == null ? 0 : actual.orderId, actual == null ? null : actual.type, executed, avg, reason);
  }
}
