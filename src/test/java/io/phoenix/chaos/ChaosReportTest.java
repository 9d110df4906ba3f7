package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosReportTest {
  static ChaosReport report(boolean allPass) {
    FaultLog.Executed drop =
        new FaultLog.Executed(
            new FaultWindow(0, FaultType.WS_DROP, 10_000, 10_000, "", 0), 10_000, 10_000, "");
    FaultLog.Executed restart =
        new FaultLog.Executed(
            new FaultWindow(1, FaultType.SIM_RESTART, 20_000, 23_000, "", 0),
            20_000,
            24_500,
            "venue back");
    List<RecoveryCheck.Recovery> recoveries =
        List.of(
            new RecoveryCheck.Recovery(drop, 750, true),
            new RecoveryCheck.Recovery(restart, -1, false));
    List<Verdict> verdicts =
        List.of(
            new Verdict("orphans", "0", "0", true, ""),
            new Verdict(
                "uptime",
                "8.0% (ETHUSDT)",
                ">= 95.0%",
                allPass,
                allPass ? "" : "not quoting: USER_STREAM_DOWN 90"));
    List<RecoveryCheck.FaultStats> stats =
        List.of(
            new RecoveryCheck.FaultStats(FaultType.WS_DROP, 1, 0, 750, 750, 750),
            new RecoveryCheck.FaultStats(
                FaultType.SIM_RESTART, 1, 1, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
    return new ChaosReport(new ChaosReport.Run(7, 3, 720, 3, 12, ""), verdicts, stats, recoveries);
  }

  @Test
  void tableShowsEveryInvariantFaultTypeAndFault() {
    String table = report(false).table();
    assertTrue(
        table.contains("uptime") && table.contains("FAIL") && table.contains("USER_STREAM_DOWN 90"),
        table);
    assertTrue(table.contains("ws-drop") && table.contains("0.75s"), table);
    assertTrue(table.contains("sim-restart") && table.contains("n/r"), table);
    assertTrue(
        table.contains("not quoting before it; venue back") && !table.contains("it;\n"), table);
    assertTrue(table.endsWith("RESULT: FAIL\n"), table);
    assertTrue(report(true).table().endsWith("RESULT: PASS\n"));
  }

  @Test
  void passesOnlyWhenEveryVerdictDoes() {
    assertTrue(report(true).passed());
    assertFalse(report(false).passed());
    assertFalse(
        new ChaosReport(new ChaosReport.Run(1, 1, 0, 0, 0, ""), List.of(), List.of(), List.of())
            .passed());
  }

  @Test
  void jsonCarriesTheSameNumbers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("chaos.json");
    report(false).writeJson(file);
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertFalse(json.get("passed").asBoolean());
    assertEquals(7, json.get("run").get("seed").asLong());
    assertEquals("uptime", json.get("invariants").get(1).get("name").asText());
    assertEquals(750, json.get("faultTypes").get(0).get("recoveryP99Ms").asLong());
    assertTrue(json.get("faultTypes").get(1).get("recoveryP99Ms").isNull());
    assertTrue(json.get("faults").get(1).get("recoveryMs").isNull());
    assertFalse(json.get("faults").get(1).get("quotingBefore").asBoolean());
    assertEquals(24_500, json.get("faults").get(1).get("endedMs").asLong());
  }
}
