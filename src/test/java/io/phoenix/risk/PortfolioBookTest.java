package io.phoenix.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.config.PortfolioSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortfolioBookTest {
  static final PortfolioSettings LIMITS =
      new PortfolioSettings(1_000, 100, Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void theSumOfTheUnitsTripsNotAnyOneOfThem() {
    PortfolioBook book = new PortfolioBook(LIMITS);
    assertNull(book.report("a", 600, -10, false, 0));
    book.validateInvariants();
    // a repeat replaces a unit's line, it does not add to it
    assertNull(book.report("a", 650, -10, false, 100));
    String reason = book.report("b", 400, -10, false, 200);
    book.validateInvariants();
    assertTrue(reason.contains("gross notional 1050.00 over 1000.00"), reason);
    assertEquals(1_050, book.grossNotional(), 1e-9);
    // stays tripped when the sum falls back, until the operator resets it
    assertEquals(reason, book.report("b", 0, -10, false, 300));
    book.reset();
    assertNull(book.report("b", 0, -10, false, 400));
  }

  @Test
  void theDailyLossIsSummedToo() {
    PortfolioBook book = new PortfolioBook(LIMITS);
    assertNull(book.report("a", 0, -60, false, 0));
    String reason = book.report("b", 0, -50, false, 0);
    assertTrue(reason.contains("daily PnL -110.00 below -100.00"), reason);
  }

  @Test
  void aSilentUnitNoLongerCounts() {
    PortfolioBook book = new PortfolioBook(LIMITS);
    assertNull(book.report("moved", 900, 0, false, 0));
    // 6 s later the unit that moved has not reported under its old line: only b counts
    assertNull(book.report("b", 200, 0, false, 6_000));
    assertEquals(200, book.grossNotional(), 1e-9);
    assertEquals(1, book.units().size());
  }

  @Test
  void noLimitsNeverTrip() {
    PortfolioBook book =
        new PortfolioBook(
            new PortfolioSettings(0, 0, Duration.ofSeconds(1), Duration.ofSeconds(5)));
    assertNull(book.report("a", 1e9, -1e9, false, 0));
  }
}
