package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenKeysTest {
  final ListenKeys keys = new ListenKeys(60_000, 1);

  @Test
  void oneActiveKeyPerAccountExtendedByKeepAlive() {
    String k = keys.start("acc", 0);
    assertEquals(64, k.length());
    assertEquals(k, keys.start("acc", 10));
    keys.keepAlive("acc", null, 50_000);
    assertTrue(keys.expire(100_000).isEmpty());
    assertEquals(List.of(k), keys.expire(110_000));
    assertNull(keys.account(k));
    assertEquals(
        -1125, assertThrows(Rejection.class, () -> keys.keepAlive("acc", null, 110_001)).code);
  }

  @Test
  void keysOfOtherAccountsAreUnknown() {
    String k = keys.start("a", 0);
    assertEquals(-1125, assertThrows(Rejection.class, () -> keys.keepAlive("b", k, 1)).code);
    assertNull(keys.close("b", k));
    assertEquals(k, keys.close("a", null));
  }
}
