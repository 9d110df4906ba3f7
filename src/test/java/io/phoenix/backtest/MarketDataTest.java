package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.binance.ws.DecodeError;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketDataTest {

  private static byte[] sliceText() throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(Recordings.SLICE))) {
      return in.readAllBytes();
    }
  }

  /** Where the line that crosses the middle of {@code text} ends. */
  private static int middleLine(byte[] text) {
    int half = text.length / 2;
    while (text[half - 1] != '\n') {
      half++;
    }
    return half;
  }

  private static void gzip(Path file, byte[] text, boolean append) throws Exception {
    try (OutputStream out =
        new GZIPOutputStream(
            Files.newOutputStream(
                file,
                append
                    ? new java.nio.file.OpenOption[] {
                      java.nio.file.StandardOpenOption.CREATE,
                      java.nio.file.StandardOpenOption.APPEND
                    }
                    : new java.nio.file.OpenOption[0]))) {
      out.write(text);
    }
  }

  @Test
  void readsTheSliceColumnByColumn() {
    MarketData d = Recordings.slice();
    assertEquals(4000, d.size());
    assertEquals(4000, d.stats().lines());
    assertEquals(0, d.stats().skippedLines());
    assertEquals(1, d.count(MarketData.SNAPSHOT));
    assertEquals(
        d.size(),
        d.count(MarketData.DEPTH)
            + d.count(MarketData.TICKER)
            + d.count(MarketData.TRADE)
            + d.count(MarketData.SNAPSHOT));
    assertEquals("BTCUSDT", d.instruments().get(0).symbol());
    assertEquals(1723161255030314667L, d.recvNanos(0));
    assertEquals(1723161256299L, d.eventMillis(0));
    for (int i = 1; i < d.size(); i++) {
      assertTrue(d.recvNanos(i) >= d.recvNanos(i - 1));
    }
  }

  @Test
  void slicesDecodedOnSeveralThreadsJoinIntoTheSameColumnsAsOneDecoder() throws Exception {
    var registry = BacktestCommand.instruments(Recordings.config());
    MarketData one = MarketData.load(List.of(Recordings.FULL), registry, 1);
    MarketData three = MarketData.load(List.of(Recordings.FULL), registry, 3);
    assertEquals(93_954, one.size());
    assertEquals(one.size(), three.size());
    assertEquals(one.levelEvents(), three.levelEvents());
    assertEquals(one.stats().lines(), three.stats().lines());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.recvNanos(i), three.recvNanos(i));
      assertEquals(one.kind(i), three.kind(i));
      assertEquals(one.a(i), three.a(i));
      if (one.kind(i) == MarketData.DEPTH) {
        assertEquals(one.depth(i).finalUpdateId(), three.depth(i).finalUpdateId());
      }
    }
  }

  @Test
  void badLinesAreCountedAndSkippedAndAPlainFileReadsLikeAGzipOne(@TempDir Path dir)
      throws Exception {
    String text = new String(sliceText(), StandardCharsets.UTF_8);
    String[] lines = text.split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      b.append(lines[i]).append('\n');
    }
    b.append("not a line\n");
    b.append(
        "1723161255030314667 {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1.23\",\"q\":\"1\",\"T\":1,\"m\":true}}\n");
    b.append("1723161255030314667 {\"truncated\n");
    b.append("\n");
    Path plain = dir.resolve("btcusdt_20240808.txt");
    Files.writeString(plain, b.toString());
    MarketData d = Recordings.load(plain);
    assertEquals(100, d.size());
    assertEquals(3, d.stats().skippedLines(), "no receive time, an off-grid price, broken JSON");
    assertEquals(1L, d.stats().decodeErrors().get(DecodeError.OFF_GRID));
    assertEquals(1L, d.stats().decodeErrors().get(DecodeError.MALFORMED_JSON));
  }

  @Test
  void anAppendedFileAndATruncatedOneAreReadAsFarAsTheyGo(@TempDir Path dir) throws Exception {
    byte[] text = sliceText();
    int half = middleLine(text);
    Path appended = dir.resolve("btcusdt_20240808.gz");
    gzip(appended, Arrays.copyOfRange(text, 0, half), false);
    gzip(
        appended,
        Arrays.copyOfRange(text, half, text.length),
        true); // a recorder restarted the same day
    assertEquals(4000, Recordings.load(appended).size());

    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(whole)) {
      out.write(text);
    }
    Path truncated = dir.resolve("btcusdt_20240809.gz");
    byte[] bytes = whole.toByteArray();
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2)); // a recorder killed mid-write
    MarketData d = Recordings.load(truncated);
    assertEquals(1, d.stats().truncatedFiles());
    assertTrue(d.size() > 1000 && d.size() < 4000, "what came before the cut: " + d.size());
  }

  @Test
  void severalFilesMergeInReceiveTimeOrder(@TempDir Path dir) throws Exception {
    byte[] text = sliceText();
    int half = middleLine(text);
    Path later = dir.resolve("btcusdt_b.gz");
    Path earlier = dir.resolve("btcusdt_a.gz");
    gzip(later, Arrays.copyOfRange(text, half, text.length), false);
    gzip(earlier, Arrays.copyOfRange(text, 0, half), false);
    MarketData d = BacktestCommand.load(Recordings.config(), List.of(later, earlier));
    MarketData reference = Recordings.slice();
    assertEquals(reference.size(), d.size());
    for (int i = 0; i < d.size(); i++) {
      assertEquals(reference.recvNanos(i), d.recvNanos(i));
      assertEquals(reference.kind(i), d.kind(i));
    }
  }
}
