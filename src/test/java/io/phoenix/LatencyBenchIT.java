package io.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code phoenix bench --transport ws-api}: the node trades over the WebSocket API session and the
 * venue's reaction of its key is printed beside the stage table. Two seconds of measurement; the
 * numbers are not judged here (that is the bench's job), only that they come from that transport.
 */
class LatencyBenchIT {
  @Test
  void benchOverTheWebSocketApiPrintsTheVenuesReactionOfTheNode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // quotes that move with the market (the default's 15 bps and 2 s quote life seldom requote in 2
    // s)
    int code =
        LatencyBench.run(
            ConfigFactory.parseString(
                    "phoenix.symbols = [\"BTCUSDT\"]\n"
                        + io.phoenix.testkit.SimulatorFixture.QUOTER_FOR_FILLS)
                .withFallback(ConfigFactory.load())
                .resolve(),
            3,
            2,
            false,
            "ws-api",
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    assertTrue(out.contains("bench: transport ws-api"), out);
    Matcher venue = Pattern.compile("venue ws-api\\s+(\\d+)\\s+\\d").matcher(out);
    assertTrue(venue.find(), out);
    assertTrue(Long.parseLong(venue.group(1)) > 0, "the venue counted the node's reaction: " + out);
    Matcher sent = Pattern.compile("since start: \\d+ requotes, (\\d+) orders").matcher(out);
    assertTrue(sent.find(), out);
    assertTrue(
        Long.parseLong(sent.group(1)) > 0, "the quoters' own count, asked at the end: " + out);
    Matcher overWs = Pattern.compile("by transport:.* ws-api (\\d+)").matcher(out);
    assertTrue(overWs.find(), out);
    assertTrue(Long.parseLong(overWs.group(1)) > 0, "orders went over the session: " + out);
  }
}
