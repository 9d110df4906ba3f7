package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.OrderReport;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order table against a model of the exchange, under random interleavings: REST answers (single
 * and batch, some lost as unknown outcomes with or without hidden execution, some 429), user-stream
 * reports (before the REST answer, late, duplicated, stale), exchange-side fills and expiries,
 * reconciliation restatements and query timers in any order. The model is the truth: whatever the
 * interleaving, no order of ours is ever open on the exchange without the table knowing it, no
 * order hears more than one final outcome, the table's invariants hold after every step, and once
 * everything in flight has arrived the table's live orders are exactly the exchange's open orders,
 * with the same filled quantities.
 */
class OrderTableModelTest {
  private static final Logger LOG = LoggerFactory.getLogger(OrderTableModelTest.class);
  private static final Instrument BTC = OrderGatewayTest.BTC;
  private static final Instrument ETH = OrderGatewayTest.ETH;
  private static final Duration UNKNOWN_BOUND = Duration.ofMillis(2_000);

  /** One order as the exchange holds it. */
  private static final class ExOrder {
    final String id;
    final Instrument instrument;
    final Side side;
    final long price;
    final long orig;
    final long orderId;
    long cum;
    OrderState state = OrderState.NEW;

    ExOrder(String id, Instrument instrument, Side side, long price, long orig, long orderId) {
      this.id = id;
      this.instrument = instrument;
      this.side = side;
      this.price = price;
      this.orig = orig;
      this.orderId = orderId;
    }

    RestOrderResponse response() {
      return new RestOrderResponse(
          orderId,
          instrument.symbol(),
          state.name(),
          id,
          instrument.price().format(price),
          "0",
          instrument.quantity().format(orig),
          instrument.quantity().format(cum),
          "0",
          "GTX",
          "LIMIT",
          false,
          side.name(),
          "BOTH",
          "NONE",
          0,
          0);
    }

    OrderReport report() {
      return new OrderReport(instrument.id(), id, orderId, side, state, price, orig, cum, false);
    }
  }

  /** A REST answer on its way back: one result per order of the request, in request order. */
  private record Answer(Lane lane, List<String> ids, List<RestResult<RestOrderResponse>> results) {}

  private static final class Run {
    final Random rnd;
    final AtomicLong now = new AtomicLong(1_000_000);
    final Map<String, ExOrder> exchange = new HashMap<>();
    final Map<String, Integer> finalEvents = new HashMap<>();
    final TreeMap<String, Long> queryDue = new TreeMap<>();
    final TreeMap<String, Long> cancelDue = new TreeMap<>();
    final List<Answer> answers = new ArrayList<>();
    final List<OrderReport> stream = new ArrayList<>();
    final List<OrderReport> delivered = new ArrayList<>();
    final Map<String, Instrument> placedOn = new HashMap<>();
    final OrderTable<String> table;
    final ExchangeAnswers<String> exchangeAnswers;
    final OrderReports<String> reports;
    long nextOrderId = 1;
    int nextClientId = 1;
    int steps;

    Run(long seed) {
      rnd = new Random(seed);
      OrderTable.Effects<String> effects =
          new OrderTable.Effects<>() {
            @Override
            public void tell(String requester, OrderEvent event) {
              String id = finalFor(event);
              if (id != null) {
                finalEvents.merge(id, 1, Integer::sum);
              }
            }

            @Override
            public void scheduleQuery(String clientOrderId, Duration delay) {
              queryDue.put(clientOrderId, now.get() + delay.toMillis());
            }

            @Override
            public void scheduleCancelRetry(String clientOrderId, Duration delay) {
              cancelDue.put(clientOrderId, now.get() + delay.toMillis());
            }

            @Override
            public void resyncClock() {}
          };
      OrderTable.Settings settings =
          new OrderTable.Settings(
              "phx", 2, UNKNOWN_BOUND, Duration.ofMillis(50), Duration.ofMillis(400), 4096);
      table =
          new OrderTable<>(
              settings,
              List.of(BTC, ETH),
              new GatewayMetrics(new SimpleMeterRegistry()),
              () -> LOG,
              effects,
              "nobody",
              now::get);
      exchangeAnswers = new ExchangeAnswers<>(table, new DispatchPlanner<>(table, 5));
      reports = new OrderReports<>(table);
    }

