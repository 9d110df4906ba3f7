package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phoenix.config.SimSettings.RateLimitSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final RateLimiter limiter =
      new RateLimiter(
          new RateLimitSettings(10, 2, 3, 1, Duration.ofMinutes(1), Duration.ofMinutes(2)));

  @Test
  void weightWindowResetsOnTheMinuteBoundary() {
    long t = 60_000 * 100;
    assertEquals(10, limiter.addWeight("ip", 10, t));
    Rejection r = assertThrows(Rejection.class, () -> limiter.addWeight("ip", 1, t + 59_000));
    assertEquals(429, r.status);
    assertEquals(-1003, r.code);
    assertEquals(1, r.retryAfterSeconds);
    assertEquals(1, limiter.addWeight("ip", 1, t + 60_000));
  }

  @Test
  void weightIsTalliedPerEndpointAcrossIpsAndRefusedRequestsAreNotCharged() {
    long t = 60_000 * 100;
    limiter.addWeight("ip", "DELETE /fapi/v1/order", 1, t);
    limiter.addWeight("other", "DELETE /fapi/v1/order", 1, t);
    limiter.addWeight("ip", "GET /fapi/v1/depth", 5, t);
    assertThrows(Rejection.class, () -> limiter.addWeight("ip", "GET /fapi/v1/depth", 5, t));
    assertEquals(
        java.util.Map.of("DELETE /fapi/v1/order", 2L, "GET /fapi/v1/depth", 5L),
        limiter.weightByEndpoint());
  }

  @Test
  void readingTheWeightOfAnotherMinuteLeavesThisOnesCount() {
    long t = 60_000 * 100;
    limiter.addWeight("ip", 7, t);
    // a reader on a skewed clock must not reset the window requests are charged to
    assertEquals(0, limiter.usedWeight("ip", t + 60_000));
    assertEquals(7, limiter.usedWeight("ip", t + 1));
    assertEquals(0, limiter.usedWeight("other", t));
  }

  @Test
  void repeatedViolationsBanTheIp() {
    long t = 60_000 * 100;
    limiter.addWeight("ip", 10, t);
    assertEquals(429, assertThrows(Rejection.class, () -> limiter.addWeight("ip", 1, t)).status);
    Rejection ban = assertThrows(Rejection.class, () -> limiter.addWeight("ip", 1, t + 1));
    assertEquals(418, ban.status);
    assertEquals(120, ban.retryAfterSeconds);
    assertEquals(
        418, assertThrows(Rejection.class, () -> limiter.checkBan("ip", t + 119_000)).status);
    limiter.checkBan("ip", t + 120_001);
    limiter.checkBan("other", t);
  }

  @Test
  void orderCountersArePerAccount() {
    long t = 10_000 * 1000;
    limiter.addOrders("ip", "a", 1, 1, t);
    int[] counts = limiter.addOrders("ip", "a", 1, 1, t);
    assertEquals(2, counts[0]);
    assertEquals(
        -1015, assertThrows(Rejection.class, () -> limiter.addOrders("ip", "a", 1, 1, t)).code);
    assertEquals(1, limiter.addOrders("ip", "b", 1, 1, t)[0]);
  }
}
