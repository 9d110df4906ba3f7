package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinTouchStrategyTest {
  private static Config config(String extra) {
    return ConfigFactory.parseString("phoenix.backtest.strategy = join-touch\n" + extra)
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @Test
  void theBaselineJoinsTheTouchIsFilledAsAMakerAndKeepsTheSoftLimit() {
    Config config = config("phoenix.quoter { level-notional = 100, max-position-notional = 300 }");
    assertTrue(
        Backtest.strategy(config, Recordings.slice().instruments()) instanceof JoinTouchStrategy);
    BacktestResult r = BacktestCommand.runOnce(Recordings.slice(), config, Map.of());
    BacktestResult.Summary s = r.summary();
    assertTrue(s.fills() > 10, "at the touch of BTCUSDT the baseline trades within 16 s: " + s);
    assertEquals(s.fills(), s.makerFills(), "post-only: every fill rests first");
    assertTrue(s.fees() > 0, "it pays the exchange model's maker fee");
    // at ~56 000 USDT a 100 USDT order is 0.002 BTC: the limit of 300 USDT holds it to 0.005 plus
    // one order in flight
    assertTrue(
        r.symbols().get(0).maxAbsPosition() <= 0.008,
        "max position " + r.symbols().get(0).maxAbsPosition());
    assertTrue(s.ordersSent() >= s.fills(), "it sends an order per fill at least");
  }

  @Test
  void anUnknownStrategyFailsNamingTheKey() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Backtest.strategy(
                    config("phoenix.backtest.strategy = ccxt"), Recordings.slice().instruments()));
    assertTrue(e.getMessage().contains("phoenix.backtest.strategy"), e.getMessage());
  }
}
