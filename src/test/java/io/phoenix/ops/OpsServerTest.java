package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.Secret;
import io.phoenix.config.SecretRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String TOKEN = "test-ops-token-4f1c9a";
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();
  private static Metrics metrics;
  private static FakeOpsView view;
  private static OpsServer server;

  @BeforeAll
  static void start() throws Exception {
    metrics = Metrics.create();
    view = new FakeOpsView();
    OpsSettings settings =
        new OpsSettings(
            true,
            "127.0.0.1",
            0,
            Secret.of(TOKEN),
            Duration.ofMillis(200),
            Duration.ofMinutes(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1));
    server = OpsServer.start(testKit.system(), settings, metrics, view).toCompletableFuture().get();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().toCompletableFuture().get();
    testKit.shutdownTestKit();
    metrics.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String auth, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void metricsExposeNamedSeriesWithValues() throws Exception {
    metrics.actor("quoter-BTCUSDT").handled(5_000);
    metrics.latency().record(LatencyRecorder.Stage.FRAME_TO_WRITE, 12_000);
    metrics.recordReject("-2019");
    metrics.killSwitch(() -> true);
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    String body = r.body();
    assertEquals(
        1.0,
        PromText.value(
            body, "phoenix_actor_messages_total{actor=\"quoter-BTCUSDT\",unit=\"none\"}"));
    assertEquals(1.0, PromText.value(body, "phoenix_order_rejects_total{code=\"-2019\"}"));
    assertEquals(1.0, PromText.value(body, "phoenix_kill_switch_active"));
    assertTrue(PromText.value(body, "jvm_threads_live_threads") > 0, body);
    assertEquals(
        12e-6,
        PromText.value(
            body, "phoenix_stage_latency_seconds{percentile=\"0.99\",stage=\"frame_to_write\"}"),
        0.05e-6);
  }

  @Test
  void apiServesViewAsJson() throws Exception {
    HttpResponse<String> r = get("/api/status");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode status = json.readTree(r.body());
    assertEquals("BTCUSDT", status.at("/symbols/0/symbol").asText());
    assertEquals("market-feed-0", status.at("/feeds/0/name").asText());
    assertEquals(0.25, json.readTree(get("/api/positions").body()).at("/0/quantity").asDouble());
    assertEquals(
        "phx-BTC-1", json.readTree(get("/api/orders").body()).at("/0/clientOrderId").asText());
    assertEquals(3, json.readTree(get("/api/risk").body()).at("/rejectsByCode/-2019").asLong());
    JsonNode snap = json.readTree(get("/api/snapshot").body());
    assertTrue(snap.at("/latency").isArray());
    assertEquals("BTCUSDT", snap.at("/status/symbols/0/symbol").asText());
  }

  @Test
  void killRequiresTheBearerToken() throws Exception {
    int before = view.killCalls.get();
    HttpResponse<String> none = post("/api/kill", null, "");
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", json.readTree(none.body()).get("error").asText());
    assertEquals(401, post("/api/kill", "Bearer wrong-token", "").statusCode());
    assertEquals(401, post("/api/kill", TOKEN, "").statusCode());
    assertEquals(401, post("/api/resume", "Bearer " + TOKEN + "x", "").statusCode());
    assertEquals(before, view.killCalls.get(), "kill callback must not run without the token");

    HttpResponse<String> ok = post("/api/kill", "Bearer " + TOKEN, "{\"reason\":\"drill\"}");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(before + 1, view.killCalls.get());
    assertEquals("drill", view.lastKillReason.get());
    assertTrue(json.readTree(ok.body()).get("active").asBoolean());
    HttpResponse<String> resumed = post("/api/resume", "Bearer " + TOKEN, "");
    assertEquals(200, resumed.statusCode());
    assertTrue(!json.readTree(resumed.body()).get("active").asBoolean());
    assertEquals(
        4.0,
        PromText.value(
            metrics.scrape(), "phoenix_ops_bad_requests_total{reason=\"unauthorized\"}"));
  }

  @Test
  void aKillReasonWithASecretIsShownMaskedAndCutWithoutTheToken() throws Exception {
    // short enough that the masked reason (with risk's prefix) is still longer than the limit
    String secret = "Qz7xK9w";
    SecretRegistry.register(secret);
    String reason = "rotating " + secret + " " + "y".repeat(200 - 10 - secret.length());
    HttpResponse<String> killed =
        post(
            "/api/kill",
            "Bearer " + TOKEN,
            json.writeValueAsString(java.util.Map.of("reason", reason)));
    try {
      assertEquals(200, killed.statusCode(), killed.body());
      assertFalse(killed.body().contains(secret), killed.body());
      HttpResponse<String> status = get("/api/status");
      assertEquals(200, status.statusCode());
      assertFalse(
          status.body().contains(secret),
          "secret in an unauthenticated GET /api/status: " + status.body());
      String shown = json.readTree(status.body()).at("/killSwitch/reason").asText();
      assertTrue(shown.startsWith("OPERATOR: rotating *** yyy"), shown);
      assertEquals(ResponseText.MAX_CHARS, shown.length(), "cut to the limit: " + shown);
      assertTrue(shown.endsWith("…"), shown);
      assertFalse(get("/api/snapshot").body().contains(secret));
      assertFalse(get("/api/risk").body().contains(secret));
    } finally {
      post("/api/resume", "Bearer " + TOKEN, "");
    }
  }

  @Test
  void anErrorDetailIsMaskedToo() throws Exception {
    String secret = "ops-server-test-secret-in-error-77aa";
    SecretRegistry.register(secret);
    OpsView failing =
        new FakeOpsView() {
          @Override
          public java.util.concurrent.CompletionStage<List<OrderView>> orders() {
            return java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("signature for key " + secret + " rejected"));
          }
        };
    OpsSettings settings =
        new OpsSettings(
            true,
            "127.0.0.1",
            0,
            Secret.empty(),
            Duration.ofMillis(200),
            Duration.ofMinutes(1),
            Duration.ofMillis(200),
            Duration.ofSeconds(1));
    OpsServer other =
        OpsServer.start(testKit.system(), settings, metrics, failing).toCompletableFuture().get();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/api/orders"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode());
      assertFalse(r.body().contains(secret), r.body());
      assertTrue(
          json.readTree(r.body()).get("detail").asText().contains("signature for key *** rejected"),
          r.body());
    } finally {
      other.stop().toCompletableFuture().get();
    }
  }

  @Test
  void badInputGetsAJsonError() throws Exception {
    int before = view.killCalls.get();
    HttpResponse<String> bad = post("/api/kill", "Bearer " + TOKEN, "{not json");
    assertEquals(400, bad.statusCode());
    assertEquals("bad-kill-body", json.readTree(bad.body()).get("error").asText());
    assertEquals(before, view.killCalls.get());
    HttpResponse<String> missing = get("/api/nope");
    assertEquals(404, missing.statusCode());
    assertEquals("not-found", json.readTree(missing.body()).get("error").asText());
    HttpResponse<String> wrongMethod = post("/metrics", null, "");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("method-not-allowed", json.readTree(wrongMethod.body()).get("error").asText());
    assertEquals(
        1.0,
        PromText.value(
            metrics.scrape(), "phoenix_ops_bad_requests_total{reason=\"bad-kill-body\"}"));
  }

  @Test
  void eventStreamPushesSnapshots() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(uri("/api/events")).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (java.util.stream.Stream<String> lines = r.body()) {
      List<String> data = lines.filter(l -> l.startsWith("data:")).limit(2).toList();
      assertEquals(2, data.size());
      JsonNode first = json.readTree(data.get(0).substring(5));
      JsonNode second = json.readTree(data.get(1).substring(5));
      assertEquals("BTCUSDT", first.at("/status/symbols/0/symbol").asText());
      assertTrue(
          second.at("/status/symbols/0/realizedPnl").asDouble()
              > first.at("/status/symbols/0/realizedPnl").asDouble(),
          "numbers should move between events");
    }
  }

  @Test
  void aSilentViewGives503NotAHang() throws Exception {
    OpsView silent =
        new FakeOpsView() {
          @Override
          public java.util.concurrent.CompletionStage<Status> status() {
            return new java.util.concurrent.CompletableFuture<>();
          }
        };
    OpsSettings settings =
        new OpsSettings(
            true,
            "127.0.0.1",
            0,
            Secret.empty(),
            Duration.ofMillis(200),
            Duration.ofMinutes(1),
            Duration.ofMillis(200),
            Duration.ofSeconds(1));
    OpsServer other =
        OpsServer.start(testKit.system(), settings, metrics, silent).toCompletableFuture().get();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/api/status"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode());
      assertEquals("view-unavailable", json.readTree(r.body()).get("error").asText());
      // and without a configured token, kill is refused outright
      HttpResponse<String> kill =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/api/kill"))
                  .header("Authorization", "Bearer ")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, kill.statusCode());
    } finally {
      other.stop().toCompletableFuture().get();
    }
  }

  @Test
  void dashboardIsServed() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("/dashboard/app.js"));
    HttpResponse<String> js = get("/dashboard/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.body().contains("EventSource"));
  }
}
