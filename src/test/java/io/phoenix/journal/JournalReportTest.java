package io.phoenix.journal;

import static io.phoenix.journal.JournalFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.journal.JournalEntry.FundingRecorded;
import io.phoenix.journal.JournalReport.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReportTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static void assertMoney(String expected, BigDecimal actual) {
    assertEquals(0, d(expected).compareTo(actual), "expected " + expected + " but was " + actual);
  }

  @Test
  void sumsBySymbolAndDayFromKnownRows(@TempDir Path dir) throws Exception {
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      store.append(
          List.of(
              fill("BTCUSDT", 1, "BUY", "50000", "0.01", "0.1", "0", true, "2026-11-25T23:59:59Z"),
              fill(
                  "BTCUSDT",
                  2,
                  "SELL",
                  "50100",
                  "0.01",
                  "0.1002",
                  "1",
                  true,
                  "2026-11-26T00:00:01Z"),
              fill(
                  "BTCUSDT",
                  3,
                  "BUY",
                  "50050",
                  "0.02",
                  "0.4004",
                  "0",
                  false,
                  "2026-11-26T12:00:00Z"),
              fill("ETHUSDT", 4, "SELL", "3000", "1", "0.6", "-2.5", true, "2026-11-26T08:00:00Z"),
              new FundingRecorded(
                  "BTCUSDT", d("-0.25"), "USDT", Instant.parse("2026-11-26T16:00:00Z"))));
      List<Row> rows = JournalReport.compute(store.fills(), store.funding());
      assertEquals(5, rows.size()); // BTC 25th, BTC 26th, BTC total, ETH 26th, ETH total

      Row btc25 = rows.get(0);
      assertEquals(LocalDate.parse("2026-11-25"), btc25.day());
      assertEquals(1, btc25.fills());
      assertMoney("500", btc25.volume());

      Row btc26 = rows.get(1);
      assertEquals("BTCUSDT", btc26.symbol());
      assertEquals(2, btc26.fills());
      assertEquals(1, btc26.makerFills());
      assertMoney("0.02", btc26.buyQty());
      assertMoney("0.01", btc26.sellQty());
      assertMoney("1502", btc26.volume()); // 501 + 1001
      assertMoney("0.5006", btc26.fees());
      assertMoney("1", btc26.realizedPnl());
      assertMoney("-0.25", btc26.funding());
      assertMoney("0.2494", btc26.netPnl()); // 1 - 0.5006 - 0.25

      Row btcTotal = rows.get(2);
      assertNull(btcTotal.day());
      assertEquals(3, btcTotal.fills());
      assertMoney("2002", btcTotal.volume());
      assertMoney("0.1494", btcTotal.netPnl()); // 1 - 0.6006 - 0.25

      Row eth = rows.get(3);
      assertEquals("ETHUSDT", eth.symbol());
      assertMoney("-3.1", eth.netPnl());
    }
  }

  @Test
  void runPrintsTheReportForTheConfiguredJournal(@TempDir Path dir) throws Exception {
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      store.append(
          List.of(
              fill("SOLUSDT", 1, "BUY", "150.5", "2", "0.06", "0", true, "2026-11-26T01:00:00Z")));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        JournalReport.run(
            JournalFixtures.config(dir),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(text.contains("SOLUSDT"), text);
    assertTrue(text.contains("2026-11-26"), text);
    assertTrue(text.contains("301.0000"), text); // volume
    assertTrue(text.contains("-0.0600"), text); // net
  }
}
