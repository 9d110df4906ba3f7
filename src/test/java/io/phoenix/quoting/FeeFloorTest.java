package io.phoenix.quoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The strategy never quotes a round trip inside its fees plus the minimum edge: whatever the book,
 * position, volatility, funding, back-off and adaptive extras, its best ask minus its best bid is
 * at least the maker fees of buying at the one and selling at the other plus min-edge-bps of fair,
 * at the configured rate, at the rate the exchange reported, and after that rate changes mid-run.
 */
class FeeFloorTest {
  // a narrow base spread (0.6 bps, the old default) so that the floor, not the spread, decides
  private static final String NARROW =
      "phoenix.quoter { base-spread = 0.6, level-spacing = 0.4, levels = 3, fair-value = microprice, inventory.max-skew-bps = 10,"
          + " fees { maker-rate = 0.0002, taker-rate = 0.0005, min-edge-bps = 1.0 } }";

  private final Quotes out = new Quotes(10);

  @Test
  void configuredRatesFloorTheSpreadOverRandomInputs() {
    QuoteStrategy st = new QuoteStrategy(Fixtures.quoter(NARROW), Fixtures.btc(0));
    assertEquals(0.0002, st.makerRate());
    int quoted = check(st, 0.0002, 1.0, 7);
    assertTrue(quoted > 900, "most inputs produce two-sided quotes: " + quoted);
  }

  @Test
  void ratesReadFromTheExchangeReplaceTheConfiguredOnesAndMayChangeMidRun() {
    QuoteStrategy st = new QuoteStrategy(Fixtures.quoter(NARROW), Fixtures.btc(0));
    // the account is on a dearer tier than configured: the floor must follow at once
    st.setFees(0.0004, 0.0006);
    check(st, 0.0004, 1.0, 11);
    st.compute(500_000, 10, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out);
    long wide = out.askPrice[0] - out.bidPrice[0];
    // 2 x 4 bps + 1 bps of 50 000 = 45 USDT = 450 ticks of 0.10
    assertTrue(wide >= 450 && wide <= 452, "full spread " + wide + " ticks at maker 4 bps");
    // ...and a cheaper one later (VIP upgrade): the spread narrows to the new floor, not below
    st.setFees(0.0001, 0.0004);
    check(st, 0.0001, 1.0, 13);
    st.compute(500_000, 10, 500_001, 10, 0, 0, 0, 0, 0, 0, 0, out);
    long narrow = out.askPrice[0] - out.bidPrice[0];
    assertTrue(narrow >= 150 && narrow <= 152, "full spread " + narrow + " ticks at maker 1 bps");
  }

  @Test
  void aMakerRebateAllowsASpreadNarrowerThanTheEdgeAlone() {
    QuoteStrategy st = new QuoteStrategy(Fixtures.quoter(NARROW), Fixtures.btc(0));
    st.setFees(-0.0001, 0.0004);
    check(st, -0.0001, 1.0, 17);
  }

  @Test
  void theFloorHoldsInTicksToo() {
    QuoteStrategy st =
        new QuoteStrategy(
            Fixtures.quoter(
                NARROW
                    + "\nphoenix.quoter { spread-unit = ticks, base-spread = 2, level-spacing = 1 }"),
            Fixtures.eth(0));
    check(st, 0.0002, 1.0, 19);
  }

  @Test
  void theCoreMovesTheOrdersItSendsToTheExchangesRates() {
    QuoterSettings s =
        Fixtures.quoter(
            NARROW
                + "\nphoenix.quoter { levels = 1, fair-value = mid, min-quote-life = 0ms, require-mark-price = false,"
                + " refresh-tolerance-bps = 0, volatility.spread-factor = 0 }");
    int[] seq = {0};
    QuoterCore core = new QuoterCore(s, Fixtures.btc(0), () -> "id" + seq[0]++, true);
    assertEquals(0.0002, core.makerRate());
    assertTrue(!core.feesFromExchange());
    core.onTopOfBook(500_000, 10, 500_001, 10, 0);
    core.requote(0);
    // configured 2 bps: 2 x 2 + 1 = 5 bps of 50 000.05 = 25 USDT = 250 ticks
    assertEquals(250, placedSpread(core), 1);
    core.onFees(0.0005, 0.0007);
    assertTrue(core.feesFromExchange());
    assertEquals(0.0005, core.makerRate());
    assertEquals(0.0007, core.takerRate());
    core.requote(1_000_000);
    // the exchange's 5 bps: 11 bps = 550 ticks, the old orders moved out
    assertEquals(550, placedSpread(core), 1);
  }

  /** Ask minus bid of the orders placed (or amended) by the last requote. */
  private static long placedSpread(QuoterCore core) {
    long bid = -1;
    long ask = -1;
    for (int i = 0; i < core.actionCount(); i++) {
      if (core.actionKind(i) == OrderDiff.Kind.CANCEL) {
        continue;
      }
      if (core.actionBuy(i)) {
        bid = core.actionPrice(i);
      } else {
        ask = core.actionPrice(i);
      }
      if (core.actionKind(i) == OrderDiff.Kind.PLACE) {
        core.onAccepted(core.actionClientId(i));
      }
    }
    assertTrue(bid > 0 && ask > 0, "both sides placed");
    return ask - bid;
  }

  /**
   * Random inputs; every two-sided result must clear the floor. Returns how many were two-sided.
   */
  private int check(QuoteStrategy st, double maker, double edgeBps, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Instrument ins = st.instrument();
    int twoSided = 0;
    for (int i = 0; i < 1000; i++) {
      long bid = 100_000 + r.nextLong(1_000_000);
      long ask = bid + 1 + (r.nextInt(4) == 0 ? r.nextLong(2000) : 0);
      long pos = r.nextLong(-8, 9);
      double sigma = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.002;
      double funding = (r.nextDouble() - 0.5) * 0.002;
      int bidBack = r.nextInt(6);
      int askBack = r.nextInt(6);
      double bidExtra = r.nextInt(2) == 0 ? 0 : r.nextDouble() * 5;
      double askExtra = r.nextInt(2) == 0 ? 0 : r.nextDouble() * 5;
      st.compute(
          bid,
          1 + r.nextLong(50),
          ask,
          1 + r.nextLong(50),
          pos,
          funding,
          sigma,
          bidBack,
          askBack,
          bidExtra,
          askExtra,
          out);
      if (out.bidCount == 0 || out.askCount == 0) {
        continue;
      }
      twoSided++;
      double b = out.bidPrice[0];
      double a = out.askPrice[0];
      double needed = maker * (a + b) + edgeBps / 1e4 * out.fairTicks;
      assertTrue(
          a - b >= needed - 1e-6,
          "round trip "
              + b
              + " -> "
              + a
              + " ("
              + (a - b)
              + " ticks) inside fees + edge "
              + needed
              + " at maker "
              + maker
              + ", input "
              + i
              + " of "
              + ins.symbol());
      for (int l = 1; l < out.bidCount; l++) {
        assertTrue(out.bidPrice[l] < out.bidPrice[l - 1]);
      }
      for (int l = 1; l < out.askCount; l++) {
        assertTrue(out.askPrice[l] > out.askPrice[l - 1]);
      }
    }
    return twoSided;
  }
}
