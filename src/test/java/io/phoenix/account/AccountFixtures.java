package io.phoenix.account;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/** Instruments and payloads shared by the account tests. */
public final class AccountFixtures {
  public static final Instrument BTC =
      new Instrument(0, "BTCUSDT", Scale.of("0.10"), Scale.of("0.001"), 1, 10_000_000, 1, 1_000_000, 5.0, 200, 1.05, 0.95);
  public static final Instrument ETH =
      new Instrument(1, "ETHUSDT", Scale.of("0.01"), Scale.of("0.001"), 1, 100_000_000, 1, 10_000_000, 5.0, 200, 1.05, 0.95);

  private static final Map<String, Instrument> BY_SYMBOL = Map.of("BTCUSDT", BTC, "ETHUSDT", ETH);

  public static final Function<String, Instrument> LOOKUP = BY_SYMBOL::get;

  private AccountFixtures() {}

  /** A payload from src/test/resources/binance. */
  public static String payload(String name) {
    try (InputStream in = AccountFixtures.class.getResourceAsStream("/binance/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test payload " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
