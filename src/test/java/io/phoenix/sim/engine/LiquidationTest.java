package io.phoenix.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Maintenance margin and liquidation: a leveraged position is liquidated when its margin ratio
 * reaches 100 %, at the price the brackets predict, and leaves wallet and position as an
 * insurance-fund close at the bankruptcy price does.
 */
class LiquidationTest extends EngineScenario {
  void openLong(double qty) {
    assertNull(
        ex.place(
                "mm",
                new NewOrder(
                    BTC,
                    Side.SELL,
                    null,
                    OrderType.LIMIT,
                    TimeInForce.GTC,
                    Math.round(qty * 1000),
                    px(95_000),
                    false,
                    null,
                    StpMode.NONE),
                ++now)
            .error());
    assertNull(
        ex.place(
                "user",
                new NewOrder(
                    BTC,
                    Side.BUY,
                    null,
                    OrderType.MARKET,
                    null,
                    Math.round(qty * 1000),
                    0,
                    false,
                    null,
                    StpMode.NONE),
                ++now)
            .error());
  }

  @Test
  void maintenanceMarginFollowsTheBrackets() {
    assertEquals(0.004 * 40_000, Brackets.maintenance(40_000), 1e-9);
    assertEquals(0.005 * 100_000 - 50, Brackets.maintenance(100_000), 1e-9);
    assertEquals(0.0065 * 950_000 - 950, Brackets.maintenance(-950_000), 1e-9);
    assertEquals(11_450, Brackets.of(3_000_000).cum(), 1e-9);
    assertEquals(421_481_450, Brackets.DEFAULT.get(11).cum(), 1e-6);
    assertEquals(90.0, Brackets.bankruptcyPrice(2, 100, 20), 1e-12);
    assertEquals(110.0, Brackets.bankruptcyPrice(-2, 100, 20), 1e-12);
  }

  @Test
  void crossLongIsLiquidatedAtTheDocumentedPointAndTheWalletEndsAtZero() {
    openLong(10);
    SimPosition before = ex.positions("user", BTC).get(0);
    double wallet = ex.balances("user").get(0).walletBalance();
    // 10 BTC at 95 000, bracket 3 (rate 0.65 %, cum 950): wallet + 10 (P - 95 000) = 0.065 P - 950
    double expected = (950_000 - wallet - 950) / (10 - 0.065);
    assertEquals(expected, before.liquidationPrice(), 1e-6);
    markTo(Math.ceil(expected) + 1);
    assertEquals(
        10_000,
        ex.positions("user", BTC).get(0).amountSteps(),
        "still open above the liquidation price");
    assertTrue(
        ex.marginRatio("user") < 1.0 && ex.marginRatio("user") > 0.9,
        "ratio " + ex.marginRatio("user"));
    markTo(Math.floor(expected) - 1);
    SimPosition after = ex.positions("user", BTC).get(0);
    assertEquals(0, after.amountSteps());
    assertEquals(
        0.0,
        ex.balances("user").get(0).walletBalance(),
        1e-6,
        "insurance-fund close leaves nothing");
    assertEquals(1, rec.forceOrders.size());
    SimOrder liq = rec.forceOrders.get(0).order();
    assertEquals(OrderType.LIQUIDATION, liq.type());
    assertEquals(Side.SELL, liq.side());
    assertEquals(OrderStatus.FILLED, liq.status());
    assertEquals(10_000, liq.executedQtySteps());
    assertTrue(liq.clientOrderId().startsWith("autoclose-"));
    double equityAtMark = wallet + 10 * (Math.floor(expected) - 1 - 95_000);
    assertEquals(
        Math.floor(expected) - 1 - equityAtMark / 10,
        liq.priceTicks() / 10.0,
        0.05,
        "price = bankruptcy price");
    RecordingListener.OrderUpdate update =
        rec.ordersOf("user").get(rec.ordersOf("user").size() - 1);
    assertEquals("CALCULATED", update.executionType());
    List<IncomeRecord> income = ex.income("user", BTC, null, -1, -1, 1000);
    assertEquals(
        List.of("COMMISSION", "REALIZED_PNL", "INSURANCE_CLEAR"),
        income.stream().map(IncomeRecord::incomeType).toList());
    assertEquals(1, ex.forceOrders("user", BTC, -1, -1, 50).size());
    assertEquals(0.0, ex.maintenanceMargin("user"), 1e-12);
  }

  @Test
  void isolatedPositionLosesOnlyItsOwnMargin() {
    assertNull(ex.setMarginType("user", BTC, true));
    assertNull(ex.setLeverage("user", BTC, 50));
    openLong(1);
    SimPosition pos = ex.positions("user", BTC).get(0);
    assertEquals(95_000.0 / 50, pos.isolatedWallet(), 1e-6);
    double walletBefore = ex.balances("user").get(0).walletBalance();
    // isolated, bracket 2 (95 000 notional: rate 0.5 %, cum 50): 1 900 + (P - 95 000) = 0.005 P -
    // 50
    double expected = (95_000 - 1_900 - 50) / 0.995;
    assertEquals(expected, pos.liquidationPrice(), 1e-6);
    assertNull(ex.modifyPositionMargin("user", BTC, null, 100, 1, ++now));
    assertEquals(2_000, ex.positions("user", BTC).get(0).isolatedWallet(), 1e-6);
    assertEquals(-4051, ex.modifyPositionMargin("user", BTC, null, 1_000, 2, ++now).code());
    markTo(93_480);
    assertEquals(
        1_000,
        ex.positions("user", BTC).get(0).amountSteps(),
        "the added margin keeps it alive below 93 517");
    markTo(93_400);
    assertEquals(0, ex.positions("user", BTC).get(0).amountSteps());
    assertEquals(
        walletBefore - 2_000,
        ex.balances("user").get(0).walletBalance(),
        1e-6,
        "only the isolated margin is lost");
    assertEquals(-4054, ex.modifyPositionMargin("user", BTC, null, 10, 1, ++now).code());
  }

  @Test
  void crossAccountWithoutPositionsHasNoRatio() {
    assertEquals(0.0, ex.marginRatio("user"));
    assertEquals(-4053, ex.modifyPositionMargin("user", BTC, null, 10, 1, ++now).code());
  }
}
