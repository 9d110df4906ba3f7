package io.phoenix.sim.engine;

import java.util.List;

/** Everything the server pushes on streams; called synchronously on the engine thread, must not block. */
public interface SimListener {
  /** One price level changed (absolute qty, 0 = removed). updateId strictly increases per symbol. */
  void onLevelChanged(
      String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time);

  void onPublicTrade(String symbol, PublicTrade trade);

  void onMarkPrice(MarkInfo mark);

  /** ORDER_TRADE_UPDATE: executionType NEW, CANCELED, TRADE, EXPIRED, AMENDMENT; fill null unless TRADE. */
  void onOrderUpdate(String account, String executionType, SimOrder order, SimFill fill, long time);

  /** ACCOUNT_UPDATE: reason ORDER or FUNDING_FEE; positions empty for FUNDING_FEE in cross mode. */
  void onAccountUpdate(
      String account, String reason, List<SimBalance> balances, List<SimPosition> positions, long time);
}
