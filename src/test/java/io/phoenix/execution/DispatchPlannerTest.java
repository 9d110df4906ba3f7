package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.RateBudget.Cost;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway's choice of what to send next, on its own: priority, batching, budget. */
class DispatchPlannerTest {
  private static final int BTC = OrderGatewayTest.BTC.id();
  private static final int ETH = OrderGatewayTest.ETH.id();
  private static final DispatchPlanner.Budget ANY = cost -> true;

  private final List<OrderEvent> told = new ArrayList<>();
  private final List<List<String>> held = new ArrayList<>();
  private final OrderTable<String> table = table();
  private boolean transportPrefersSingles;
  private final DispatchPlanner<String> planner =
      new DispatchPlanner<>(table, 5, () -> transportPrefersSingles);
  private int ids;

  @Test
  void aCancelAllGoesFirstAndItsSymbolsNewOrdersWaitForItsAnswer() {
    place(ETH);
    planner.intake(new OrderIntent.CancelAll(BTC), "quoter", 0);
    String btc = place(BTC);

    DispatchPlanner.Dispatch<String> first = next(ANY);
    assertEquals(DispatchPlanner.Kind.CANCEL_ALL, first.kind());
    assertEquals(BTC, first.symbolId());
    assertEquals("quoter", first.replyTo());
    assertEquals(ETH, next(ANY).symbolId(), "the other symbol's order goes meanwhile");
    assertNull(next(ANY), "BTC's new order waits for the cancel-all's answer");

    planner.cancelAllAnswered(BTC);
    DispatchPlanner.Dispatch<String> after = next(ANY);
    assertEquals(DispatchPlanner.Kind.PLACE, after.kind());
    assertEquals(List.of(btc), after.clientOrderIds());
  }

  @Test
  void aCancelAllDropsTheNewOrdersOfItsSymbolStillQueued() {
    place(BTC);
    place(BTC);
    planner.intake(new OrderIntent.CancelAll(BTC), "quoter", 0);
    assertEquals(DispatchPlanner.Kind.CANCEL_ALL, next(ANY).kind());
    planner.cancelAllAnswered(BTC);
    assertNull(next(ANY), "the queued places were dropped, not sent after the cancel-all");
  }

  @Test
  void newOrdersOfOneSymbolGoInBatchesOfAtMostMaxBatch() {
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      placed.add(place(BTC));
    }
    DispatchPlanner.Dispatch<String> batch = next(ANY);
    assertEquals(DispatchPlanner.Kind.BATCH_PLACE, batch.kind());
    assertEquals(placed.subList(0, 5), batch.clientOrderIds());
    DispatchPlanner.Dispatch<String> rest = next(ANY);
    assertEquals(DispatchPlanner.Kind.BATCH_PLACE, rest.kind());
    assertEquals(placed.subList(5, 7), rest.clientOrderIds());
    assertNull(next(ANY));
  }

  @Test
  void whileTheTransportPrefersSinglesEveryOrderGoesAloneAndBatchingResumesWhenItStops() {
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      placed.add(place(BTC));
    }
    transportPrefersSingles = true;
    for (int i = 0; i < 2; i++) {
      DispatchPlanner.Dispatch<String> single = next(ANY);
      assertEquals(DispatchPlanner.Kind.PLACE, single.kind());
      assertEquals(List.of(placed.get(i)), single.clientOrderIds());
    }
    // the session dropped: what is left goes over REST, grouped again
    transportPrefersSingles = false;
    DispatchPlanner.Dispatch<String> batch = next(ANY);
    assertEquals(DispatchPlanner.Kind.BATCH_PLACE, batch.kind());
    assertEquals(placed.subList(2, 4), batch.clientOrderIds());
  }

  @Test
  void aGroupTheBudgetCannotPayStaysQueuedAndIsReportedAsHeld() {
    String a = place(BTC);
    String b = place(BTC);
    List<Cost> asked = new ArrayList<>();
    assertNull(
        next(
            cost -> {
              asked.add(cost);
              return false;
            }));
    assertEquals(List.of(Cost.BATCH_ORDERS), asked, "two new orders cost one batch request");
    assertEquals(List.of(List.of(a, b)), held);
    assertTrue(planner.hasWork());

    DispatchPlanner.Dispatch<String> later = next(ANY);
    assertEquals(List.of(a, b), later.clientOrderIds(), "sent whole once the budget allows");
    assertEquals(List.of(), told, "nothing was refused on the way");
  }

  private DispatchPlanner.Dispatch<String> next(DispatchPlanner.Budget budget) {
    DispatchPlanner.Dispatch<String> d = planner.next(budget, held::add);
    planner.validateInvariants();
    table.validateInvariants();
    return d;
  }

  private String place(int symbolId) {
    String id = "phx-" + (++ids);
    planner.intake(
        new OrderIntent.Place(symbolId, id, Side.BUY, 1_000, 1, TimeInForce.GTX, false, 0L),
        "quoter",
        0);
    return id;
  }

  private OrderTable<String> table() {
    OrderTable.Effects<String> effects =
        new OrderTable.Effects<>() {
          @Override
          public void tell(String requester, OrderEvent event) {
            told.add(event);
          }

          @Override
          public void scheduleQuery(String clientOrderId, Duration delay) {}

          @Override
          public void scheduleCancelRetry(String clientOrderId, Duration delay) {}

          @Override
          public void resyncClock() {}
        };
    return new OrderTable<>(
        new OrderTable.Settings(
            "phx", 2, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(400), 4096),
        List.of(OrderGatewayTest.BTC, OrderGatewayTest.ETH),
        new GatewayMetrics(new SimpleMeterRegistry()),
        () -> LoggerFactory.getLogger(DispatchPlannerTest.class),
        effects,
        "nobody",
        System::currentTimeMillis);
  }
}