    /** The client id of an event that tells an order's final outcome, else null. */
    static String finalFor(OrderEvent e) {
      if (e instanceof OrderEvent.OrderCanceled c) {
        return c.clientOrderId();
      } else if (e instanceof OrderEvent.OrderRejected r
          && r.kind() == OrderEvent.RequestKind.PLACE) {
        return r.clientOrderId();
      } else if (e instanceof OrderEvent.OrderResolved r && r.state().isTerminal()) {
        return r.clientOrderId();
      } else if (e instanceof OrderEvent.OrderAccepted a && a.state().isTerminal()) {
        return a.clientOrderId();
      }
      return null;
    }

    void step() {
      steps++;
      now.addAndGet(rnd.nextInt(60));
      int action = rnd.nextInt(100);
      if (action < 14) {
        place();
      } else if (action < 22) {
        cancelSomething();
      } else if (action < 42) {
        dispatch();
      } else if (action < 58) {
        deliverAnswer();
      } else if (action < 72) {
        deliverStream();
      } else if (action < 76) {
        duplicateStream();
      } else if (action < 84) {
        exchangeFill();
      } else if (action < 86) {
        exchangeExpire();
      } else if (action < 94) {
        fireTimers();
      } else {
        reconcile();
      }
      check();
    }

    void place() {
      if (table.size() >= 20) {
        return;
      }
      Instrument ins = rnd.nextBoolean() ? BTC : ETH;
      String id = "phx-" + ins.id() + "-m" + nextClientId++;
      Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
      long qty = 5 + rnd.nextInt(20);
      placedOn.put(id, ins);
      table.place(
          new OrderIntent.Place(
              ins.id(), id, side, 600_000 + rnd.nextInt(100), qty, TimeInForce.GTX, false, 0),
          "quoter",
          0);
    }

    void cancelSomething() {
      List<WorkingOrder> live = table.workingOrders();
      if (live.isEmpty()) {
        return;
      }
      WorkingOrder w = live.get(rnd.nextInt(live.size()));
      table.cancel(new OrderIntent.Cancel(w.symbolId(), w.clientOrderId()), "quoter");
    }

    /** Sends the highest-priority group, as the gateway's drain does; the exchange acts at once. */
    boolean dispatch() {
      for (Lane lane : new Lane[] {Lane.CANCEL, Lane.PLACE, Lane.QUERY}) {
        List<String> group = table.peekGroup(lane, lane == Lane.QUERY ? 1 : 5, lane != Lane.CANCEL);
        if (group == null) {
          continue;
        }
        table.take(lane, group);
        answers.add(execute(lane, group));
        return true;
      }
      return false;
    }

    Answer execute(Lane lane, List<String> ids) {
      int fate = rnd.nextInt(100);
      boolean executed = lane == Lane.QUERY || fate >= 5; // 5 %: lost before the exchange saw it
      boolean answerLost =
          fate < 12; // 12 %: the answer is an unknown outcome (7 % with hidden execution)
      boolean rateLimited = lane != Lane.QUERY && fate >= 12 && fate < 14;
      List<RestResult<RestOrderResponse>> results = new ArrayList<>();
      for (String id : ids) {
        if (rateLimited) {
          results.add(
              new RestResult.RateLimited<>(
                  Duration.ofMillis(100), false, -1003, "too many", 429, RateLimitUsage.NONE));
          continue;
        }
        RestResult<RestOrderResponse> r = executed ? executeOne(lane, id) : null;
        results.add(
            answerLost || r == null
                ? new RestResult.UnknownOutcome<>("timeout", 0, RateLimitUsage.NONE)
                : r);
      }
      return new Answer(lane, List.copyOf(ids), results);
    }

