package io.phoenix.binance.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The account's position mode ({@code GET/POST /fapi/v1/positionSide/dual}). Phoenix keeps one net
 * position per symbol and sends orders without {@code positionSide}, which an account in hedge mode
 * refuses (-4061) — so the node reads the mode before it trades. The stages never fail: a problem
 * is a {@link Read} with a {@code failure}.
 */
public final class PositionMode {
  private PositionMode() {}

  /**
   * @param hedge true for hedge mode (dual side), false for one-way, null when unknown
   * @param failure why the mode is unknown (or the switch failed), null on success
   */
  public record Read(Boolean hedge, String failure) {
    static Read failed(String why) {
      return new Read(null, why);
    }
  }

  /**
   * Reads the mode. The request is signed; before the time-sync actor runs the clock has no
   * reading, so one round-trip sample from {@code /fapi/v1/time} sets it first.
   */
  public static CompletionStage<Read> read(BinanceRestClient rest, ServerClock clock) {
    CompletionStage<Void> synced =
        clock.reading().valid() ? CompletableFuture.completedFuture(null) : syncOnce(rest, clock);
    return synced
        .thenCompose(
            x ->
                rest.send(
                    RestRequest.get("/fapi/v1/positionSide/dual").signed().weight(30).build()))
        .thenApply(PositionMode::decode)
        .exceptionally(e -> Read.failed(e.toString()));
  }

  /**
   * Switches to one-way; the exchange refuses while the account holds positions or open orders
   * (-4068, -4067).
   */
  public static CompletionStage<Read> switchToOneWay(BinanceRestClient rest) {
    return rest.send(
            RestRequest.post("/fapi/v1/positionSide/dual")
                .signed()
                .param("dualSidePosition", "false")
                .build())
        .thenApply(
            r ->
                r instanceof RestResult.Ok<JsonNode>
                    ? new Read(false, null)
                    : Read.failed(String.valueOf(r)))
        .exceptionally(e -> Read.failed(e.toString()));
  }

  static Read decode(RestResult<JsonNode> result) {
    if (!(result instanceof RestResult.Ok<JsonNode> ok)) {
      return Read.failed(String.valueOf(result));
    }
    JsonNode dual = ok.body() == null ? null : ok.body().get("dualSidePosition");
    if (dual == null || !dual.isBoolean()) {
      return Read.failed(
          "positionSide/dual answered without a boolean dualSidePosition: " + ok.body());
    }
    return new Read(dual.booleanValue(), null);
  }

  private static CompletionStage<Void> syncOnce(BinanceRestClient rest, ServerClock clock) {
    long t0Millis = System.currentTimeMillis();
    long t0Nanos = System.nanoTime();
    return rest.serverTime()
        .thenAccept(
            r -> {
              if (r instanceof RestResult.Ok<RestServerTime> ok) {
                long rtt = System.nanoTime() - t0Nanos;
                clock.update(
                    ServerClock.offsetMillis(ok.body().serverTime(), t0Millis, rtt),
                    ServerClock.uncertaintyMillis(rtt),
                    System.currentTimeMillis());
              }
            });
  }
}
