package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The soft position limit counts every order of ours that can still fill. BTC at 50,000: a step
 * (0.001) is 50 USDT, a level is 2 steps, the limit of 500.1 USDT is 10 steps. Each row sets a
 * state up, requotes once after the market moved, and gives the quantity of new bids (and asks) the
 * requote may place; after every requote the side's worst case (position plus every order of ours
 * on it) stays within the limit whenever that side placed anything.
 */
class SoftPositionLimitTest {
  static final long MS = 1_000_000L;
  static final String CFG =
      "phoenix.quoter { spread-unit = ticks, base-spread = 4, level-spacing = 2, fair-value = mid, levels = 2,"
          + " level-notional = 99, min-quote-life = 0ms, stale-book-after = 10s, refresh-tolerance-bps = 0,"
          + " refresh-tolerance-ticks = 0, require-mark-price = false, max-position-notional = 500.1, fill-report-timeout = 2s }";
  static final long MAX = 10;

  /** One row: what happens before the requote under test, and what it may place per side. */
  record Row(String name, Consumer<Q> before, long bids, long asks) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("flat, nothing working: both sides full", q -> {}, 4, 4),
        new Row(
            "long 6, nothing working: bids up to the limit",
            q -> q.core.onPosition(6, 50_000),
            4,
            4),
        new Row(
            "long 6, both bids cancelled in this very requote: no new bid",
            q -> {
              q.quoteAndAccept();
              q.core.onPosition(6, 50_000);
            },
            0,
            4),
        new Row(
            "long 2, bids of two requotes still pending cancel: no new bid",
            q -> {
              q.quoteAndAccept();
              q.move(-3);
              q.core.requote(q.now());
              q.acceptPlaces();
              q.core.onPosition(2, 50_000);
            },
            0,
            4),
        new Row(
            "long 4, a bid of unknown outcome and a resting bid, both cancelled: one level",
            q -> {
              q.core.onPosition(4, 50_000);
              q.quoteAndAccept();
              q.core.onUnknown(q.firstPlace(true));
            },
            2,
            4),
        new Row(
            "partial fill: leaves count, not the original size",
            q -> {
              q.core.onPosition(4, 50_000);
              q.quoteAndAccept();
              String bid = q.firstPlace(true);
              q.core.onOrderUpdate(bid, true, true, 1, 1, 499_998, 0);
              // position 5, leaves 1 + 2: room 2 after the move
            },
            2,
            4),
        new Row(
            "room for less than a level: the order is made smaller",
            q -> {
              q.core.onPosition(5, 50_000);
              q.quoteAndAccept();
              // position 5 + 4 pending cancel: 1 step of room
            },
            1,
            4),
        new Row(
            "a cancel answered with fills the user stream has not reported: they count",
            q -> {
              q.core.onPosition(4, 50_000);
              q.quoteAndAccept();
              q.core.onFinished(q.firstPlace(true), 2, q.now());
              // position 4 + 2 unreported + 2 resting bid cancelled: room 2
            },
            2,
            4),
        new Row(
            "a cancel answered with nothing filled: the order is gone",
            q -> {
              q.core.onPosition(4, 50_000);
              q.quoteAndAccept();
              q.core.onFinished(q.firstPlace(true), 0, q.now());
              // position 4 + 2 resting bid cancelled: room 4
            },
            4,
            4),
        new Row(
            "unreported fills count until the user stream reports them",
            q -> {
              q.core.onPosition(4, 50_000);
              q.quoteAndAccept();
              String bid = q.firstPlace(true);
              q.core.onFinished(bid, 2, q.now());
              q.core.onOrderUpdate(bid, true, false, 2, 2, 499_998, 0);
              // position 6 + 2 resting bid cancelled: room 2
            },
            2,
            4),
        new Row(
            "a cancel refused with -2011: the whole order may have filled",
            q -> {
              q.core.onPosition(6, 50_000);
              q.quoteAndAccept();
              q.core.onCancelRejected(q.firstPlace(true), -2011, q.now());
              q.core.onOrderUpdate(q.places(true).get(1), true, false, 0, 0, 0, 0);
              // position 6 + 2 possibly filled: room 2
            },
            2,
            4),
        new Row(
            "unreported fills stop counting after fill-report-timeout",
            q -> {
              q.core.onPosition(6, 50_000);
              q.quoteAndAccept();
              q.core.onCancelRejected(q.firstPlace(true), -2011, q.now());
              q.core.onOrderUpdate(q.places(true).get(1), true, false, 0, 0, 0, 0);
              q.advance(2_001 * MS);
            },
            4,
            4),
        new Row(
            "short 6, both asks cancelled in this very requote: no new ask",
            q -> {
              q.quoteAndAccept();
              q.core.onPosition(-6, 50_000);
            },
            4,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theRequoteAfterAMovePlacesOnlyWhatTheWorstCaseAllows(Row row) {
    Q q = new Q(CFG);
    q.book(500_000);
    row.before().accept(q);
    // every order is off its level by 3 ticks, and no new one crosses an old one of the other side
    q.move(3);
    q.core.requote(q.now());
    assertEquals(row.bids(), q.placedQty(true), "bids placed");
    assertEquals(row.asks(), q.placedQty(false), "asks placed");
    q.checkWorstCase();
  }

  @Test
  void anAmendUpIsHeldToTheRoomLeftWhileADownSizedAmendCountsTheOldSizeUntilConfirmed() {
    Q q = new Q(CFG + "\nphoenix.quoter.use-amend = true");
    q.book(500_000);
    q.core.onPosition(6, 50_000);
    q.core.requote(q.now());
    String best = q.firstPlace(true);
    q.acceptPlaces();
    // risk clamped the best bid to 1 step; position 6 + 1 + 2 = 9: 1 step of room
    q.core.working().setOrigQty(q.core.working().slotOf(best), 1);
    q.core.onPosition(8, 50_000);
    // position 8 + 1 + 2 = 11 > 10 already (position restated): amends may not add a step
    q.move(3);
    int n = q.core.requote(q.now());
    long amendedTo = -1;
    for (int i = 0; i < n; i++) {
      if (q.core.actionKind(i) == OrderDiff.Kind.AMEND && best.equals(q.core.actionClientId(i))) {
        amendedTo = q.core.actionQty(i);
      }
    }
    assertEquals(1, amendedTo, "the 1-step bid moves with its size, not amended up to 2");
    assertTrue(q.core.positionLimitHolds() > 0);
    q.core.working().validateInvariants();
  }

  @Test
  void randomInterleavingsNeverLetTheExchangesWorstCasePassTheLimit() {
    for (long seed = 1; seed <= 200; seed++) {
      Interleaving run =
          new Interleaving(seed, seed % 2 == 0 ? CFG : CFG + "\nphoenix.quoter.use-amend = true");
      try {
        run.run(400);
      } catch (AssertionError e) {
        throw new AssertionError(
            "seed " + seed + ": " + e.getMessage() + "\n" + String.join("\n", run.log), e);
      }
    }
  }

  /** A quoter core under test, its clock and the book. */
  static final class Q {
    final QuoterCore core;
    private long now = 1;
    private long mid;
    private int seq;

    Q(String cfg) {
      core = new QuoterCore(Fixtures.quoter(cfg), Fixtures.btc(0), () -> "o" + seq++, true);
    }

    long now() {
      return now;
    }

    void advance(long nanos) {
      now += nanos;
      core.onTopOfBook(mid, 10, mid + 1, 10, now);
    }

    void book(long bid) {
      mid = bid;
      now += MS;
      core.onTopOfBook(bid, 10, bid + 1, 10, now);
    }

    void move(long ticks) {
      book(mid + ticks);
    }

    void quoteAndAccept() {
      core.requote(now);
      acceptPlaces();
    }

    void acceptPlaces() {
      for (int i = 0; i < core.actionCount(); i++) {
        if (core.actionKind(i) == OrderDiff.Kind.PLACE) {
          core.onAccepted(core.actionClientId(i));
        }
      }
    }

    List<String> places(boolean buy) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < core.actionCount(); i++) {
        if (core.actionKind(i) == OrderDiff.Kind.PLACE && core.actionBuy(i) == buy) {
          ids.add(core.actionClientId(i));
        }
      }
      return ids;
    }

