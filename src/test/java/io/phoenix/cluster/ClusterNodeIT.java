package io.phoenix.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.javadsl.Adapter;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.serialization.SerializationExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.PhoenixNode;
import io.phoenix.testkit.Polling;
import io.phoenix.testkit.SimulatorFixture;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node of the README's run is a one-node Akka Cluster: it joins itself, Akka Management answers
 * the orchestrator's probes from the node's own state, and nothing leaves it as Java serialization.
 */
class ClusterNodeIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();

  static PhoenixNode node;
  static int managementPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      managementPort = free.getLocalPort();
    }
    Config config =
        ConfigFactory.parseString(
                SIM.nodeSettings()
                    + "phoenix.journal.enabled = false\n"
                    + "phoenix.cluster.management.port = "
                    + managementPort
                    + "\n")
            .withFallback(ConfigFactory.load())
            .resolve();
    node = PhoenixNode.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.shutdown(Duration.ofSeconds(30));
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theNodeIsAnUpMemberOfItsOwnCluster() throws Exception {
    Cluster cluster = Cluster.get(node.system());
    Polling.until(Duration.ofSeconds(20), () -> cluster.selfMember().status() == MemberStatus.up());
    JsonNode members = new ObjectMapper().readTree(get("/cluster/members").body()).get("members");
    assertEquals(1, members.size(), members.toString());
    assertEquals("Up", members.get(0).get("status").asText());
    assertEquals(cluster.selfMember().address().toString(), members.get(0).get("node").asText());
  }

  @Test
  void theOpsApiShowsTheMembersTheLeaderAndWhereTheUnitRuns() throws Exception {
    String self = Cluster.get(node.system()).selfMember().address().toString();
    JsonNode cluster =
        Polling.until(
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            () ->
                new ObjectMapper()
                    .readTree(
                        http.send(
                                HttpRequest.newBuilder(
                                        URI.create(
                                            "http://127.0.0.1:"
                                                + node.ops().port()
                                                + "/api/cluster"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body()),
            c -> c.path("units").path("main").size() == 1,
            c -> "unit main placed nowhere: " + c);
    assertEquals(self, cluster.path("self").asText());
    assertEquals(self, cluster.path("leader").asText());
    assertEquals(self, cluster.path("units").path("main").get(0).asText());
    assertEquals("Up", cluster.path("members").get(0).path("status").asText());
  }

  @Test
  void managementReportsReadyOnceTradingStartedAndAlive() throws Exception {
    HttpResponse<String> ready =
        Polling.until(
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            () -> get("/ready"),
            r -> r.statusCode() == 200,
            r -> "never ready: " + r.statusCode() + " " + r.body());
    assertEquals(200, ready.statusCode());
    assertTrue(node.status(Duration.ofSeconds(5)).toCompletableFuture().get().started());
    assertEquals(200, get("/alive").statusCode());
  }

  /** Java serialization is off: a message without a binding fails instead of leaving as bytes. */
  record Unbound(String text) implements Serializable {}

  @Test
  void javaSerializationIsRefused() {
    var serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
    assertTrue(serialization.serialize(new Unbound("x")).isFailure());
  }
}
