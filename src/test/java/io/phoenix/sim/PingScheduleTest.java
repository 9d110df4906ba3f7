package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingScheduleTest {
  private static final long PING = 180_000;
  private static final long PONG = 600_000;
  private static final long LIFE = 86_400_000;

  @Test
  void answeredPingsKeepTheConnectionUntilItsMaximumLife() {
    PingSchedule s = new PingSchedule(0, PING, PONG, LIFE);
    long now = 0;
    while (s.nextPingAt() < LIFE) {
      now = s.nextPingAt();
      assertNull(s.closeReason(now), "closed at " + now);
      String payload = s.pingSent(now);
      assertTrue(s.pongReceived(payload, now + 50));
      s.validateInvariants();
    }
    assertEquals(LIFE, s.closeDeadline());
    assertEquals("maximum connection life reached", s.closeReason(LIFE));
  }

  @Test
  void silenceClosesAtThePongTimeoutEvenWithUnsolicitedPongs() {
    PingSchedule s = new PingSchedule(1_000, PING, PONG, LIFE);
    for (long t = 1_000 + PING; t < 1_000 + PONG; t += PING) {
      s.pingSent(t);
      assertFalse(s.pongReceived("", t + 10), "an empty unsolicited pong must not count");
      assertFalse(s.pongReceived("12345", t + 10), "a pong echoing no ping of ours must not count");
      s.validateInvariants();
    }
    assertEquals(1_000 + PONG, s.closeDeadline());
    assertNull(s.closeReason(1_000 + PONG - 1));
    assertEquals("no pong within 600000 ms", s.closeReason(1_000 + PONG));
  }

  @Test
  void aLatePongAnsweringAnEarlierPingStillCounts() {
    PingSchedule s = new PingSchedule(0, PING, PONG, LIFE);
    String first = s.pingSent(PING);
    s.pingSent(2 * PING);
    assertTrue(s.pongReceived(first, 2 * PING + 5));
    assertEquals(2 * PING + 5 + PONG, s.closeDeadline());
    s.validateInvariants();
  }

  @Test
  void payloadsAreUniqueWhenPingsShareAMillisecond() {
    PingSchedule s = new PingSchedule(0, PING, PONG, LIFE);
    assertNotEquals(s.pingSent(5), s.pingSent(5));
    s.validateInvariants();
  }

  @Test
  void aPongTimeoutNotLongerThanThePingIntervalIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PingSchedule(0, PING, PING, LIFE));
  }
}
