package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phoenix.binance.ws.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedMetricsTest {

  @Test
  void countsPerSymbolAndPublishesToMicrometer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeedMetrics metrics =
        new FeedMetrics(registry, "public-0", List.of(Fixtures.ETHUSDT, Fixtures.BTCUSDT));
    metrics.event(0);
    metrics.event(0);
    metrics.event(1);
    metrics.decodeError(1);
    metrics.decodeError(FeedMetrics.UNKNOWN_SYMBOL);
    metrics.gap(0);
    metrics.resync(0);
    metrics.reconnect();
    metrics.lag(0, 3);
    metrics.lag(0, -5);
    assertEquals(2, metrics.events(0));
    assertEquals(1, metrics.events(1));
    assertEquals(1, metrics.decodeErrors(1));
    assertEquals(1, metrics.decodeErrors(FeedMetrics.UNKNOWN_SYMBOL));
    assertEquals(1, metrics.gaps(0));
    assertEquals(1, metrics.resyncs(0));
    assertEquals(1, metrics.reconnects());
    assertEquals(2, metrics.lagMicros(0).getTotalCount());
    assertEquals(3000, metrics.lagMicros(0).getMaxValue(), 10);
    assertEquals(
        2.0,
        registry
            .get("phoenix.feed.events")
            .tags("feed", "public-0", "symbol", "ETHUSDT")
            .counter()
            .count());
    assertEquals(
        1.0, registry.get("phoenix.feed.gaps").tags("symbol", "ETHUSDT").counter().count());
    assertEquals(2, registry.get("phoenix.feed.lag").tags("symbol", "ETHUSDT").timer().count());
    assertEquals(1.0, registry.get("phoenix.feed.reconnects").counter().count());
  }

  @Test
  void prometheusNamesMatchTheOperatorContract() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FeedMetrics metrics = new FeedMetrics(registry, "public-0", List.of(Fixtures.ETHUSDT));
    metrics.event(0);
    metrics.decodeError(0);
    metrics.gap(0);
    metrics.resync(0);
    metrics.reconnect();
    metrics.lag(0, 4);
    String scrape = registry.scrape();
    for (String name :
        List.of(
            "phoenix_feed_events_total{feed=\"public-0\",symbol=\"ETHUSDT\"} 1",
            "phoenix_feed_decode_errors_total{feed=\"public-0\",symbol=\"ETHUSDT\"} 1",
            "phoenix_feed_gaps_total{",
            "phoenix_feed_resyncs_total{",
            "phoenix_feed_reconnects_total{feed=\"public-0\"} 1",
            "phoenix_feed_lag_seconds_count{feed=\"public-0\",symbol=\"ETHUSDT\"} 1")) {
      assertTrue(scrape.contains(name), () -> name + " missing in\n" + scrape);
    }
  }
}
