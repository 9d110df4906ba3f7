package io.phoenix.model;

/**
 * Lifecycle of one order: the exchange's statuses plus three local ones. PENDING_NEW and
 * PENDING_CANCEL cover the time a request is in flight; UNKNOWN means a request's outcome could not
 * be established (timeout, 5xx, 429/418, disconnect) and the order must be treated as live until a
 * query resolves it.
 */
public enum OrderState {
  PENDING_NEW,
  NEW,
  PARTIALLY_FILLED,
  FILLED,
  PENDING_CANCEL,
  CANCELED,
  EXPIRED,
  EXPIRED_IN_MATCH,
  REJECTED,
  UNKNOWN;

  /** No further transition is possible. */
  public boolean isTerminal() {
    return this == FILLED
        || this == CANCELED
        || this == EXPIRED
        || this == EXPIRED_IN_MATCH
        || this == REJECTED;
  }

  /** May be resting on the book (or may be, for UNKNOWN): quoters and risk count it as live. */
  public boolean isLive() {
    return !isTerminal();
  }

  /** Open on the exchange as it reports it (NEW or PARTIALLY_FILLED): the order can still trade. */
  public boolean isOpen() {
    return this == NEW || this == PARTIALLY_FILLED;
  }

  /**
   * The state for a Binance {@code status} string, or null when the text is not one.
   * Allocation-free for the documented values.
   */
  public static OrderState fromExchange(String status) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case "NEW" -> NEW;
      case "PARTIALLY_FILLED" -> PARTIALLY_FILLED;
      case "FILLED" -> FILLED;
      case "CANCELED" -> CANCELED;
      case "EXPIRED" -> EXPIRED;
      case "EXPIRED_IN_MATCH" -> EXPIRED_IN_MATCH;
      case "REJECTED" -> REJECTED;
      default -> null;
    };
  }
}
