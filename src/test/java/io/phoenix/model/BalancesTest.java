package io.phoenix.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.model.AccountEvent.BalanceUpdate;
import org.junit.jupiter.api.Test;

class BalancesTest {
  private final Balances balances = new Balances();

  @Test
  void fundingAmountComesFromBalanceChangeWhenGiven() {
    balances.apply(new BalanceUpdate("USDT", 100, 100, 0, "ORDER", 1));
    assertEquals(
        -0.25,
        balances.apply(new BalanceUpdate("USDT", 99.75, 99.75, -0.25, "FUNDING_FEE", 2)),
        1e-12);
  }

  @Test
  void fundingAmountFallsBackToWalletDelta() {
    balances.apply(new BalanceUpdate("USDT", 100, 100, 0, "ORDER", 1));
    assertEquals(
        0.5, balances.apply(new BalanceUpdate("USDT", 100.5, 100.5, 0, "FUNDING_FEE", 2)), 1e-12);
    assertEquals(100.5, balances.wallet("USDT"));
  }

  @Test
  void unknownFundingAmountAndNonFundingAreNaN() {
    assertTrue(
        Double.isNaN(balances.apply(new BalanceUpdate("USDT", 100, 100, 0, "FUNDING_FEE", 1))));
    assertTrue(Double.isNaN(balances.apply(new BalanceUpdate("USDT", 90, 90, 0, "ORDER", 2))));
    assertTrue(Double.isNaN(balances.wallet("BNB")));
  }
}
