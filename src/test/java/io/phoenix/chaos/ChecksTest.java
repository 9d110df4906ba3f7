package io.phoenix.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each check passes a crafted good run and flags a crafted violation. */
class ChecksTest {
  static final List<String> SYMBOLS = List.of("ETHUSDT");

  static void feed(Check check, Samples... samples) {
    for (Samples s : samples) {
      check.observe(s.build());
    }
  }

  @Test
  void orphanOlderThanTheLimitIsFlaggedOnce() {
    OrphanCheck check = new OrphanCheck("phx", 10_000);
    for (long t = 0; t <= 20_000; t += 1000) {
      feed(
          check,
          Samples.at(t).onExchange("ETHUSDT", "phx-ETHUSDT-1").onExchange("ETHUSDT", "manual-7"));
    }
    Verdict v = check.verdict();
    assertFalse(v.pass());
    assertTrue(v.value().startsWith("1 "), v.value());
    assertTrue(v.detail().contains("phx-ETHUSDT-1"), v.detail());
  }

  @Test
  void orphanThatTheNodeLearnsOrThatGoesAwayInTimePasses() {
    OrphanCheck check = new OrphanCheck("phx", 10_000);
    feed(
        check,
        Samples.at(0).onExchange("ETHUSDT", "phx-ETHUSDT-1"),
        Samples.at(9_000).onExchange("ETHUSDT", "phx-ETHUSDT-1"),
        Samples.at(12_000)
            .onExchange("ETHUSDT", "phx-ETHUSDT-1")
            .inNode("ETHUSDT", "phx-ETHUSDT-1", false),
        Samples.at(13_000).onExchange("ETHUSDT", "phx-ETHUSDT-2"),
        Samples.at(20_000)
            .onExchange("ETHUSDT", "phx-ETHUSDT-2")
            .gatewaySilent(), // skipped: age unknown to the node
        Samples.at(21_000));
    assertTrue(check.verdict().pass(), check.verdict().toString());
  }

  @Test
  void phantomOlderThanTheLimitIsFlaggedButARequestInFlightIsNot() {
    PhantomCheck check = new PhantomCheck(10_000);
    for (long t = 0; t <= 15_000; t += 1000) {
      feed(
          check,
          Samples.at(t)
              .inNode("ETHUSDT", "phx-ETHUSDT-9", false)
              .inNode("ETHUSDT", "phx-ETHUSDT-10", true)
              .inNode("ETHUSDT", "phx-ETHUSDT-11", false)
              .onExchange("ETHUSDT", "phx-ETHUSDT-11"));
    }
    Verdict v = check.verdict();
    assertFalse(v.pass());
    assertTrue(
        v.detail().contains("phx-ETHUSDT-9") && !v.detail().contains("phx-ETHUSDT-10"), v.detail());
  }

  @Test
  void phantomsAreNotJudgedWhileTheVenueIsDown() {
    PhantomCheck check = new PhantomCheck(10_000);
    for (long t = 0; t <= 30_000; t += 1000) {
      feed(check, Samples.at(t).inNode("ETHUSDT", "phx-ETHUSDT-9", false).exchangeDown());
    }
    feed(check, Samples.at(31_000));
    assertTrue(check.verdict().pass(), check.verdict().toString());
  }

  @Test
  void positionsAreComparedOnlyAtQuietPoints() {
    PositionCheck check = new PositionCheck(SYMBOLS, 2_000);
    feed(
        check,
        Samples.at(0).position("ETHUSDT", 10, 10, 10, 3000).sinceLastFill(5_000),
        Samples.at(1000)
            .position("ETHUSDT", 12, 10, 10, 3000)
            .sinceLastFill(500), // a fill just happened
        Samples.at(2000)
            .position("ETHUSDT", 0, 10, 10, 3000)
            .phase(Sample.Phase.GRACE), // a restart just ended
        Samples.at(3000)
            .position("ETHUSDT", 0, 0, 0, 3000)
            .sinceLastFill(5_000)
            .phase(Sample.Phase.FINAL));
    Verdict v = check.verdict();
    assertTrue(v.pass(), v.toString());
    assertEquals(2, check.comparisons());
  }

