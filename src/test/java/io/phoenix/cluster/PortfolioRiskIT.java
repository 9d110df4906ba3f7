package io.phoenix.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import io.phoenix.PhoenixGuardian;
import io.phoenix.PhoenixNode;
import io.phoenix.risk.Risk;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two trading units (two accounts) on one node under one portfolio limit: once their summed gross
 * notional passes it (here after their first fills, far below each unit's own limits), the
 * portfolio singleton trips both units' kill switches, the unit that did not pass it too.
 */
class PortfolioRiskIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          "phoenix.sim.api-keys = [ { key = \"p-a-key\", secret = \"p-a-secret\" },"
              + " { key = \"p-b-key\", secret = \"p-b-secret\" } ]");

  static PhoenixNode node;

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(30));
    }
  }

  @Test
  void theSumOfTwoUnitsTripsBoth() throws Exception {
    java.util.Map<String, String> environment =
        java.util.Map.of(
            "PHX_PA_KEY",
            "p-a-key",
            "PHX_PA_SECRET",
            "p-a-secret",
            "PHX_PB_KEY",
            "p-b-key",
            "PHX_PB_SECRET",
            "p-b-secret");
    node =
        PhoenixNode.start(
            ConfigFactory.parseString(
                    SIM.nodeSettings()
                        + SimulatorFixture.QUOTER_FOR_FILLS
                        + "phoenix.journal.enabled = false\n"
                        + "phoenix.portfolio { max-gross-notional = 60, report-interval = 200ms,"
                        + " stale-after = 2s }\n"
                        + "phoenix.units = ["
                        + " { name = pa, symbols = [BTCUSDT], api-key-env = PHX_PA_KEY,"
                        + " api-secret-env = PHX_PA_SECRET },"
                        + " { name = pb, symbols = [ETHUSDT], api-key-env = PHX_PB_KEY,"
                        + " api-secret-env = PHX_PB_SECRET } ]\n")
                .withFallback(ConfigFactory.load())
                .resolve(),
            environment::get);
    List<Risk.RiskState> states =
        Polling.until(
            Duration.ofSeconds(60),
            Duration.ofMillis(250),
            PortfolioRiskIT::riskStates,
            s -> s.size() == 2 && s.stream().allMatch(Risk.RiskState::tripped),
            s -> "both units not tripped: " + s);
    for (Risk.RiskState s : states) {
      assertTrue(
          String.valueOf(s.tripDetail()).contains("portfolio gross notional"), s.tripDetail());
    }
    assertEquals(2, node.units().size());
  }

  static List<Risk.RiskState> riskStates() throws Exception {
    List<Risk.RiskState> out = new ArrayList<>();
    for (ActorRef<PhoenixGuardian.Command> unit : node.units()) {
      // a unit still starting does not answer yet
      Risk.RiskState state =
          AskPattern.<PhoenixGuardian.Command, Risk.RiskState>ask(
                  unit,
                  PhoenixGuardian.GetRisk::new,
                  Duration.ofSeconds(1),
                  node.system().scheduler())
              .toCompletableFuture()
              .handle((s, failure) -> s)
              .get();
      if (state != null) {
        out.add(state);
      }
    }
    return out;
  }
}
