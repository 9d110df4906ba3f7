package io.phoenix.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SimSettings;
import io.phoenix.sim.SimServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * How fast the simulator acknowledges an order on loopback, over REST and over the WebSocket
 * trading API: a sequential client (one request at a time on one keep-alive connection, the quoting
 * pattern) places a post-only order below the book and cancels it, and the time from the request's
 * first byte written to the reply's last byte read is recorded per request. Then the same probe
 * runs again while background clients send a steady stream of place/cancel pairs and stream clients
 * take every depth, book ticker and user event of the run.
 *
 * <p>The clients are bare sockets (hand-written HTTP/1.1 and WebSocket framing, signing done before
 * the clock starts), so the numbers are the server's plus the loopback, not a client library's. Run
 * (after {@code mvn -Pbench package -DskipTests}): {@code flock /tmp/phoenix-heavy.lock java -cp
 * target/benchmarks.jar io.phoenix.bench.SimAckBench} with optional {@code --orders N
 * --load-clients K --load-rate R --transport rest|ws-api|both --url http://127.0.0.1:8765} (an
 * external simulator; default: one embedded in this JVM with the market model of {@code phoenix
 * bench}).
 */
public final class SimAckBench {
  static final String KEY = "phoenix-local-key";
  static final String SECRET = "phoenix-local-secret-do-not-use-on-a-real-venue";
  static final String SIM_OVERRIDES =
      """
      phoenix.sim.port = 0
      phoenix.sim.tick = 10ms
      phoenix.sim.model.step = 20ms
      phoenix.sim.model.taker-arrivals-per-second = 5
      phoenix.sim.rate-limits.request-weight-per-minute = 100000000
      phoenix.sim.rate-limits.orders-per-10s = 100000000
      phoenix.sim.rate-limits.orders-per-minute = 100000000
      akka.loglevel = WARNING
      """;

  private SimAckBench() {}

