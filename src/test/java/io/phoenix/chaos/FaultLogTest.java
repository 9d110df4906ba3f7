package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaultLogTest {
  @Test
  void phasesFollowTheFaultsAsTheyRan() {
    FaultLog log = new FaultLog();
    FaultWindow restart = new FaultWindow(0, FaultType.SIM_RESTART, 1000, 3000, "", 0);
    assertEquals(Sample.Phase.CLEAR, log.phase(500, 5000));
    log.begun(restart, 1100, "");
    assertEquals(
        Sample.Phase.FAULT, log.phase(10_000, 5000), "active until it ends, whatever was planned");
    log.ended(restart, 4000, "venue back");
    assertEquals(Sample.Phase.FAULT, log.phase(4000, 5000));
    assertEquals(Sample.Phase.GRACE, log.phase(8999, 5000));
    assertEquals(Sample.Phase.CLEAR, log.phase(9000, 5000));
    assertEquals(Sample.Phase.CLEAR, log.phase(1000, 5000), "before it began");
    assertEquals("venue back", log.executed().get(0).note());
    assertEquals(4000, log.executed().get(0).endedMillis());
  }

  @Test
  void anEndWithoutABeginningIsABug() {
    FaultLog log = new FaultLog();
    assertThrows(
        IllegalStateException.class,
        () -> log.ended(new FaultWindow(3, FaultType.DELAY, 0, 1, "", 5), 1, ""));
  }
}
