package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the dashboard in headless Chromium against a fake view whose numbers change on every
 * call, and checks that the rendered DOM shows those numbers and more than one update (the
 * initial snapshot plus server-sent events). Skipped when /usr/bin/chromium is absent.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void dashboardShowsLiveNumbersFromTheView(@TempDir Path profile) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed");
    FakeOpsView view = new FakeOpsView();
    try (Metrics metrics = Metrics.create()) {
      metrics.latency().record(LatencyRecorder.Stage.FRAME_TO_WRITE, 21_000);
      metrics.actor("quoter-BTCUSDT").restarted();
      OpsSettings settings = new OpsSettings(true, "127.0.0.1", 0, Secret.of("browser-test-token"),
          Duration.ofMillis(100), Duration.ofMillis(350), Duration.ofSeconds(2), Duration.ofSeconds(1));
      OpsServer server = OpsServer.start(testKit.system(), settings, metrics, view).toCompletableFuture().get();
      try {
        String dom = dumpDom(profile, "http://127.0.0.1:" + server.port() + "/");
        int updates = intOf(dom, "id=\"updates\">(\\d+)<");
        assertTrue(updates >= 2, "expected the initial snapshot and at least one pushed event, got " + updates);
        double pnl = Double.parseDouble(textOf(dom, "id=\"sym-BTCUSDT-rpnl\"[^>]*>([-0-9.]+)<"));
        int calls = view.statusCalls.get();
        assertTrue(pnl >= 101 && pnl <= 100 + calls && pnl == Math.rint(pnl),
            "realised PnL " + pnl + " is not one of the view's values 101.." + (100 + calls));
        assertTrue(dom.contains("market-feed-0"), "feed health missing");
        assertTrue(dom.contains("quoter-BTCUSDT"), "actor restarts missing");
        assertTrue(dom.contains("frame_to_write"), "latency table missing");
        assertTrue(dom.contains("phx-BTC-1"), "orders missing");
      } finally {
        server.stop().toCompletableFuture().get();
      }
    }
  }

  private static String dumpDom(Path profile, String url) throws IOException, InterruptedException {
    List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--virtual-time-budget=5000", "--dump-dom", url);
    Path out = profile.resolve("dom.html");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(profile.resolve("chromium.err").toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 30 s");
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(!dom.isBlank(), "chromium dumped nothing; stderr: "
        + Files.readString(profile.resolve("chromium.err"), StandardCharsets.UTF_8));
    return dom;
  }

  private static String textOf(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    assertTrue(m.find(), "not found in DOM: " + regex + "\n" + dom);
    return m.group(1);
  }

  private static int intOf(String dom, String regex) {
    return Integer.parseInt(textOf(dom, regex));
  }
}
