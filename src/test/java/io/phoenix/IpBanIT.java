package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.risk.RiskReason;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP 418 from the exchange stops the market maker, not just its gateway: the node is quoting
 * on the simulator, the next two requests are refused with 429, and this simulator bans the IP
 * briefly on the second. Risk trips the kill switch with IP_BANNED; once the ban ends the queued
 * cancel-alls clear the book, and the quoters stay down although the exchange would accept orders
 * again, until an operator resets the switch.
 */
class IpBanIT {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");
  static final Duration BAN = Duration.ofSeconds(3);

  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim.rate-limits { ban-after-violations = 1, ban-duration = "
              + BAN.toSeconds()
              + "s }");

  static PhoenixNode node;
  static BinanceAccountRestApi account;

  @BeforeAll
  static void start() throws Exception {
    account = SimulatorFixture.accountApi(SIM.restClient(), SYMBOLS);
    node = PhoenixNode.start(nodeConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(30));
    }
  }

  static Config nodeConfig() {
    return ConfigFactory.parseString(
            SIM.nodeSettings()
                + "phoenix.journal.url = \"jdbc:h2:mem:ip-ban-it;DB_CLOSE_DELAY=-1\"\n")
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Open orders on the exchange, or -1 while the test's own requests are banned too (same IP). */
  static int openOrders() {
    try {
      return account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      return -1;
    }
  }

  static PhoenixGuardian.NodeStatus status() throws Exception {
    return node.status(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIpBanStopsQuotingAndCancelsEverythingOnceTheBanEnds() throws Exception {
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        IpBanIT::openOrders,
        n -> n >= 6,
        n -> "node not quoting: " + n + " open orders");

    SIM.faults().rateLimited(2); // the second 429 within the window is a ban
    long bannedAt = System.nanoTime();
    PhoenixGuardian.NodeStatus tripped =
        Polling.until(
            Duration.ofSeconds(15),
            Duration.ofMillis(100),
            IpBanIT::status,
            s -> s.risk() != null && s.risk().tripped(),
            s -> "kill switch not tripped by the ban: " + s.risk());
    assertEquals(RiskReason.IP_BANNED, tripped.risk().tripReason(), tripped.risk().tripDetail());
    assertTrue(tripped.risk().tripDetail().contains("418"), tripped.risk().tripDetail());

    // after the ban the queued cancel-alls go out and nothing new is placed
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        IpBanIT::openOrders,
        n -> n == 0,
        n -> "open orders after the ban: " + n);
    long clearedMs = (System.nanoTime() - bannedAt) / 1_000_000;
    PhoenixGuardian.NodeStatus after =
        Polling.until(
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            IpBanIT::status,
            s ->
                s.quoters().size() == SYMBOLS.size()
                    && s.quoters().stream().allMatch(q -> q.halt() != QuoterCore.Halt.NONE),
            s -> "quoters still quoting after the ban: " + s.quoters());
    assertTrue(after.risk().tripped(), "the kill switch must stay tripped after the ban ends");
    assertEquals(0, openOrders(), "orders placed after the ban while the kill switch is tripped");
    System.out.printf(
        "IpBanIT: tripped %s (%s); book cleared %d ms after the forced 429/418 (ban %d s)%n",
        tripped.risk().tripReason(), tripped.risk().tripDetail(), clearedMs, BAN.toSeconds());
  }
}
