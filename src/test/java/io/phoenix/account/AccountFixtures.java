package io.phoenix.account;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/** Instruments and payloads shared by the account tests. */
public final class AccountFixtures {
  public static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          1,
          10_000_000,
          1,
          1_000_000,
          5.0,
          200,
          1.05,
          0.95);
  public static final Instrument ETH =
      new Instrument(
          1,
          "ETHUSDT",
          Scale.of("0.01"),
          Scale.of("0.001"),
          1,
          100_000_000,
          1,
          10_000_000,
          5.0,
          200,
          1.05,
          0.95);

  private static final Map<String, Instrument> BY_SYMBOL = Map.of("BTCUSDT", BTC, "ETHUSDT", ETH);

  public static final Function<String, Instrument> LOOKUP = BY_SYMBOL::get;

  private AccountFixtures() {}

  /** A TRADE update of {@code qtySteps} at {@code priceTicks}. */
  public static AccountEvent.OrderUpdate fill(
      Instrument instrument,
      String clientOrderId,
      Side side,
      long qtySteps,
      long priceTicks,
      long tradeId) {
    return new AccountEvent.OrderUpdate(
        instrument.id(),
        clientOrderId,
        1000 + tradeId,
        side,
        AccountEvent.ExecutionType.TRADE,
        OrderState.PARTIALLY_FILLED,
        priceTicks,
        qtySteps * 10,
        qtySteps,
        qtySteps,
        priceTicks,
        tradeId,
        0.01,
        0,
        true,
        tradeId,
        tradeId,
        "LIMIT",
        "GTX",
        0,
        "USDT",
        false,
        AccountEvent.PositionSide.BOTH,
        0);
  }

  /** A NEW update for an order resting at {@code priceTicks}. */
  public static AccountEvent.OrderUpdate accepted(
      Instrument instrument, String clientOrderId, Side side, long qtySteps, long priceTicks) {
    return new AccountEvent.OrderUpdate(
        instrument.id(),
        clientOrderId,
        77,
        side,
        AccountEvent.ExecutionType.NEW,
        OrderState.NEW,
        priceTicks,
        qtySteps,
        0,
        0,
        0,
        0,
        0,
        0,
        false,
        1,
        1,
        "LIMIT",
        "GTX",
        0,
        "",
        false,
        AccountEvent.PositionSide.BOTH,
        0);
  }

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
