package io.phoenix.journal;

import static io.phoenix.journal.JournalFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phoenix.config.Secret;
import io.phoenix.journal.JournalEntry.FundingRecorded;
import io.phoenix.journal.JournalEntry.OrderAcked;
import io.phoenix.journal.JournalEntry.OrderRequested;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal SQL on PostgreSQL. Runs only when {@code PHOENIX_TEST_PG_URL} names a throwaway
 * database (its public schema is dropped!), e.g. {@code
 * PHOENIX_TEST_PG_URL=jdbc:postgresql://127.0.0.1:55432/phoenix_test?user=phoenix}.
 */
class JournalPostgresTest {
  private static final String URL = System.getenv("PHOENIX_TEST_PG_URL");

  @BeforeEach
  void cleanDatabase() throws Exception {
    assumeTrue(URL != null && URL.startsWith("jdbc:postgresql:"), "PHOENIX_TEST_PG_URL not set");
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA public CASCADE");
      s.execute("CREATE SCHEMA public");
    }
  }

  @Test
  void roundTripDuplicatesAndInvalidEntries() throws Exception {
    Instant t = Instant.parse("2026-11-26T10:15:30.123Z");
    var requested =
        new OrderRequested(
            "BTCUSDT",
            "phx-B-1",
            "BUY",
            "LIMIT",
            "GTX",
            new BigDecimal("50000.10"),
            new BigDecimal("0.010"),
            false,
            t);
    var acked = new OrderAcked("BTCUSDT", "phx-B-1", 77L, "NEW", t.plusMillis(3));
    var f1 = fill("BTCUSDT", 1, "BUY", "50000.2", "0.01", "0.1", "0", true, "2026-11-26T10:15:31Z");
    var f2 = fill("BTCUSDT", 2, "SELL", "50100", "0.01", "0.1", "1", true, "2026-11-26T10:15:32Z");
    var funding =
        new FundingRecorded("BTCUSDT", new BigDecimal("-0.0125"), "USDT", t.plusSeconds(60));
    try (JournalStore store = JournalStore.open(URL, "", Secret.empty())) {
      assertEquals(5, store.append(List.of(requested, acked, f1, f2, funding)));
      assertEquals(0, store.append(List.of(f1)));
      assertEquals(List.of(requested, acked), store.orderEvents("phx-B-1"));
      assertEquals(List.of(f1, f2), store.fills());
      assertEquals(List.of(funding), store.funding());
      assertEquals(Map.of("BTCUSDT", 2L), store.lastTradeIds());

      var poison = new OrderAcked("BTCUSDT", "y".repeat(100), 5, "NEW", t);
      var f3 = fill("BTCUSDT", 3, "BUY", "50000", "0.01", "0.1", "0", true, "2026-11-26T10:15:33Z");
      JournalStore.AppendResult r = store.appendIsolating(List.of(poison, f3));
      assertEquals(1, r.inserted());
      assertEquals(List.of(poison), r.rejected());
      assertEquals(List.of(), r.retry());
      assertEquals(3, store.fills().size());
    }
  }
}
