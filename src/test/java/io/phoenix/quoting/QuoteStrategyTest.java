package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.config.QuoterSettings;
import org.junit.jupiter.api.Test;

class QuoteStrategyTest {
  private static final String TICKS =
      "phoenix.quoter { spread-unit = ticks, base-spread = 4, level-spacing = 2, fair-value = mid, levels = 2,"
          + " level-notional = 99, max-position-notional = 1000, inventory.max-skew-bps = 10, volatility.spread-factor = 0,"
          + " fees { maker-rate = 0, min-edge-bps = 0 } }";

  private final Quotes out = new Quotes(10);

  private QuoteStrategy strategy(String extra) {
    QuoterSettings s = Fixtures.quoter(TICKS + "\n" + extra);
    return new QuoteStrategy(s, Fixtures.btc(0));
  }

  @Test
  void quotesSymmetricLevelsAroundTheMidWhenFlat() {
    QuoteStrategy st = strategy("");
    assertTrue(st.compute(500_000, 10, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out));
    assertEquals(2, out.bidCount);
    assertEquals(2, out.askCount);
    assertEquals(499_998, out.bidPrice[0]);
    assertEquals(499_996, out.bidPrice[1]);
    assertEquals(500_003, out.askPrice[0]);
    assertEquals(500_005, out.askPrice[1]);
    // 99 USDT at ~50000 = 0.00198 BTC, rounded up to 2 steps of 0.001
    assertEquals(2, out.bidQty[0]);
    assertEquals(2, out.askQty[0]);
  }

  @Test
  void longPositionSkewsBothQuotesDownAndShortSkewsUp() {
    QuoteStrategy st =
        strategy("phoenix.quoter.inventory { gamma = 0.5, horizon = 10s, max-skew-bps = 100 }");
    double sigma = 0.0005;
    st.compute(500_000, 10, 500_001, 10, 0, 0, sigma, 0, 0, 0, 0, out);
    long flatBid = out.bidPrice[0];
    long flatAsk = out.askPrice[0];
    st.compute(500_000, 10, 500_001, 10, 10, 0, sigma, 0, 0, 0, 0, out);
    assertTrue(out.skewTicks > 0, "long inventory gives a positive skew");
    assertTrue(out.reservationTicks < out.fairTicks);
    assertTrue(out.bidPrice[0] < flatBid && out.askPrice[0] <= flatAsk, "long: quotes move down");
    st.compute(500_000, 10, 500_001, 10, -10, 0, sigma, 0, 0, 0, 0, out);
    assertTrue(out.skewTicks < 0);
    assertTrue(out.bidPrice[0] >= flatBid && out.askPrice[0] > flatAsk, "short: quotes move up");
  }

  @Test
  void inventorySkewFollowsAvellanedaStoikov() {
    QuoteStrategy st = strategy("phoenix.quoter.inventory { gamma = 0.5, horizon = 10s }");
    // q = 0.010 BTC, sigma price = 0.0005 * 50000 = 25 USDT, skew = 0.01 * 0.5 * 625 * 10 = 31.25
    // USDT = 312.5 ticks
    assertEquals(312.5, st.inventorySkewTicks(10, 0.0005, 500_000), 1e-6);
  }

  @Test
  void skewIsCappedToMaxSkew() {
    QuoteStrategy st = strategy("phoenix.quoter.inventory { gamma = 1000, max-skew-bps = 2 }");
    st.compute(500_000, 10, 500_001, 10, 15, 0, 0.001, 0, 0, 0, 0, out);
    // cap = 2 bps of 500000.5 ticks = 100.0001 ticks
    assertEquals(500_000.5 * 2 / 1e4, out.skewTicks, 1e-6);
    st.compute(500_000, 10, 500_001, 10, -15, 0, 0.001, 0, 0, 0, 0, out);
    assertEquals(-500_000.5 * 2 / 1e4, out.skewTicks, 1e-6);
  }

  @Test
  void positiveFundingLeansShortAndNegativeLeansLong() {
    QuoteStrategy st =
        strategy("phoenix.quoter { funding.skew-weight = 5, inventory.max-skew-bps = 100 }");
    st.compute(500_000, 10, 500_001, 10, 0, 0.0001, 0, 0, 0, 0, 0, out);
    assertTrue(out.skewTicks > 0);
    assertEquals(500_000.5 * 0.0001 * 5, out.skewTicks, 1e-6);
    long bidPositive = out.bidPrice[0];
    st.compute(500_000, 10, 500_001, 10, 0, -0.0001, 0, 0, 0, 0, 0, out);
    assertTrue(out.skewTicks < 0);
    assertTrue(out.bidPrice[0] > bidPositive);
  }

