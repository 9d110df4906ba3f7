package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Instrument;
import io.phoenix.quoting.Fixtures;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterCore;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final Instrument BTC = Fixtures.btc(0);

  private static Quoter.Status status(QuoterCore.Halt halt, long rateHoldSkips) {
    return new Quoter.Status("BTCUSDT", halt, 600_001, 600_010, 4, -5, -0.5, 0.25, 12, 7, 12, 90, 40, 3, 1, 500, rateHoldSkips, 6.5);
  }

  @Test
  void aQuotingSymbolShowsQuotesPositionPnlFillsAndRate() {
    String line = StatusLine.format(status(QuoterCore.Halt.NONE, 0), BTC);
    assertEquals("BTCUSDT quoting bid 60000.10 ask 60001.00 orders 4 pos -0.005 rpnl -0.5000 upnl 0.2500 fills 12 (buy 0.007 / sell 0.012)"
        + " rejects 3 (post-only 1) 6.5 orders/s", line);
  }

  @Test
  void ordersHeldBackByTheOrderRateBudgetAreShownOnlyWhenThereAreAny() {
    assertTrue(StatusLine.format(status(QuoterCore.Halt.NONE, 17), BTC).contains(" rate-held 17 "));
    assertFalse(StatusLine.format(status(QuoterCore.Halt.NONE, 0), BTC).contains("rate-held"));
  }
}
