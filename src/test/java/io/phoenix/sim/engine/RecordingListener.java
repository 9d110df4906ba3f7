package io.phoenix.sim.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records every engine event as text (for determinism) and as records (for assertions). */
final class RecordingListener implements SimListener {
  record OrderUpdate(
      String account, String executionType, SimOrder order, SimFill fill, long time) {}

  record AccountUpdate(
      String account,
      String reason,
      List<SimBalance> balances,
      List<SimPosition> positions,
      long time) {}

  final List<String> log = new ArrayList<>();
  final List<OrderUpdate> orders = new ArrayList<>();
  final List<AccountUpdate> accounts = new ArrayList<>();
  final List<PublicTrade> trades = new ArrayList<>();
  final Map<String, Long> lastUpdateId = new HashMap<>();
  final Map<String, Long> lastTradeId = new HashMap<>();

  @Override
  public void onLevelChanged(
      String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time) {
    Long last = lastUpdateId.put(symbol, updateId);
    if (last != null && updateId <= last) {
      throw new AssertionError(
          "updateId not increasing on " + symbol + ": " + last + " -> " + updateId);
    }
    if (qtySteps < 0) {
      throw new AssertionError("negative level qty");
    }
    log.add(
        "L "
            + symbol
            + " "
            + updateId
            + " "
            + bookSide
            + " "
            + priceTicks
            + " "
            + qtySteps
            + " "
            + time);
  }

  @Override
  public void onPublicTrade(String symbol, PublicTrade trade) {
    Long last = lastTradeId.put(symbol, trade.tradeId());
    if (last != null && trade.tradeId() <= last) {
      throw new AssertionError("tradeId not increasing");
    }
    trades.add(trade);
    log.add("T " + symbol + " " + trade);
  }

  @Override
  public void onMarkPrice(MarkInfo mark) {
    log.add("M " + mark);
  }

  @Override
  public void onOrderUpdate(
      String account, String executionType, SimOrder order, SimFill fill, long time) {
    orders.add(new OrderUpdate(account, executionType, order, fill, time));
    log.add("O " + account + " " + executionType + " " + order + " " + fill + " " + time);
  }

  @Override
  public void onAccountUpdate(
      String account,
      String reason,
      List<SimBalance> balances,
      List<SimPosition> positions,
      long time) {
    accounts.add(new AccountUpdate(account, reason, balances, positions, time));
    log.add("A " + account + " " + reason + " " + balances + " " + positions + " " + time);
  }

  record AlgoUpdate(String account, SimAlgoOrder algo, long time) {}

  record ForceOrder(String symbol, SimOrder order, long time) {}

  final List<AlgoUpdate> algos = new ArrayList<>();
  final List<ForceOrder> forceOrders = new ArrayList<>();

  @Override
  public void onAlgoUpdate(String account, SimAlgoOrder algo, long time) {
    algos.add(new AlgoUpdate(account, algo, time));
    log.add("G " + account + " " + algo + " " + time);
  }

  @Override
  public void onForceOrder(String symbol, SimOrder order, long time) {
    forceOrders.add(new ForceOrder(symbol, order, time));
    log.add("F " + symbol + " " + order + " " + time);
  }

  List<OrderUpdate> ordersOf(String account) {
    return orders.stream().filter(o -> o.account().equals(account)).toList();
  }

  void clear() {
    log.clear();
    orders.clear();
    accounts.clear();
    trades.clear();
    algos.clear();
    forceOrders.clear();
  }
}
