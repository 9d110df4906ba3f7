package io.phoenix.backtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The real Binance recording shipped with the project, whole and as the tests' slice. */
final class Recordings {
  /** The whole shipped file: BTCUSDT, 6 minutes, 93,954 messages. */
  static final Path FULL = Path.of("data/binance-usdm/btcusdt_20240808.gz");
  /** Its first 4,000 lines (16 s, the snapshot included). */
  static final Path SLICE = Path.of("src/test/resources/recordings/btcusdt_20240808_head4000.gz");

  private static MarketData slice;

  private Recordings() {}

  static Config config() {
    return ConfigFactory.load();
  }

  static synchronized MarketData slice() {
    if (slice == null) {
      slice = load(SLICE);
    }
    return slice;
  }

  static MarketData load(Path file) {
    try {
      return BacktestCommand.load(config(), List.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
