package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientOrderIdsTest {

  @Test
  void idsMatchBinancesPatternAndDecodeBack() {
    ClientOrderIds ids = ClientOrderIds.startingNow("phx", 1_767_225_600_123L);
    String id = ids.next(2);
    assertTrue(ClientOrderIds.BINANCE_PATTERN.matcher(id).matches(), id);
    ClientOrderIds.Decoded d = ids.decode(id);
    assertEquals("phx", d.prefix());
    assertEquals(2, d.symbolId());
    assertEquals(1_767_225_600_123_000L, d.sequence());
    assertEquals(1_767_225_600_123_001L, ids.decode(ids.next(2)).sequence());
  }

  @Test
  void worstCaseLengthFitsIn36() {
    ClientOrderIds ids = new ClientOrderIds("ABCDEFGHIJKL", Long.MAX_VALUE - 1);
    String id = ids.next(Integer.MAX_VALUE);
    assertTrue(id.length() <= 36, id);
    assertTrue(ClientOrderIds.BINANCE_PATTERN.matcher(id).matches(), id);
    assertEquals(Integer.MAX_VALUE, ids.decode(id).symbolId());
  }

  @Test
  void idsAreUniqueAndRestartsStartHigher() {
    ClientOrderIds first = ClientOrderIds.startingNow("phx", 1000);
    Set<String> seen = new HashSet<>();
    long last = 0;
    for (int i = 0; i < 1000; i++) {
      String id = first.next(0);
      assertTrue(seen.add(id));
      last = first.decode(id).sequence();
    }
    ClientOrderIds restarted = ClientOrderIds.startingNow("phx", 1002);
    assertTrue(restarted.decode(restarted.next(0)).sequence() > last);
  }

  @Test
  void ownershipIsByPrefix() {
    ClientOrderIds ids = new ClientOrderIds("phx", 0);
    assertTrue(ids.isOurs("phx-1-a"));
    assertFalse(ids.isOurs("phx2-1-a"));
    assertFalse(ids.isOurs("autoclose-123"));
    assertFalse(ids.isOurs("web_abc"));
    assertNull(ids.decode("autoclose-123"));
    assertNull(ids.decode("phx-zz"));
    assertNull(ids.decode("phx--1"));
  }

  @Test
  void badPrefixesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClientOrderIds("has-dash", 0));
    assertThrows(IllegalArgumentException.class, () -> new ClientOrderIds("", 0));
    assertThrows(IllegalArgumentException.class, () -> new ClientOrderIds("space here", 0));
    assertThrows(IllegalArgumentException.class, () -> new ClientOrderIds("waytoolongprefix", 0));
  }
}
