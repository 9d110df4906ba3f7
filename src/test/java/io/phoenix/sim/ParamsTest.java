package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phoenix.core.Scale;
import org.junit.jupiter.api.Test;

class ParamsTest {
  final Scale tick = Scale.of("0.10");

  @Test
  void queryWinsOverBody() {
    Params p = Params.of("symbol=BTCUSDT&side=BUY", "side=SELL&quantity=1");
    assertEquals("BUY", p.req("side"));
    assertEquals("1", p.req("quantity"));
  }

  @Test
  void decimalsMapToBinanceErrors() {
    assertEquals(600_001, Params.of("price=60000.10", "").decimal("price", tick, true));
    assertEquals(
        -1111,
        assertThrows(
                Rejection.class,
                () -> Params.of("price=60000.123", "").decimal("price", tick, true))
            .code);
    assertEquals(
        -4014,
        assertThrows(
                Rejection.class,
                () -> Params.of("price=60000.15", "").decimal("price", Scale.of("0.10"), true))
            .code);
    assertEquals(
        -1102,
        assertThrows(Rejection.class, () -> Params.of("price=abc", "").decimal("price", tick, true))
            .code);
    assertEquals(
        -1102,
        assertThrows(Rejection.class, () -> Params.of("", "").decimal("price", tick, true)).code);
    assertEquals(
        -1100,
        assertThrows(Rejection.class, () -> Params.of("limit=5x", "").optInt("limit", 1)).code);
  }
}
