package io.phoenix.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.phoenix.account.AccountFixtures;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JournalEntriesTest {
  static final Instrument BTC = AccountFixtures.BTC; // tick 0.10, step 0.001

  @Test
  void aPlaceBecomesAnExactRequestAndOtherIntentsAreNotJournaled() {
    JournalEntry e =
        JournalEntries.requested(
            new OrderIntent.Place(0, "phx-1-7", Side.SELL, 600_001, 25, TimeInForce.GTX, true, 0),
            BTC,
            1_000);
    assertEquals(
        new JournalEntry.OrderRequested(
            "BTCUSDT",
            "phx-1-7",
            "SELL",
            "LIMIT",
            "GTX",
            new BigDecimal("60000.1"),
            new BigDecimal("0.025"),
            true,
            Instant.ofEpochMilli(1_000)),
        e);
    assertNull(JournalEntries.requested(new OrderIntent.Cancel(0, "phx-1-7"), BTC, 1_000));
    assertNull(JournalEntries.requested(new OrderIntent.CancelAll(0), BTC, 1_000));
  }

  @Test
  void tradeUpdatesBecomeFillsWithTheirTradeId() {
    JournalEntry e =
        JournalEntries.fromOrderUpdate(
            AccountFixtures.fill(BTC, "phx-1-9", Side.BUY, 3, 599_990, 42), BTC);
    JournalEntry.FillRecorded f = (JournalEntry.FillRecorded) e;
    assertEquals(42, f.tradeId());
    assertEquals("BUY", f.side());
    assertEquals(new BigDecimal("59999"), f.price());
    assertEquals(new BigDecimal("0.003"), f.qty());
    assertEquals(new BigDecimal("0.01"), f.commission());
    assertEquals("phx-1-9", f.clientOrderId());
  }

  @Test
  void newIsAnAckAndRejectsOfCancelsAreNotOrderRejects() {
    JournalEntry ack =
        JournalEntries.fromOrderUpdate(
            AccountFixtures.accepted(BTC, "phx-1-3", Side.SELL, 5, 600_000), BTC);
    assertEquals(
        new JournalEntry.OrderAcked("BTCUSDT", "phx-1-3", 77, "NEW", Instant.ofEpochMilli(1)), ack);
    assertEquals(
        new JournalEntry.OrderRejected(
            "BTCUSDT", "phx-1-3", -5022, "would take", Instant.ofEpochMilli(5)),
        JournalEntries.rejected(
            new OrderEvent.OrderRejected(
                0, "phx-1-3", OrderEvent.RequestKind.PLACE, -5022, "would take"),
            BTC,
            5));
    assertNull(
        JournalEntries.rejected(
            new OrderEvent.OrderRejected(
                0, "phx-1-3", OrderEvent.RequestKind.CANCEL, -2011, "unknown"),
            BTC,
            5));
  }
}
