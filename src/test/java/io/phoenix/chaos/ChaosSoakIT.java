package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.testkit.NodeProcess;
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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The chaos command end to end, as a user runs it: {@code java -jar target/phoenix.jar chaos
 * --minutes 3 --seed 11} in a JVM of its own (its heap measured alone), three minutes of seeded
 * faults (every fault type at least once) against the embedded simulator on a free port, then the
 * exit status and the report. 0 means every invariant held: no orphan or phantom older than 10 s,
 * positions equal at quiet points, journal equal to userTrades, notional within the soft limit plus
 * one order, uptime >= 95 % outside faults, recovery p99 <= 3 s, heap flat, no ban.
 *
 * <p>The soak is mostly waiting (a quarter of one core): it runs beside the other integration tests
 * rather than after them, which keeps {@code mvn verify} within its time budget. It is the only
 * concurrent class (failsafe's JUnit configuration in the pom enables parallel execution, every
 * other class stays on the same thread, one after another).
 */
@Execution(ExecutionMode.CONCURRENT)
class ChaosSoakIT {
  static final long SEED = 11;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void threeSeededMinutesOfFaultsBreakNoInvariant(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("chaos.json");
    Path log = dir.resolve("chaos.log");
    Process chaos =
        new ProcessBuilder(
                NodeProcess.jarCommand(
                    "chaos",
                    "--minutes",
                    "3",
                    "--seed",
                    Long.toString(SEED),
                    "--report",
                    report.toString()))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    int exit;
    try {
      assertTrue(chaos.waitFor(8, TimeUnit.MINUTES), "chaos still running after 8 minutes");
      exit = chaos.exitValue();
    } finally {
      chaos.destroyForcibly();
    }
    String tail = tail(log, 40);
    // the run's table in the test's output, pass or fail
    System.out.println(tail);

    assertTrue(Files.isRegularFile(report), "no report written (exit " + exit + "):\n" + tail);
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
        "invariants broken under chaos (seed "
            + SEED
            + "):\n  "
            + String.join("\n  ", broken)
            + "\n"
            + tail);
    assertTrue(broken.isEmpty());
  }

  static String tail(Path log, int lines) throws java.io.IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
