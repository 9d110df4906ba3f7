package io.phoenix.binance.rest;

import java.time.Duration;

/**
 * Outcome of one REST call, classified by what it proves about the exchange's state. Every variant
 * carries the rate-limit counters the response reported.
 *
 * <ul>
 *   <li>{@link Ok}: 2xx, body decoded.
 *   <li>{@link Rejected}: definitive refusal; the request had no effect (business rejects, {@code
 *       -2011}, {@code -2013}, {@code -1021}, 503 "Service Unavailable", {@code -1008}).
 *   <li>{@link RateLimited}: 429 (stop until {@code retryAfter}) or 418 (IP banned).
 *   <li>{@link UnknownOutcome}: the request may or may not have been executed (timeout, connection
 *       loss, 5xx other than the definite-failure 503s, 503 "Unknown error", {@code -1006}/{@code
 *       -1007}, an undecodable 2xx). Resolve by querying, never by resending.
 * </ul>
 */
public sealed interface RestResult<T> {
  /** Exchange counters from this response's headers. */
  RateLimitUsage usage();

  /** HTTP status, or 0 when no response arrived. */
  int httpStatus();

  /** Decoded 2xx response. */
  record Ok<T>(T body, int httpStatus, RateLimitUsage usage) implements RestResult<T> {}

  /** Definitive refusal with Binance's {@code code} (0 when the body carried none) and message. */
  record Rejected<T>(int code, String msg, int httpStatus, RateLimitUsage usage)
      implements RestResult<T> {
    /** Failures where resending the same request is safe and may succeed. */
    public boolean retryable() {
      return code == BinanceErrors.THROTTLED
          || code == BinanceErrors.DISCONNECTED
          || code == BinanceErrors.SERVICE_SHUTTING_DOWN
          || httpStatus == 503
          || httpStatus == 408 && code == 0;
    }
  }

  /**
   * HTTP 429 or 418.
   *
   * @param retryAfter from {@code Retry-After} when present, else the client's configured default
   * @param banned true for 418 (automatic IP ban): continuing escalates the ban
   */
  record RateLimited<T>(
      Duration retryAfter,
      boolean banned,
      int code,
      String msg,
      int httpStatus,
      RateLimitUsage usage)
      implements RestResult<T> {}

  /** Execution status unknown; {@code reason} is safe to log (no parameters, no secrets). */
  record UnknownOutcome<T>(String reason, int httpStatus, RateLimitUsage usage)
      implements RestResult<T> {}

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** Same outcome with another body type; only valid for non-Ok results. */
  @SuppressWarnings("unchecked")
  default <U> RestResult<U> castFailure() {
    if (this instanceof Ok) {
      throw new IllegalStateException("castFailure on Ok");
    }
    return (RestResult<U>) this;
  }
}
