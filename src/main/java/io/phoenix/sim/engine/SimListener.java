package io.phoenix.sim.engine;

import java.util.List;

/**
 * Everything the server pushes on streams; called synchronously on the engine thread, must not
 * block.
 */
public interface SimListener {
  /**
   * One price level changed (absolute qty, 0 = removed). updateId strictly increases per symbol.
   */
  void onLevelChanged(
      String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time);

  void onPublicTrade(String symbol, PublicTrade trade);

  void onMarkPrice(MarkInfo mark);

  /**
   * ORDER_TRADE_UPDATE: executionType NEW, CANCELED, TRADE, EXPIRED, AMENDMENT, or CALCULATED for a
   * liquidation; fill null unless TRADE or CALCULATED.
   */
  void onOrderUpdate(String account, String executionType, SimOrder order, SimFill fill, long time);

  /** ACCOUNT_UPDATE: reason ORDER or FUNDING_FEE; positions empty for FUNDING_FEE in cross mode. */
  void onAccountUpdate(
      String account,
      String reason,
      List<SimBalance> balances,
      List<SimPosition> positions,
      long time);

  /** ALGO_UPDATE: a conditional order was placed or changed state. */
  default void onAlgoUpdate(String account, SimAlgoOrder algo, long time) {}

  /** A position was liquidated by {@code order} (the public {@code forceOrder} stream). */
  default void onForceOrder(String symbol, SimOrder order, long time) {}
}