  @Test
  void aSymbolThatJustTradedIsNotComparedButTheQuietOnesAre() {
    PositionCheck check = new PositionCheck(List.of("ETHUSDT", "SOLUSDT"), 2_000);
    feed(
        check,
        Samples.at(0)
            .position("ETHUSDT", 5, 5, 5, 3000)
            .position("SOLUSDT", 3, 2, 2, 150)
            .sinceLastFill("ETHUSDT", 9_000)
            .sinceLastFill("SOLUSDT", 100));
    assertTrue(check.verdict().pass(), check.verdict().toString());
    assertEquals(1, check.comparisons());
    feed(
        check,
        Samples.at(3000)
            .position("ETHUSDT", 5, 5, 5, 3000)
            .position("SOLUSDT", 3, 2, 2, 150)
            .sinceLastFill("ETHUSDT", 12_000)
            .sinceLastFill("SOLUSDT", 3_100));
    assertFalse(check.verdict().pass(), "SOLUSDT quiet now and still wrong");
  }

  @Test
  void aPositionMismatchAtAQuietPointFailsWithItsEpisode() {
    PositionCheck check = new PositionCheck(SYMBOLS, 2_000);
    feed(
        check,
        Samples.at(0).position("ETHUSDT", 0, 0, 0, 3000),
        Samples.at(1000).position("ETHUSDT", 0, 12, 0, 3000),
        Samples.at(5000).position("ETHUSDT", 0, 12, 12, 3000),
        Samples.at(6000).position("ETHUSDT", 0, 0, 0, 3000));
    Verdict v = check.verdict();
    assertFalse(v.pass());
    assertEquals("2 of 4 quiet comparisons", v.value());
    assertTrue(v.detail().startsWith("longest 4.0s (ETHUSDT)"), v.detail());
  }

  @Test
  void withoutAQuietPointPositionsAreNotVouchedFor() {
    PositionCheck check = new PositionCheck(SYMBOLS, 2_000);
    feed(check, Samples.at(0).position("ETHUSDT", 0, 0, 0, 3000).phase(Sample.Phase.FAULT));
    assertFalse(check.verdict().pass());
  }

  static final Instrument ETH =
      new Instrument(
          1,
          "ETHUSDT",
          Scale.of("0.01"),
          Scale.of("0.001"),
          3_986,
          30_617_700,
          1,
          10_000_000,
          20.0,
          200,
          1.05,
          0.95);
  static final Instrument SOL =
      new Instrument(
          2,
          "SOLUSDT",
          Scale.of("0.01"),
          Scale.of("1"),
          42,
          685_700,
          1,
          1_000_000,
          5.0,
          200,
          1.05,
          0.95);

  @Test
  void notionalLimitIsSoftLimitPlusOneOrderSizedLikeTheQuoter() {
    NotionalCheck check = new NotionalCheck(Map.of("ETHUSDT", ETH, "SOLUSDT", SOL), 1000, 100);
    assertEquals(1000 + 100 + 3, check.limit(ETH, 3000), 1e-9);
    // SOL's minimum size (1 at 150) is above a level's notional
    assertEquals(1000 + 150 + 150, check.limit(SOL, 150), 1e-9);
  }

  @Test
  void notionalWithinTheLimitPassesAndBeyondFails() {
    NotionalCheck ok = new NotionalCheck(Map.of("ETHUSDT", ETH), 1000, 100);
    feed(ok, Samples.at(0).position("ETHUSDT", -366, 0, 0, 3000)); // 1098 < 1103
    assertTrue(ok.verdict().pass(), ok.verdict().toString());

    NotionalCheck over = new NotionalCheck(Map.of("ETHUSDT", ETH), 1000, 100);
    feed(
        over,
        Samples.at(0).position("ETHUSDT", 100, 0, 0, 3000),
        Samples.at(1000).position("ETHUSDT", 380, 0, 0, 3000));
    Verdict v = over.verdict();
    assertFalse(v.pass());
    assertEquals("worst 1140.0 (ETHUSDT)", v.value());
    assertTrue(v.detail().startsWith("1 samples over"), v.detail());
  }