    RestResult<RestOrderResponse> executeOne(Lane lane, String id) {
      ExOrder o = exchange.get(id);
      switch (lane) {
        case PLACE -> {
          if (o != null) {
            return rejected(BinanceErrors.DUPLICATED_CLIENT_ORDER_ID, "duplicate");
          }
          if (rnd.nextInt(10) == 0) {
            return rejected(-5022, "post only would take");
          }
          OrderEntry<String> e = table.entry(id);
          ExOrder created =
              new ExOrder(
                  id,
                  placedOn.get(id),
                  e.side,
                  e.priceTicks,
                  e.machine.origQtySteps(),
                  nextOrderId++);
          exchange.put(id, created);
          stream.add(created.report());
          return ok(created);
        }
        case CANCEL -> {
          if (o == null || !o.state.isLive()) {
            return rejected(BinanceErrors.CANCEL_REJECTED, "unknown order sent");
          }
          o.state = OrderState.CANCELED;
          stream.add(o.report());
          return ok(o);
        }
        default -> {
          return o == null ? rejected(BinanceErrors.NO_SUCH_ORDER, "order does not exist") : ok(o);
        }
      }
    }

    static RestResult<RestOrderResponse> ok(ExOrder o) {
      return new RestResult.Ok<>(o.response(), 200, RateLimitUsage.NONE);
    }

    static RestResult<RestOrderResponse> rejected(int code, String msg) {
      return new RestResult.Rejected<>(code, msg, 400, RateLimitUsage.NONE);
    }

    boolean deliverAnswer() {
      if (answers.isEmpty()) {
        return false;
      }
      Answer a = answers.remove(rnd.nextInt(answers.size()));
      table.answered(a.ids());
      for (int i = 0; i < a.ids().size(); i++) {
        String id = a.ids().get(i);
        RestResult<RestOrderResponse> r = a.results().get(i);
        switch (a.lane()) {
          case PLACE -> exchangeAnswers.onPlaceResult(id, r);
          case CANCEL -> exchangeAnswers.onCancelResult(id, r);
          case AMEND -> exchangeAnswers.onAmendResult(id, r);
          case QUERY -> exchangeAnswers.onQueryResult(id, r);
        }
      }
      return true;
    }

    boolean deliverStream() {
      if (stream.isEmpty()) {
        return false;
      }
      OrderReport r = stream.remove(0);
      delivered.add(r);
      reports.onReport(r);
      return true;
    }

    void duplicateStream() {
      if (!delivered.isEmpty()) {
        // an old report again: a replay after a reconnect, or one overtaken by newer news
        reports.onReport(delivered.get(rnd.nextInt(delivered.size())));
      }
    }

    void exchangeFill() {
      List<ExOrder> open = open();
      if (open.isEmpty()) {
        return;
      }
      ExOrder o = open.get(rnd.nextInt(open.size()));
      long fill =
          rnd.nextBoolean() ? o.orig - o.cum : 1 + rnd.nextInt((int) Math.max(1, o.orig - o.cum));
      o.cum = Math.min(o.orig, o.cum + fill);
      o.state = o.cum == o.orig ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
      stream.add(o.report());
    }

    void exchangeExpire() {
      List<ExOrder> open = open();
      if (!open.isEmpty()) {
        ExOrder o = open.get(rnd.nextInt(open.size()));
        o.state = OrderState.EXPIRED;
        stream.add(o.report());
      }
    }

    List<ExOrder> open() {
      List<ExOrder> out = new ArrayList<>();
      for (ExOrder o : new TreeMap<>(exchange).values()) {
        if (o.state.isLive()) {
          out.add(o);
        }
      }
      return out;
    }

    boolean fireTimers() {
      boolean fired = false;
      fired |= fire(queryDue, true);
      fired |= fire(cancelDue, false);
      return fired;
    }

