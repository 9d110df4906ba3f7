package io.phoenix.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.phoenix.config.OpsSettings;
import io.phoenix.config.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String API_SECRET = "sk-test-9f8e7d6c5b4a39281706";
  private static final String OPS_TOKEN = "ops-token-0a1b2c3d4e5f";
  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void detach() {
    cleanup.forEach(Runnable::run);
    cleanup.clear();
  }

  private ByteArrayOutputStream capture(String loggerName, Encoder<ILoggingEvent> encoder) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encoder.setContext(ctx);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.setImmediateFlush(true);
    appender.start();
    Logger logger = ctx.getLogger(loggerName);
    logger.addAppender(appender);
    cleanup.add(
        () -> {
          logger.detachAppender(appender);
          appender.stop();
        });
    return out;
  }

  private static PatternLayoutEncoder textEncoder() {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setPattern("%-5level [%thread] %X{akkaSource:-} %X{symbol:-} %logger{20} - %msg%n%ex");
    return e;
  }

  private static JsonEncoder jsonEncoder() {
    JsonEncoder e = new JsonEncoder();
    e.setWithFormattedMessage(true);
    e.setWithMessage(false);
    e.setWithArguments(false);
    return e;
  }

  @Test
  void secretsNeverReachTheLogInTextOrJson() {
    Secret apiSecret = Secret.of(API_SECRET);
    OpsSettings settings =
        new OpsSettings(
            true,
            "127.0.0.1",
            0,
            Secret.of(OPS_TOKEN),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofMinutes(1),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(1));
    ByteArrayOutputStream text = capture("phoenix.test.secrets", textEncoder());
    ByteArrayOutputStream json = capture("phoenix.test.secrets", jsonEncoder());
    org.slf4j.Logger log = LoggerFactory.getLogger("phoenix.test.secrets");

    log.info("settings {} secret {}", settings, apiSecret);
    log.info("signing with " + apiSecret.reveal());
    log.warn("token was {}", settings.token().reveal());
    log.error(
        "request failed",
        new IllegalStateException(
            "GET /fapi/v1/order?signature=" + API_SECRET,
            new RuntimeException("cause mentions " + OPS_TOKEN)));
    log.error("failed for {}", "BTCUSDT", new RuntimeException("bearer " + OPS_TOKEN));

    for (String captured :
        List.of(text.toString(StandardCharsets.UTF_8), json.toString(StandardCharsets.UTF_8))) {
      assertFalse(captured.contains(API_SECRET), captured);
      assertFalse(captured.contains(OPS_TOKEN), captured);
      assertTrue(captured.contains("signing with ***"), captured);
      assertTrue(captured.contains("secret ***"), captured);
      assertTrue(captured.contains("signature=***"), captured);
      assertTrue(captured.contains("failed for BTCUSDT"), captured);
      assertTrue(captured.contains("IllegalStateException"), captured);
    }
    assertEquals(
        5,
        text.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.matches("^(INFO|WARN|ERROR).*"))
            .count());
  }

  @Test
  void secretsFromConfigAreMaskedEvenAsPlainStrings() {
    String plain = "config-only-secret-77aa55";
    Logs.registerSecrets(
        com.typesafe.config.ConfigFactory.parseString(
                "phoenix.binance.api-secret = \"" + plain + "\"")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
    ByteArrayOutputStream text = capture("phoenix.test.config-secrets", textEncoder());
    LoggerFactory.getLogger("phoenix.test.config-secrets").info("query signed with {}", plain);
    String captured = text.toString(StandardCharsets.UTF_8);
    assertFalse(captured.contains(plain), captured);
    assertTrue(captured.contains("query signed with ***"), captured);
  }

  @Test
  void actorLinesCarryActorPathAndSymbol() {
    ByteArrayOutputStream text = capture("phoenix.test.actor", textEncoder());
    TestProbe<String> probe = testKit.createTestProbe();
    Behavior<String> quoter =
        Behaviors.setup(
            ctx -> {
              ctx.setLoggerName("phoenix.test.actor");
              return Behaviors.receiveMessage(
                  msg -> {
                    ctx.getLog().info("handled {}", msg);
                    probe.ref().tell(msg);
                    return Behaviors.same();
                  });
            });
    ActorRef<String> ref =
        testKit.spawn(Logs.withSymbol(String.class, "ETHUSDT", quoter), "quoter-ETHUSDT");
    ref.tell("tick");
    probe.expectMessage("tick");
    probe.awaitAssert(
        () -> {
          String line = text.toString(StandardCharsets.UTF_8);
          assertTrue(line.contains(" akka://"), line);
          assertTrue(line.contains("/user/quoter-ETHUSDT ETHUSDT "), line);
          assertTrue(line.contains("handled tick"), line);
          return null;
        });
  }

  @Test
  void productionConfigSelectsTextOrJsonByLogFormat() throws Exception {
    assertEquals("text", selected(null));
    assertEquals("text", selected("text"));
    assertEquals("json", selected("json"));
    assertEquals("text", selected("jsno"), "a typo must fall back to text, not silence logging");
  }

  /**
   * Configures a fresh context from the production logback.xml and names the appender that writes.
   */
  private static String selected(String format) throws Exception {
    LoggerContext ctx = new LoggerContext();
    if (format != null) {
      ctx.putProperty("LOG_FORMAT", format);
    }
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(ctx);
    jc.doConfigure(LoggingTest.class.getResource("/logback.xml"));
    try {
      assertFalse(ctx.getTurboFilterList().isEmpty(), "secret guard missing");
      assertTrue(
          ctx.getStatusManager().getCopyOfStatusList().stream()
              .allMatch(s -> s.getLevel() == ch.qos.logback.core.status.Status.INFO),
          "logback.xml produced warnings or errors: "
              + ctx.getStatusManager().getCopyOfStatusList());
      Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      List<String> writing = new ArrayList<>();
      for (String name : List.of("text", "json")) {
        AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC_" + name.toUpperCase());
        assertTrue(
            async != null && async.getAppender(name) instanceof ConsoleAppender, name + " missing");
        if (((LogFormatFilter) async.getCopyOfAttachedFiltersList().get(0)).active()) {
          writing.add(name);
          if (name.equals("json")) {
            assertTrue(
                ((ConsoleAppender<ILoggingEvent>) async.getAppender(name)).getEncoder()
                    instanceof JsonEncoder);
          }
        }
      }
      assertEquals(1, writing.size(), "exactly one appender must write: " + writing);
      return writing.get(0);
    } finally {
      ctx.stop();
    }
  }
}
