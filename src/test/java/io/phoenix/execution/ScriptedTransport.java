package io.phoenix.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.order.ExchangeTransport;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A fake exchange for gateway tests: records every request and answers with a script. */
final class ScriptedTransport implements ExchangeTransport {
  /** A request as sent, with the local time it was sent. */
  record Sent(RestRequest request, long atMillis) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  volatile Function<RestRequest, CompletionStage<RestResult<JsonNode>>> script;

  ScriptedTransport(Function<RestRequest, CompletionStage<RestResult<JsonNode>>> script) {
    this.script = script;
  }

  @Override
  public CompletionStage<RestResult<JsonNode>> send(RestRequest request) {
    sent.add(new Sent(request, System.currentTimeMillis()));
    return script.apply(request);
  }

  List<Sent> matching(String method, String path) {
    return sent.stream()
        .filter(s -> s.request().method().name().equals(method) && s.request().path().equals(path))
        .toList();
  }

  static CompletionStage<RestResult<JsonNode>> ok(String json) {
    try {
      return CompletableFuture.completedFuture(
          new RestResult.Ok<>(BinanceRestClient.mapper().readTree(json), 200, RateLimitUsage.NONE));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** An order object echoing the request's id, symbol, price and quantity. */
  static CompletionStage<RestResult<JsonNode>> order(
      RestRequest r, String status, String executedQty) {
    String id =
        r.param("newClientOrderId") != null
            ? r.param("newClientOrderId")
            : r.param("origClientOrderId");
    return ok(
        orderJson(
            id,
            r.param("symbol"),
            status,
            r.param("price") == null ? "60000.00" : r.param("price"),
            r.param("quantity") == null ? "0.002" : r.param("quantity"),
            executedQty));
  }

  static String orderJson(
      String clientOrderId,
      String symbol,
      String status,
      String price,
      String qty,
      String executed) {
    return "{\"orderId\":"
        + Math.abs(clientOrderId.hashCode())
        + ",\"symbol\":\""
        + symbol
        + "\",\"status\":\""
        + status
        + "\",\"clientOrderId\":\""
        + clientOrderId
        + "\",\"price\":\""
        + price
        + "\",\"origQty\":\""
        + qty
        + "\",\"executedQty\":\""
        + executed
        + "\",\"side\":\"BUY\",\"timeInForce\":\"GTX\",\"type\":\"LIMIT\"}";
  }

  static CompletionStage<RestResult<JsonNode>> rejected(int code, String msg) {
    return CompletableFuture.completedFuture(
        new RestResult.Rejected<>(code, msg, 400, RateLimitUsage.NONE));
  }

  static CompletionStage<RestResult<JsonNode>> unknown(String reason) {
    return CompletableFuture.completedFuture(
        new RestResult.UnknownOutcome<>(reason, 503, RateLimitUsage.NONE));
  }

  static CompletionStage<RestResult<JsonNode>> rateLimited(Duration retryAfter, boolean banned) {
    return CompletableFuture.completedFuture(
        new RestResult.RateLimited<>(
            retryAfter, banned, -1003, "too many", banned ? 418 : 429, RateLimitUsage.NONE));
  }
}
