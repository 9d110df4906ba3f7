package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.market.BookCommand;
import io.phoenix.market.BookSnapshot;
import io.phoenix.market.DepthDiff;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.InvalidReason;
import io.phoenix.market.MarketEvent;
import io.phoenix.market.TickerTop;
import io.phoenix.model.OrderIntent;
import io.phoenix.risk.Risk;
import io.phoenix.testkit.ManualDepthSnapshots;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The quoter owns its symbol's book: it takes the feed's diffs itself, fetches the snapshot, quotes
 * once the book is in sync, pulls its quotes on a sequence break and quotes again after the resync,
 * and a restarted quoter rebuilds the book from a fresh snapshot before it quotes.
 */
class QuoterBookTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final AtomicInteger IDS = new AtomicInteger(100);
  private static final FeedSettings FEED =
      FeedSettings.fromConfig(Fixtures.config("phoenix.feed.snapshot-min-interval = 50ms"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  record Rig(
      Instrument instrument,
      ActorRef<Quoter.Command> quoter,
      TestProbe<Risk.Command> risk,
      ManualDepthSnapshots snapshots,
      FeedMetrics metrics,
      LinkedBlockingQueue<MarketEvent.BookUpdated> tops) {

    QuoterTest.Rig asQuoterRig() {
      return new QuoterTest.Rig(instrument, quoter, risk);
    }

    /** A diff adding one bid level (price in ticks, quantity in steps). */
    void diff(long first, long last, long previous, long bidTicks, long bidSteps) {
      quoter.tell(
          new Quoter.Book(
              new BookCommand.ApplyDiff(
                  new DepthDiff(
                      instrument.id(),
                      1,
                      1,
                      first,
                      last,
                      previous,
                      new long[] {bidTicks},
                      new long[] {bidSteps},
                      new long[0],
                      new long[0],
                      System.nanoTime()))));
    }

    /**
     * Answers the quoter's pending snapshot fetch: bid 50,000.0 × 1, ask 50,000.1 × 2 at {@code
     * lastUpdateId}.
     */
    void snapshot(long lastUpdateId) throws InterruptedException {
      snapshots
          .next()
          .complete(
              ManualDepthSnapshots.body(lastUpdateId, "50000.0", "1.000", "50000.1", "2.000"));
    }

    BookSnapshot book() {
      TestProbe<BookSnapshot> reply = testKit.createTestProbe();
      quoter.tell(new Quoter.Book(new BookCommand.GetBook(reply.getRef())));
      return reply.receiveMessage();
    }

    void expectStartUp() {
      risk.expectMessageClass(Risk.RegisterQuoter.class);
      assertInstanceOf(
          OrderIntent.CancelAll.class, risk.expectMessageClass(Risk.Check.class).intent());
    }
  }

  static Rig rig() {
    return rig(FEED);
  }

  static Rig rig(FeedSettings feed) {
    int n = IDS.incrementAndGet();
    Instrument ins = Fixtures.btc(n);
    TestProbe<Risk.Command> risk = testKit.createTestProbe();
    ManualDepthSnapshots snapshots = new ManualDepthSnapshots();
    FeedMetrics metrics =
        new FeedMetrics(new SimpleMeterRegistry(), "book-test-" + n, List.of(ins));
    LinkedBlockingQueue<MarketEvent.BookUpdated> tops = new LinkedBlockingQueue<>();
    ActorRef<Quoter.Command> q =
        testKit.spawn(
            Behaviors.supervise(
                    Quoter.create(
                        new Quoter.Dependencies(
                                ins,
                                Fixtures.quoter(QuoterTest.CFG),
                                risk.ref(),
                                Quoter::defaultIds,
                                true)
                            .withBook(new Quoter.BookSource(snapshots, feed, metrics, tops::add))))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()),
            "book-quoter-" + n);
    Rig rig = new Rig(ins, q, risk, snapshots, metrics, tops);
    rig.expectStartUp();
    return rig;
  }

  @Test
  void quotesOnItsOwnBookPullsOnABreakAndQuotesAgainAfterTheResync() throws Exception {
    Rig r = rig();
    QuoterTest.Rig quoting = r.asQuoterRig();
    // diffs before any snapshot are buffered and make the quoter fetch one
    r.diff(5, 10, 4, 499_990, 1_000);
    r.snapshot(7);
    List<OrderIntent> placed = quoting.checks(4);
    placed.forEach(i -> assertInstanceOf(OrderIntent.Place.class, i));
    quoting.acceptAll(placed);

    BookSnapshot book = r.book();
    assertTrue(book.valid());
    assertEquals(10, book.lastUpdateId());
    assertEquals(500_000, book.bidPrices()[0]);
    assertEquals(500_001, book.askPrices()[0]);
    MarketEvent.BookUpdated top = r.tops().poll(3, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(500_000, top.bidPrice(), "the dashboard tap sees the top of the quoter's book");

    // a sequence break: the book is invalid, every quote is pulled, a new snapshot is fetched
    r.diff(30, 40, 25, 499_000, 1_000);
    List<OrderIntent> pulled = quoting.checks(4);
    pulled.forEach(i -> assertInstanceOf(OrderIntent.Cancel.class, i));
    BookSnapshot broken = r.book();
    assertFalse(broken.valid());
    assertEquals(InvalidReason.SEQUENCE_GAP, broken.reason());
    assertEquals(1, r.metrics().gaps(r.instrument().id()));

    r.snapshot(35);
    List<OrderIntent> again = quoting.checks(4);
    again.forEach(i -> assertInstanceOf(OrderIntent.Place.class, i));
    assertEquals(40, r.book().lastUpdateId());
  }

  /**
   * The market moves through our asks on the bookTicker, the diffs a batch behind: the quoter pulls
   * them on the ticker's frame, with no diff showing the move yet.
   */
  @Test
  void aBookTickerThatMovesThroughOurQuotesIsAnsweredBeforeAnyDiffShowsIt() throws Exception {
    Rig r = rig();
    QuoterTest.Rig quoting = r.asQuoterRig();
    r.diff(5, 10, 4, 499_990, 1_000);
    r.snapshot(7);
    quoting.acceptAll(quoting.checks(4));
    r.tops().clear();

    long frame = System.nanoTime();
    r.quoter()
        .tell(
            new Quoter.Book(
                new BookCommand.ApplyTicker(
                    new TickerTop(12, 500_010, 3_000, 500_011, 4_000, 2, frame))));
    Risk.Command answer = r.risk().receiveMessage(java.time.Duration.ofMillis(250));
    List<OrderIntent> intents =
        answer instanceof Risk.CheckAll all
            ? all.intents()
            : List.of(((Risk.Check) answer).intent());
    assertTrue(
        intents.stream().anyMatch(i -> i instanceof OrderIntent.Cancel),
        "the asks the ticker went through are pulled on its frame: " + intents);
    MarketEvent.BookUpdated top = r.tops().poll(3, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(500_010, top.bidPrice(), "the top is the ticker's");
    assertEquals(10, top.lastUpdateId(), "while the book's own levels are still at id 10");
    assertEquals(500_000, r.book().bidPrices()[0]);
  }

  @Test
  void withTickerTopOffTheQuoterWaitsForTheDiffs() throws Exception {
    Rig r =
        rig(
            FeedSettings.fromConfig(
                Fixtures.config(
                    "phoenix.feed { snapshot-min-interval = 50ms, ticker-top = off }")));
    QuoterTest.Rig quoting = r.asQuoterRig();
    r.diff(5, 10, 4, 499_990, 1_000);
    r.snapshot(7);
    quoting.acceptAll(quoting.checks(4));
    r.quoter()
        .tell(
            new Quoter.Book(
                new BookCommand.ApplyTicker(
                    new TickerTop(12, 500_010, 3_000, 500_011, 4_000, 2, System.nanoTime()))));
    r.risk().expectNoMessage(java.time.Duration.ofMillis(300));
  }

  @Test
  void aStreamLossPullsQuotesAndARestartedQuoterResyncsBeforeItQuotes() throws Exception {
    Rig r = rig();
    QuoterTest.Rig quoting = r.asQuoterRig();
    r.diff(5, 10, 4, 499_990, 1_000);
    r.snapshot(7);
    quoting.acceptAll(quoting.checks(4));

    r.quoter().tell(new Quoter.Book(new BookCommand.StreamDisconnected("socket dropped")));
    quoting.checks(4).forEach(i -> assertInstanceOf(OrderIntent.Cancel.class, i));
    assertEquals(InvalidReason.DISCONNECTED, r.book().reason());

    r.quoter().tell(new Quoter.Crash("drill"));
    r.expectStartUp();
    BookSnapshot fresh = r.book();
    assertFalse(fresh.valid(), "a new incarnation starts with no book");
    assertEquals(0, fresh.bidPrices().length);
    r.diff(50, 60, 49, 499_990, 1_000);
    r.snapshot(55);
    quoting.checks(4).forEach(i -> assertInstanceOf(OrderIntent.Place.class, i));
    assertEquals(60, r.book().lastUpdateId());
  }
}
