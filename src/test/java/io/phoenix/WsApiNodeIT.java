package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with {@code phoenix.gateway.transport = ws-api} trades over the simulator's WebSocket
 * trading API; when the session drops, order entry goes over REST and comes back to the session by
 * itself, with the switch visible in the metrics.
 */
class WsApiNodeIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();
  static PhoenixNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        PhoenixNode.start(
            ConfigFactory.parseString(
                    SIM.nodeSettings()
                        + "phoenix.gateway.transport = ws-api\n"
                        + "phoenix.guardian.status-interval = 200ms\n"
                        + "phoenix.journal.enabled = false\n")
                .withFallback(ConfigFactory.load())
                .resolve());
  }

  @AfterAll
  static void stop() throws Exception {
    node.shutdown(Duration.ofSeconds(20));
  }

  @Test
  void ordersGoOverTheSessionRestStandsInWhileItIsDownAndTheSessionTakesOverAgain()
      throws Exception {
    MeterRegistry meters = node.metrics().registry();
    // one request per order over the session: ten go out before every quoter shows its orders
    // in the status, so wait for both
    Polling.until(
        Duration.ofSeconds(20), () -> sent(meters, "ws-api") >= 10 && up(meters) == 1 && quoting());
    assertTrue(quoting(), "quoting over the WebSocket");

    SIM.faults().dropWebSockets();
    Polling.until(Duration.ofSeconds(5), () -> up(meters) == 0);
    Polling.until(Duration.ofSeconds(10), () -> up(meters) == 1);
    double wsAfterReturn = sent(meters, "ws-api");
    Polling.until(
        Duration.ofSeconds(10), () -> sent(meters, "ws-api") > wsAfterReturn + 5 && quoting());
    System.out.println(
        "WsApiNodeIT: order requests over the WebSocket "
            + sent(meters, "ws-api")
            + ", over REST while"
            + " the session was down "
            + sent(meters, "rest-fallback"));
    assertEquals(1.0, up(meters));
  }

  static double sent(MeterRegistry meters, String transport) {
    var c =
        meters
            .find("phoenix.gateway.transport.requests")
            .tag("transport", transport)
            .functionCounter();
    return c == null ? 0 : c.count();
  }

  static double up(MeterRegistry meters) {
    var g = meters.find("phoenix.gateway.ws.api.up").gauge();
    return g == null ? -1 : g.value();
  }

  static boolean quoting() {
    try {
      return node
          .status(Duration.ofSeconds(3))
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS)
          .quoters()
          .stream()
          .allMatch(q -> q.halt() == QuoterCore.Halt.NONE && q.workingOrders() > 0);
    } catch (Exception e) {
      return false;
    }
  }
}
