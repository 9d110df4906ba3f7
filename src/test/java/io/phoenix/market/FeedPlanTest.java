package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.config.FeedSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedPlanTest {

  private static FeedSettings settings(String overrides) {
    return FeedSettings.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  @Test
  void splitRoutingPutsBookStreamsOnPublicAndTheRestOnMarket() {
    FeedSettings s = settings("phoenix.feed.routing = split");
    List<FeedPlan> plans = FeedPlan.plan(s, List.of(Fixtures.ETHUSDT, Fixtures.BTCUSDT));
    assertEquals(2, plans.size());
    assertEquals(
        "wss://x/public/stream?streams=ethusdt@depth@100ms/ethusdt@bookTicker/btcusdt@depth@100ms/btcusdt@bookTicker",
        plans.get(0).url("wss://x", s));
    assertEquals(
        "wss://x/market/stream?streams=ethusdt@aggTrade/ethusdt@markPrice@1s/btcusdt@aggTrade/btcusdt@markPrice@1s",
        plans.get(1).url("wss://x/", s));
  }

  @Test
  void legacyRoutingGroupsSymbolsPerConnection() {
    FeedSettings s =
        settings(
            "phoenix.feed { routing = legacy, symbols-per-connection = 1, depth-speed = 250ms }");
    List<FeedPlan> plans = FeedPlan.plan(s, List.of(Fixtures.ETHUSDT, Fixtures.BTCUSDT));
    assertEquals(2, plans.size());
    assertEquals("stream-1", plans.get(1).name());
    assertEquals(
        "ws://h/stream?streams=btcusdt@depth/btcusdt@bookTicker/btcusdt@aggTrade/btcusdt@markPrice@1s",
        plans.get(1).url("ws://h", s));
  }
}
