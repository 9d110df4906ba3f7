package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.quoting.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuoterRiskSettingsTest {
  @Test
  void defaultsLoadAndValidate() {
    QuoterSettings q = Fixtures.quoter("");
    assertEquals(QuoterSettings.SpreadUnit.BPS, q.spreadUnit());
    assertEquals(QuoterSettings.FairValueSource.MICROPRICE, q.fairValue());
    assertEquals(Duration.ofSeconds(2), q.minQuoteLife());
    assertEquals(15.0, q.baseSpread());
    assertEquals(0.0002, q.fees().makerRate());
    assertEquals(1.0, q.fees().minEdgeBps());
    assertTrue(q.fees().readFromExchange());
    RiskSettings r = Fixtures.risk("");
    assertEquals(10, r.maxConsecutiveRejects());
  }

  @Test
  void badValuesNameTheKey() {
    SettingsException levels =
        assertThrows(SettingsException.class, () -> Fixtures.quoter("phoenix.quoter.levels = 0"));
    assertEquals("phoenix.quoter.levels", levels.key());
    SettingsException unit =
        assertThrows(
            SettingsException.class, () -> Fixtures.quoter("phoenix.quoter.spread-unit = percent"));
    assertEquals("phoenix.quoter.spread-unit", unit.key());
    SettingsException ticks =
        assertThrows(
            SettingsException.class,
            () -> Fixtures.quoter("phoenix.quoter { spread-unit = ticks, base-spread = 0.5 }"));
    assertEquals("phoenix.quoter.base-spread", ticks.key());
    SettingsException life =
        assertThrows(
            SettingsException.class, () -> Fixtures.quoter("phoenix.quoter.min-quote-life = -1s"));
    assertEquals("phoenix.quoter.min-quote-life", life.key());
    SettingsException gamma =
        assertThrows(
            SettingsException.class, () -> Fixtures.quoter("phoenix.quoter.inventory.gamma = -1"));
    assertEquals("phoenix.quoter.inventory.gamma", gamma.key());
  }

  @Test
  void riskLimitsMustBeConsistent() {
    SettingsException order =
        assertThrows(
            SettingsException.class, () -> Fixtures.risk("phoenix.risk.max-order-notional = 5000"));
    assertEquals("phoenix.risk.max-order-notional", order.key());
    SettingsException position =
        assertThrows(
            SettingsException.class,
            () -> Fixtures.risk("phoenix.risk.max-position-notional = 9000"));
    assertEquals("phoenix.risk.max-position-notional", position.key());
    SettingsException stale =
        assertThrows(
            SettingsException.class, () -> Fixtures.risk("phoenix.risk.stale-data-after = 0s"));
    assertEquals("phoenix.risk.stale-data-after", stale.key());
  }
}
