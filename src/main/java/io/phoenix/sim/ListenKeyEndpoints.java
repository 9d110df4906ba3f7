package io.phoenix.sim;

import java.util.concurrent.CompletionStage;

/**
 * The user data stream's listenKey: start (one key per account, as Binance hands out), keep-alive
 * and close, which also closes the key's streams.
 */
final class ListenKeyEndpoints {
  private final ApiContext api;
  private final EngineLoop engine;
  private final StreamHub hub;

  ListenKeyEndpoints(ApiContext api) {
    this.api = api;
    this.engine = api.engine;
    this.hub = api.hub;
  }

  void register(EndpointTable table) {
    Endpoint.Security u = Endpoint.Security.USER_STREAM;
    table.add("POST", "/fapi/v1/listenKey", Endpoint.w(1), 0, 0, u, this::listenKeyStart);
    table.add("PUT", "/fapi/v1/listenKey", Endpoint.w(1), 0, 0, u, this::listenKeyKeepAlive);
    table.add("DELETE", "/fapi/v1/listenKey", Endpoint.w(1), 0, 0, u, this::listenKeyClose);
  }

  CompletionStage<String> listenKeyStart(Params p, String account) {
    return engine.call(
        (ex, now) -> {
          ex.openAccount(account);
          String key = engine.listenKeys().start(account, now);
          hub.bindKey(account, key);
          return "{\"listenKey\":\"" + key + "\"}";
        });
  }

  CompletionStage<String> listenKeyKeepAlive(Params p, String account) {
    String given = p.opt("listenKey");
    return engine.call(
        (ex, now) ->
            "{\"listenKey\":\"" + engine.listenKeys().keepAlive(account, given, now) + "\"}");
  }

  CompletionStage<String> listenKeyClose(Params p, String account) {
    String given = p.opt("listenKey");
    return engine.call(
        (ex, now) -> {
          String key = engine.listenKeys().close(account, given);
          if (key != null) {
            hub.closeKey(key);
          }
          return "{}";
        });
  }
}