  @Test
  void uptimeCountsOnlyClearSamplesAndNamesTheReasons() {
    UptimeCheck check = new UptimeCheck(SYMBOLS, 0.95);
    for (int i = 0; i < 19; i++) {
      feed(check, Samples.at(i * 250L).quoter("ETHUSDT", "NONE", true));
    }
    feed(check, Samples.at(5000).quoter("ETHUSDT", "USER_STREAM_DOWN", false));
    feed(
        check,
        Samples.at(6000).quoter("ETHUSDT", "USER_STREAM_DOWN", false).phase(Sample.Phase.FAULT));
    feed(
        check, Samples.at(7000).quoter("ETHUSDT", "BOOK_INVALID", false).phase(Sample.Phase.GRACE));
    Verdict v = check.verdict();
    assertTrue(v.pass(), v.toString());
    assertEquals("95.0% (ETHUSDT)", v.value());

    feed(check, Samples.at(8000).quoter("ETHUSDT", "USER_STREAM_DOWN", false));
    Verdict failed = check.verdict();
    assertFalse(failed.pass());
    assertTrue(failed.detail().contains("USER_STREAM_DOWN 2"), failed.detail());
  }

  static FaultLog.Executed executed(int index, FaultType type, long begun, long ended) {
    return new FaultLog.Executed(
        new FaultWindow(index, type, begun, ended, "", 0), begun, ended, "");
  }

  @Test
  void recoveryIsTheTimeFromAFaultsEndToAllQuotingAndNoneBeforeTheNextFault() {
    RecoveryCheck check = new RecoveryCheck(SYMBOLS, 3_000);
    boolean[] quoting = {
      true, false, false, false, true, true, false, false, false, false, false, false
    };
    for (int i = 0; i < quoting.length; i++) {
      feed(
          check,
          Samples.at(i * 1000L)
              .quoter("ETHUSDT", quoting[i] ? "NONE" : "USER_STREAM_DOWN", quoting[i]));
    }
    check.faults(
        List.of(
            executed(0, FaultType.WS_DROP, 1000, 1000),
            executed(1, FaultType.SIM_RESTART, 6000, 7000),
            executed(2, FaultType.WS_DROP, 9000, 9000)),
        12_000);
    List<RecoveryCheck.Recovery> r = check.recoveries();
    assertEquals(3000, r.get(0).millis());
    assertEquals(-1, r.get(1).millis(), "not quoting again before the next fault began");
    assertEquals(-1, r.get(2).millis(), "not quoting again before the end");
    assertTrue(r.get(0).quotingBefore());
    assertTrue(r.get(1).quotingBefore());
    assertFalse(r.get(2).quotingBefore(), "the restart's damage, not the drop's");
    Verdict v = check.verdict();
    assertFalse(v.pass());
    assertTrue(v.value().startsWith("n/r (2 of 3"), v.value());
    RecoveryCheck.FaultStats drops =
        check.stats().stream().filter(s -> s.type() == FaultType.WS_DROP).findFirst().orElseThrow();
    assertEquals(2, drops.count());
    assertEquals(1, drops.unrecovered());
    assertEquals(3000, drops.p50Millis());
  }

  @Test
  void quickRecoveriesPass() {
    RecoveryCheck check = new RecoveryCheck(SYMBOLS, 3_000);
    for (int i = 0; i < 20; i++) {
      feed(check, Samples.at(i * 500L).quoter("ETHUSDT", "NONE", i != 3));
    }
    check.faults(
        List.of(
            executed(0, FaultType.GATEWAY_CRASH, 1500, 1500),
            executed(1, FaultType.DELAY, 4000, 6000)),
        10_000);
    Verdict v = check.verdict();
    assertTrue(v.pass(), v.toString());
    assertEquals(
        List.of(500L, 0L),
        check.recoveries().stream().map(RecoveryCheck.Recovery::millis).toList());
  }

