package io.phoenix.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.JournalSettings;
import io.phoenix.journal.JournalEntry.FillRecorded;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;

final class JournalFixtures {
  private JournalFixtures() {}

  static Config config(Path dir) {
    return ConfigFactory.parseString(
            "phoenix.journal.url = \"jdbc:h2:file:"
                + dir.resolve("journal")
                + "\"\n"
                + "phoenix.journal.batch-size = 3\nphoenix.journal.flush-interval = 10s")
        .withFallback(ConfigFactory.load());
  }

  static JournalSettings settings(Path dir) {
    return JournalSettings.fromConfig(config(dir));
  }

  static FillRecorded fill(
      String symbol,
      long tradeId,
      String side,
      String price,
      String qty,
      String fee,
      String pnl,
      boolean maker,
      String time) {
    return new FillRecorded(
        symbol,
        tradeId,
        1000 + tradeId,
        "phx-" + tradeId,
        side,
        new BigDecimal(price),
        new BigDecimal(qty),
        new BigDecimal(fee),
        new BigDecimal(pnl),
        maker,
        Instant.parse(time));
  }
}
