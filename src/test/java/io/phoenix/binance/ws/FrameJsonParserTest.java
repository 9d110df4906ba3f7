package io.phoenix.binance.ws;

import static io.phoenix.binance.ws.Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import io.phoenix.core.Scale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameJsonParserTest {
  private static final Scale TICK = Scale.of("0.01");
  private static final Scale STEP = Scale.of("0.001");

  @Test
  void readsBinanceShapedLevelsInPlaceAndLeavesTheArrayToJackson() throws IOException {
    LevelArray out = new LevelArray(1);
    FrameJsonParser parser = readPlain("[[\"3410.12\",\"12.884\"],[\"3409.90\",\"0\"]]", out);
    assertEquals(2, out.size());
    assertEquals(341012, out.price(0));
    assertEquals(12884, out.quantity(0));
    assertEquals(340990, out.price(1));
    assertEquals(0, out.quantity(1));
    assertEquals(JsonToken.END_ARRAY, parser.nextToken());
    assertEquals(JsonToken.END_OBJECT, parser.nextToken());
    assertFalse(parser.trailingContent());
  }

  @Test
  void anEmptyArrayIsRead() throws IOException {
    LevelArray out = new LevelArray(1);
    FrameJsonParser parser = readPlain("[]", out);
    assertEquals(0, out.size());
    assertEquals(JsonToken.END_ARRAY, parser.nextToken());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ [\"3410.12\",\"1\"]]", // whitespace
        "[[\"3410.12\", \"1\"]]",
        "[[\"+3410.12\",\"1\"]]", // a sign
        "[[\"3410.120\",\"1\"]]", // a trailing zero beyond the tick's decimals
        "[[\"3410.125\",\"1\"]]", // off grid
        "[[\"0000000000000000003410.12\",\"1\"]]", // more than 18 digits
        "[[\"3410.12\",\"1e3\"]]", // an exponent
        "[[\"3410\\u002e12\",\"1\"]]", // an escape
        "[[\"3410.12\",\"1\"],]", // a trailing comma
        "[[\"3410.12\",\"1\",\"2\"]]", // a third element
        "[[\"3410.12\",1]]", // a number, not a string
        "[[\"3410.12\",\"1\"]", // truncated
        "[[\"..\",\"1\"]]",
        "[[\"\",\"1\"]]"
      })
  void anythingElseIsLeftUntouchedForTheTokenPath(String levels) throws IOException {
    FrameJsonParser parser = parserAtArray(levels);
    LevelArray out = new LevelArray(1);
    out.add(7, 7);
    assertFalse(parser.readPlainLevels(TICK, STEP, out));
    assertEquals(0, out.size());
    // nothing consumed: the next token is still the first element's start
    JsonToken next = parser.nextToken();
    assertTrue(next == JsonToken.START_ARRAY, "next token " + next);
  }

  /** Random level arrays, written plainly and with whitespace: the decoder reads both the same. */
  @Test
  void theDecoderReadsTheSameLevelsEitherWay() {
    Random random = new Random(13);
    RecordingHandler plain = new RecordingHandler();
    RecordingHandler spaced = new RecordingHandler();
    MarketFrameDecoder plainDecoder = new MarketFrameDecoder(Fixtures.REGISTRY, plain);
    MarketFrameDecoder spacedDecoder = new MarketFrameDecoder(Fixtures.REGISTRY, spaced);
    for (int frame = 0; frame < 200; frame++) {
      List<String> levels = new ArrayList<>();
      int n = random.nextInt(80);
      for (int i = 0; i < n; i++) {
        String price = (1 + random.nextInt(400_000)) / 100 + "." + twoDigits(random.nextInt(100));
        String qty = random.nextInt(1000) + (random.nextBoolean() ? "" : "." + random.nextInt(10));
        levels.add("[\"" + price + "\",\"" + qty + "\"]");
      }
      String bids = "[" + String.join(",", levels) + "]";
      String frameText =
          "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":%s,\"a\":[]}";
      assertTrue(plainDecoder.decode(String.format(frameText, bids)));
      assertTrue(spacedDecoder.decode(String.format(frameText, bids.replace(",", " , "))));
      LevelArray a = plain.depth.bids();
      LevelArray b = spaced.depth.bids();
      assertEquals(n, a.size());
      assertEquals(n, b.size());
      for (int i = 0; i < n; i++) {
        assertEquals(b.price(i), a.price(i));
        assertEquals(b.quantity(i), a.quantity(i));
      }
    }
    assertTrue(plain.errors.isEmpty() && spaced.errors.isEmpty());
  }

  @Test
  void aFrameLargerThanTheDecodersBufferIsReadWhole() {
    RecordingHandler handler = new RecordingHandler();
    MarketFrameDecoder decoder = new MarketFrameDecoder(Fixtures.REGISTRY, handler);
    List<String> levels = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      levels.add("[\"" + (2000 + i) + ".00\",\"" + (i + 1) + ".000\"]");
    }
    String frame =
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":["
            + String.join(",", levels)
            + "],\"a\":[]}";
    assertTrue(frame.length() > 20_000);
    assertTrue(decoder.decode(frame));
    assertTrue(decoder.decode(resource("bookTicker.json")));
    LevelArray bids = handler.depth.bids();
    assertEquals(1000, bids.size());
    assertEquals(200000, bids.price(0));
    assertEquals(1000, bids.quantity(0));
    assertEquals(299900, bids.price(999));
    assertEquals(1_000_000, bids.quantity(999));
    assertEquals(List.of("depth", "ticker"), handler.events);
  }

  @Test
  void aFrameReadsAcrossManyFramesWithoutTrailingContent() throws IOException {
    FrameJsonParser parser = FrameJsonParser.create();
    for (int i = 0; i < 3; i++) {
      byte[] frame = ("{\"n\":" + i + "}  \n").getBytes(StandardCharsets.US_ASCII);
      parser.feed(frame, 0, frame.length);
      assertEquals(JsonToken.START_OBJECT, parser.nextToken());
      assertEquals(JsonToken.FIELD_NAME, parser.nextToken());
      assertEquals(JsonToken.VALUE_NUMBER_INT, parser.nextToken());
      assertEquals(i, parser.getIntValue());
      assertEquals(JsonToken.END_OBJECT, parser.nextToken());
      assertFalse(parser.trailingContent());
    }
    byte[] two = "{}{}".getBytes(StandardCharsets.US_ASCII);
    parser.feed(two, 0, two.length);
    assertEquals(JsonToken.START_OBJECT, parser.nextToken());
    assertEquals(JsonToken.END_OBJECT, parser.nextToken());
    assertTrue(parser.trailingContent());
  }

  private static String twoDigits(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /** A parser that has read {@code levels} in place into {@code out}. */
  private static FrameJsonParser readPlain(String levels, LevelArray out) throws IOException {
    FrameJsonParser parser = parserAtArray(levels);
    assertTrue(parser.readPlainLevels(TICK, STEP, out));
    return parser;
  }

  private static FrameJsonParser parserAtArray(String levels) throws IOException {
    byte[] frame = ("{\"b\":" + levels + "}").getBytes(StandardCharsets.US_ASCII);
    FrameJsonParser parser = FrameJsonParser.create();
    parser.feed(frame, 0, frame.length);
    assertEquals(JsonToken.START_OBJECT, parser.nextToken());
    assertEquals(JsonToken.FIELD_NAME, parser.nextToken());
    assertEquals(JsonToken.START_ARRAY, parser.nextToken());
    return parser;
  }
}