  @Test
  void neverQuotesAtOrThroughTheOppositeBestAndBacksOffAfterPostOnlyRejects() {
    // huge short skew pushes the reservation far above the ask
    QuoteStrategy st =
        strategy("phoenix.quoter { funding.skew-weight = 1000, inventory.max-skew-bps = 100 }");
    st.compute(500_000, 10, 500_001, 10, 0, -0.01, 0, 0, 0, 0, 0, out);
    assertEquals(500_000, out.bidPrice[0], "bid capped one tick below the best ask");
    assertTrue(out.bidPrice[1] < out.bidPrice[0]);
    assertTrue(out.askPrice[0] > out.bidPrice[0]);
    st.compute(500_000, 10, 500_001, 10, 0, -0.01, 0, 2, 0, 0, 0, out);
    assertEquals(499_998, out.bidPrice[0], "two rejects: two more ticks back");
    st.compute(500_000, 10, 500_001, 10, 0, 0.01, 0, 0, 3, 0, 0, out);
    assertEquals(500_004, out.askPrice[0], "ask at best bid + 1 + 3 ticks back-off");
  }

  @Test
  void volatilityWidensTheSpreadUpToTheCap() {
    QuoteStrategy st =
        strategy("phoenix.quoter.volatility { spread-factor = 1, max-spread-multiple = 3 }");
    st.compute(500_000, 10, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out);
    assertEquals(2.0, out.halfSpreadTicks, 1e-9);
    st.compute(500_000, 10, 500_001, 10, 0, 0, 2e-6, 0, 0, 0, 0, out); // sigma = 1 tick
    assertEquals(3.0, out.halfSpreadTicks, 1e-5);
    st.compute(500_000, 10, 500_001, 10, 0, 0, 1e-3, 0, 0, 0, 0, out);
    assertEquals(6.0, out.halfSpreadTicks, 1e-9, "capped at 3x the base half-spread");
  }

  @Test
  void sizesRoundUpToStepsAndMinNotional() {
    QuoterSettings s = Fixtures.quoter(TICKS + "\nphoenix.quoter.level-notional = 1");
    QuoteStrategy st = new QuoteStrategy(s, Fixtures.eth(1));
    // 3000.00 = 300000 ticks; one step of 0.001 is 3 USDT < min notional 5 -> 2 steps
    st.compute(300_000, 10, 300_001, 10, 0, 0, 0, 0, 0, 0, 0, out);
    assertEquals(2, out.bidQty[0]);
    assertEquals(2, out.askQty[0]);
    assertTrue(Fixtures.eth(1).notional(out.bidPrice[0], out.bidQty[0]) >= 5.0);
    // 100 USDT / 3000 = 0.0333.. -> rounded up to 34 steps
    QuoteStrategy hundred =
        new QuoteStrategy(
            Fixtures.quoter(TICKS + "\nphoenix.quoter.level-notional = 100"), Fixtures.eth(1));
    assertEquals(34, hundred.levelSize(0, 300_000));
  }

  @Test
  void levelsThatWouldBreachTheSoftPositionLimitAreNotQuoted() {
    QuoteStrategy st = strategy("");
    // max 1000 USDT at 50000 = 0.020 = 20 steps; each level 2 steps
    st.compute(500_000, 10, 500_001, 10, 20, 0, 0, 0, 0, 0, 0, out);
    assertEquals(0, out.bidCount, "at the limit: no bids");
    assertEquals(2, out.askCount);
    st.compute(500_000, 10, 500_001, 10, 17, 0, 0, 0, 0, 0, 0, out);
    assertEquals(
        1, out.bidCount, "3 steps of room: one full level and a 1-step level worth 50 USDT");
    st.compute(500_000, 10, 500_001, 10, -20, 0, 0, 0, 0, 0, 0, out);
    assertEquals(0, out.askCount);
    assertEquals(2, out.bidCount);
  }

  @Test
  void micropriceLeansTowardTheThinSide() {
    assertEquals(100.5, FairValue.microprice(100, 5, 101, 5), 1e-12);
    assertTrue(FairValue.microprice(100, 90, 101, 10) > 100.5, "heavy bid: fair toward the ask");
    assertEquals(100.5, FairValue.microprice(100, 0, 101, 5), 1e-12);
  }

  @Test
  void oneSidedOrCrossedBookGivesNoQuotes() {
    QuoteStrategy st = strategy("");
    assertFalse(st.compute(0, 0, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out));
    assertEquals(0, out.bidCount + out.askCount);
    assertFalse(st.compute(500_001, 1, 500_001, 1, 0, 0, 0, 0, 0, 0, 0, out));
  }

  @Test
  void bpsSpreadScalesWithPrice() {
    QuoteStrategy st =
        new QuoteStrategy(
            Fixtures.quoter(
                "phoenix.quoter { spread-unit = bps, base-spread = 4, fair-value = mid, volatility.spread-factor = 0,"
                    + " fees { maker-rate = 0, min-edge-bps = 0 } }"),
            Fixtures.btc(0));
    st.compute(500_000, 10, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out);
    // 4 bps of 500000.5 ticks = 200 ticks, half = 100
    assertEquals(100.0001, out.halfSpreadTicks, 1e-3);
    assertEquals(499_900, out.bidPrice[0]);
    assertEquals(500_101, out.askPrice[0]);
  }
}
