package io.phoenix.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import akka.actor.typed.ActorRef;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.phoenix.core.PhoenixSerializable;
import io.phoenix.risk.PortfolioBook;
import io.phoenix.risk.PortfolioRisk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message that can cross nodes goes as Jackson CBOR, and each type has a round trip here: a
 * new {@link PhoenixSerializable} type without a sample fails this test, and so does a message of a
 * cross-node protocol that is not {@link PhoenixSerializable} (Java serialization is off, so it
 * would fail on the wire instead).
 */
class CrossNodeMessagesTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  /** The protocols whose messages are sent between nodes. */
  static final List<Class<?>> CROSS_NODE_PROTOCOLS = List.of(PortfolioRisk.Command.class);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static List<Object> samples() {
    ActorRef<PortfolioRisk.Halt> link = testKit.<PortfolioRisk.Halt>createTestProbe().getRef();
    ActorRef<PortfolioRisk.Portfolio> replyTo =
        testKit.<PortfolioRisk.Portfolio>createTestProbe().getRef();
    Map<String, PortfolioBook.UnitLine> units = new TreeMap<>();
    units.put("a", new PortfolioBook.UnitLine(1234.5, -12.25, false, 1_796_000_000_000L));
    units.put("b", new PortfolioBook.UnitLine(0, 3.5, true, 1_796_000_000_500L));
    return List.of(
        new PortfolioRisk.Report("a", 1234.5, -12.25, false, link),
        new PortfolioRisk.GetPortfolio(replyTo),
        new PortfolioRisk.Reset(replyTo),
        new PortfolioRisk.Portfolio(1234.5, -8.75, units, "portfolio gross notional over"),
        new PortfolioRisk.Portfolio(0, 0, Map.of(), null),
        new PortfolioRisk.Halt("portfolio daily PnL below"));
  }

  @Test
  void everySampleRoundTripsAsJacksonCbor() {
    SerializationTestKit serialization = testKit.serializationTestKit();
    akka.serialization.Serialization extension =
        akka.serialization.SerializationExtension.get(
            akka.actor.typed.javadsl.Adapter.toClassic(testKit.system()));
    for (Object sample : samples()) {
      assertEquals(sample, serialization.verifySerialization(sample, true), sample.toString());
      assertEquals(
          "JacksonCborSerializer",
          extension.findSerializerFor(sample).getClass().getSimpleName(),
          sample.getClass().getName());
    }
  }

  @Test
  void everyCrossNodeTypeHasASample() {
    Set<String> serializable = new TreeSet<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.phoenix")) {
      if (c.isAssignableTo(PhoenixSerializable.class) && !c.isInterface()) {
        serializable.add(c.getName());
      }
    }
    Set<String> sampled = new TreeSet<>();
    samples().forEach(s -> sampled.add(s.getClass().getName()));
    assertEquals(serializable, sampled, "PhoenixSerializable types vs round-trip samples");
  }

  @Test
  void everyMessageOfACrossNodeProtocolIsSerializable() {
    List<String> missing = new ArrayList<>();
    for (Class<?> protocol : CROSS_NODE_PROTOCOLS) {
      assertTrue(protocol.isSealed(), protocol + " is not sealed: its messages cannot be listed");
      for (Class<?> message : protocol.getPermittedSubclasses()) {
        if (!PhoenixSerializable.class.isAssignableFrom(message)) {
          missing.add(message.getName());
        }
      }
    }
    assertEquals(List.of(), missing, "cross-node messages without PhoenixSerializable");
  }
}
