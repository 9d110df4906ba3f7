package io.phoenix.sim;

import java.util.concurrent.CompletionStage;

/** One endpoint: IP weight, order-counter increments (10 s, 1 min), security type, handler. */
record Endpoint(
    String name, Weight weight, int orders10s, int orders1m, Security security, Handler handler) {
  enum Security {
    NONE,
    USER_STREAM,
    SIGNED
  }

  /** Runs the request with its parsed params for the authenticated account (null when none). */
  interface Handler {
    CompletionStage<String> handle(Params p, String account);
  }

  /** The request weight Binance charges, which may depend on the parameters. */
  interface Weight {
    int of(Params p);
  }

  boolean isOrder() {
    return orders10s > 0 || orders1m > 0;
  }

  static Weight w(int n) {
    return p -> n;
  }

  static Weight symbolOr(int with, int without) {
    return p -> p.has("symbol") ? with : without;
  }
}
