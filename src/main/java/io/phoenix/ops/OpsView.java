package io.phoenix.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the ops server can see and do, implemented by the lead from the real actors (asks with a
 * timeout). Values are display values (decimal doubles converted from ticks/steps off the hot
 * path); {@code Double.NaN} means "unknown". Every stage may fail: the server answers 503.
 */
public interface OpsView {
  CompletionStage<Status> status();

  CompletionStage<List<PositionView>> positions();

  CompletionStage<List<OrderView>> orders();

  CompletionStage<RiskView> risk();

  /** Trips the kill switch: cancel everything, stop quoting. Called only with a valid token. */
  CompletionStage<KillSwitchState> kill(String reason);

  /** Resets a tripped kill switch so quoting may resume. Called only with a valid token. */
  CompletionStage<KillSwitchState> resume();

  /** The cluster as this node sees it: its members, the leader, and where each unit runs. */
  CompletionStage<ClusterView> cluster();

  /**
   * @param self this node's address
   * @param leader the cluster leader's address, "" while there is none
   * @param members every member this node knows, with its status (Up, Leaving, ...) and whether
   *     this node's failure detector reaches it
   * @param units each trading unit's node address; an empty list while it runs nowhere (moving)
   */
  record ClusterView(
      String self, String leader, List<MemberView> members, Map<String, List<String>> units) {}

  record MemberView(String address, String status, boolean reachable) {}

  /** Whole-node status: kill switch, per symbol market and quotes, feeds. */
  record Status(
      String node,
      long timeMillis,
      long uptimeMillis,
      KillSwitchState killSwitch,
      List<SymbolView> symbols,
      List<FeedHealth> feeds) {}

  /**
   * One symbol: top of book, our working quotes, position and PnL; fees paid, net PnL after them,
   * the mean markouts of our fills at 1 s and 10 s (bps, + = the market moved our way; NaN before a
   * fill has matured), and the extra half-spread the adaptive term puts on each side now.
   */
  record SymbolView(
      String symbol,
      boolean quoting,
      boolean bookValid,
      double bestBid,
      double bestBidQty,
      double bestAsk,
      double bestAskQty,
      double ourBid,
      double ourBidQty,
      double ourAsk,
      double ourAskQty,
      double position,
      double realizedPnl,
      double unrealizedPnl,
      double fees,
      double netPnl,
      double makerFeeRate,
      double feeFloorBps,
      double markout1sBps,
      double markout10sBps,
      long markoutFills,
      double adaptiveBidBps,
      double adaptiveAskBps) {}

  /** One market-data or user-data connection. */
  record FeedHealth(
      String name, boolean connected, long events, long gaps, long reconnects, double lagSeconds) {}

  record PositionView(
      String symbol,
      double quantity,
      double entryPrice,
      double markPrice,
      double notional,
      double unrealizedPnl,
      double realizedPnl,
      double funding) {}

  record OrderView(
      String symbol,
      String clientOrderId,
      long orderId,
      String side,
      double price,
      double quantity,
      double filledQuantity,
      String state,
      long updateTimeMillis) {}

  record RiskView(
      KillSwitchState killSwitch,
      double dailyPnl,
      double dailyLossLimit,
      double grossNotional,
      double maxGrossNotional,
      double orderBudgetUsed,
      int openOrders,
      int consecutiveRejects,
      Map<String, Long> rejectsByCode) {}

  record KillSwitchState(boolean active, String reason, long sinceMillis) {
    public static KillSwitchState off() {
      return new KillSwitchState(false, "", 0);
    }
  }
}
