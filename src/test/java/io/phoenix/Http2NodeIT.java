package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with {@code phoenix.binance.rest.http2 = on} trades the simulator over h2c (one
 * multiplexed connection, prior knowledge) while its streams stay WebSockets on the same port: the
 * simulator counts the requests that arrived over HTTP/2, and the node quotes and gets fills.
 */
class Http2NodeIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim { http2 = on, model.taker-arrivals-per-second = 8 }");

  @Test
  void theNodeTradesOverHttp2AndItsStreamsStayUp() throws Exception {
    assertEquals(0, SIM.server().http2Requests(), "nothing spoke HTTP/2 before the node");
    long restBefore = SIM.server().restRequests();
    PhoenixNode node =
        PhoenixNode.start(
            ConfigFactory.parseString(
                    SIM.nodeSettings()
                        + io.phoenix.testkit.SimulatorFixture
                            .QUOTER_FOR_FILLS // every symbol must fill within 30 s
                        + "phoenix.binance.rest.http2 = on\n"
                        + "phoenix.guardian.status-interval = 200ms\n"
                        + "phoenix.journal.enabled = false\n")
                .withFallback(ConfigFactory.load())
                .resolve());
    try {
      Polling.until(
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () -> node.status(Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS),
          s ->
              !s.quoters().isEmpty()
                  && s.quoters().stream()
                      .allMatch(
                          q ->
                              q.halt() == QuoterCore.Halt.NONE
                                  && q.workingOrders() > 0
                                  && q.fills() > 0),
          s -> "quoters: " + s.quoters());
      long sent =
          node
              .status(Duration.ofSeconds(3))
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS)
              .quoters()
              .stream()
              .mapToLong(QuoterStatus::ordersSent)
              .sum();
      long h2 = SIM.server().http2Requests();
      long rest = SIM.server().restRequests() - restBefore;
      System.out.println(
          "Http2NodeIT: "
              + h2
              + " of the node's "
              + rest
              + " REST requests over HTTP/2; "
              + sent
              + " orders sent");
      assertTrue(sent > 0 && rest > 0);
      assertEquals(rest, h2, "every REST request of the node went over HTTP/2");
    } finally {
      node.shutdown(Duration.ofSeconds(20));
    }
  }
}
