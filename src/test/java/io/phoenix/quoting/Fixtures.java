package io.phoenix.quoting;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.QuoterSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;

/** Shared test instruments and settings. */
public final class Fixtures {
  private Fixtures() {}

  /** BTCUSDT-like: tick 0.10, step 0.001, min notional 5. */
  public static Instrument btc(int id) {
    return new Instrument(
        id,
        "BTCUSDT",
        Scale.of("0.10"),
        Scale.of("0.001"),
        1,
        10_000_000_000L,
        1,
        1_000_000,
        5.0,
        200,
        1.05,
        0.95);
  }

  /** A second instrument: tick 0.01, step 0.001. */
  public static Instrument eth(int id) {
    return new Instrument(
        id,
        "ETHUSDT",
        Scale.of("0.01"),
        Scale.of("0.001"),
        1,
        10_000_000_000L,
        1,
        10_000_000,
        5.0,
        200,
        1.05,
        0.95);
  }

  public static Config config(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  public static QuoterSettings quoter(String overrides) {
    return QuoterSettings.fromConfig(config(overrides));
  }

  public static RiskSettings risk(String overrides) {
    return RiskSettings.fromConfig(config(overrides));
  }
}
