package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.ops.LatencyRecorder.Stage;
import io.phoenix.ops.LatencyRecorder.StageSnapshot;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  private static StageSnapshot of(LatencyRecorder r, Stage s) {
    return r.snapshot().stream().filter(x -> x.stage().equals(s.label())).findFirst().orElseThrow();
  }

  @Test
  void percentilesOfKnownSamples() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 1; i <= 1000; i++) {
      r.record(Stage.FRAME_TO_DECISION, i * 1_000L); // 1..1000 µs
    }
    StageSnapshot s = of(r, Stage.FRAME_TO_DECISION);
    assertEquals(1000, s.count());
    assertEquals(500_000, s.p50Nanos(), 500);
    assertEquals(990_000, s.p99Nanos(), 1_000);
    assertEquals(1_000_000, s.maxNanos(), 1_000);
    assertEquals(1000, s.buckets().stream().mapToLong(LatencyRecorder.Bucket::count).sum());
    assertEquals(0, of(r, Stage.WRITE_TO_ACK).count());
    assertEquals(990_000, r.valueAt(Stage.FRAME_TO_DECISION, 0.99), 1_000);
  }

  @Test
  void outOfRangeSamplesAreClampedAndCounted() {
    LatencyRecorder r = new LatencyRecorder();
    r.record(Stage.RISK_TO_WRITE, -5);
    r.record(Stage.RISK_TO_WRITE, Long.MAX_VALUE);
    assertEquals(2, r.outOfRange());
    assertEquals(2, of(r, Stage.RISK_TO_WRITE).count());
  }

  @Test
  void oldWindowsAgeOut() {
    LatencyRecorder r = new LatencyRecorder(1); // every read rotates the window
    r.record(Stage.FRAME_TO_WRITE, 5_000);
    assertEquals(1, of(r, Stage.FRAME_TO_WRITE).count()); // rotated into "previous", still visible
    assertEquals(0, of(r, Stage.FRAME_TO_WRITE).count()); // rotated out
    r.record(Stage.FRAME_TO_WRITE, 7_000);
    assertTrue(of(r, Stage.FRAME_TO_WRITE).maxNanos() >= 7_000);
  }
}
