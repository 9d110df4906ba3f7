package io.phoenix.binance.ws;

import java.util.List;

/**
 * A reply to a SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / property request. Rare, so it is an
 * immutable record allocated per reply.
 *
 * @param id the request id echoed back, as text (Binance accepts numbers and strings); null if none
 * @param result the {@code result} array's strings (LIST_SUBSCRIPTIONS); empty for {@code null}
 * @param errorCode {@code code} of an error reply, or -1 for success
 * @param errorMessage {@code msg} of an error reply, or null
 */
public record SubscriptionReply(
    String id, List<String> result, int errorCode, String errorMessage) {
  public boolean isError() {
    return errorCode >= 0;
  }
}
