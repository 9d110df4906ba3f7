package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private final ConfigReader reader =
      new ConfigReader(
          ConfigFactory.parseString(
              "a { n = 5, d = 2s, s = hello, blank = \"\", items = [{x = 1}, {x = nope}] }"),
          "a");

  @Test
  void readsTypedValues() {
    assertEquals(5, reader.intInRange("n", 1, 10));
    assertEquals(Duration.ofSeconds(2), reader.positiveDuration("d"));
    assertEquals("hello", reader.nonEmptyString("s"));
  }

  @Test
  void namesTheMissingKey() {
    SettingsException e = assertThrows(SettingsException.class, () -> reader.string("missing"));
    assertEquals("a.missing", e.key());
    assertTrue(e.getMessage().contains("'a.missing'"));
  }

  @Test
  void namesTheOutOfRangeKey() {
    SettingsException e =
        assertThrows(SettingsException.class, () -> reader.intInRange("n", 6, 10));
    assertEquals("a.n", e.key());
  }

  @Test
  void namesTheWrongTypeKeyInsideAList() {
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> reader.objectList("items").get(1).intInRange("x", 0, 9));
    assertEquals("a.items[1].x", e.key());
  }

  @Test
  void refusesEmptyWhereRequired() {
    assertEquals(
        "a.blank",
        assertThrows(SettingsException.class, () -> reader.nonEmptyString("blank")).key());
  }
}
