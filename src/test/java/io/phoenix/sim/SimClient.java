package io.phoenix.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A minimal Binance client for the simulator's integration tests (java.net.http, HMAC signing). */
final class SimClient {
  static final String KEY = "phoenix-local-key";
  static final String SECRET = "phoenix-local-secret-do-not-use-on-a-real-venue";
  static final ObjectMapper JSON = new ObjectMapper();

  final String rest;
  final String ws;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  long timeOffset;

  SimClient(SimServer server) {
    this.rest = server.restUrl();
    this.ws = server.wsUrl();
  }

  record Resp(int status, JsonNode body, HttpResponse<String> raw) {
    int code() {
      return body.path("code").asInt(0);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  static Map<String, String> params(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static String encode(Map<String, String> p) {
    StringBuilder sb = new StringBuilder();
    p.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return sb.toString();
  }

  Resp get(String path, Map<String, String> p) {
    String q = encode(p);
    return send(
        HttpRequest.newBuilder(URI.create(rest + path + (q.isEmpty() ? "" : "?" + q)))
            .GET()
            .build());
  }

  /** Signed request: params in the query string for GET/DELETE, in a form body for POST/PUT. */
  Resp signed(String method, String path, Map<String, String> p) {
    return signedWith(KEY, SECRET, method, path, p);
  }

  Resp signedWith(String key, String secret, String method, String path, Map<String, String> p) {
    Map<String, String> all = new LinkedHashMap<>(p);
    all.putIfAbsent("timestamp", Long.toString(System.currentTimeMillis() + timeOffset));
    String payload = encode(all);
    String signed = payload + "&signature=" + Auth.hmacHex(secret, payload);
    HttpRequest.Builder b;
    if (method.equals("GET") || method.equals("DELETE")) {
      b =
          HttpRequest.newBuilder(URI.create(rest + path + "?" + signed))
              .method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b =
          HttpRequest.newBuilder(URI.create(rest + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .method(method, HttpRequest.BodyPublishers.ofString(signed));
    }
    return send(b.header("X-MBX-APIKEY", key).build());
  }

  Resp keyOnly(String method, String path) {
    return send(
        HttpRequest.newBuilder(URI.create(rest + path))
            .header("X-MBX-APIKEY", KEY)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build());
  }

  Resp admin(String method, String path, String jsonBody) {
    return send(
        HttpRequest.newBuilder(URI.create(rest + "/sim/admin" + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody))
            .build());
  }

  Resp send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Resp(r.statusCode(), body, r);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A WebSocket connection collecting text frames, pings and the close. */
  static final class Conn implements WebSocket.Listener {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final AtomicInteger pings = new AtomicInteger();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
      pings.incrementAndGet();
      webSocket.request(1);
      return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    void send(String text) {
      socket.sendText(text, true).join();
    }

    /**
     * Next message matching {@code p} within {@code timeout}, skipping others; fails on timeout.
     */
    JsonNode await(Predicate<JsonNode> p, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching WebSocket message within " + timeout);
        }
        try {
          String m = messages.poll(left, TimeUnit.NANOSECONDS);
          if (m != null) {
            JsonNode n = JSON.readTree(m);
            if (p.test(n)) {
              return n;
            }
          }
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        } catch (java.io.IOException e) {
          throw new AssertionError("invalid JSON frame", e);
        }
      }
    }

    JsonNode next(Duration timeout) {
      return await(n -> true, timeout);
    }

    void close() {
      if (socket != null) {
        socket.abort();
      }
    }
  }

  Conn connect(String pathAndQuery) {
    Conn c = new Conn();
    c.socket = http.newWebSocketBuilder().buildAsync(URI.create(ws + pathAndQuery), c).join();
    return c;
  }
}
