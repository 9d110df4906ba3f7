package io.phoenix.sim.engine;

/** The engine's mutable view of one conditional order, from placement until it finishes. */
final class WorkingAlgo implements WorkingOrder.Origin {
  /** The owning account's name; the engine holds the account (it holds its conditional orders). */
  final String accountName;

  final SymbolMarket market;
  final long algoId;

  /**
   * The request with every default applied (position side, time in force, working type, STP, client
   * id).
   */
  final NewAlgoOrder order;

  final long createTime;
  final AlgoTrigger trigger;
  AlgoStatus status = AlgoStatus.NEW;
  long updateTime;
  long triggerTime;
  String reason = "";

  /** The regular order placed on trigger; null before. */
  WorkingOrder actual;

  WorkingAlgo(
      String accountName,
      SymbolMarket market,
      long algoId,
      NewAlgoOrder o,
      String clientAlgoId,
      long now) {
    this.accountName = accountName;
    this.market = market;
    this.algoId = algoId;
    this.order =
        new NewAlgoOrder(
            o.symbol(),
            o.side(),
            o.positionSide() == null ? PositionSide.BOTH : o.positionSide(),
            o.type(),
            o.timeInForce() == null ? TimeInForce.GTC : o.timeInForce(),
            o.qtySteps(),
            o.priceTicks(),
            o.triggerPriceTicks(),
            o.workingType() == null ? WorkingType.CONTRACT_PRICE : o.workingType(),
            o.closePosition(),
            o.priceProtect(),
            o.reduceOnly(),
            o.activatePriceTicks(),
            o.callbackRatePercent(),
            clientAlgoId,
            o.stpMode() == null ? StpMode.NONE : o.stpMode());
    this.createTime = now;
    this.updateTime = now;
    this.trigger =
        new AlgoTrigger(
            o.type(),
            o.side(),
            o.triggerPriceTicks(),
            o.activatePriceTicks(),
            o.callbackRatePercent());
  }

  @Override
  public NewAlgoOrder request() {
    return order;
  }

  SimAlgoOrder snapshot() {
    long executed = actual == null ? 0 : actual.executedQtySteps;
    double avg = executed == 0 ? 0.0 : actual.cumQuote / market.qty(executed);
    return new SimAlgoOrder(
        algoId,
        order,
        status,
        createTime,
        updateTime,
        triggerTime,
        actual == null ? 0 : actual.orderId,
        actual == null ? null : actual.type,
        executed,
        avg,
        reason);
  }
}