    private boolean fire(TreeMap<String, Long> due, boolean query) {
      boolean fired = false;
      for (Iterator<Map.Entry<String, Long>> it = due.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Long> e = it.next();
        if (e.getValue() <= now.get()) {
          // read before remove(): a removed TreeMap entry may be reused for its successor
          String id = e.getKey();
          it.remove();
          fired = true;
          if (query) {
            exchangeAnswers.onQueryDue(id);
          } else {
            exchangeAnswers.onCancelDue(id);
          }
        }
      }
      return fired;
    }

    /**
     * What reconciliation restates: local working orders not open on the exchange, past the grace.
     */
    void reconcile() {
      for (WorkingOrder w : table.workingOrders()) {
        ExOrder o = exchange.get(w.clientOrderId());
        if (now.get() - w.lastChangeMillis() < 300 || (o != null && o.state.isLive())) {
          continue;
        }
        reports.onReport(
            o != null
                ? o.report()
                : new OrderReport(
                    w.symbolId(),
                    w.clientOrderId(),
                    0,
                    w.side(),
                    OrderState.REJECTED,
                    0,
                    0,
                    0,
                    true));
      }
    }

    void check() {
      table.validateInvariants();
      for (ExOrder o : exchange.values()) {
        if (o.state.isLive() && !table.contains(o.id)) {
          fail(
              "step "
                  + steps
                  + ": "
                  + o.id
                  + " is open on the exchange but unknown to the table (an orphan)");
        }
      }
      finalEvents.forEach(
          (id, n) -> {
            if (n > 1) {
              fail("step " + steps + ": " + id + " was told its final outcome " + n + " times");
            }
          });
    }

    /** Lets everything in flight arrive and every timer fire until nothing is left to do. */
    void quiesce() {
      for (int round = 0; round < 10_000; round++) {
        boolean busy = false;
        while (dispatch()) {
          busy = true;
        }
        while (deliverAnswer()) {
          busy = true;
          check();
        }
        while (deliverStream()) {
          busy = true;
          check();
        }
        now.addAndGet(100);
        busy |= fireTimers();
        busy |= !queryDue.isEmpty() || !cancelDue.isEmpty() || table.hasQueued();
        if (!busy) {
          return;
        }
      }
      fail("the table never settled: " + table.workingOrders());
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void theTableEqualsTheExchangeUnderRandomInterleavings(long seed) {
    Run run = new Run(seed);
    for (int i = 0; i < 600; i++) {
      run.step();
    }
    run.quiesce();
    Map<String, Long> tableLive = new TreeMap<>();
    for (WorkingOrder w : run.table.workingOrders()) {
      tableLive.put(w.clientOrderId(), w.cumQtySteps());
    }
    Map<String, Long> exchangeOpen = new TreeMap<>();
    for (ExOrder o : run.open()) {
      exchangeOpen.put(o.id, o.cum);
    }
    StringBuilder why = new StringBuilder();
    for (String id : tableLive.keySet()) {
      if (!exchangeOpen.containsKey(id)) {
        OrderEntry<String> e = run.table.entry(id);
        ExOrder o = run.exchange.get(id);
        why.append("\n  ")
            .append(id)
            .append(": table ")
            .append(e.machine)
            .append(" inFlight=")
            .append(e.inFlight)
            .append(" resolving=")
            .append(e.resolving)
            .append(" placeUnknown=")
            .append(e.placeUnknown)
            .append(" cancelAfterAck=")
            .append(e.cancelAfterAck)
            .append(" queued=")
            .append(java.util.Arrays.toString(e.queued))
            .append("; exchange ")
            .append(o == null ? "never saw it" : o.state + " " + o.cum + "/" + o.orig);
      }
    }
    assertEquals(
        exchangeOpen,
        tableLive,
        "seed " + seed + ": the table's live orders (with filled quantities)" + why);
    assertTrue(
        run.exchange.size() > 10,
        "seed " + seed + ": the run placed orders (" + run.exchange.size() + ")");
    Set<String> settled = new TreeSet<>(run.exchange.keySet());
    settled.removeAll(exchangeOpen.keySet());
    for (String id : settled) {
      assertTrue(!run.table.contains(id), id + " ended on the exchange but is still in the table");
    }
  }
}
