package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos command end to end, as a user runs it but in this process: three minutes of seeded
 * faults (every fault type at least once) against the embedded simulator on a free port, then the
 * exit status. 0 means every invariant held: no orphan or phantom older than 10 s, positions equal
 * at quiet points, journal equal to userTrades, notional within the soft limit plus one order,
 * uptime >= 95 % outside faults, recovery p99 <= 3 s, heap flat, no ban.
 */
class ChaosSoakIT {
  static final long SEED = 11;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void threeSeededMinutesOfFaultsBreakNoInvariant(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("chaos.json");
    int exit =
        Main.execute(
            "chaos",
            "--minutes",
            "3",
            "--seed",
            Long.toString(SEED),
            "--report",
            report.toString());

    assertTrue(Files.isRegularFile(report), "no report written (exit " + exit + ")");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    Set<FaultType> ran = EnumSet.noneOf(FaultType.class);
    for (JsonNode f : json.get("faults")) {
      ran.add(FaultType.parse(f.get("type").asText(), "report"));
    }
    assertEquals(EnumSet.allOf(FaultType.class), ran, "every fault type runs in three minutes");
    List<String> broken = new ArrayList<>();
    for (JsonNode v : json.get("invariants")) {
      if (!v.get("pass").asBoolean()) {
        broken.add(
            v.get("name").asText()
                + ": "
                + v.get("value").asText()
                + " (limit "
                + v.get("limit").asText()
                + ") "
                + v.get("detail").asText());
      }
    }
    assertEquals(
        0,
        exit,
        "invariants broken under chaos (seed " + SEED + "):\n  " + String.join("\n  ", broken));
    assertTrue(broken.isEmpty());
  }
}
