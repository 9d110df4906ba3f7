package io.phoenix.binance.rest;

import java.util.concurrent.CompletionStage;

/** Fetches the REST depth snapshot body ({@code GET /fapi/v1/depth}); unsigned, weight 2..20. */
public interface DepthSnapshotClient {
  /** Completes with the response body, or fails (non-2xx status, I/O error, timeout). */
  CompletionStage<byte[]> fetch(String symbol, int limit);
}
