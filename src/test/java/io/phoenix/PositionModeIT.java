package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An account in hedge position mode would refuse every order Phoenix sends (no positionSide), so
 * the node must not trade until the account is one-way: it waits and reads again, or switches the
 * account itself when told to.
 */
class PositionModeIT {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

  // one simulator account per test: a position left by one test would block the other's mode switch
  // (-4068)
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim.api-keys = [ { key = \"waits\", secret = \"waits-secret\" }, { key = \"switches\", secret = \"switches-secret\" } ]");

  BinanceRestClient rest;
  BinanceAccountRestApi account;
  PhoenixNode node;

  /** This test's account: the node and the test's own requests use its key. */
  String useAccount(String key) throws Exception {
    String settings =
        "phoenix.binance.api-key = \""
            + key
            + "\"\nphoenix.binance.api-secret = \""
            + key
            + "-secret\"\n";
    rest = SIM.restClient(nodeConfig(settings));
    account = SimulatorFixture.accountApi(rest, SYMBOLS);
    return settings;
  }

  @AfterEach
  void stopNode() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(30));
      node = null;
    }
  }

  static Config nodeConfig(String extra) {
    return ConfigFactory.parseString(
            SIM.nodeSettings()
                + "phoenix.journal.enabled = false\n"
                + "phoenix.guardian.account-check-retry = 200ms\n"
                + extra)
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  boolean hedgeMode() throws Exception {
    RestResult<JsonNode> r =
        rest.send(RestRequest.get("/fapi/v1/positionSide/dual").signed().build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return ((RestResult.Ok<JsonNode>) r).body().get("dualSidePosition").booleanValue();
  }

  void setHedgeMode(boolean hedge) throws Exception {
    RestResult<JsonNode> r =
        rest.send(
                RestRequest.post("/fapi/v1/positionSide/dual")
                    .signed()
                    .param("dualSidePosition", Boolean.toString(hedge))
                    .build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertTrue(r instanceof RestResult.Ok, "switching the simulator's account: " + r);
    assertEquals(hedge, hedgeMode());
  }

  double checks(String result) {
    return node
        .metrics()
        .registry()
        .find("phoenix.account.position.mode.checks")
        .tag("result", result)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  int openOrders() throws Exception {
    return account.openOrders().toCompletableFuture().get(10, TimeUnit.SECONDS).size();
  }

  boolean started() throws Exception {
    return node.status(Duration.ofSeconds(5))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .started();
  }

  @Test
  void aHedgeModeAccountIsNotTradedUntilItIsOneWay() throws Exception {
    String settings = useAccount("waits");
    setHedgeMode(true);
    node = PhoenixNode.start(nodeConfig(settings));
    Polling.until(
        Duration.ofSeconds(15),
        Duration.ofMillis(50),
        () -> checks("hedge"),
        n -> n >= 3,
        n -> "hedge-mode reads: " + n);
    assertFalse(started(), "no trading component may start in hedge mode");
    assertEquals(0, openOrders(), "orders on a hedge-mode account");

    setHedgeMode(false);
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        this::openOrders,
        n -> n > 0,
        n -> "no quotes after the account became one-way: " + n);
    assertTrue(started());
    assertEquals(1.0, checks("one_way"));
  }

  @Test
  void withSwitchingAllowedTheNodePutsTheAccountInOneWayModeAndTrades() throws Exception {
    String settings = useAccount("switches");
    setHedgeMode(true);
    node =
        PhoenixNode.start(
            nodeConfig(settings + "phoenix.guardian.switch-to-one-way-mode = true\n"));
    Polling.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        this::openOrders,
        n -> n > 0,
        n -> "no quotes: " + n);
    assertFalse(hedgeMode(), "the node switched the account to one-way");
    assertEquals(1.0, checks("hedge"));
    assertEquals(1.0, checks("one_way"));
  }
}
