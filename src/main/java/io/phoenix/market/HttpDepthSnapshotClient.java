package io.phoenix.market;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link DepthSnapshotClient} on {@code java.net.http}: asynchronous, so the book keeper never
 * blocks, and independent of the order path's rate-limited REST client because the snapshot is
 * an unsigned market-data call.
 */
public final class HttpDepthSnapshotClient implements DepthSnapshotClient {
  private final HttpClient http;
  private final String restUrl;
  private final Duration timeout;

  /**
   * @param restUrl base such as {@code https://fapi.binance.com} ({@code phoenix.binance.rest-url})
   * @param timeout per request
   */
  public HttpDepthSnapshotClient(String restUrl, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.restUrl = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<byte[]> fetch(String symbol, int limit) {
    URI uri = URI.create(restUrl + "/fapi/v1/depth?symbol=" + symbol + "&limit=" + limit);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenCompose(
            response -> {
              if (response.statusCode() / 100 != 2) {
                return CompletableFuture.failedFuture(
                    new IOException("depth snapshot for " + symbol + " returned HTTP " + response.statusCode()));
              }
              return CompletableFuture.completedFuture(response.body());
            });
  }
}
