package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.phoenix.binance.rest.RateLimitUsage;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.RestServerTime;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.GatewaySettings.TimeSyncSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TimeSyncTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static TimeSyncSettings settings(int samples, long maxUncertaintyMillis) {
    return new TimeSyncSettings(
        Duration.ofMinutes(1),
        samples,
        Duration.ofMillis(50),
        Duration.ofMillis(maxUncertaintyMillis));
  }

  static CompletionStage<RestResult<RestServerTime>> serverTime(long skewMillis) {
    return CompletableFuture.completedFuture(
        new RestResult.Ok<>(
            new RestServerTime(System.currentTimeMillis() + skewMillis), 200, RateLimitUsage.NONE));
  }

  /**
   * Answers after {@code delayMillis}, stamping the server time at the start (a slow, lopsided
   * path).
   */
  static CompletionStage<RestResult<RestServerTime>> slow(long skewMillis, long delayMillis) {
    long stamped = System.currentTimeMillis() + skewMillis;
    return CompletableFuture.supplyAsync(
        () -> new RestResult.Ok<>(new RestServerTime(stamped), 200, RateLimitUsage.NONE),
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
  }

  static void awaitValid(TestProbe<?> probe, ServerClock clock) {
    probe.awaitAssert(
        () -> {
          assertTrue(clock.reading().valid());
          return null;
        });
  }

  @Test
  void measuresTheOffsetAndAnswersGetClock() {
    ServerClock clock = new ServerClock();
    ActorRef<TimeSync.Command> sync =
        testKit.spawn(TimeSync.create(() -> serverTime(5_000), clock, settings(3, 500)));
    TestProbe<TimeSync.ClockReading> probe = testKit.createTestProbe();
    awaitValid(probe, clock);
    sync.tell(new TimeSync.GetClock(probe.getRef()));
    TimeSync.ClockReading r = probe.receiveMessage();
    assertTrue(r.valid());
    assertTrue(Math.abs(r.offsetMillis() - 5_000) <= 5, "offset " + r.offsetMillis());
    assertTrue(
        r.uncertaintyMillis() >= 1 && r.uncertaintyMillis() <= 5,
        "uncertainty " + r.uncertaintyMillis());
    long ts = clock.timestampMillis() - System.currentTimeMillis();
    assertTrue(ts <= 5_000 + 5 && ts >= 5_000 - 15, "timestamp offset " + ts);
  }

  @Test
  void keepsTheSampleWithTheShortestRoundTrip() {
    ServerClock clock = new ServerClock();
    AtomicInteger n = new AtomicInteger();
    // first sample: 300 ms round trip stamped at its start, so its midpoint estimate is 150 ms off
    testKit.spawn(
        TimeSync.create(
            () -> n.incrementAndGet() == 1 ? slow(1_000, 300) : serverTime(1_000),
            clock,
            settings(3, 500)));
    TestProbe<Object> probe = testKit.createTestProbe();
    awaitValid(probe, clock);
    assertTrue(Math.abs(clock.reading().offsetMillis() - 1_000) <= 5, "offset " + clock.reading());
  }

  @Test
  void aTooUncertainSampleLeavesTheClockInvalid() {
    ServerClock clock = new ServerClock();
    AtomicInteger calls = new AtomicInteger();
    ActorRef<TimeSync.Command> sync =
        testKit.spawn(
            TimeSync.create(
                () -> {
                  calls.incrementAndGet();
                  return slow(0, 60);
                },
                clock,
                settings(1, 10)));
    TestProbe<TimeSync.ClockReading> probe = testKit.createTestProbe();
    // it keeps retrying, and stays invalid meanwhile
    probe.awaitAssert(
        () -> {
          assertTrue(calls.get() >= 3);
          return null;
        });
    sync.tell(new TimeSync.GetClock(probe.getRef()));
    assertFalse(probe.receiveMessage().valid());
  }

  @Test
  void resyncInvalidatesAndPicksUpANewOffsetAtOnce() {
    ServerClock clock = new ServerClock();
    AtomicLong skew = new AtomicLong(0);
    ActorRef<TimeSync.Command> sync =
        testKit.spawn(TimeSync.create(() -> serverTime(skew.get()), clock, settings(2, 500)));
    TestProbe<Object> probe = testKit.createTestProbe();
    awaitValid(probe, clock);
    skew.set(9_000);
    sync.tell(new TimeSync.Resync());
    probe.awaitAssert(
        () -> {
          assertTrue(clock.reading().valid());
          assertEquals(9_000, clock.reading().offsetMillis(), 5);
          return null;
        });
  }

  @Test
  void failedSamplesAreRetried() {
    ServerClock clock = new ServerClock();
    AtomicInteger n = new AtomicInteger();
    testKit.spawn(
        TimeSync.create(
            () ->
                n.incrementAndGet() <= 2
                    ? CompletableFuture.completedFuture(
                        new RestResult.UnknownOutcome<>("timeout", 0, RateLimitUsage.NONE))
                    : serverTime(42),
            clock,
            settings(2, 500)));
    TestProbe<Object> probe = testKit.createTestProbe();
    awaitValid(probe, clock);
    assertEquals(42, clock.reading().offsetMillis(), 5);
  }
}
