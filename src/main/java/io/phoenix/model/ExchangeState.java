package io.phoenix.model;

import io.phoenix.model.AccountEvent.PositionSide;

/**
 * What the exchange's REST endpoints say about the account, already normalized to ticks and steps:
 * the input of reconciliation. Namespace only.
 */
public final class ExchangeState {
  private ExchangeState() {}

  /**
   * An order object (openOrders, query order).
   *
   * @param executedQtySteps {@code executedQty}
   * @param updateTime {@code updateTime}, exchange clock
   */
  public record Order(
      int symbolId,
      String clientOrderId,
      long orderId,
      Side side,
      OrderState status,
      long priceTicks,
      long origQtySteps,
      long executedQtySteps,
      double averagePrice,
      String orderType,
      String timeInForce,
      boolean reduceOnly,
      PositionSide positionSide,
      long updateTime) {}

  /** One positionRisk entry; {@code amountSteps} is signed. */
  public record Position(
      int symbolId,
      PositionSide positionSide,
      long amountSteps,
      double entryPrice,
      double unrealizedPnl,
      long updateTime) {}

  /** One balance entry. */
  public record Balance(
      String asset, double wallet, double crossWallet, double available, long updateTime) {}

  /** One userTrades entry: a fill of ours, with our side. */
  public record Trade(
      int symbolId,
      long tradeId,
      long orderId,
      Side side,
      long priceTicks,
      long qtySteps,
      double commission,
      String commissionAsset,
      double realizedPnl,
      boolean maker,
      PositionSide positionSide,
      long time) {}
}
