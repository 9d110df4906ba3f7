package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phoenix.config.ChaosSettings;
import io.phoenix.config.SettingsException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");
  static final ChaosSettings.Schedule DEFAULTS =
      ChaosSettings.fromConfig(ConfigFactory.load()).schedule();

  static FaultSchedule generate(long seed, int minutes) {
    return FaultSchedule.generate(
        seed, Duration.ofMinutes(minutes), DEFAULTS, SYMBOLS, 3, Duration.ofMinutes(1));
  }

  @Test
  void sameSeedSameSchedule() {
    assertEquals(generate(7, 10).windows(), generate(7, 10).windows());
    assertNotEquals(generate(7, 10).windows(), generate(8, 10).windows());
  }

  @Test
  void threeMinutesExerciseEveryTypeForAnySeed() {
    for (long seed = 0; seed < 200; seed++) {
      FaultSchedule s = generate(seed, 3);
      assertEquals(EnumSet.allOf(FaultType.class), s.types(), "seed " + seed + ": " + s.windows());
    }
  }

  @Test
  void windowsKeepTheirGapsTheSpanAndTheBanRule() {
    for (long seed = 0; seed < 50; seed++) {
      FaultSchedule s = generate(seed, 30);
      List<FaultWindow> w = s.windows();
      assertTrue(w.get(0).startMillis() >= DEFAULTS.leadIn().toMillis());
      long lastRateLimited = Long.MIN_VALUE / 2;
      for (int i = 0; i < w.size(); i++) {
        FaultWindow f = w.get(i);
        if (i > 0) {
          assertTrue(
              f.startMillis() - w.get(i - 1).endMillis() >= DEFAULTS.gapMin().toMillis(),
              f.describe());
        }
        assertEquals(f.type().instant(), f.durationMillis() == 0, f.describe());
        if (f.type() == FaultType.RATE_LIMITED) {
          assertTrue(
              f.magnitude() >= 1 && f.magnitude() <= 2,
              "fewer forced 429s than the ban threshold: " + f.describe());
          assertTrue(f.startMillis() - lastRateLimited >= 60_000, f.describe());
          lastRateLimited = f.startMillis();
        }
        if (f.type() == FaultType.CLOCK_SKEW) {
          assertEquals(5000, Math.abs(f.magnitude()));
        }
        if (f.type() == FaultType.QUOTER_CRASH || f.type() == FaultType.DEPTH_GAP) {
          assertTrue(SYMBOLS.contains(f.target()), f.describe());
        }
      }
      assertTrue(w.get(w.size() - 1).endMillis() + DEFAULTS.gapMin().toMillis() <= s.spanMillis());
    }
  }

  @Test
  void invariantsCatchAnOverlap() {
    FaultSchedule s = generate(3, 3);
    assertThrows(
        IllegalStateException.class,
        () -> s.validateInvariants(DEFAULTS.gapMax().toMillis() * 10, 60_000));
  }

  @Test
  void anUnknownTypeNamesTheKey() {
    ChaosSettings.Schedule bad =
        new ChaosSettings.Schedule(
            DEFAULTS.leadIn(),
            DEFAULTS.gapMin(),
            DEFAULTS.gapMax(),
            DEFAULTS.durationMin(),
            DEFAULTS.durationMax(),
            List.of("ws-drop", "meteor"),
            DEFAULTS.delayMax(),
            DEFAULTS.clockSkew(),
            3,
            5,
            DEFAULTS.depthGapInterval());
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                FaultSchedule.generate(
                    1, Duration.ofMinutes(3), bad, SYMBOLS, 3, Duration.ofMinutes(1)));
    assertTrue(
        e.getMessage().contains("phoenix.chaos.schedule.types")
            && e.getMessage().contains("meteor"),
        e.getMessage());
  }

  @Test
  void onlyConfiguredTypesAreDrawn() {
    ChaosSettings.Schedule some =
        new ChaosSettings.Schedule(
            DEFAULTS.leadIn(),
            DEFAULTS.gapMin(),
            DEFAULTS.gapMax(),
            DEFAULTS.durationMin(),
            DEFAULTS.durationMax(),
            List.of("ws-drop", "rate-limited"),
            DEFAULTS.delayMax(),
            DEFAULTS.clockSkew(),
            3,
            5,
            DEFAULTS.depthGapInterval());
    FaultSchedule s =
        FaultSchedule.generate(1, Duration.ofMinutes(10), some, SYMBOLS, 3, Duration.ofMinutes(1));
    assertEquals(EnumSet.of(FaultType.WS_DROP, FaultType.RATE_LIMITED), s.types());
  }
}
