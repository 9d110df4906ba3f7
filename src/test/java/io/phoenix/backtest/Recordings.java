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

  /**
   * The backtester's mechanics need fills within the 16 s slice: the tests quote the old narrow
   * spread (0.6 bps) without the fee floor, which keeps the default quoter out of that short, calm
   * stretch. The exchange model still charges its 2 bps maker fee.
   */
  static final String NARROW_NO_FEE_FLOOR =
      "phoenix.quoter { base-spread = 0.6, level-spacing = 0.4, levels = 2, refresh-tolerance-bps = 0.3, min-quote-life = 500ms,"
          + " fees { read-from-exchange = false, maker-rate = 0, min-edge-bps = 0 }, adaptive.enabled = false }";

  static Config config() {
    return ConfigFactory.parseString(NARROW_NO_FEE_FLOOR)
        .withFallback(ConfigFactory.load())
        .resolve();
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
