package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Binance's WebSocket rules on the simulator, time-scaled: pings every 500 ms, closed after 1.5 s
 * without a pong. Akka's own idle-timeout is set far below the ping interval here: a server that
 * still cut idle upgraded connections would close every socket between two pings.
 */
class SimKeepAliveIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      akka.http.server.idle-timeout = 200ms
      phoenix.sim.ping-interval = 500ms
      phoenix.sim.pong-timeout = 1500ms
      """);

  static final long PONG_TIMEOUT_MS = 1_500;

  @Test
  void idleSocketsThatAnswerPingsStayOpenPastManyPingsAndPongTimeouts() {
    SimClient client = new SimClient(SIM.server());
    String key = client.keyOnly("POST", "/fapi/v1/listenKey").body().get("listenKey").asText();
    SimClient.Conn user = client.connect("/private/ws/" + key);
    SimClient.Conn api = client.connect("/ws-fapi/v1");
    SimClient.Conn market = client.connect("/ws/0");
    try {
      // 7 pings = 3.5 s: over twice the pong timeout and 17 idle-timeouts of silence between pings
      Polling.until(
          Duration.ofSeconds(10),
          () -> user.pings.get() >= 7 && api.pings.get() >= 7 && market.pings.get() >= 7);
      assertFalse(user.closed.isDone(), "user stream closed");
      assertFalse(api.closed.isDone(), "WS API closed");
      assertFalse(market.closed.isDone(), "market stream closed");
      api.send("{\"id\":1,\"method\":\"time\"}");
      assertEquals(
          200,
          api.await(n -> n.path("id").asInt() == 1, Duration.ofSeconds(5)).get("status").asInt());
    } finally {
      user.close();
      api.close();
      market.close();
    }
  }

  @Test
  void onlyPongsEchoingOurPingsKeepASocketOpen() throws Exception {
    URI uri = URI.create(SIM.wsUrl());
    try (RawWebSocket silent = new RawWebSocket(uri.getHost(), uri.getPort(), "/ws-fapi/v1");
        RawWebSocket unsolicited =
            new RawWebSocket(uri.getHost(), uri.getPort(), "/ws/btcusdt@bookTicker");
        RawWebSocket lazy = new RawWebSocket(uri.getHost(), uri.getPort(), "/ws-fapi/v1")) {
      String first = unsolicited.pings.poll(5, TimeUnit.SECONDS);
      assertTrue(first != null && !first.isEmpty(), "pings carry a payload to echo");
      unsolicited.pong("");
      unsolicited.pong("not-a-ping-payload");
      for (int i = 0; i < 8; i++) {
        String ping = lazy.pings.poll(5, TimeUnit.SECONDS);
        if (i % 2 == 1) {
          lazy.pong(ping);
        }
      }
      assertFalse(lazy.closeFrame.isDone(), "answering every second ping keeps it open");
      for (RawWebSocket s : new RawWebSocket[] {silent, unsolicited}) {
        assertEquals(1000, s.closeFrame.get(5, TimeUnit.SECONDS));
        long lived = TimeUnit.NANOSECONDS.toMillis(s.closeFrameNanos - s.openedNanos);
        assertTrue(lived >= PONG_TIMEOUT_MS, "closed before the pong timeout: " + lived + " ms");
        assertTrue(lived < PONG_TIMEOUT_MS + 1_000, "closed too late: " + lived + " ms");
        assertTrue(s.pings.size() + (s == unsolicited ? 1 : 0) >= 2, "pinged before the close");
        assertTrue(
            s.ended.get(5, TimeUnit.SECONDS) > s.closeFrameNanos, "the server ends the connection");
      }
    }
  }

  @Test
  void everyConnectionClosesAtItsMaximumLifeEvenWhenAnswering() throws Exception {
    try (SimulatorFixture.Extra shortLife =
        SIM.startExtra(
            "phoenix.sim { ping-interval = 300ms, pong-timeout = 900ms, max-connection-life = 1500ms }")) {
      SimClient c = new SimClient(shortLife.server());
      long t0 = System.nanoTime();
      SimClient.Conn api = c.connect("/ws-fapi/v1");
      assertEquals(1000, api.closed.get(10, TimeUnit.SECONDS));
      long lived = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(api.pings.get() >= 3, "answered pings before the end: " + api.pings.get());
      assertTrue(lived >= 1_500 && lived < 3_000, "lived " + lived + " ms");
    }
  }
}
