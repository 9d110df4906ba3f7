package io.phoenix.sim;

import io.phoenix.config.SimSettings;
import io.phoenix.sim.engine.OrderResult;
import io.phoenix.sim.engine.SimError;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What every endpoint group works with: the settings, the wire encoder, the engine, the stream hub
 * and the server clock, and the parameter and reply helpers they share.
 */
final class ApiContext {
  final SimSettings settings;
  final Wire wire;
  final EngineLoop engine;
  final ServerClock clock;
  final StreamHub hub;

  ApiContext(SimSettings settings, Wire wire, EngineLoop engine, StreamHub hub, ServerClock clock) {
    this.settings = settings;
    this.wire = wire;
    this.engine = engine;
    this.hub = hub;
    this.clock = clock;
  }

  static CompletionStage<String> done(String json) {
    return CompletableFuture.completedFuture(json);
  }

  static Rejection fromEngine(SimError e) {
    return Rejection.bad(e.code(), e.msg());
  }

  static SimOrder unwrap(OrderResult r) {
    if (r.error() != null) {
      throw fromEngine(r.error());
    }
    return r.order();
  }

  String symbol(Params p) {
    String s = p.req("symbol");
    wire.instrument(s);
    return s;
  }

  String optSymbol(Params p) {
    String s = p.opt("symbol");
    if (s != null) {
      wire.instrument(s);
    }
    return s;
  }

  List<String> symbolsOf(String symbolOrNull) {
    return symbolOrNull != null ? List.of(symbolOrNull) : List.copyOf(wire.instruments().keySet());
  }

  /** Writes one symbol's object into the reply on the engine thread. */
  interface SymbolWriter {
    void write(Json j, SimExchange ex, String symbol);
  }

  /**
   * Binance shape for optional-symbol market data: one object with a symbol, an array of all
   * without.
   */
  CompletionStage<String> oneOrAll(Params p, SymbolWriter writer) {
    String sym = optSymbol(p);
    return engine.call(
        (ex, now) -> {
          Json j = new Json();
          if (sym == null) {
            j.arr();
          }
          for (String s : symbolsOf(sym)) {
            writer.write(j, ex, s);
          }
          if (sym == null) {
            j.endArr();
          }
          return j.toString();
        });
  }
}
