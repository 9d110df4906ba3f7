package io.phoenix.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedSettingsTest {

  @Test
  void readsDefaultsFromReferenceConf() {
    FeedSettings s = FeedSettings.fromConfig(ConfigFactory.load());
    assertEquals(10, s.symbolsPerConnection());
    assertEquals(Duration.ofMillis(100), s.depthSpeed());
    assertEquals("@depth@100ms", s.depthStreamSuffix());
    assertEquals("split", s.routing());
    assertEquals(Duration.ofSeconds(5), s.staleAfter());
    assertEquals(50, s.snapshotLimit());
    assertEquals(200, s.bookMaxLevels());
    assertEquals(Duration.ofHours(23), s.maxConnectionLife());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "depth-speed = 200ms|phoenix.feed.depth-speed",
        "routing = both|phoenix.feed.routing",
        "max-connection-life = 25h|phoenix.feed.max-connection-life",
        "snapshot-limit = 7|phoenix.feed.snapshot-limit",
        "reconnect-jitter = 2|phoenix.feed.reconnect-jitter",
        "reconnect-max-backoff = 1ms|phoenix.feed.reconnect-max-backoff",
        "stale-after = 0s|phoenix.feed.stale-after",
        "symbols-per-connection = 0|phoenix.feed.symbols-per-connection",
        "book-max-levels = 20|phoenix.feed.book-max-levels"
      })
  void rejectsBadValuesNamingTheKey(String override, String key) {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                FeedSettings.fromConfig(
                    ConfigFactory.parseString("phoenix.feed." + override)
                        .withFallback(ConfigFactory.load())));
    assertEquals(key, e.key());
  }
}