    String firstPlace(boolean buy) {
      return places(buy).get(0);
    }

    long placedQty(boolean buy) {
      long sum = 0;
      for (int i = 0; i < core.actionCount(); i++) {
        if (core.actionKind(i) == OrderDiff.Kind.PLACE && core.actionBuy(i) == buy) {
          sum += core.actionQty(i);
        }
      }
      return sum;
    }

    void checkWorstCase() {
      core.working().validateInvariants();
      long pos = core.positionSteps();
      if (placedQty(true) > 0) {
        assertTrue(
            pos + core.working().exposure(true) <= MAX,
            "long worst case " + (pos + core.working().exposure(true)));
      }
      if (placedQty(false) > 0) {
        assertTrue(
            core.working().exposure(false) - pos <= MAX,
            "short worst case " + (core.working().exposure(false) - pos));
      }
    }
  }

  /**
   * The quoter against a small exchange model: orders fill on the exchange at random, the user
   * stream reports fills late, cancels are answered by REST with the filled quantity before or
   * after the stream's report, some cancels are refused -2011 because the order filled, some places
   * time out. After every requote the exchange's truth, position plus the leaves of every order
   * still open there (plus, while an amend is in flight, its larger size), is within the limit on
   * each side.
   */
  static final class Interleaving {
    final java.util.Random random;
    final Q q;
    final java.util.Map<String, Order> orders = new java.util.LinkedHashMap<>();
    final java.util.ArrayDeque<Runnable> stream = new java.util.ArrayDeque<>();

    /** The last steps, for the failure message. */
    final java.util.ArrayDeque<String> log = new java.util.ArrayDeque<>();

    long truePosition;

    static final class Order {
      final String id;
      final boolean buy;
      long orig;
      long filled;
      boolean open = true;
      boolean acked;
      boolean cancelling;

      Order(String id, boolean buy, long orig) {
        this.id = id;
        this.buy = buy;
        this.orig = orig;
      }
    }

    Interleaving(long seed, String cfg) {
      random = new java.util.Random(seed);
      q = new Q(cfg);
      q.book(500_000);
    }

    private void log(String line) {
      log.add(line);
      if (log.size() > 60) {
        log.poll();
      }
    }

    void run(int steps) {
      for (int step = 0; step < steps; step++) {
        switch (random.nextInt(8)) {
          case 0, 1 -> requote();
          case 2 -> q.move(random.nextInt(21) - 10);
          case 3 -> fillSomething();
          case 4, 5 -> deliverStream();
          case 6 -> answerSomeCancel();
          default -> ackSomething();
        }
        q.core.working().validateInvariants();
      }
    }

    private void requote() {
      int n = q.core.requote(q.now());
      StringBuilder b =
          new StringBuilder(
              "requote pos " + q.core.positionSteps() + " true " + truePosition + ":");
      for (int i = 0; i < n; i++) {
        b.append(' ')
            .append(q.core.actionKind(i))
            .append(q.core.actionBuy(i) ? " B " : " S ")
            .append(q.core.actionClientId(i))
            .append(' ')
            .append(q.core.actionQty(i));
      }
      log(b.toString());
      boolean placedBuy = false;
      boolean placedSell = false;
      for (int i = 0; i < n; i++) {
        String id = q.core.actionClientId(i);
        switch (q.core.actionKind(i)) {
          case PLACE -> {
            orders.put(id, new Order(id, q.core.actionBuy(i), q.core.actionQty(i)));
            placedBuy |= q.core.actionBuy(i);
            placedSell |= !q.core.actionBuy(i);
          }
          case CANCEL -> {
            Order o = orders.get(id);
            if (o != null) {
              o.cancelling = true;
            }
          }
          case AMEND -> {
            Order o = orders.get(id);
            if (o != null && o.open) {
              // the exchange applies the amend at once here; the quoter learns it later
              long newQty = q.core.actionQty(i);
              if (newQty > o.orig) {
                placedBuy |= o.buy;
                placedSell |= !o.buy;
              }
              if (newQty <= o.filled) {
                close(o); // Binance cancels an order amended to at most its filled quantity
              } else {
                o.orig = newQty;
                stream.add(() -> q.core.onAmended(id, newQty));
              }
            }
          }
        }
      }
      long max = q.core.quotes().maxPositionSteps;
      if (placedBuy) {
        assertTrue(worstCase(true) <= max, "long worst case " + worstCase(true) + " > " + max);
      }
      if (placedSell) {
        assertTrue(worstCase(false) <= max, "short worst case " + worstCase(false) + " > " + max);
      }
    }

    long worstCase(boolean buy) {
      long open = 0;
      for (Order o : orders.values()) {
        if (o.open && o.buy == buy) {
          open += o.orig - o.filled;
        }
      }
      return buy ? truePosition + open : open - truePosition;
    }

    private Order pick(java.util.function.Predicate<Order> p) {
      List<Order> candidates = orders.values().stream().filter(p).toList();
      return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private void fillSomething() {
      Order o = pick(x -> x.open);
      if (o == null) {
        return;
      }
      long qty = 1 + random.nextInt((int) (o.orig - o.filled));
      log("fill " + o.id + " " + qty + " of " + o.orig + " (filled " + o.filled + ")");
      o.filled += qty;
      truePosition += o.buy ? qty : -qty;
      long cum = o.filled;
      boolean done = o.filled == o.orig;
      if (done) {
        o.open = false;
      }
      // no duplicates: the user data feed drops a repeated fill by its trade id before the quoter
      stream.add(() -> q.core.onOrderUpdate(o.id, o.buy, !done, cum, qty, 500_000, 0));
    }

    private void close(Order o) {
      o.open = false;
      long cum = o.filled;
      stream.add(() -> q.core.onOrderUpdate(o.id, o.buy, false, cum, 0, 0, 0));
    }

    private void deliverStream() {
      if (!stream.isEmpty()) {
        log("stream report delivered");
        stream.poll().run();
      }
    }

    private void answerSomeCancel() {
      Order o = pick(x -> x.cancelling && (x.open || x.filled == x.orig) && x.acked);
      if (o == null) {
        return;
      }
      o.cancelling = false;
      log("cancel answer " + o.id + (o.open ? " cum " + o.filled : " -2011"));
      if (!o.open) {
        q.core.onCancelRejected(o.id, -2011, q.now()); // it filled before the cancel arrived
        return;
      }
      close(o);
      q.core.onFinished(o.id, o.filled, q.now());
    }

    private void ackSomething() {
      Order o = pick(x -> !x.acked);
      if (o == null) {
        return;
      }
      o.acked = true;
      log("ack " + o.id);
      if (random.nextInt(6) == 0) {
        q.core.onUnknown(o.id);
      } else {
        q.core.onAccepted(o.id);
      }
    }
  }
}
