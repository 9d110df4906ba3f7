package io.phoenix.reconcile;

import static io.phoenix.account.AccountFixtures.BTC;
import static io.phoenix.account.AccountFixtures.ETH;
import static io.phoenix.account.AccountFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.model.AccountEvent.ExecutionType;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderState;
import io.phoenix.model.Positions;
import io.phoenix.model.Side;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import io.phoenix.reconcile.Reconciler.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final long NOW = 1_000_000;
  private static final long GRACE = 2_000;
  private final Reconciler reconciler = new Reconciler(id -> id.startsWith("phx-"), GRACE);

  private static ExchangeState.Order open(
      int symbolId, String cid, long price, long qty, long executed) {
    return new ExchangeState.Order(
        symbolId,
        cid,
        9,
        Side.BUY,
        executed > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW,
        price,
        qty,
        executed,
        0,
        "LIMIT",
        "GTX",
        false,
        PositionSide.BOTH,
        NOW - 10_000);
  }

  private static LocalOrder local(
      int symbolId, String cid, long price, long qty, long cum, long changed) {
    return new LocalOrder(symbolId, cid, 9, Side.BUY, price, qty, cum, changed);
  }

  @Test
  void agreementYieldsNothing() {
    var report =
        reconciler.compareOrders(
            List.of(open(1, "phx-1", 100, 5, 0)),
            List.of(local(1, "phx-1", 100, 5, 0, NOW - 60_000)),
            NOW);
    assertTrue(report.differences().isEmpty());
    assertTrue(
        report.toCancel().isEmpty()
            && report.toQuery().isEmpty()
            && report.restatements().isEmpty());
  }

  @Test
  void unknownOrderWithOurPrefixIsCancelledForeignOneOnlyReported() {
    var report =
        reconciler.compareOrders(
            List.of(open(1, "phx-9", 100, 5, 0), open(1, "manual-7", 100, 5, 0)), List.of(), NOW);
    assertEquals(
        List.of(Kind.ORPHAN_ORDER, Kind.FOREIGN_ORDER),
        report.differences().stream().map(d -> d.kind()).toList());
    assertEquals(1, report.toCancel().size());
    assertEquals("phx-9", report.toCancel().get(0).clientOrderId());
  }

  @Test
  void sameClientIdOnAnotherSymbolIsNotAMatch() {
    var report =
        reconciler.compareOrders(
            List.of(open(BTC.id(), "phx-1", 100, 5, 0)),
            List.of(local(ETH.id(), "phx-1", 100, 5, 0, NOW - 60_000)),
            NOW);
    assertEquals(1, report.toCancel().size());
    assertEquals(1, report.toQuery().size());
  }

  @Test
  void localOrderNotOpenOnExchangeIsQueriedAfterGrace() {
    var old = local(1, "phx-1", 100, 5, 0, NOW - GRACE);
    var fresh = local(1, "phx-2", 100, 5, 0, NOW - GRACE + 1);
    var report = reconciler.compareOrders(List.of(), List.of(old, fresh), NOW);
    assertEquals(List.of(old), report.toQuery());
    assertEquals(Kind.MISSING_ORDER, report.differences().get(0).kind());
  }

  @Test
  void moreFillsOnExchangeAreRestatedWithExchangeState() {
    var report =
        reconciler.compareOrders(
            List.of(open(1, "phx-1", 100, 5, 3)),
            List.of(local(1, "phx-1", 100, 5, 1, NOW - 60_000)),
            NOW);
    assertEquals(Kind.ORDER_MISMATCH, report.differences().get(0).kind());
    OrderUpdate u = report.restatements().get(0);
    assertEquals(ExecutionType.RESTATED, u.executionType());
    assertEquals(OrderState.PARTIALLY_FILLED, u.status());
    assertEquals(3, u.cumQtySteps());
    assertEquals(0, u.tradeId());
  }

  @Test
  void localAheadOfExchangeIsNotADifference() {
    var report =
        reconciler.compareOrders(
            List.of(open(1, "phx-1", 100, 5, 1)),
            List.of(local(1, "phx-1", 100, 5, 2, NOW - 60_000)),
            NOW);
    assertTrue(
        report.differences().isEmpty(), "a fill after the snapshot is legitimately newer locally");
  }

  @Test
  void priceOrQuantityMismatchIsRestatedButNotWithinGrace() {
    var exchange = List.of(open(1, "phx-1", 101, 5, 0), open(1, "phx-2", 100, 6, 0));
    var report =
        reconciler.compareOrders(
            exchange,
            List.of(
                local(1, "phx-1", 100, 5, 0, NOW - 60_000),
                local(1, "phx-2", 100, 5, 0, NOW - 60_000)),
            NOW);
    assertEquals(2, report.restatements().size());
    var pending =
        reconciler.compareOrders(
            exchange,
            List.of(local(1, "phx-1", 100, 5, 0, NOW), local(1, "phx-2", 100, 5, 0, NOW)),
            NOW);
    assertTrue(pending.differences().isEmpty(), "a modify in flight is not a difference");
  }

  @Test
  void closedOrdersInTheExchangeListAreNotOpen() {
    var filled =
        new ExchangeState.Order(
            1,
            "phx-1",
            9,
            Side.BUY,
            OrderState.FILLED,
            100,
            5,
            5,
            0,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            NOW);
    var report =
        reconciler.compareOrders(
            List.of(filled), List.of(local(1, "phx-1", 100, 5, 0, NOW - 60_000)), NOW);
    assertEquals(1, report.toQuery().size());
    assertTrue(report.toCancel().isEmpty());
  }

  @Test
  void positionDifferenceTakesExchangeFigureAndAbsentMeansFlat() {
    Positions positions = new Positions(16);
    positions.applyFill(fill(ETH, "phx-1", Side.BUY, 10, 100, 1));
    positions.applyFill(fill(BTC, "phx-2", Side.SELL, 4, 100, 1));
    var exchange =
        List.of(new ExchangeState.Position(ETH.id(), PositionSide.BOTH, 12, 3000, 1.5, NOW));
    var report =
        reconciler.comparePositions(
            new int[] {BTC.id(), ETH.id()}, exchange, positions, s -> false, NOW);
    assertEquals(2, report.differences().size());
    assertEquals(
        0, report.corrections().get(0).amountSteps(), "BTC absent from the exchange list is flat");
    assertEquals(12, report.corrections().get(1).amountSteps());
    assertEquals(Reconciler.RECONCILE_REASON, report.corrections().get(1).reason());
  }

  @Test
  void positionMovedDuringFetchIsSkipped() {
    Positions positions = new Positions(16);
    positions.applyFill(fill(ETH, "phx-1", Side.BUY, 10, 100, 1));
    var report =
        reconciler.comparePositions(new int[] {ETH.id()}, List.of(), positions, s -> true, NOW);
    assertTrue(report.differences().isEmpty());
  }

  @Test
  void missedFillsAreThoseNotSeenInOrder() {
    Positions positions = new Positions(16);
    positions.applyFill(fill(ETH, "phx-1", Side.BUY, 10, 100, 5));
    var t5 = trade(5, 100);
    var t7 = trade(7, 300);
    var t6 = trade(6, 200);
    assertEquals(List.of(t6, t7), Reconciler.missedFills(List.of(t5, t7, t6), positions));
  }

  @Test
  void recoveredFillCarriesClientIdFromTheOrder() {
    var order =
        new ExchangeState.Order(
            ETH.id(),
            "phx-3",
            44,
            Side.SELL,
            OrderState.FILLED,
            100,
            5,
            5,
            1.0,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            NOW);
    var t =
        new ExchangeState.Trade(
            ETH.id(), 8, 44, Side.SELL, 100, 2, 0.1, "USDT", 0.5, true, PositionSide.BOTH, 77);
    OrderUpdate u = Reconciler.recoveredFill(t, order, NOW);
    assertEquals("phx-3", u.clientOrderId());
    assertTrue(u.isFill());
    assertEquals(-2, u.signedFillSteps());
    assertEquals(8, u.tradeId());
    assertEquals(77, u.transactionTime());
    assertEquals(OrderState.FILLED, u.status());
  }

  private static ExchangeState.Trade trade(long id, long time) {
    return new ExchangeState.Trade(
        ETH.id(), id, 44, Side.BUY, 100, 1, 0, "USDT", 0, true, PositionSide.BOTH, time);
  }
}
