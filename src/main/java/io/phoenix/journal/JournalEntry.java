package io.phoenix.journal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One journaled event. Built off the hot path (from the gateway's request encoding and the user
 * data stream), so decimals are exact {@link BigDecimal}s normalised with {@code
 * stripTrailingZeros()}; sides are {@code "BUY"} or {@code "SELL"}.
 */
public sealed interface JournalEntry {
  String symbol();

  Instant time();

  /** A new order request as written to the exchange. Price is null for market orders. */
  record OrderRequested(
      String symbol,
      String clientOrderId,
      String side,
      String type,
      String timeInForce,
      BigDecimal price,
      BigDecimal quantity,
      boolean reduceOnly,
      Instant time)
      implements JournalEntry {
    public OrderRequested {
      requireBase(symbol, clientOrderId, time);
      side = checkSide(side);
      Objects.requireNonNull(type, "type");
      price = norm(price);
      quantity = norm(Objects.requireNonNull(quantity, "quantity"));
    }
  }

  /** The exchange accepted the order. */
  record OrderAcked(String symbol, String clientOrderId, long orderId, String status, Instant time)
      implements JournalEntry {
    public OrderAcked {
      requireBase(symbol, clientOrderId, time);
    }
  }

  /** The exchange (negative codes) or local risk (positive codes) refused the order. */
  record OrderRejected(String symbol, String clientOrderId, int code, String reason, Instant time)
      implements JournalEntry {
    public OrderRejected {
      requireBase(symbol, clientOrderId, time);
      reason = reason == null ? "" : reason;
    }
  }

  /** Price and/or quantity changed in place (PUT /fapi/v1/order). */
  record OrderAmended(
      String symbol,
      String clientOrderId,
      long orderId,
      BigDecimal price,
      BigDecimal quantity,
      Instant time)
      implements JournalEntry {
    public OrderAmended {
      requireBase(symbol, clientOrderId, time);
      price = norm(price);
      quantity = norm(quantity);
    }
  }

  /** The order is no longer working (cancel confirmed, expired). */
  record OrderCanceled(
      String symbol, String clientOrderId, long orderId, String reason, Instant time)
      implements JournalEntry {
    public OrderCanceled {
      requireBase(symbol, clientOrderId, time);
      reason = reason == null ? "" : reason;
    }
  }

  /**
   * One execution. {@code tradeId} is unique per symbol; commission is in the quote asset; {@code
   * realizedPnl} is the exchange's figure, before commission.
   */
  record FillRecorded(
      String symbol,
      long tradeId,
      long orderId,
      String clientOrderId,
      String side,
      BigDecimal price,
      BigDecimal qty,
      BigDecimal commission,
      BigDecimal realizedPnl,
      boolean maker,
      Instant time)
      implements JournalEntry {
    public FillRecorded {
      Objects.requireNonNull(symbol, "symbol");
      Objects.requireNonNull(time, "time");
      side = checkSide(side);
      price = norm(Objects.requireNonNull(price, "price"));
      qty = norm(Objects.requireNonNull(qty, "qty"));
      commission = norm(commission == null ? BigDecimal.ZERO : commission);
      realizedPnl = norm(realizedPnl == null ? BigDecimal.ZERO : realizedPnl);
    }
  }

  /** A funding payment: negative paid, positive received. */
  record FundingRecorded(String symbol, BigDecimal amount, String asset, Instant time)
      implements JournalEntry {
    public FundingRecorded {
      Objects.requireNonNull(symbol, "symbol");
      Objects.requireNonNull(time, "time");
      amount = norm(Objects.requireNonNull(amount, "amount"));
      Objects.requireNonNull(asset, "asset");
    }
  }

  private static void requireBase(String symbol, String clientOrderId, Instant time) {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(clientOrderId, "clientOrderId");
    Objects.requireNonNull(time, "time");
  }

  private static String checkSide(String side) {
    if (!"BUY".equals(side) && !"SELL".equals(side)) {
      throw new IllegalArgumentException("side must be BUY or SELL, was " + side);
    }
    return side;
  }

  private static BigDecimal norm(BigDecimal v) {
    if (v == null) {
      return null;
    }
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
