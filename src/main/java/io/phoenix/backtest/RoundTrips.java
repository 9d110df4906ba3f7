package io.phoenix.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.SettingsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.slf4j.LoggerFactory;

/**
 * Request-to-answer round trips from a live node's orders recording (the recorder's {@code
 * orders_<day>.gz}): each request line ({@code "dir":"out"}) paired with the first answer for the
 * same client order id ({@code "dir":"in"}), on the recorder's one clock.
 */
final class RoundTrips {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RoundTrips() {}

  static long[] read(Path file) {
    Map<String, Long> sent = new HashMap<>();
    long[] out = new long[256];
    int n = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int space = line.indexOf(' ');
        if (space <= 0) {
          continue;
        }
        long nanos;
        JsonNode node;
        try {
          nanos = Long.parseLong(line.substring(0, space));
          node = JSON.readTree(line.substring(space + 1));
        } catch (IOException | NumberFormatException e) {
          continue; // one bad line does not spoil the others
        }
        String id = node.path("id").asText("");
        if (id.isEmpty()) {
          continue;
        }
        String dir = node.path("dir").asText("");
        if (dir.equals("out")) {
          sent.putIfAbsent(id, nanos);
        } else if (dir.equals("in")) {
          Long at = sent.remove(id);
          if (at != null && nanos >= at) {
            if (n == out.length) {
              out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = nanos - at;
          }
        }
      }
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      // the node was stopped (or killed) while its recorder wrote: what came before is good
      LoggerFactory.getLogger(RoundTrips.class)
          .warn("{} ends early ({}): using the {} round trips before", file, e.getMessage(), n);
    } catch (IOException e) {
      throw new SettingsException(
          "phoenix.backtest.latency.round-trips-file",
          "cannot read " + file + ": " + e.getMessage());
    }
    if (n == 0) {
      throw new SettingsException(
          "phoenix.backtest.latency.round-trips-file", file + " holds no request with an answer");
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
