package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 20 symbols on one connection at the simulator's fastest market (depth@100ms, a model step per
 * engine tick): every book synchronises and, over 8 s, nothing fails to decode and no book gaps.
 * The lag of the same setup is measured by {@code io.phoenix.bench.FeedLagBench} (src/bench).
 */
class FeedThroughputIT {
  static final int SYMBOLS = 20;

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          simSymbols()
              + """
      phoenix.sim.tick = 10ms
      phoenix.sim.model.step = 10ms
      phoenix.sim.model.taker-arrivals-per-second = 20
      phoenix.feed { symbols-per-connection = 20, routing = legacy }
      """);

  static final Config CONFIG = SIM.config();
  static final ActorTestKit TESTKIT = SIM.testKit();

  private static String simSymbols() {
    StringBuilder s = new StringBuilder("phoenix.sim.symbols = [\n");
    for (int i = 0; i < SYMBOLS; i++) {
      s.append("{ symbol = \"S")
          .append(i)
          .append("USDT\", base-asset = \"S")
          .append(i)
          .append(
              "\", quote-asset = \"USDT\", tick-size = \"0.01\", step-size = \"0.001\", min-price = \"0.01\","
                  + " max-price = \"1000000\", min-qty = \"0.001\", max-qty = \"10000\", min-notional = 5,"
                  + " max-open-orders = 200, percent-up = 1.05, percent-down = 0.95, initial-price = \"")
          .append(100 + i)
          .append(".00\", volatility-per-sqrt-second = 0.001, funding-rate = \"0.00010000\" }\n");
    }
    return s.append("]\n").toString();
  }

  @Test
  void twentySymbolsStayInSync() {
    FeedSettings settings = FeedSettings.fromConfig(CONFIG);
    List<Instrument> instruments = new ArrayList<>();
    for (int i = 0; i < SYMBOLS; i++) {
      instruments.add(Fixtures.instrument(i, "S" + i + "USDT", "0.01", "0.001"));
    }
    TestProbe<MarketEvent> consumer = TESTKIT.createTestProbe();
    Map<String, List<ActorRef<MarketEvent>>> consumers = new HashMap<>();
    instruments.forEach(
        instrument -> consumers.put(instrument.symbol(), List.of(consumer.getRef())));
    FeedPlan plan = FeedPlan.plan(settings, instruments).get(0);
    FeedMetrics metrics = new FeedMetrics(new SimpleMeterRegistry(), plan.name(), instruments);
    ActorRef<MarketFeed.Command> feed =
        TESTKIT.spawn(
            MarketFeed.create(
                new MarketFeed.Dependencies(
                    plan, settings, SIM.wsUrl(), SIM.snapshotClient(), metrics, consumers)));

    long start = System.nanoTime();
    boolean[] updated = new boolean[SYMBOLS];
    int remaining = SYMBOLS;
    while (System.nanoTime() - start < Duration.ofSeconds(8).toNanos()) {
      MarketEvent event = consumer.receiveMessage(Duration.ofSeconds(5));
      if (event instanceof MarketEvent.BookUpdated u) {
        if (!updated[u.symbolId()]) {
          updated[u.symbolId()] = true;
          remaining--;
        }
      }
    }
    assertEquals(0, remaining, "every book synchronised");
    long events = 0;
    for (Instrument instrument : instruments) {
      assertEquals(0, metrics.decodeErrors(instrument.id()));
      assertEquals(0, metrics.gaps(instrument.id()));
      events += metrics.events(instrument.id());
    }
    assertTrue(events > 0);
    TESTKIT.stop(feed);
  }
}
