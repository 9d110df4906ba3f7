package io.phoenix.model;

/**
 * Normalized account events: what the user data stream and reconciliation tell the rest of the
 * system. Prices and quantities are long counts of the instrument's tick and step; money amounts
 * (commission, PnL, balances) are doubles because they are reported and summed, never used to build
 * an order. Produced by {@link io.phoenix.binance.ws.UserDataParser} and by reconciliation (with
 * {@link ExecutionType#RESTATED}), routed by {@link io.phoenix.account.UserDataFeed}.
 */
public sealed interface AccountEvent {

  /** Binance execution types plus {@link #RESTATED}, a correction issued by reconciliation. */
  enum ExecutionType {
    NEW,
    CANCELED,
    CALCULATED,
    EXPIRED,
    TRADE,
    AMENDMENT,
    /** Not from the exchange: reconciliation found the local view wrong and restates the order. */
    RESTATED
  }

  enum PositionSide {
    BOTH,
    LONG,
    SHORT
  }

  /**
   * One {@code ORDER_TRADE_UPDATE} (or a restatement). For a {@code TRADE} the last-fill fields
   * describe this fill; otherwise they are 0 and {@code tradeId} is 0.
   *
   * @param symbolId interned id of the instrument
   * @param clientOrderId {@code c}
   * @param orderId {@code i}
   * @param side {@code S}
   * @param executionType {@code x}
   * @param status {@code X}, one of the exchange's statuses ({@link OrderState#REJECTED} also marks
   *     a restated order the exchange does not know)
   * @param priceTicks {@code p}, original limit price (0 for market orders)
   * @param origQtySteps {@code q}
   * @param cumQtySteps {@code z}, cumulative filled quantity (absolute, so repeats are harmless)
   * @param lastFillQtySteps {@code l}
   * @param lastFillPriceTicks {@code L}
   * @param tradeId {@code t}, 0 when not a trade
   * @param commission {@code n}, in {@code commissionAsset}; 0 when absent
   * @param realizedPnl {@code rp}
   * @param maker {@code m}
   * @param eventTime {@code E}
   * @param transactionTime {@code T}
   * @param orderType {@code o} (LIMIT, MARKET, LIQUIDATION, ...)
   * @param timeInForce {@code f}
   * @param averagePrice {@code ap}, a double because an average is not on the tick grid
   * @param commissionAsset {@code N}; empty when absent
   * @param reduceOnly {@code R}
   * @param positionSide {@code ps}
   * @param expiryReason {@code er}, 0 when none
   */
  record OrderUpdate(
      int symbolId,
      String clientOrderId,
      long orderId,
      Side side,
      ExecutionType executionType,
      OrderState status,
      long priceTicks,
      long origQtySteps,
      long cumQtySteps,
      long lastFillQtySteps,
      long lastFillPriceTicks,
      long tradeId,
      double commission,
      double realizedPnl,
      boolean maker,
      long eventTime,
      long transactionTime,
      String orderType,
      String timeInForce,
      double averagePrice,
      String commissionAsset,
      boolean reduceOnly,
      PositionSide positionSide,
      int expiryReason)
      implements AccountEvent {

    /** True if this event reports a fill. */
    public boolean isFill() {
      return executionType == ExecutionType.TRADE && lastFillQtySteps > 0;
    }

    /** What this update says about the order, for the order gateway's table. */
    public OrderReport report() {
      boolean unknown = executionType == ExecutionType.RESTATED && status == OrderState.REJECTED;
      return new OrderReport(
          symbolId,
          clientOrderId,
          orderId,
          side,
          status,
          priceTicks,
          origQtySteps,
          cumQtySteps,
          unknown);
    }

    /** Signed quantity this fill adds to a one-way position. */
    public long signedFillSteps() {
      return isFill() ? side.sign() * lastFillQtySteps : 0;
    }
  }

  /**
   * A position as the exchange reports it ({@code ACCOUNT_UPDATE.a.P[]} or REST positionRisk).
   *
   * @param amountSteps signed position (negative = short) in quantity steps
   * @param entryPrice average entry price
   * @param unrealizedPnl in the margin asset
   * @param reason {@code a.m} of the update, or {@code RECONCILE} when it comes from REST
   */
  record PositionUpdate(
      int symbolId,
      long amountSteps,
      double entryPrice,
      double unrealizedPnl,
      PositionSide positionSide,
      String reason,
      long eventTime)
      implements AccountEvent {}

  /**
   * A balance ({@code ACCOUNT_UPDATE.a.B[]} or REST balance).
   *
   * @param wallet {@code wb}
   * @param crossWallet {@code cw}
   * @param balanceChange {@code bc}: change other than PnL and commission (0 from REST)
   * @param reason {@code a.m}, or {@code RECONCILE}
   */
  record BalanceUpdate(
      String asset,
      double wallet,
      double crossWallet,
      double balanceChange,
      String reason,
      long eventTime)
      implements AccountEvent {}

  /**
   * A funding payment, derived from an {@code ACCOUNT_UPDATE} with reason {@code FUNDING_FEE}.
   *
   * @param amount signed: negative when the account paid
   * @param time the update's transaction time
   */
  record FundingPaid(String asset, double amount, long time) implements AccountEvent {}

  /** The user stream is connected and reconciled: order state from here on is trustworthy. */
  record UserStreamUp(long time) implements AccountEvent {}

  /** The user stream is not delivering: order and fill state may be stale until the next Up. */
  record UserStreamDown(String reason, long time) implements AccountEvent {}
}
