package io.phoenix.journal;

import io.phoenix.core.Instrument;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Turns the running system's events into journal entries: order requests (the intents risk
 * approved, as handed to the gateway), gateway rejections, and the user data stream's order
 * updates, fills and funding. Ticks and steps become exact decimals here, on the journal's side of
 * the hot path. Returns null for events the journal does not keep.
 */
public final class JournalEntries {
  private JournalEntries() {}

  /**
   * A new-order request; null for cancels and amends (their outcome comes from the user stream).
   */
  public static JournalEntry requested(OrderIntent intent, Instrument ins, long nowMillis) {
    if (!(intent instanceof OrderIntent.Place p)) {
      return null;
    }
    return new JournalEntry.OrderRequested(
        ins.symbol(),
        p.clientOrderId(),
        p.side().name(),
        "LIMIT",
        p.timeInForce().name(),
        price(ins, p.priceTicks()),
        qty(ins, p.qtySteps()),
        p.reduceOnly(),
        Instant.ofEpochMilli(nowMillis));
  }

  /** A refusal of a new order or amend by the exchange (negative code) or the gateway (code 0). */
  public static JournalEntry rejected(OrderEvent event, Instrument ins, long nowMillis) {
    if (event instanceof OrderEvent.OrderRejected r
        && r.kind() != OrderEvent.RequestKind.CANCEL
        && r.kind() != OrderEvent.RequestKind.CANCEL_ALL) {
      return new JournalEntry.OrderRejected(
          ins.symbol(), r.clientOrderId(), r.code(), r.reason(), Instant.ofEpochMilli(nowMillis));
    }
    return null;
  }

  /**
   * An order update of the user stream: NEW = acked, TRADE = fill, AMENDMENT = amended, CANCELED /
   * EXPIRED = no longer working. Restatements and calculated events are not journaled.
   */
  public static JournalEntry fromOrderUpdate(AccountEvent.OrderUpdate u, Instrument ins) {
    Instant time =
        Instant.ofEpochMilli(u.transactionTime() > 0 ? u.transactionTime() : u.eventTime());
    String id = u.clientOrderId() == null ? "" : u.clientOrderId();
    return switch (u.executionType()) {
      case NEW ->
          new JournalEntry.OrderAcked(ins.symbol(), id, u.orderId(), u.status().name(), time);
      case TRADE ->
          u.isFill() && u.tradeId() > 0
              ? new JournalEntry.FillRecorded(
                  ins.symbol(),
                  u.tradeId(),
                  u.orderId(),
                  id,
                  u.side().name(),
                  price(ins, u.lastFillPriceTicks()),
                  qty(ins, u.lastFillQtySteps()),
                  BigDecimal.valueOf(u.commission()),
                  BigDecimal.valueOf(u.realizedPnl()),
                  u.maker(),
                  time)
              : null;
      case AMENDMENT ->
          new JournalEntry.OrderAmended(
              ins.symbol(),
              id,
              u.orderId(),
              price(ins, u.priceTicks()),
              qty(ins, u.origQtySteps()),
              time);
      case CANCELED, EXPIRED ->
          new JournalEntry.OrderCanceled(
              ins.symbol(),
              id,
              u.orderId(),
              u.executionType().name()
                  + (u.expiryReason() != 0 ? " reason " + u.expiryReason() : ""),
              time);
      case CALCULATED, RESTATED -> null;
    };
  }

  /** A funding payment; the user stream does not name the symbol, so it is journaled under "*". */
  public static JournalEntry funding(AccountEvent.FundingPaid f) {
    return new JournalEntry.FundingRecorded(
        "*", BigDecimal.valueOf(f.amount()), f.asset(), Instant.ofEpochMilli(f.time()));
  }

  static BigDecimal price(Instrument ins, long ticks) {
    return new BigDecimal(ins.price().format(ticks));
  }

  static BigDecimal qty(Instrument ins, long steps) {
    return new BigDecimal(ins.quantity().format(steps));
  }
}
