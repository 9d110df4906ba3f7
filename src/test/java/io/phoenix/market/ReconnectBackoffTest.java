package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  @Test
  void doublesUpToTheCapAndResets() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 0.0);
    assertEquals(100, backoff.next().toMillis());
    assertEquals(200, backoff.next().toMillis());
    assertEquals(400, backoff.next().toMillis());
    assertEquals(800, backoff.next().toMillis());
    assertEquals(1000, backoff.next().toMillis());
    for (int i = 0; i < 100; i++) {
      assertEquals(1000, backoff.next().toMillis());
    }
    backoff.reset();
    assertEquals(100, backoff.next().toMillis());
  }

  @Test
  void addsJitterProportionalToTheDelay() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.5, () -> 1.0);
    assertEquals(150, backoff.next().toMillis());
    assertEquals(300, backoff.next().toMillis());
  }
}
