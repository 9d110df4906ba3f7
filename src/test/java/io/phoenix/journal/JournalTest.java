package io.phoenix.journal;

import static io.phoenix.journal.JournalFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.config.JournalSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void writesWhenTheBatchIsFullAndOnFlush(@TempDir Path dir) throws Exception {
    JournalSettings settings = JournalFixtures.settings(dir); // batch 3, interval 10 s
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JournalStore store = JournalStore.open(settings)) {
      ActorRef<Journal.Command> journal = testKit.spawn(Journal.create(store, settings, registry));
      for (int i = 1; i <= 4; i++) {
        journal.tell(
            new Journal.Append(
                fill("BTCUSDT", i, "BUY", "100", "1", "0", "0", true, "2026-11-26T00:00:00Z")));
      }
      TestProbe<Void> waiter = testKit.createTestProbe();
      waiter.awaitAssert(
          () -> {
            assertEquals(
                3, store.fills().size()); // the full batch, not the fourth: the timer is 10 s away
            return null;
          });
      TestProbe<Journal.Flushed> probe = testKit.createTestProbe();
      journal.tell(new Journal.Flush(probe.ref()));
      assertEquals(new Journal.Flushed(4, 0), probe.receiveMessage());
      assertEquals(4, store.fills().size());
      assertEquals(4.0, registry.get("phoenix.journal.written").counter().count());
      assertEquals(0.0, registry.get("phoenix.journal.pending").gauge().value());
    }
  }

  @Test
  void anInvalidEntryIsDroppedWithoutBlockingTheOthers(@TempDir Path dir) throws Exception {
    JournalSettings settings = JournalFixtures.settings(dir);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JournalStore store = JournalStore.open(settings)) {
      ActorRef<Journal.Command> journal = testKit.spawn(Journal.create(store, settings, registry));
      String tooLong = "x".repeat(100); // client_order_id is VARCHAR(64)
      journal.tell(
          new Journal.Append(
              fill("BTCUSDT", 1, "BUY", "100", "1", "0", "0", true, "2026-11-26T00:00:00Z")));
      journal.tell(
          new Journal.Append(
              new JournalEntry.OrderAcked(
                  "BTCUSDT", tooLong, 5, "NEW", java.time.Instant.parse("2026-11-26T00:00:00Z"))));
      journal.tell(
          new Journal.Append(
              fill("BTCUSDT", 2, "BUY", "100", "1", "0", "0", true, "2026-11-26T00:00:00Z")));
      journal.tell(new Journal.Append(null));
      TestProbe<Journal.Flushed> probe = testKit.createTestProbe();
      journal.tell(new Journal.Flush(probe.ref()));
      assertEquals(new Journal.Flushed(2, 0), probe.receiveMessage());
      assertEquals(2, store.fills().size());
      assertEquals(2.0, registry.get("phoenix.journal.rejected").counter().count());
      assertEquals(0.0, registry.get("phoenix.journal.pending").gauge().value());
    }
  }

  @Test
  void stopWritesWhatIsBuffered(@TempDir Path dir) throws Exception {
    JournalSettings settings = JournalFixtures.settings(dir);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JournalStore store = JournalStore.open(settings)) {
      ActorRef<Journal.Command> journal = testKit.spawn(Journal.create(store, settings, registry));
      journal.tell(
          new Journal.Append(
              fill("ETHUSDT", 5, "SELL", "10", "2", "0", "0", false, "2026-11-26T00:00:00Z")));
      // stopping is a system message and overtakes the mailbox: wait until the entry is buffered
      TestProbe<Void> waiter = testKit.createTestProbe();
      waiter.awaitAssert(
          () -> {
            assertEquals(1.0, registry.get("phoenix.journal.pending").gauge().value());
            return null;
          });
      assertEquals(0, store.fills().size());
      testKit.stop(journal);
      assertEquals(1, store.fills().size());
    }
  }
}