  @Test
  void percentileIsNearestRank() {
    long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, RecoveryCheck.percentile(v, 0.5));
    assertEquals(10, RecoveryCheck.percentile(v, 0.99));
    assertEquals(7, RecoveryCheck.percentile(new long[] {7}, 0.99));
  }

  @Test
  void heapWithinTheToleranceOnly() {
    assertTrue(HeapCheck.verdict(100_000_000, 118_000_000, 0.2).pass());
    assertTrue(HeapCheck.verdict(100_000_000, 85_000_000, 0.2).pass());
    assertFalse(HeapCheck.verdict(100_000_000, 125_000_000, 0.2).pass());
    assertFalse(HeapCheck.verdict(0, 1, 0.2).pass());
  }

  @Test
  void theLiveHeapIsTheHistogramsTotal() {
    Map<String, Long> histogram =
        HeapCheck.parseHistogram(
            " num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:         87381        9012345  [B (java.base@17)\n"
                + "   2:         81440        1954560  java.lang.String (java.base@17)\n"
                + "Total        168821       10966905\n");
    assertEquals(10_966_905L, HeapCheck.liveBytes(histogram));
    // no histogram: the heap used after a GC, whatever it is, but never nothing
    assertTrue(HeapCheck.liveBytes(Map.of()) > 0);
  }

  @Test
  void heapEvidenceNamesTheClassesThatGrew() {
    String start =
        """
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:         10000         800000  [B (java.base@17.0.15)
           2:          5000         120000  java.lang.String (java.base@17.0.15)
           3:           100           4000  io.phoenix.execution.OrderTable$Entry
        Total         15100         924000
        """;
    String end =
        start
            .replace("800000  [B", "2800000  [B")
            .replace("4000  io.phoenix", "1004000  io.phoenix");
    Map<String, Long> a = HeapCheck.parseHistogram(start);
    Map<String, Long> b = HeapCheck.parseHistogram(end);
    assertEquals(800_000L, a.get("[B"));
    assertEquals(3, a.size());
    assertEquals(
        "grew most: [B +2.00 MB, io.phoenix.execution.OrderTable$Entry +1.00 MB",
        HeapCheck.topGrowth(a, b, 5));
    assertTrue(
        HeapCheck.verdict(1_000_000, 4_000_000, 0.2, a, b).detail().startsWith("grew most: [B"));
    assertFalse(HeapCheck.liveHistogram().isEmpty(), "the JVM's class histogram is readable here");
  }

  @Test
  void bansOnlyWhenAskedFor() {
    assertTrue(BanCheck.verdict(0, 0, 4, 2, 0).pass());
    Verdict v = BanCheck.verdict(1, 7, 6, 2, 0);
    assertFalse(v.pass());
    assertTrue(v.detail().contains("4 from the node's own traffic"), v.detail());
    assertTrue(BanCheck.verdict(1, 3, 5, 5, 1).pass());
  }

  @Test
  void journalEqualsTheExchangeOrNamesTheDifference() {
    List<JournalCheck.Fill> exchange =
        List.of(
            new JournalCheck.Fill("ETHUSDT", 1, "BUY", new BigDecimal("0.010"), 1767225605011L),
            new JournalCheck.Fill("ETHUSDT", 2, "SELL", new BigDecimal("0.020")));
    assertTrue(
        JournalCheck.verdict(
                exchange,
                List.of(
                    new JournalCheck.Fill("ETHUSDT", 2, "SELL", new BigDecimal("0.02000000")),
                    new JournalCheck.Fill("ETHUSDT", 1, "BUY", new BigDecimal("0.01"))))
            .pass());

    Verdict v =
        JournalCheck.verdict(
            exchange,
            List.of(
                new JournalCheck.Fill("ETHUSDT", 2, "SELL", new BigDecimal("0.03")),
                new JournalCheck.Fill("SOLUSDT", 1, "BUY", BigDecimal.ONE)));
    assertFalse(v.pass());
    assertEquals("exchange 2, journal 2: 1 missing, 1 extra, 1 differ, 0 duplicate", v.value());
    assertTrue(
        v.detail().contains("missing ETHUSDT#1 (2026-01-01T00:00:05.011Z)")
            && v.detail().contains("extra SOLUSDT#1"),
        v.detail());
  }
}
