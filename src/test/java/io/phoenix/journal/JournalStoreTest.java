package io.phoenix.journal;

import static io.phoenix.journal.JournalFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.config.JournalSettings;
import io.phoenix.config.Secret;
import io.phoenix.journal.JournalEntry.FundingRecorded;
import io.phoenix.journal.JournalEntry.OrderAcked;
import io.phoenix.journal.JournalEntry.OrderAmended;
import io.phoenix.journal.JournalEntry.OrderCanceled;
import io.phoenix.journal.JournalEntry.OrderRejected;
import io.phoenix.journal.JournalEntry.OrderRequested;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {
  private static final Instant T = Instant.parse("2026-11-26T10:15:30.123Z");

  @Test
  void everyEntryKindRoundTrips(@TempDir Path dir) throws Exception {
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
            T);
    var market =
        new OrderRequested(
            "BTCUSDT", "phx-B-2", "SELL", "MARKET", null, null, new BigDecimal("0.5"), true, T);
    var acked = new OrderAcked("BTCUSDT", "phx-B-1", 77L, "NEW", T.plusMillis(3));
    var rejected =
        new OrderRejected("BTCUSDT", "phx-B-3", -2019, "Margin is insufficient.", T.plusMillis(4));
    var amended =
        new OrderAmended(
            "BTCUSDT",
            "phx-B-1",
            77L,
            new BigDecimal("50000.2"),
            new BigDecimal("0.01"),
            T.plusMillis(5));
    var canceled = new OrderCanceled("BTCUSDT", "phx-B-1", 77L, "requote", T.plusMillis(6));
    var fill =
        fill("BTCUSDT", 9001, "BUY", "50000.2", "0.01", "0.1", "0", true, "2026-11-26T10:15:31Z");
    var funding =
        new FundingRecorded("BTCUSDT", new BigDecimal("-0.0125"), "USDT", T.plusSeconds(60));
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      int n =
          store.append(
              List.of(requested, market, acked, rejected, amended, canceled, fill, funding));
      assertEquals(8, n);
      assertEquals(List.of(requested, acked, amended, canceled), store.orderEvents("phx-B-1"));
      assertEquals(
          List.of(requested, market, acked, rejected, amended, canceled), store.orderEvents(null));
      assertEquals(List.of(fill), store.fills());
      assertEquals(List.of(funding), store.funding());
    }
    // reopening migrates nothing new and sees the same rows
    try (JournalStore again = JournalStore.open(JournalFixtures.settings(dir))) {
      assertEquals(1, again.fills().size());
    }
  }

  @Test
  void duplicateFillsAreSkippedAndLastTradeIdsTracked(@TempDir Path dir) throws Exception {
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      var a = fill("BTCUSDT", 1, "BUY", "100", "1", "0.01", "0", true, "2026-11-26T00:00:01Z");
      var b = fill("BTCUSDT", 2, "SELL", "101", "1", "0.01", "1", true, "2026-11-26T00:00:02Z");
      var c = fill("ETHUSDT", 7, "BUY", "10", "1", "0.01", "0", false, "2026-11-26T00:00:03Z");
      assertEquals(3, store.append(List.of(a, b, c)));
      assertEquals(0, store.append(List.of(a, b)));
      assertEquals(3, store.fills().size());
      assertEquals(Map.of("BTCUSDT", 2L, "ETHUSDT", 7L), store.lastTradeIds());
      assertEquals(OptionalLong.of(2), store.lastTradeId("BTCUSDT"));
      assertEquals(OptionalLong.empty(), store.lastTradeId("SOLUSDT"));
    }
  }

  /**
   * Rows the store reported committed are in the file even when the writer dies with no shutdown.
   */
  @Test
  void committedRowsSurviveAProcessThatDiesWithoutShutdown(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    int fills = 40;
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                javaCommand,
                "-cp",
                System.getProperty("java.class.path"),
                JournalHaltWriter.class.getName(),
                url,
                String.valueOf(fills))
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "writer did not end");
    assertEquals(137, child.exitValue(), output);
    assertTrue(output.contains("committed " + fills), output);
    try (JournalStore store = JournalStore.open(url, "phoenix", Secret.empty())) {
      assertEquals(fills, store.fills().size(), "fills in the file after the writer died");
    }
  }

  @Test
  void h2FileUrlsKeepTheBackgroundWriterAndCheckpointEachCommitUnlessTheOperatorChoseADelay() {
    assertEquals(
        "jdbc:h2:file:./data/journal;RETENTION_TIME=5000;CACHE_SIZE=1024",
        JournalStore.durable("jdbc:h2:file:./data/journal"));
    assertEquals(
        "jdbc:h2:./j;MODE=PostgreSQL;CACHE_SIZE=64;RETENTION_TIME=5000",
        JournalStore.durable("jdbc:h2:./j;MODE=PostgreSQL;CACHE_SIZE=64"));
    assertTrue(JournalStore.checkpointsEachCommit("jdbc:h2:file:./data/journal"));
    assertEquals(
        "jdbc:h2:file:./j;write_delay=500",
        JournalStore.durable("jdbc:h2:file:./j;write_delay=500"));
    assertFalse(JournalStore.checkpointsEachCommit("jdbc:h2:file:./j;write_delay=500"));
    assertEquals(
        "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1", JournalStore.durable("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"));
    assertFalse(JournalStore.checkpointsEachCommit("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"));
    assertEquals(
        "jdbc:postgresql://db/phoenix", JournalStore.durable("jdbc:postgresql://db/phoenix"));
    assertFalse(JournalStore.checkpointsEachCommit("jdbc:postgresql://db/phoenix"));
  }

  /**
   * Small commits spread over longer than H2's chunk retention: with WRITE_DELAY=0 the file grew by
   * a dead chunk per commit and never gave it back (about 16 KB each); the journal's settings let
   * H2 reuse them, so the file stops growing once the retention window is full.
   */
  @Test
  void manySmallCommitsDoNotGrowTheFileWithoutBound(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("journal.mv.db");
    long commitsPerSecond = 100;
    long seconds = 14;
    long sizeAtHalf = 0;
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      long start = System.nanoTime();
      for (long i = 0; i < commitsPerSecond * seconds; i++) {
        // paced writes, as a trading node journals them: the retention window is measured in time
        long due = start + i * 1_000_000_000L / commitsPerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        store.append(
            List.of(
                new OrderRequested(
                    "BTCUSDT",
                    "phx-B-" + Long.toHexString(i * 0x9E3779B97F4A7C15L),
                    "BUY",
                    "LIMIT",
                    "GTX",
                    new BigDecimal("50000.10"),
                    new BigDecimal("0.010"),
                    false,
                    T.plusMillis(i))));
        if (i == commitsPerSecond * seconds / 2) {
          sizeAtHalf = java.nio.file.Files.size(file);
        }
      }
      long sizeAtEnd = java.nio.file.Files.size(file);
      System.out.printf(
          "journal file: %.1f MB at half, %.1f MB at end%n", sizeAtHalf / 1e6, sizeAtEnd / 1e6);
      assertEquals(commitsPerSecond * seconds, store.orderEvents(null).size());
      // the second half may fill what the first left free, not add another half's worth of chunks
      assertTrue(
          sizeAtEnd - sizeAtHalf < sizeAtHalf / 2,
          "file grew from " + sizeAtHalf + " to " + sizeAtEnd + " bytes in the second half");
    }
  }

  /**
   * Commits forced to the file one by one, as the node journals: without compaction H2 keeps every
   * chunk a commit left behind while later commits empty it (a 60-minute soak ended with 2,900
   * chunks at 12 % fill); the journal's own compaction keeps the count to a few intervals' worth.
   */
  @Test
  void theJournalCompactsTheChunksItsCommitsLeaveBehind(@TempDir Path dir) throws Exception {
    long uncompacted = chunksAfterCommits(dir.resolve("never"), Duration.ofHours(1), 0);
    long compacted = chunksAfterCommits(dir.resolve("often"), Duration.ofMillis(200), 1);
    System.out.printf("chunks: %d never compacted, %d compacted%n", uncompacted, compacted);
    assertTrue(
        compacted * 2 < uncompacted,
        "compacted " + compacted + " chunks, never compacted " + uncompacted);
  }

  private static long chunksAfterCommits(Path dir, Duration compactInterval, long minCompactions)
      throws Exception {
    JournalSettings settings = JournalFixtures.settings(dir);
    // a 1 s chunk retention instead of the journal's 5 s, so that seconds of commits show it; and
    // H2's own compaction, which runs only once the store has been idle for a while (a trading
    // node's journal never is; a test's can be, on a busy machine), off: what is compared is the
    // journal's compaction alone
    JournalSettings shortRetention =
        settings
            .withUrl(settings.url() + ";RETENTION_TIME=1000;AUTO_COMPACT_FILL_RATE=0")
            .withCompactInterval(compactInterval);
    try (JournalStore store = JournalStore.open(shortRetention)) {
      int commits = 2_000;
      long ids = 0;
      for (int i = 0; i < commits; i++) {
        // client ids spread over the whole index: each commit touches a few of its leaves, and a
        // chunk keeps a leaf nothing has touched since alive, and so itself
        List<JournalEntry> batch = new java.util.ArrayList<>();
        for (int k = 0; k < 8; k++) {
          String id = "phx-C-" + Long.toHexString(++ids * 0x9E3779B97F4A7C15L);
          batch.add(
              new OrderRequested(
                  "BTCUSDT",
                  id,
                  "BUY",
                  "LIMIT",
                  "GTX",
                  new BigDecimal("50000.10"),
                  new BigDecimal("0.010"),
                  false,
                  T.plusMillis(i)));
          batch.add(new OrderAcked("BTCUSDT", id, ids, "NEW", T.plusMillis(i)));
        }
        store.append(batch);
      }
      // then 3 s at 10 commits a second, as a trading node writes: never idle long enough for
      // H2's own housekeeping to compact, long enough for what a pass rewrote to be dropped
      for (int settle = 0; settle < 30; settle++) {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        store.append(List.of(new OrderAcked("BTCUSDT", "phx-C-settle" + settle, ++ids, "NEW", T)));
      }
      assertTrue(store.compactions() >= minCompactions, "compactions: " + store.compactions());
      assertEquals(0, store.compactFailures());
      assertEquals(commits * 16L + 30, store.orderEvents(null).size());
      return store.chunkCount();
    }
  }

  @Test
  void badUrlNamesTheDatabase() {
    JournalException e =
        assertThrows(
            JournalException.class,
            () -> JournalStore.open("jdbc:nosuchdb:x", "u", Secret.empty()));
    assertTrue(e.getMessage().contains("jdbc:nosuchdb:x"), e.getMessage());
  }

  @Test
  void invalidEntriesAreRefusedAtConstruction() {
    assertThrows(
        IllegalArgumentException.class,
        () -> fill("BTCUSDT", 1, "HOLD", "1", "1", "0", "0", true, "2026-11-26T00:00:00Z"));
  }
}
