package io.phoenix.binance.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestBatchSlot;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed decoding of the order endpoints' answers. The transport hands back raw JSON so that one
 * interface serves every endpoint; these turn it into {@link RestOrderResponse}s, keeping the
 * outcome class (a refusal, a rate limit or an unknown outcome passes through unchanged). A body
 * that cannot be read never throws: the caller learns it (to count it) and gets what the rules
 * below say.
 */
public final class OrderResponses {
  private OrderResponses() {}

  /** Hears of an answer whose body could not be decoded. */
  @FunctionalInterface
  public interface Undecodable {
    void undecodable();
  }

  /**
   * The order object of a single-order answer; an Ok whose body cannot be read keeps a null body.
   */
  public static RestResult<RestOrderResponse> order(
      RestResult<JsonNode> r, Undecodable onUndecodable) {
    if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
      return r.castFailure();
    }
    RestOrderResponse resp = null;
    try {
      resp =
          ok.body() == null
              ? null
              : BinanceRestClient.mapper().treeToValue(ok.body(), RestOrderResponse.class);
    } catch (Exception e) {
      onUndecodable.undecodable();
    }
    return new RestResult.Ok<>(resp, ok.httpStatus(), ok.usage());
  }

  /**
   * A batch answer split into one result per order, in request order. A batch that failed as a
   * whole gives every order its failure; an answer that does not match the request ({@code size}
   * slots) gives every order an unknown outcome, since any of them may have reached the engine.
   */
  public static List<RestResult<RestOrderResponse>> batch(
      RestResult<JsonNode> r, int size, Undecodable onUndecodable) {
    List<RestResult<RestOrderResponse>> out = new ArrayList<>(size);
    if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
      RestResult<RestOrderResponse> failure = r.castFailure();
      for (int i = 0; i < size; i++) {
        out.add(failure);
      }
      return out;
    }
    List<RestBatchSlot> slots;
    try {
      slots = BinanceRestClient.decodeBatch(ok.body());
    } catch (RuntimeException e) {
      slots = null;
    }
    if (slots == null || slots.size() != size) {
      onUndecodable.undecodable();
      RestResult<RestOrderResponse> unknown =
          new RestResult.UnknownOutcome<>(
              "batch response does not match the request", ok.httpStatus(), ok.usage());
      for (int i = 0; i < size; i++) {
        out.add(unknown);
      }
      return out;
    }
    for (RestBatchSlot slot : slots) {
      out.add(
          slot.ok()
              ? new RestResult.Ok<>(slot.order(), ok.httpStatus(), ok.usage())
              : new RestResult.Rejected<>(
                  slot.error().code(), slot.error().msg(), ok.httpStatus(), ok.usage()));
    }
    return out;
  }

  /** The orders of an open-orders answer's body; null when it is not an array of orders. */
  public static List<RestOrderResponse> openOrders(JsonNode body) {
    if (body == null || !body.isArray()) {
      return null;
    }
    List<RestOrderResponse> out = new ArrayList<>(body.size());
    try {
      for (JsonNode item : body) {
        out.add(BinanceRestClient.mapper().treeToValue(item, RestOrderResponse.class));
      }
    } catch (Exception e) {
      return null;
    }
    return out;
  }
}
