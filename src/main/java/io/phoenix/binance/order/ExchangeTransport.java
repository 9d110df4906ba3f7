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

  /** Over REST: the real thing, and the WebSocket API transport's fallback. */
  static ExchangeTransport of(BinanceRestClient client) {
    return client::send;
  }
}
