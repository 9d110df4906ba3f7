package io.phoenix.model;

import static io.phoenix.account.AccountFixtures.BTC;
import static io.phoenix.account.AccountFixtures.ETH;
import static io.phoenix.account.AccountFixtures.accepted;
import static io.phoenix.account.AccountFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PositionsTest {
  private final Positions positions = new Positions(16);

  @Test
  void fillsMovePositionBySideAndSymbol() {
    assertTrue(positions.applyFill(fill(ETH, "a", Side.BUY, 300, 100, 1)));
    assertTrue(positions.applyFill(fill(ETH, "a", Side.SELL, 100, 100, 2)));
    assertTrue(positions.applyFill(fill(BTC, "b", Side.SELL, 5, 100, 1)));
    assertEquals(200, positions.amountSteps(ETH.id()));
    assertEquals(-5, positions.amountSteps(BTC.id()));
    assertEquals(2, positions.lastTradeId(ETH.id()));
  }

  @Test
  void duplicateTradeIdIsAppliedOnce() {
    assertTrue(positions.applyFill(fill(ETH, "a", Side.BUY, 300, 100, 42)));
    assertFalse(positions.applyFill(fill(ETH, "a", Side.BUY, 300, 100, 42)));
    assertEquals(300, positions.amountSteps(ETH.id()));
    assertTrue(positions.seen(ETH.id(), 42));
    assertFalse(positions.seen(BTC.id(), 42), "trade ids are per symbol");
  }

  @Test
  void nonFillsDoNotMovePosition() {
    assertFalse(positions.applyFill(accepted(ETH, "a", Side.BUY, 300, 100)));
    assertEquals(0, positions.amountSteps(ETH.id()));
    assertEquals(0, positions.version(ETH.id()));
  }

  @Test
  void memoryWindowForgetsOldestTradeIdsOnly() {
    for (long t = 1; t <= 20; t++) {
      assertTrue(positions.applyFill(fill(ETH, "a", Side.BUY, 1, 100, t)));
    }
    assertFalse(positions.seen(ETH.id(), 4), "oldest ids fall out of a 16-id window");
    for (long t = 5; t <= 20; t++) {
      assertTrue(positions.seen(ETH.id(), t), "recent id " + t);
      assertFalse(positions.applyFill(fill(ETH, "a", Side.BUY, 1, 100, t)));
    }
    assertEquals(20, positions.amountSteps(ETH.id()));
  }

  @Test
  void exchangeFigureOverridesAndReportsDifference() {
    positions.applyFill(fill(ETH, "a", Side.BUY, 300, 100, 1));
    long before = positions.version(ETH.id());
    assertEquals(0, positions.setAmount(ETH.id(), 300, 0));
    assertEquals(before, positions.version(ETH.id()), "agreement is not a change");
    assertEquals(-50, positions.setAmount(ETH.id(), 250, 0));
    assertEquals(250, positions.amountSteps(ETH.id()));
    assertTrue(positions.version(ETH.id()) > before);
  }

  @Test
  void fillAlreadyInTheExchangeFigureDoesNotCountTwice() {
    positions.setAmount(ETH.id(), 300, 1_000);
    assertTrue(
        positions.applyFill(fill(ETH, "a", Side.BUY, 300, 100, 999)),
        "new trade id, older than the figure");
    assertEquals(300, positions.amountSteps(ETH.id()));
    assertTrue(positions.seen(ETH.id(), 999));
    assertTrue(
        positions.applyFill(fill(ETH, "a", Side.BUY, 5, 100, 1_000)), "same millisecond counts");
    assertEquals(305, positions.amountSteps(ETH.id()));
  }
}
