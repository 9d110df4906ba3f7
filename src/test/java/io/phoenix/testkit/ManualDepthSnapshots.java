package io.phoenix.testkit;

import io.phoenix.binance.rest.DepthSnapshotClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Depth snapshots the test hands out by hand: every fetch is a future the test completes, in
 * request order.
 */
public final class ManualDepthSnapshots implements DepthSnapshotClient {
  private final LinkedBlockingQueue<CompletableFuture<byte[]>> requests =
      new LinkedBlockingQueue<>();

  @Override
  public CompletionStage<byte[]> fetch(String symbol, int limit) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    requests.add(future);
    return future;
  }

  /** The next fetch the book's owner started (waits up to 3 s for it). */
  public CompletableFuture<byte[]> next() throws InterruptedException {
    CompletableFuture<byte[]> f = requests.poll(3, TimeUnit.SECONDS);
    if (f == null) {
      throw new AssertionError("no snapshot was requested");
    }
    return f;
  }

  /** A REST depth body with one level each side, prices and quantities as Binance writes them. */
  public static byte[] body(
      long lastUpdateId, String bidPrice, String bidQty, String askPrice, String askQty) {
    return ("{\"lastUpdateId\":"
            + lastUpdateId
            + ",\"E\":1,\"T\":1,\"bids\":[[\""
            + bidPrice
            + "\",\""
            + bidQty
            + "\"]],\"asks\":[[\""
            + askPrice
            + "\",\""
            + askQty
            + "\"]]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
