package io.phoenix.sim;

import io.phoenix.config.SimSettings;

/**
 * The simulator's endpoints independent of transport: REST ({@link RestRoutes}) and the WebSocket
 * trading API ({@link WsApi}) look an {@link Endpoint} up and call its handler with parsed params
 * and the authenticated account. Handlers validate parameters (Binance error codes), then run the
 * engine call on the engine thread and encode the reply.
 */
final class SimApi {
  private final EndpointTable table = new EndpointTable();

  SimApi(SimSettings settings, Wire wire, EngineLoop engine, StreamHub hub, ServerClock clock) {
    ApiContext api = new ApiContext(settings, wire, engine, hub, clock);
    new ExchangeInfoEndpoints(api).register(table);
    new MarketEndpoints(api).register(table);
    new OrderEndpoints(api).register(table);
    new PositionEndpoints(api).register(table);
    new AccountEndpoints(api).register(table);
    new AlgoEndpoints(api).register(table);
    new ListenKeyEndpoints(api).register(table);
  }

  /** The endpoint at {@code method path}, or null when Binance has none there. */
  Endpoint rest(String method, String path) {
    return table.get(method, path);
  }
}
