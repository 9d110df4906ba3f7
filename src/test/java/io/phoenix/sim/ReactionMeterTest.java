package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReactionMeterTest {
  private final ReactionMeter meter = new ReactionMeter();

  private ReactionMeter.Snapshot of(String key) {
    return meter.snapshot().stream().filter(s -> s.apiKey().equals(key)).findFirst().orElseThrow();
  }

  @Test
  void eachChangeIsAnsweredByTheKeysFirstRequestForItsSymbolAfterIt() {
    meter.topChanged("BTCUSDT", null, 1_000);
    meter.topChanged("BTCUSDT", null, 1_400);
    meter.orderRequest("k1", "ETHUSDT", 1_500);
    assertEquals(0, of("k1").count(), "a request for another symbol answers nothing");
    meter.orderRequest("k1", "BTCUSDT", 1_600);
    meter.orderRequest("k1", "BTCUSDT", 1_700);
    ReactionMeter.Snapshot s = of("k1");
    assertEquals(2, s.count(), "two changes, each answered once");
    assertEquals(600, s.maxNanos());
    assertEquals(200, s.p50Nanos());
    assertEquals(0, s.pending());
    assertEquals(1, s.latestCount(), "one request answered changes; the next answered none");
    assertEquals(200, s.latestP50Nanos(), "since the newest change it answered");
  }

  @Test
  void aKeysOwnChangeIsNotItsReactionButAnotherKeys() {
    meter.orderRequest("k1", "BTCUSDT", 10);
    meter.orderRequest("k2", "BTCUSDT", 10);
    meter.topChanged("BTCUSDT", "k1", 100);
    meter.orderRequest("k1", "BTCUSDT", 150);
    meter.orderRequest("k2", "BTCUSDT", 180);
    assertEquals(0, of("k1").count());
    assertEquals(1, of("k2").count());
    assertEquals(80, of("k2").p50Nanos());
  }

  @Test
  void aChangeStampedAfterTheRequestArrivedWaitsForTheNextRequest() {
    meter.orderRequest("k1", "BTCUSDT", 10);
    meter.topChanged("BTCUSDT", null, 500);
    // arrived at 400, counted after the engine published the change of 500
    meter.orderRequest("k1", "BTCUSDT", 400);
    assertEquals(0, of("k1").count());
    assertEquals(1, of("k1").pending());
    meter.orderRequest("k1", "BTCUSDT", 900);
    assertEquals(1, of("k1").count());
    assertEquals(400, of("k1").p50Nanos());
  }

  @Test
  void batchOrdersAnswerEverySymbolTheyName() {
    meter.topChanged("BTCUSDT", null, 100);
    meter.topChanged("ETHUSDT", null, 200);
    meter.orderRequest(
        "k1",
        new Params(
            Map.of(
                "batchOrders",
                "[{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\"},{\"symbol\": \"ETHUSDT\",\"side\":\"SELL\"}]")),
        300);
    assertEquals(2, of("k1").count());
    assertEquals(200, of("k1").maxNanos());
  }

  @Test
  void resetForgetsKeysAndStartsFromTheNextChange() {
    meter.topChanged("BTCUSDT", null, 100);
    meter.orderRequest("k1", "BTCUSDT", 200);
    meter.topChanged("BTCUSDT", null, 300);
    meter.reset();
    assertTrue(meter.snapshot().isEmpty());
    meter.topChanged("BTCUSDT", null, 1_000);
    meter.orderRequest("k1", "BTCUSDT", 1_050);
    assertEquals(List.of(50L), List.of(of("k1").maxNanos()));
    assertEquals(1, of("k1").count(), "the change before the reset is not counted");
  }

  @Test
  void aKeySilentForLongerThanTheRingCountsTheLostChangesAsOverrun() {
    meter.orderRequest("k1", "BTCUSDT", 0);
    for (int i = 1; i <= ReactionMeter.RING + 10; i++) {
      meter.topChanged("BTCUSDT", null, i);
    }
    meter.orderRequest("k1", "BTCUSDT", ReactionMeter.RING + 20);
    assertEquals(ReactionMeter.RING, of("k1").count());
    assertEquals(10, of("k1").overrun());
    assertFalse(ReactionMeter.isOrderRequest("GET /fapi/v1/order"));
    assertTrue(ReactionMeter.isOrderRequest("DELETE /fapi/v1/allOpenOrders"));
  }
}