  public static void main(String[] args) throws Exception {
    int orders = 20_000;
    int warmup = 20_000;
    int loadClients = 4;
    int loadRate = 2_000;
    String transport = "both";
    String url = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--orders" -> orders = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--load-clients" -> loadClients = Integer.parseInt(args[++i]);
        case "--load-rate" -> loadRate = Integer.parseInt(args[++i]);
        case "--transport" -> transport = args[++i];
        case "--url" -> url = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ActorSystem<Void> system = null;
    SimServer server = null;
    String host;
    int port;
    if (url == null) {
      Config config =
          ConfigFactory.parseString(SIM_OVERRIDES).withFallback(ConfigFactory.load()).resolve();
      system = ActorSystem.create(Behaviors.empty(), "phoenix-sim", config);
      server =
          SimServer.start(system, SimSettings.fromConfig(config))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      URI u = URI.create(server.restUrl());
      host = u.getHost();
      port = u.getPort();
    } else {
      URI u = URI.create(url);
      host = u.getHost();
      port = u.getPort();
    }
    System.out.printf(
        Locale.ROOT,
        "sim-ack-bench: %s:%d (%s), %d cpus, %d orders per phase after %d warm-up, load %d clients at %d requests/s%n",
        host,
        port,
        url == null ? "embedded" : "external",
        Runtime.getRuntime().availableProcessors(),
        orders,
        warmup,
        loadClients,
        loadRate);
    try {
      long price = belowBook(host, port);
      for (String t : transport.equals("both") ? List.of("rest", "ws-api") : List.of(transport)) {
        Probe probe = new Probe(t, host, port, price);
        probe.run(warmup, "w");
        probe.reset();
        probe.run(orders, "s");
        probe.print("sequential");
        probe.reset();
        Load load = new Load(t, host, port, price, loadClients, loadRate);
        load.start();
        probe.run(orders, "l");
        load.stop();
        probe.print("loaded");
        load.print();
        probe.close();
      }
    } finally {
      if (server != null) {
        server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (system != null) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A price (in tenths, BTCUSDT's tick) 400 USDT below the best bid: post-only orders there rest
   * and never fill.
   */
  private static long belowBook(String host, int port) throws IOException {
    try (Http http = new Http(host, port)) {
      String body =
          http.call(
              ("GET /fapi/v1/ticker/bookTicker?symbol=BTCUSDT HTTP/1.1\r\nHost: "
                      + host
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      int at = body.indexOf("\"bidPrice\":\"") + 12;
      String bid = body.substring(at, body.indexOf('"', at));
      return Math.round(Double.parseDouble(bid) * 10) - 4_000;
    }
  }

  static String price(long tenths) {
    return tenths / 10 + "." + tenths % 10;
  }

  static String hmac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] d = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One order client on one connection: prepares a signed request, sends it, waits for its reply.
   */
  interface Client extends AutoCloseable {
    /** Returns the prepared request; signing and encoding happen here, before timing starts. */
    Object prepare(boolean place, String clientId, long price);

    /** Sends a prepared request and returns the reply once it is read completely. */
    String send(Object prepared) throws IOException;

    @Override
    void close() throws IOException;
  }

  static Client client(String transport, String host, int port) throws IOException {
    return transport.equals("rest") ? new RestClient(host, port) : new WsApiClient(host, port);
  }

  static final class RestClient implements Client {
    private final Http http;
    private final String host;

    RestClient(String host, int port) throws IOException {
      this.http = new Http(host, port);
      this.host = host;
    }

    @Override
    public Object prepare(boolean place, String clientId, long price) {
      String ts = Long.toString(System.currentTimeMillis());
      if (place) {
        String body =
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.010&price="
                + price(price)
                + "&newClientOrderId="
                + clientId
                + "&timestamp="
                + ts;
        body += "&signature=" + hmac(body);
        return ("POST /fapi/v1/order HTTP/1.1\r\nHost: "
                + host
                + "\r\nX-MBX-APIKEY: "
                + KEY
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII);
      }
      String q = "symbol=BTCUSDT&origClientOrderId=" + clientId + "&timestamp=" + ts;
      q += "&signature=" + hmac(q);
      return ("DELETE /fapi/v1/order?"
              + q
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\nX-MBX-APIKEY: "
              + KEY
              + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String send(Object prepared) throws IOException {
      return http.call((byte[]) prepared);
    }

    @Override
    public void close() throws IOException {
      http.close();
    }
  }

  static final class WsApiClient implements Client {
    private final Ws ws;
    private long nextId;

    WsApiClient(String host, int port) throws IOException {
      this.ws = new Ws(host, port, "/ws-fapi/v1");
    }

    @Override
    public Object prepare(boolean place, String clientId, long price) {
      TreeMap<String, String> p = new TreeMap<>();
      p.put("apiKey", KEY);
      p.put("symbol", "BTCUSDT");
      p.put("timestamp", Long.toString(System.currentTimeMillis()));
      if (place) {
        p.put("side", "BUY");
        p.put("type", "LIMIT");
        p.put("timeInForce", "GTX");
        p.put("quantity", "0.010");
        p.put("price", price(price));
        p.put("newClientOrderId", clientId);
      } else {
        p.put("origClientOrderId", clientId);
      }
      StringBuilder payload = new StringBuilder();
      for (Map.Entry<String, String> e : p.entrySet()) {
        payload
            .append(payload.length() == 0 ? "" : "&")
            .append(e.getKey())
            .append('=')
            .append(e.getValue());
      }
      p.put("signature", hmac(payload.toString()));
      StringBuilder json =
          new StringBuilder("{\"id\":")
              .append(++nextId)
              .append(",\"method\":\"")
              .append(place ? "order.place" : "order.cancel")
              .append("\",\"params\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : p.entrySet()) {
        json.append(first ? "" : ",")
            .append('"')
            .append(e.getKey())
            .append("\":\"")
            .append(e.getValue())
            .append('"');
        first = false;
      }
      return ws.frame(json.append("}}").toString());
    }

    @Override
    public String send(Object prepared) throws IOException {
      ws.sendFrame((byte[]) prepared);
      return ws.read();
    }

    @Override
    public void close() throws IOException {
      ws.close();
    }
  }

  /** The sequential client: place, wait, cancel, wait; both timed. */
  static final class Probe {
    final String transport;
    final Client client;
    final long price;
    final Histogram place = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    final Histogram cancel = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long errors;

    Probe(String transport, String host, int port, long price) throws IOException {
      this.transport = transport;
      this.client = client(transport, host, port);
      this.price = price;
    }

    void run(int n, String tag) throws IOException {
      String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
      for (int i = 0; i < n; i++) {
        String id = "p" + tag + run + "-" + i;
        Object req = client.prepare(true, id, price);
        long t0 = System.nanoTime();
        String reply = client.send(req);
        place.recordValue(System.nanoTime() - t0);
        if (reply != null && !reply.contains("\"NEW\"")) {
          errors++;
          if (errors <= 3) {
            System.out.println("unexpected reply: " + reply);
          }
        }
        req = client.prepare(false, id, price);
        t0 = System.nanoTime();
        client.send(req);
        cancel.recordValue(System.nanoTime() - t0);
      }
    }

    void reset() {
      place.reset();
      cancel.reset();
      errors = 0;
    }

    void print(String phase) {
      line(transport, phase + " place", place);
      line(transport, phase + " cancel", cancel);
      if (errors > 0) {
        System.out.println("  errors: " + errors);
      }
    }

    void close() throws IOException {
      client.close();
    }
  }

  static void line(String transport, String what, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%-7s %-22s n=%7d  p50 %7.3f ms  p90 %7.3f  p99 %7.3f  p99.9 %7.3f  max %7.3f%n",
        transport,
        what,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(90) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6);
  }

  /**
   * Background traffic: {@code clients} connections sending place/cancel pairs at {@code rate}
   * requests per second in total (paced, each waiting for its reply), one market-stream connection
   * on every BTCUSDT/ETHUSDT/SOLUSDT depth and book ticker stream, and one user stream.
   */
  static final class Load {
    final String transport;
    final String host;
    final int port;
    final long price;
    final int clients;
    final int rate;
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    final AtomicLong streamMessages = new AtomicLong();
    final List<AutoCloseable> sockets = new ArrayList<>();
    long started;
    long stopped;

    Load(String transport, String host, int port, long price, int clients, int rate) {
      this.transport = transport;
      this.host = host;
      this.port = port;
      this.price = price;
      this.clients = clients;
      this.rate = rate;
    }

    void start() throws IOException {
      Ws market =
          new Ws(
              host,
              port,
              "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/ethusdt@depth@100ms/ethusdt@bookTicker"
                  + "/solusdt@depth@100ms/solusdt@bookTicker/btcusdt@aggTrade");
      String listenKey;
      try (Http http = new Http(host, port)) {
        String body =
            http.call(
                ("POST /fapi/v1/listenKey HTTP/1.1\r\nHost: "
                        + host
                        + "\r\nX-MBX-APIKEY: "
                        + KEY
                        + "\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        int at = body.indexOf("\"listenKey\":\"") + 13;
        listenKey = body.substring(at, body.indexOf('"', at));
      }
      Ws user = new Ws(host, port, "/ws/" + listenKey);
      sockets.add(market);
      sockets.add(user);
      for (Ws ws : List.of(market, user)) {
        threads.add(
            daemon(
                "reader",
                () -> {
                  try {
                    while (running.get()) {
                      ws.read();
                      streamMessages.incrementAndGet();
                    }
                  } catch (IOException e) {
                    // closed at stop
                  }
                }));
      }
      long periodNanos = clients * 1_000_000_000L / Math.max(1, rate);
      for (int c = 0; c < clients; c++) {
        Client client = client(transport, host, port);
        sockets.add(client);
        int index = c;
        threads.add(
            daemon(
                "load",
                () -> {
                  long next = System.nanoTime() + periodNanos * index / clients;
                  int i = 0;
                  Histogram mine = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                  try {
                    while (running.get()) {
                      long wait = next - System.nanoTime();
                      if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                      }
                      next += periodNanos;
                      boolean place = (i & 1) == 0;
                      String id = "load" + index + "-" + (i >> 1);
                      Object req = client.prepare(place, id, price);
                      long t0 = System.nanoTime();
                      client.send(req);
                      mine.recordValue(System.nanoTime() - t0);
                      i++;
                    }
                  } catch (IOException | InterruptedException e) {
                    // closed at stop
                  }
                  synchronized (latency) {
                    latency.add(mine);
                  }
                }));
      }
      started = System.nanoTime();
    }

    void stop() throws Exception {
      stopped = System.nanoTime();
      running.set(false);
      for (Thread t : threads) {
        if (t.getName().equals("load")) {
          t.join(5_000);
        }
      }
      for (AutoCloseable s : sockets) {
        s.close();
      }
    }

    void print() {
      double seconds = (stopped - started) / 1e9;
      line(transport, "background requests", latency);
      System.out.printf(
          Locale.ROOT,
          "        background: %.0f requests/s, %.0f stream events/s over %.1f s%n",
          latency.getTotalCount() / seconds,
          streamMessages.get() / seconds,
          seconds);
    }

    private static Thread daemon(String name, Runnable r) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      t.start();
      return t;
    }
  }

  /**
   * HTTP/1.1 keep-alive on a bare socket; replies must carry Content-Length (the simulator's do).
   */
  static final class Http implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];

    Http(String host, int port) throws IOException {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    String call(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      int n = 0;
      int headEnd = -1;
      while (headEnd < 0) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        buf[n++] = (byte) b;
        if (n >= 4
            && buf[n - 1] == '\n'
            && buf[n - 2] == '\r'
            && buf[n - 3] == '\n'
            && buf[n - 4] == '\r') {
          headEnd = n;
        }
      }
      String head = new String(buf, 0, headEnd, StandardCharsets.US_ASCII);
      int cl = head.toLowerCase(Locale.ROOT).indexOf("content-length:");
      if (cl < 0) {
        throw new IOException("no Content-Length: " + head);
      }
      int length = Integer.parseInt(head.substring(cl + 15, head.indexOf('\r', cl)).trim());
      byte[] body = in.readNBytes(length);
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * A WebSocket client on a bare socket: masked text frames out, whole text frames in; answers
   * pings.
   */
  static final class Ws implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Ws(String host, int port, String path) throws IOException {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: "
                  + Base64.getEncoder().encodeToString(nonce)
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed during the handshake: " + head);
        }
        head.append((char) b);
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IOException("upgrade refused: " + head);
      }
    }

    byte[] frame(String text) {
      return frame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] frame(int opcode, byte[] payload) {
      int n = payload.length;
      int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
      byte[] f = new byte[header + 4 + n];
      f[0] = (byte) (0x80 | opcode);
      if (n < 126) {
        f[1] = (byte) (0x80 | n);
      } else if (n < 65536) {
        f[1] = (byte) (0x80 | 126);
        f[2] = (byte) (n >> 8);
        f[3] = (byte) n;
      } else {
        f[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
          f[2 + i] = (byte) ((long) n >> (56 - 8 * i));
        }
      }
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      System.arraycopy(mask, 0, f, header, 4);
      for (int i = 0; i < n; i++) {
        f[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
      }
      return f;
    }

    void sendFrame(byte[] frame) throws IOException {
      out.write(frame);
      out.flush();
    }

    /** The next text message (pings answered, pongs skipped). */
    String read() throws IOException {
      while (true) {
        int b0 = readByte();
        int b1 = readByte();
        long n = b1 & 0x7f;
        if (n == 126) {
          n = (readByte() << 8) | readByte();
        } else if (n == 127) {
          n = 0;
          for (int i = 0; i < 8; i++) {
            n = (n << 8) | readByte();
          }
        }
        byte[] payload = in.readNBytes((int) n);
        int opcode = b0 & 0x0f;
        if (opcode == 0x9) {
          synchronized (this) {
            sendFrame(frame(0xA, payload));
          }
        } else if (opcode == 0x8) {
          throw new IOException("closed by the server");
        } else if (opcode == 0x1 || opcode == 0x0) {
          return new String(payload, StandardCharsets.UTF_8);
        }
      }
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      return b;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
