package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Instrument;
import io.phoenix.quoting.Fixtures;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final Instrument BTC = Fixtures.btc(0);

  private static QuoterStatus status(QuoterCore.Halt halt, long rateHoldSkips) {
    return status(halt, rateHoldSkips, 0);
  }

  private static QuoterStatus status(QuoterCore.Halt halt, long rateHoldSkips, long limitHolds) {
    return new QuoterStatus(
        "BTCUSDT",
        halt,
        600_005,
        3,
        600_006,
        4,
        600_001,
        2,
        600_010,
        2,
        4,
        -5,
        60_000.5,
        -0.5,
        0.25,
        12,
        7,
        12,
        90,
        40,
        3,
        1,
        500,
        rateHoldSkips,
        limitHolds,
        6.5,
        1_700_000_000_000L,
        new QuoterStatus.Edge(0.125, -0.375, 0.0002, 0.0005, true, 0, 5.0, 2.25, -1.5, 9, 4, 0, 0));
  }

  @Test
  void aQuotingSymbolShowsQuotesPositionPnlFillsAndRate() {
    String line = StatusLine.format(status(QuoterCore.Halt.NONE, 0), BTC);
    assertEquals(
        "BTCUSDT quoting bid 60000.10 ask 60001.00 orders 4 pos -0.005 rpnl -0.5000 upnl 0.2500 fees 0.1250 net -0.3750"
            + " markout 1s/10s 2.25/-1.50 bps fills 12 (buy 0.007 / sell 0.012)"
            + " rejects 3 (post-only 1) 6.5 orders/s",
        line);
  }

  @Test
  void ordersHeldBackByTheOrderRateBudgetAreShownOnlyWhenThereAreAny() {
    assertTrue(StatusLine.format(status(QuoterCore.Halt.NONE, 17), BTC).contains(" rate-held 17 "));
    assertFalse(StatusLine.format(status(QuoterCore.Halt.NONE, 0), BTC).contains("rate-held"));
  }

  @Test
  void ordersHeldBackByTheSoftPositionLimitAreShownOnlyWhenThereAreAny() {
    assertTrue(
        StatusLine.format(status(QuoterCore.Halt.NONE, 0, 5), BTC).contains(" limit-held 5 "));
    assertFalse(StatusLine.format(status(QuoterCore.Halt.NONE, 0, 0), BTC).contains("limit-held"));
  }
}
