package io.phoenix.binance.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import java.util.concurrent.CompletionStage;

/**
 * How the order gateway reaches the exchange: one request in, one classified result out. Production
 * wraps {@link BinanceRestClient}; tests and benchmarks script the results. The stage must never
 * complete exceptionally (a failure is an {@link RestResult.UnknownOutcome}).
 */
@FunctionalInterface
public interface ExchangeTransport {
  CompletionStage<RestResult<JsonNode>> send(RestRequest request);

  /**
   * Whether one request per order is the fastest shape right now. A pipelined session (the
   * WebSocket trading API) answers singles without a round trip each, and it has no batch call: a
   * batch would leave the session for a REST round trip, so the gateway stops grouping orders.
   */
  default boolean prefersSingleOrders() {
    return false;
  }

  /** Over REST: the real thing, and the WebSocket API transport's fallback. */
  static ExchangeTransport of(BinanceRestClient client) {
    return client::send;
  }
}
