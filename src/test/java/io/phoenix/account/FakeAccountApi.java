package io.phoenix.account;

import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.core.Instrument;
import io.phoenix.model.ExchangeState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Scriptable REST API for actor tests; every field may be changed by the test at any time. */
public final class FakeAccountApi implements AccountRestApi {
  public final AtomicInteger listenKeysCreated = new AtomicInteger();

  /**
   * Completes the listenKey creation; a test that must subscribe first replaces it with an open
   * future.
   */
  public volatile CompletableFuture<Void> listenKeyGate = CompletableFuture.completedFuture(null);

  public final AtomicInteger keepalives = new AtomicInteger();
  public final AtomicInteger openOrderFetches = new AtomicInteger();
  public volatile int keepaliveErrorCode;
  public volatile boolean failOpenOrders;
  public volatile List<ExchangeState.Order> openOrders = List.of();
  public volatile List<ExchangeState.Position> positions = List.of();
  public volatile List<ExchangeState.Balance> balances = List.of();
  public final List<ExchangeState.Trade> trades = new CopyOnWriteArrayList<>();
  public final ConcurrentHashMap<Long, ExchangeState.Order> ordersById = new ConcurrentHashMap<>();
  public final ConcurrentHashMap<String, ExchangeState.Order> ordersByClientId =
      new ConcurrentHashMap<>();
  public final List<String> cancelled = new CopyOnWriteArrayList<>();
  public final List<String> countdowns = new CopyOnWriteArrayList<>();

  /** Answer of commissionRate; null fails it as a 503 would. */
  public volatile FeeRates feeRates = new FeeRates(0.0002, 0.0005);

  public final AtomicInteger feeReads = new AtomicInteger();

  @Override
  public CompletionStage<FeeRates> commissionRate(Instrument instrument) {
    feeReads.incrementAndGet();
    FeeRates r = feeRates;
    return r == null
        ? CompletableFuture.failedFuture(new ApiError(503, 0, "Service Unavailable."))
        : CompletableFuture.completedFuture(r);
  }

  @Override
  public CompletionStage<String> createListenKey() {
    return listenKeyGate.thenApply(v -> "key-" + listenKeysCreated.incrementAndGet());
  }

  @Override
  public CompletionStage<Void> keepAliveListenKey(String listenKey) {
    keepalives.incrementAndGet();
    int code = keepaliveErrorCode;
    return code == 0
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new ApiError(400, code, "This listenKey does not exist."));
  }

  @Override
  public CompletionStage<List<ExchangeState.Order>> openOrders() {
    openOrderFetches.incrementAndGet();
    return failOpenOrders
        ? CompletableFuture.failedFuture(new ApiError(503, 0, "Service Unavailable."))
        : CompletableFuture.completedFuture(openOrders);
  }

  @Override
  public CompletionStage<Optional<ExchangeState.Order>> queryOrder(
      Instrument instrument, String clientOrderId) {
    return CompletableFuture.completedFuture(
        Optional.ofNullable(ordersByClientId.get(clientOrderId)));
  }

  @Override
  public CompletionStage<Optional<ExchangeState.Order>> queryOrder(
      Instrument instrument, long orderId) {
    return CompletableFuture.completedFuture(Optional.ofNullable(ordersById.get(orderId)));
  }

  @Override
  public CompletionStage<Boolean> cancelOrder(Instrument instrument, String clientOrderId) {
    cancelled.add(instrument.symbol() + ":" + clientOrderId);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletionStage<List<ExchangeState.Position>> positions() {
    return CompletableFuture.completedFuture(positions);
  }

  @Override
  public CompletionStage<List<ExchangeState.Balance>> balances() {
    return CompletableFuture.completedFuture(balances);
  }

  @Override
  public CompletionStage<List<ExchangeState.Trade>> userTrades(
      Instrument instrument, long fromId, long startTime) {
    return CompletableFuture.completedFuture(
        trades.stream()
            .filter(
                t ->
                    t.symbolId() == instrument.id()
                        && (fromId > 0 ? t.tradeId() >= fromId : t.time() >= startTime))
            .toList());
  }

  @Override
  public CompletionStage<Void> countdownCancelAll(Instrument instrument, long countdownMillis) {
    countdowns.add(instrument.symbol() + ":" + countdownMillis);
    return CompletableFuture.completedFuture(null);
  }
}
