package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.Secret;
import io.phoenix.testkit.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the dashboard in headless Chromium against a fake view whose numbers change on every call,
 * and checks that the rendered DOM shows those numbers and more than one update (the initial
 * snapshot plus server-sent events). Skipped when /usr/bin/chromium is absent.
 */
class DashboardBrowserIT {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void dashboardShowsLiveNumbersFromTheView(@TempDir Path profile) throws Exception {
    assumeTrue(HeadlessChromium.installed(), "chromium not installed");
    FakeOpsView view = new FakeOpsView();
    try (Metrics metrics = Metrics.create()) {
      metrics.latency().record(LatencyRecorder.Stage.FRAME_TO_WRITE, 21_000);
      metrics.actor("quoter-BTCUSDT").restarted();
      OpsSettings settings =
          new OpsSettings(
              true,
              "127.0.0.1",
              0,
              Secret.of("browser-test-token"),
              Duration.ofMillis(100),
              Duration.ofMillis(350),
              Duration.ofSeconds(2),
              Duration.ofSeconds(1));
      OpsServer server =
          OpsServer.start(testKit.system(), settings, metrics, view).toCompletableFuture().get();
      try {
        String dom = dumpDom(profile, "http://127.0.0.1:" + server.port() + "/");
        int updates = intOf(dom, "id=\"updates\">(\\d+)<");
        assertTrue(
            updates >= 2,
            "expected the initial snapshot and at least one pushed event, got " + updates);
        double pnl = Double.parseDouble(textOf(dom, "id=\"sym-BTCUSDT-rpnl\"[^>]*>([-0-9.]+)<"));
        int calls = view.statusCalls.get();
        assertTrue(
            pnl >= 101 && pnl <= 100 + calls && pnl == Math.rint(pnl),
            "realised PnL " + pnl + " is not one of the view's values 101.." + (100 + calls));
        assertTrue(dom.contains("market-feed-0"), "feed health missing");
        assertTrue(
            intOf(dom, "<td>market-feed-0</td><td>yes</td><td>(\\d+)</td>") >= 1000,
            "feed events shown as a count");
        String ours = textOf(dom, "id=\"sym-BTCUSDT-ourbid\"[^>]*>([^<]*)<");
        assertTrue(
            ours.matches("0\\.010 @ [0-9.]+"),
            "our bid shown as '" + ours + "': quantity and price");
        assertEquals(
            "–", textOf(dom, "id=\"sym-ETHUSDT-ourbid\"[^>]*>([^<]*)<"), "no bid: a dash, not NaN");
        assertTrue(dom.contains("quoter-BTCUSDT"), "actor restarts missing");
        assertTrue(dom.contains("frame_to_write"), "latency table missing");
        assertTrue(dom.contains("phx-BTC-1"), "orders missing");
        assertTrue(
            dom.contains("akka://phoenix@127.0.0.1:25520 (leader) (this node)"),
            "cluster members missing");
        assertTrue(
            dom.matches("(?s).*<td>main</td><td>akka://phoenix@127.0.0.1:25520</td>.*"),
            "unit placement missing");
        // fees, net PnL after them and the markouts, as the view reports them
        assertEquals("1.5000", textOf(dom, "id=\"sym-BTCUSDT-fees\"[^>]*>([^<]*)<"));
        double net = Double.parseDouble(textOf(dom, "id=\"sym-BTCUSDT-net\"[^>]*>([-0-9.]+)<"));
        assertTrue(
            net >= 96.5 && net <= 95.5 + calls && net == Math.rint(net - 0.5) + 0.5,
            "net PnL " + net + " is not one of the view's values");
        String edge = textOf(dom, "(<tr id=\"edge-BTCUSDT\">.*?</tr>)");
        assertEquals(
            "<tr id=\"edge-BTCUSDT\"><td>BTCUSDT</td><td>2.00</td><td>5.00</td><td>1.5000</td><td>"
                + String.format(java.util.Locale.ROOT, "%.4f", net)
                + "</td><td>2.50</td><td>1.25</td><td>7</td><td>+0.50 / +0.00</td></tr>",
            edge);
        assertTrue(
            dom.contains(
                "<tr id=\"edge-ETHUSDT\"><td>ETHUSDT</td><td>2.00</td><td>5.00</td><td>0.0000</td><td>0.0000</td><td>–</td><td>–</td><td>0</td><td>–</td></tr>"),
            "a symbol without fills shows dashes, not NaN");
      } finally {
        server.stop().toCompletableFuture().get();
      }
    }
  }

  private static String dumpDom(Path profile, String url) throws IOException, InterruptedException {
    return HeadlessChromium.dumpDom(profile, url);
  }

  private static String textOf(String dom, String regex) {
    return HeadlessChromium.textOf(dom, regex);
  }

  private static int intOf(String dom, String regex) {
    return Integer.parseInt(textOf(dom, regex));
  }
}
