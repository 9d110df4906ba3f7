package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.testkit.ManualDepthSnapshots;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BookActorTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final FeedSettings SETTINGS =
      FeedSettings.fromConfig(
          ConfigFactory.parseString("phoenix.feed.snapshot-min-interval = 50ms")
              .withFallback(ConfigFactory.load()));
  private static final Instrument ETH = Fixtures.ETHUSDT;

  @AfterAll
  static void shutdown() {
    TESTKIT.shutdownTestKit();
  }

  private static DepthDiff diff(long first, long last, long prev, long bidPrice, long bidQty) {
    return new DepthDiff(
        ETH.id(),
        1,
        1,
        first,
        last,
        prev,
        new long[] {bidPrice},
        new long[] {bidQty},
        new long[0],
        new long[0],
        0);
  }

  private static byte[] snapshot(long lastUpdateId) {
    return ManualDepthSnapshots.body(lastUpdateId, "100.00", "1.000", "100.05", "2.000");
  }

  @Test
  void synchronisesFromSnapshotPublishesUpdatesAndResyncsOnGap() throws Exception {
    ManualDepthSnapshots snapshots = new ManualDepthSnapshots();
    FeedMetrics metrics = new FeedMetrics(new SimpleMeterRegistry(), "t1", List.of(ETH));
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    ActorRef<BookCommand> keeper =
        TESTKIT.spawn(
            BookActor.create(ETH, snapshots, SETTINGS, metrics, List.of(consumer.getRef())));

    keeper.tell(new BookCommand.ApplyDiff(diff(5, 10, 4, 9_990, 1)));
    keeper.tell(new BookCommand.ApplyDiff(diff(11, 20, 10, 9_995, 3)));
    snapshots.next().complete(snapshot(12));
    MarketEvent.BookUpdated updated = consumer.expectMessageClass(MarketEvent.BookUpdated.class);
    assertEquals(20, updated.lastUpdateId());
    assertEquals(10_000, updated.bidPrice());
    assertEquals(1000, updated.bidQty());
    assertEquals(10_005, updated.askPrice());
    assertEquals(2000, updated.askQty());

    TestProbe<BookSnapshot> reply = TESTKIT.createTestProbe();
    keeper.tell(new BookCommand.GetBook(reply.getRef()));
    BookSnapshot book = reply.receiveMessage();
    assertTrue(book.valid());
    // 9_990 came from a diff older than the snapshot and was dropped; 9_995 from the spanning one
    assertArrayEquals(new long[] {10_000, 9_995}, book.bidPrices());

    keeper.tell(new BookCommand.ApplyDiff(diff(30, 40, 25, 9_000, 1)));
    assertEquals(
        new MarketEvent.BookInvalidated(ETH.id(), InvalidReason.SEQUENCE_GAP),
        consumer.expectMessageClass(MarketEvent.BookInvalidated.class));
    snapshots.next().complete(snapshot(35));
    assertEquals(40, consumer.expectMessageClass(MarketEvent.BookUpdated.class).lastUpdateId());
    assertEquals(1, metrics.gaps(ETH.id()));
    assertEquals(2, metrics.resyncs(ETH.id()));
  }

  @Test
  void retriesAFailedSnapshotAndInvalidatesOnDisconnect() throws Exception {
    ManualDepthSnapshots snapshots = new ManualDepthSnapshots();
    FeedMetrics metrics = new FeedMetrics(new SimpleMeterRegistry(), "t2", List.of(ETH));
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    ActorRef<BookCommand> keeper =
        TESTKIT.spawn(BookActor.create(ETH, snapshots, SETTINGS, metrics, List.of()));
    keeper.tell(new BookCommand.Subscribe(consumer.getRef()));

    keeper.tell(new BookCommand.ApplyDiff(diff(5, 10, 4, 9_990, 1)));
    snapshots.next().completeExceptionally(new java.io.IOException("HTTP 503"));
    snapshots.next().complete("{\"lastUpdateId\":\"oops\"}".getBytes(StandardCharsets.UTF_8));
    snapshots.next().complete(snapshot(7));
    consumer.expectMessageClass(MarketEvent.BookUpdated.class);
    assertEquals(1, metrics.decodeErrors(ETH.id()));

    keeper.tell(new BookCommand.StreamDisconnected("test"));
    assertEquals(
        new MarketEvent.BookInvalidated(ETH.id(), InvalidReason.DISCONNECTED),
        consumer.expectMessageClass(MarketEvent.BookInvalidated.class));
    TestProbe<BookSnapshot> reply = TESTKIT.createTestProbe();
    keeper.tell(new BookCommand.GetBook(reply.getRef()));
    BookSnapshot book = reply.receiveMessage();
    assertFalse(book.valid());
    assertEquals(InvalidReason.DISCONNECTED, book.reason());
    assertEquals(0, book.bidPrices().length);
  }
}
