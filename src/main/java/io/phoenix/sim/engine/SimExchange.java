package io.phoenix.sim.engine;

import io.phoenix.core.Instrument;
import java.util.List;
import java.util.Optional;

/** The simulated exchange; single-threaded, deterministic for a seed and call sequence. */
public final class SimExchange {

  public SimExchange(SimEngineConfig config, SimListener listener, long startMillis) {
    throw new UnsupportedOperationException();
  }

  public List<SimSymbolSpec> symbols() {
    throw new UnsupportedOperationException();
  }

  public Optional<Instrument> instrument(String symbol) {
    throw new UnsupportedOperationException();
  }

  public void openAccount(String account) {
    throw new UnsupportedOperationException();
  }

  public void advanceTo(long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public DepthSnapshot depth(String symbol, int limit) {
    throw new UnsupportedOperationException();
  }

  public BookTop bookTop(String symbol) {
    throw new UnsupportedOperationException();
  }

  public MarkInfo mark(String symbol) {
    throw new UnsupportedOperationException();
  }

  public List<PublicTrade> recentTrades(String symbol, int limit) {
    throw new UnsupportedOperationException();
  }

  public List<FundingRecord> fundingHistory(String symbol, int limit) {
    throw new UnsupportedOperationException();
  }

  public Ticker24h ticker24h(String symbol) {
    throw new UnsupportedOperationException();
  }

  public OrderResult place(String account, NewOrder order, long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public OrderResult cancel(
      String account, String symbol, long orderId, String origClientOrderId, long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public OrderResult modify(String account, ModifyOrder modify, long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public OrderResult query(String account, String symbol, long orderId, String origClientOrderId) {
    throw new UnsupportedOperationException();
  }

  public OrderResult queryOpen(
      String account, String symbol, long orderId, String origClientOrderId) {
    throw new UnsupportedOperationException();
  }

  public List<SimOrder> openOrders(String account, String symbolOrNull) {
    throw new UnsupportedOperationException();
  }

  public List<SimOrder> cancelAll(String account, String symbol, long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public void countdownCancelAll(
      String account, String symbol, long countdownMillis, long nowMillis) {
    throw new UnsupportedOperationException();
  }

  public List<SimPosition> positions(String account, String symbolOrNull) {
    throw new UnsupportedOperationException();
  }

  public List<SimBalance> balances(String account) {
    throw new UnsupportedOperationException();
  }

  public SimError setLeverage(String account, String symbol, int leverage) {
    throw new UnsupportedOperationException();
  }

  public SimError setMarginType(String account, String symbol, boolean isolated) {
    throw new UnsupportedOperationException();
  }

  public SimError setDualSide(String account, boolean dual) {
    throw new UnsupportedOperationException();
  }

  public boolean dualSide(String account) {
    throw new UnsupportedOperationException();
  }

  public int leverage(String account, String symbol) {
    throw new UnsupportedOperationException();
  }

  public List<SimFill> userTrades(
      String account, String symbol, long fromId, long startTime, long endTime, int limit) {
    throw new UnsupportedOperationException();
  }
}
