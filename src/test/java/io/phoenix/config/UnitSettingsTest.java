package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitSettingsTest {
  private static final Map<String, String> ENV =
      Map.of("A_KEY", "key-a", "A_SECRET", "secret-a", "B_KEY", "key-b", "B_SECRET", "secret-b");

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  private static final String TWO_UNITS =
      "phoenix.units = ["
          + " { name = a, symbols = [BTCUSDT], api-key-env = A_KEY, api-secret-env = A_SECRET,"
          + "   settings { risk.max-position-notional = 2000 } },"
          + " { name = b, symbols = [ETHUSDT, SOLUSDT], api-key-env = B_KEY,"
          + "   api-secret-env = B_SECRET } ]";

  @Test
  void noUnitsIsOneUnitMadeOfTheConfigurationItself() {
    Config config = with("");
    List<UnitSettings> units = UnitSettings.fromConfig(config, ENV::get);
    assertEquals(1, units.size());
    assertEquals("main", units.get(0).name());
    assertEquals(config, units.get(0).config());
  }

  @Test
  void eachUnitHasItsAccountSymbolsJournalAndOwnSettings() {
    List<UnitSettings> units = UnitSettings.fromConfig(with(TWO_UNITS), ENV::get);
    Config a = units.get(0).config();
    Config b = units.get(1).config();
    assertEquals("a", a.getString("phoenix.unit-name"));
    assertEquals(List.of("BTCUSDT"), a.getStringList("phoenix.symbols"));
    assertEquals("key-a", a.getString("phoenix.binance.api-key"));
    assertEquals("secret-b", b.getString("phoenix.binance.api-secret"));
    assertEquals("jdbc:h2:file:./data/journal-a", a.getString("phoenix.journal.url"));
    assertEquals("jdbc:h2:file:./data/journal-b", b.getString("phoenix.journal.url"));
    // a unit's own settings reach only that unit, and every unit reads as a whole node's settings
    assertEquals(2000, RiskSettings.fromConfig(a).maxPositionNotional(), 1e-9);
    assertEquals(
        RiskSettings.fromConfig(with("")).maxPositionNotional(),
        RiskSettings.fromConfig(b).maxPositionNotional(),
        1e-9);
    assertEquals("b", PhoenixSettings.fromConfig(b).guardian().unitName());
  }

  @Test
  void badUnitsNameTheirKey() {
    assertEquals(
        "phoenix.units[1].api-key-env",
        assertThrows(
                SettingsException.class,
                () ->
                    UnitSettings.fromConfig(
                        with(TWO_UNITS), Map.of("A_KEY", "k", "A_SECRET", "s")::get))
            .key());
    assertEquals(
        "phoenix.units[1].name",
        assertThrows(
                SettingsException.class,
                () ->
                    UnitSettings.fromConfig(
                        with(TWO_UNITS.replace("name = b", "name = a")), ENV::get))
            .key());
    assertEquals(
        "phoenix.units[0].symbols",
        assertThrows(
                SettingsException.class,
                () ->
                    UnitSettings.fromConfig(
                        with(TWO_UNITS.replace("symbols = [BTCUSDT]", "symbols = []")), ENV::get))
            .key());
    assertEquals(
        "phoenix.units[0].settings.journal.url",
        assertThrows(
                SettingsException.class,
                () ->
                    UnitSettings.fromConfig(
                        with(
                            TWO_UNITS
                                + "\nphoenix.journal.url = \"jdbc:postgresql://db:5432/phoenix\""),
                        ENV::get))
            .key());
  }
}
