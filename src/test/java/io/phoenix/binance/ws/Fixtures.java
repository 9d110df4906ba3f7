package io.phoenix.binance.ws;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Instruments and recorded payloads shared by the codec and market tests. */
public final class Fixtures {
  public static final Instrument ETHUSDT = instrument(0, "ETHUSDT", "0.01", "0.001");
  public static final Instrument BTCUSDT = instrument(1, "BTCUSDT", "0.10", "0.001");
  public static final InstrumentRegistry REGISTRY =
      InstrumentRegistry.of(List.of(ETHUSDT, BTCUSDT));

  private Fixtures() {}

  public static Instrument instrument(int id, String symbol, String tick, String step) {
    return new Instrument(
        id,
        symbol,
        Scale.of(tick),
        Scale.of(step),
        1,
        100_000_000,
        1,
        1_000_000_000,
        5.0,
        200,
        1.05,
        0.95);
  }

  public static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/binance/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
