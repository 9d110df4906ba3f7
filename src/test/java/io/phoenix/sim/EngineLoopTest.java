package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.NewOrder;
import io.phoenix.sim.engine.OrderResult;
import io.phoenix.sim.engine.OrderStatus;
import io.phoenix.sim.engine.OrderType;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimSymbolSpec;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.TimeInForce;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine loop's scheduling: requests against the market-model timer. */
class EngineLoopTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final String BTC = "BTCUSDT";

  /** What a request saw of the engine when it ran, and what it got. */
  private record Seen(long engineMillis, OrderResult ack) {}

  /**
   * The wall clock jumps six hours (a stalled machine, or a long tick interval): the next tick has
   * 216,000 model steps to catch up. An order that arrives meanwhile must be answered between two
   * steps, not after all of them; the old engine thread ran it only once the whole advance was
   * done, so the engine time it saw was always the jump's end.
   */
  @Test
  void anAcknowledgementIsNotDelayedBehindItsMarketModelTimer() throws Exception {
    SimEngineConfig config = SimEngineConfig.defaults();
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    for (SimSymbolSpec s : config.symbols()) {
      instruments.put(s.instrument().symbol(), s.instrument());
    }
    AtomicLong wall = new AtomicLong(T0);
    try (EngineLoop engine =
        new EngineLoop(
            config,
            new StreamHub(new Wire(instruments)),
            new ListenKeys(60_000, 1),
            wall::get,
            5)) {
      engine
          .call(
              (ex, now) -> {
                ex.openAccount("trader");
                return null;
              })
          .get(10, TimeUnit.SECONDS);
      long target = T0 + Duration.ofHours(6).toMillis();
      wall.set(target);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Seen seen;
      do {
        // polls the engine: a read that moves nothing, until the catch-up has visibly begun, then
        // the order
        seen =
            engine
                .call(
                    (ex, now) -> {
                      long engineMillis = ex.bookTop(BTC).time();
                      if (engineMillis <= T0) {
                        return new Seen(engineMillis, null);
                      }
                      long bid = ex.bookTop(BTC).bidPriceTicks();
                      return new Seen(
                          engineMillis,
                          ex.place(
                              "trader",
                              new NewOrder(
                                  BTC,
                                  Side.BUY,
                                  null,
                                  OrderType.LIMIT,
                                  TimeInForce.GTX,
                                  10,
                                  bid - 1_000,
                                  false,
                                  "ack-1",
                                  StpMode.NONE),
                              now));
                    })
                .get(60, TimeUnit.SECONDS);
      } while (seen.ack() == null && System.nanoTime() < deadline);

      assertTrue(seen.ack() != null, "the timer never began the catch-up");
      assertTrue(
          seen.engineMillis() < target,
          "the order was answered only after the market model had caught up the whole six hours (engine at "
              + seen.engineMillis()
              + ", jump to "
              + target
              + ")");
      assertNull(seen.ack().error());
      assertEquals(OrderStatus.NEW, seen.ack().order().status());
    }
  }
}
