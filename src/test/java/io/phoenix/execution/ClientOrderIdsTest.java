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
    // the longest prefix, the last epoch, 1,296 symbols, a start-up in the year 2100
    ClientOrderIds ids =
        ClientOrderIds.startingNow("ABCDEFGHIJKL", ClientOrderIds.MAX_EPOCH, 4_102_444_800_000L);
    String id = ids.next(36 * 36 - 1);
    assertTrue(id.length() <= 36, id);
    assertTrue(ClientOrderIds.BINANCE_PATTERN.matcher(id).matches(), id);
    assertEquals(36 * 36 - 1, ids.decode(id).symbolId());
    assertEquals(ClientOrderIds.MAX_EPOCH, ids.decode(id).epoch());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClientOrderIds("phx", ClientOrderIds.MAX_EPOCH + 1, 0));
  }

  @Test
  void theEpochTravelsInTheId() {
    ClientOrderIds ids = ClientOrderIds.startingNow("phx", 1234, 1000);
    String id = ids.next(3);
    assertEquals("phx-ya-3-" + Long.toString(1_000_000, 36), id);
    assertEquals(1234, ClientOrderIds.epochOf(id));
    assertEquals(3, ids.decode(id).symbolId());
    assertEquals(1_000_000, ids.decode(id).sequence());
    // ids from before epochs carry epoch 0; anything else is not of this format
    assertEquals(0, ClientOrderIds.epochOf("phx-3-lfls"));
    assertEquals(-1, ClientOrderIds.epochOf("autoclose-123"));
    assertEquals(-1, ClientOrderIds.epochOf("a-b-c-d-e"));
    assertEquals(-1, ClientOrderIds.epochOf("phx--3-1"));
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
