package io.phoenix.binance.rest;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link DepthSnapshotClient} on the node's background REST client: every snapshot is charged its
 * weight to the account's one rate budget and waits while a 429/418 pause lasts, so a storm of
 * sequence gaps cannot earn the IP a ban (it did when snapshots went around the budget: 66 gaps in
 * a minute at weight 20 each, retried every second during the ban).
 */
public final class RestDepthSnapshotClient implements DepthSnapshotClient {
  private final BinanceRestClient rest;

  /**
   * @param rest a client made with {@link BinanceRestClient#background}, so the budget paces it
   */
  public RestDepthSnapshotClient(BinanceRestClient rest) {
    this.rest = rest;
  }

  @Override
  public CompletionStage<byte[]> fetch(String symbol, int limit) {
    return rest.sendRaw(BinanceRestClient.depthRequest(symbol, limit))
        .thenCompose(
            result -> {
              if (result instanceof RestResult.Ok<byte[]> ok) {
                return CompletableFuture.completedFuture(ok.body());
              }
              return CompletableFuture.failedFuture(
                  new IOException("depth snapshot for " + symbol + ": " + describe(result)));
            });
  }

  private static String describe(RestResult<?> r) {
    if (r instanceof RestResult.RateLimited<?> l) {
      return "HTTP " + l.httpStatus() + " rate limited, retry after " + l.retryAfter();
    }
    if (r instanceof RestResult.Rejected<?> rej) {
      return "HTTP " + rej.httpStatus() + " " + rej.code() + " " + rej.msg();
    }
    if (r instanceof RestResult.UnknownOutcome<?> u) {
      return u.reason();
    }
    return r.toString();
  }
}
