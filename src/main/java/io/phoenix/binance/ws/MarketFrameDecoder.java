package io.phoenix.binance.ws;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Binance USD-M market-stream frames (raw or wrapped in the combined-stream {@code
 * {"stream":..,"data":..}} envelope) and subscription replies into reusable holders, and hands each
 * to a {@link MarketFrameHandler}.
 *
 * <p>One long-lived Jackson byte parser ({@link FrameJsonParser}) reads frame after frame in place,
 * so a well-formed frame allocates nothing: field names come from Jackson's canonical symbol table,
 * values are read from its character buffer, symbols are looked up in place. A parser that saw a
 * bad frame is replaced (the only allocation, on the error path). Binance sends {@code e} and
 * {@code s} before the fields they qualify; the decoder relies on that (the stream name may stand
 * in for {@code s}) and reports a frame that breaks the order as an error rather than buffering
 * text.
 *
 * <p>Not thread-safe: one decoder per connection, used by the actor that owns the connection.
 */
public final class MarketFrameDecoder extends TokenReader {
  private static final char[] DEPTH_UPDATE = "depthUpdate".toCharArray();
  private static final char[] BOOK_TICKER = "bookTicker".toCharArray();
  private static final char[] AGG_TRADE = "aggTrade".toCharArray();
  // the raw trade stream (<s>@trade): what hftbacktest's collector records; one trade per event
  private static final char[] TRADE_EVENT = "trade".toCharArray();
  private static final char[] MARKET_TRADE = "MARKET".toCharArray();
  private static final char[] MARK_PRICE_UPDATE = "markPriceUpdate".toCharArray();
  private static final char[] DEPTH_STREAM = "@depth".toCharArray();

  // field names packed by key(String)
  private static final int LONG_NAME = -1;
  private static final int ID = 'i' << 16 | 'd';
  private static final int PU = 'p' << 16 | 'u';
  private static final int NQ = 'n' << 16 | 'q';
  private static final int AP = 'a' << 16 | 'p';

  private static final int NONE = 0;
  private static final int DEPTH = 1;
  private static final int TICKER = 2;
  private static final int TRADE = 3;
  private static final int MARK = 4;
  private static final int OTHER_EVENT = 5;

  // required-field bits; each event checks its own mask once the object closes
  private static final int F_E = 1;
  private static final int F_S = 1 << 1;
  private static final int F_FIRST = 1 << 2;
  private static final int F_FINAL = 1 << 3;
  private static final int F_PREV = 1 << 4;
  private static final int F_BIDS = 1 << 5;
  private static final int F_ASKS = 1 << 6;
  private static final int F_BID_QTY = 1 << 7;
  private static final int F_ASK_QTY = 1 << 8;
  private static final int F_PRICE = 1 << 9;
  private static final int F_QTY = 1 << 10;
  private static final int F_ID = 1 << 11;
  private static final int F_TIME = 1 << 12;
  private static final int F_MAKER = 1 << 13;
  private static final int F_RATE = 1 << 14;
  private static final int DEPTH_REQUIRED =
      F_E | F_S | F_FIRST | F_FINAL | F_PREV | F_BIDS | F_ASKS;
  private static final int TICKER_REQUIRED =
      F_S | F_FINAL | F_BIDS | F_BID_QTY | F_ASKS | F_ASK_QTY;
  private static final int TRADE_REQUIRED = F_E | F_S | F_ID | F_PRICE | F_QTY | F_TIME | F_MAKER;
  private static final int MARK_REQUIRED = F_E | F_S | F_PRICE | F_RATE | F_TIME;

  private final InstrumentRegistry registry;
  private final MarketFrameHandler handler;
  private final DepthUpdateFrame depth = new DepthUpdateFrame();
  private final BookTickerFrame ticker = new BookTickerFrame();
  private final AggTradeFrame trade = new AggTradeFrame();
  private final MarkPriceFrame mark = new MarkPriceFrame();
  private FrameJsonParser frameParser;
  private byte[] scratch = new byte[4096];
  private char[] chars = new char[4096];

  // per-frame state
  private int event;
  private int seen;
  private Instrument instrument;
  private Instrument streamInstrument;
  private boolean streamPartial;
  private boolean reply;
  private String replyId;
  private List<String> replyResult;
  private int replyCode;
  private String replyMessage;

  public MarketFrameDecoder(InstrumentRegistry registry, MarketFrameHandler handler) {
    this.registry = registry;
    this.handler = handler;
    newParser();
  }

  /** Decodes one text frame; returns false (after reporting the error) if it was dropped. */
  public boolean decode(String text) {
    int length = text.length();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
      chars = new char[scratch.length];
    }
    // getChars is a bulk copy (an intrinsic for Latin-1 strings); the narrowing loop has no early
    // exit and no per-char String bounds and coder checks, unlike charAt
    text.getChars(0, length, chars, 0);
    int any = 0;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      any |= c;
      scratch[i] = (byte) c;
    }
    if (any >= 0x80) {
      // non-ASCII (symbols may be Chinese since 2025-10): take the allocating, exact path
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      return decode(utf8, 0, utf8.length);
    }
    return decode(scratch, 0, length);
  }

  /** Decodes one UTF-8 frame {@code bytes[offset, offset+length)}; false if it was dropped. */
  public boolean decode(byte[] bytes, int offset, int length) {
    resetFrame();
    try {
      frameParser.feed(bytes, offset, offset + length);
      expect(next(), JsonToken.START_OBJECT);
      object(true);
      if (frameParser.trailingContent()) {
        throw fail(DecodeError.MALFORMED_JSON); // a second value after the object
      }
      dispatch();
      return true;
    } catch (Failure failure) {
      return dropped(failure.error);
    } catch (InputCoercionException e) {
      return dropped(DecodeError.NUMBER_OUT_OF_RANGE);
    } catch (IOException | RuntimeException e) {
      return dropped(DecodeError.MALFORMED_JSON);
    }
  }

  private boolean dropped(DecodeError error) {
    newParser();
    Instrument known = instrument != null ? instrument : streamInstrument;
    handler.onDecodeError(error, known == null ? -1 : known.id());
    return false;
  }

  private void newParser() {
    if (frameParser != null) {
      try {
        frameParser.close();
      } catch (IOException e) {
        // closing only returns buffers to Jackson's pool; nothing to recover
      }
    }
    frameParser = FrameJsonParser.create();
    parser = frameParser;
  }

  private void resetFrame() {
    event = NONE;
    seen = 0;
    instrument = null;
    streamInstrument = null;
    streamPartial = false;
    reply = false;
    replyId = null;
    replyResult = null;
    replyCode = -1;
    replyMessage = null;
  }

  private void object(boolean top) throws IOException {
    JsonToken t;
    while ((t = next()) != JsonToken.END_OBJECT) {
      expect(t, JsonToken.FIELD_NAME);
      String name = parser.currentName();
      JsonToken value = next();
      int key = key(name);
      // envelope and reply names are longer than two chars, except "id"
      if (top && (key == LONG_NAME || key == ID) && envelopeField(name, value)) {
        continue;
      }
      if (key == 'e') {
        eventType(value);
      } else if (event == NONE) {
        // Binance always writes "e" first; fields before it cannot be interpreted
        throw fail(top ? DecodeError.UNKNOWN_EVENT : DecodeError.MISSING_FIELD);
      } else {
        eventField(key, value);
      }
    }
  }

  /**
   * Event field names are one or two chars: packed into an int they dispatch by an int switch,
   * without hashing or comparing strings per field. Any other length is {@link #LONG_NAME}.
   */
  private static int key(String name) {
    return switch (name.length()) {
      case 1 -> name.charAt(0);
      // a NUL first char would alias a one-char key; no Binance name has one, so it matches nothing
      case 2 -> name.charAt(0) == 0 ? LONG_NAME : name.charAt(0) << 16 | name.charAt(1);
      default -> LONG_NAME;
    };
  }

  private boolean envelopeField(String name, JsonToken value) throws IOException {
    switch (name) {
      case "stream" -> streamName(value);
      case "data" -> {
        expect(value, JsonToken.START_OBJECT);
        object(false);
      }
      case "result" -> {
        reply = true;
        replyResult = stringList(value);
      }
      case "id" -> {
        reply = true;
        replyId = value == JsonToken.VALUE_NULL ? null : parser.getText();
      }
      case "code" -> {
        reply = true;
        replyCode = (int) longValue(value);
      }
      case "msg" -> {
        reply = true;
        expect(value, JsonToken.VALUE_STRING);
        replyMessage = parser.getText();
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private List<String> stringList(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    if (value != JsonToken.START_ARRAY) {
      items.add(parser.getText());
      return items;
    }
    JsonToken t;
    while ((t = next()) != JsonToken.END_ARRAY) {
      items.add(parser.getText());
      skip(t);
    }
    return List.copyOf(items);
  }

  private void streamName(JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    int at = 0;
    while (at < length && chars[offset + at] != '@') {
      at++;
    }
    streamInstrument = registry.find(chars, offset, at);
    // "<s>@depth5", "<s>@depth10@100ms": a digit right after "@depth" marks a partial book
    int afterDepth = at + DEPTH_STREAM.length;
    if (afterDepth < length && regionMatches(chars, offset + at, DEPTH_STREAM)) {
      char c = chars[offset + afterDepth];
      streamPartial = c >= '0' && c <= '9';
    }
  }

  private static boolean regionMatches(char[] chars, int from, char[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (chars[from + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private void eventType(JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    if (event != NONE) {
      throw fail(DecodeError.MALFORMED_JSON);
    }
    if (textEquals(DEPTH_UPDATE)) {
      event = DEPTH;
      depth.reset();
      depth.partial = streamPartial;
    } else if (textEquals(BOOK_TICKER)) {
      event = TICKER;
      ticker.reset();
    } else if (textEquals(AGG_TRADE)) {
      event = TRADE;
      trade.reset();
    } else if (textEquals(TRADE_EVENT)) {
      event = TRADE;
      trade.reset();
      trade.single = true;
    } else if (textEquals(MARK_PRICE_UPDATE)) {
      event = MARK;
      mark.reset();
    } else {
      event = OTHER_EVENT;
    }
    instrument = streamInstrument;
  }

  private void symbol(JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    Instrument found =
        registry.find(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    if (found == null) {
      throw fail(DecodeError.UNKNOWN_SYMBOL);
    }
    instrument = found;
    seen |= F_S;
  }

  private Instrument instrument() {
    if (instrument == null) {
      throw fail(DecodeError.UNKNOWN_SYMBOL);
    }
    return instrument;
  }

  private Scale price() {
    return instrument().price();
  }

  private Scale quantity() {
    return instrument().quantity();
  }

  private void eventField(int name, JsonToken value) throws IOException {
    if (name == 's') {
      symbol(value);
      return;
    }
    switch (event) {
      case DEPTH -> depthField(name, value);
      case TICKER -> tickerField(name, value);
      case TRADE -> tradeField(name, value);
      case MARK -> markField(name, value);
      default -> skip(value);
    }
  }

  private void depthField(int name, JsonToken value) throws IOException {
    switch (name) {
      case 'E' -> {
        depth.eventTime = longValue(value);
        seen |= F_E;
      }
      case 'T' -> depth.transactionTime = longValue(value);
      case 'U' -> {
        depth.firstUpdateId = longValue(value);
        seen |= F_FIRST;
      }
      case 'u' -> {
        depth.finalUpdateId = longValue(value);
        seen |= F_FINAL;
      }
      case PU -> {
        depth.previousFinalUpdateId = longValue(value);
        seen |= F_PREV;
      }
      case 'b' -> {
        depthLevels(value, depth.bids);
        seen |= F_BIDS;
      }
      case 'a' -> {
        depthLevels(value, depth.asks);
        seen |= F_ASKS;
      }
      default -> skip(value);
    }
  }

  private void depthLevels(JsonToken value, LevelArray out) throws IOException {
    Scale price = price();
    Scale quantity = quantity();
    if (value == JsonToken.START_ARRAY && frameParser.readPlainLevels(price, quantity, out)) {
      expect(next(), JsonToken.END_ARRAY);
    } else {
      levels(value, price, quantity, out);
    }
  }

  private void tickerField(int name, JsonToken value) throws IOException {
    switch (name) {
      case 'E' -> {
        ticker.eventTime = longValue(value);
        seen |= F_E;
      }
      case 'T' -> ticker.transactionTime = longValue(value);
      case 'u' -> {
        ticker.updateId = longValue(value);
        seen |= F_FINAL;
      }
      case 'b' -> {
        ticker.bidPrice = countValue(value, price());
        seen |= F_BIDS;
      }
      case 'B' -> {
        ticker.bidQuantity = countValue(value, quantity());
        seen |= F_BID_QTY;
      }
      case 'a' -> {
        ticker.askPrice = countValue(value, price());
        seen |= F_ASKS;
      }
      case 'A' -> {
        ticker.askQuantity = countValue(value, quantity());
        seen |= F_ASK_QTY;
      }
      default -> skip(value);
    }
  }

  private void tradeField(int name, JsonToken value) throws IOException {
    switch (name) {
      case 'E' -> {
        trade.eventTime = longValue(value);
        seen |= F_E;
      }
      case 'a' -> {
        trade.aggregateId = longValue(value);
        seen |= F_ID;
      }
      case 'p' -> {
        trade.price = countValue(value, price());
        seen |= F_PRICE;
      }
      case 'q' -> {
        trade.quantity = countValue(value, quantity());
        seen |= F_QTY;
      }
      case NQ -> trade.nonRpiQuantity = countValue(value, quantity());
      case 't' -> {
        // a single trade's id: its own aggregate of one
        long id = longValue(value);
        trade.aggregateId = id;
        trade.firstTradeId = id;
        trade.lastTradeId = id;
        seen |= F_ID;
      }
      case 'X' -> {
        expect(value, JsonToken.VALUE_STRING);
        trade.marketTrade = textEquals(MARKET_TRADE);
      }
      case 'f' -> trade.firstTradeId = longValue(value);
      case 'l' -> trade.lastTradeId = longValue(value);
      case 'T' -> {
        trade.tradeTime = longValue(value);
        seen |= F_TIME;
      }
      case 'm' -> {
        trade.buyerMaker = booleanValue(value);
        seen |= F_MAKER;
      }
      default -> skip(value);
    }
  }

  private void markField(int name, JsonToken value) throws IOException {
    switch (name) {
      case 'E' -> {
        mark.eventTime = longValue(value);
        seen |= F_E;
      }
      case 'p' -> {
        mark.markPrice = countValue(value, price());
        seen |= F_PRICE;
      }
      case AP -> mark.averageMarkPrice = countOrInvalid(value, price());
      case 'i' -> mark.indexPrice = countOrInvalid(value, price());
      case 'P' -> mark.estimatedSettlePrice = countOrInvalid(value, price());
      case 'r' -> {
        long rate = countOrInvalid(value, MarkPriceFrame.FUNDING_RATE_SCALE);
        if (rate == Scale.INVALID) {
          throw fail(DecodeError.OFF_GRID);
        }
        mark.fundingRateE8 = rate;
        seen |= F_RATE;
      }
      case 'T' -> {
        mark.nextFundingTime = longValue(value);
        seen |= F_TIME;
      }
      default -> skip(value);
    }
  }

  private void dispatch() {
    switch (event) {
      case DEPTH -> {
        require(DEPTH_REQUIRED);
        depth.instrument = instrument;
        handler.onDepthUpdate(depth);
      }
      case TICKER -> {
        require(TICKER_REQUIRED);
        ticker.instrument = instrument;
        handler.onBookTicker(ticker);
      }
      case TRADE -> {
        require(TRADE_REQUIRED);
        trade.instrument = instrument;
        if (trade.nonRpiQuantity == Long.MIN_VALUE) {
          trade.nonRpiQuantity = trade.quantity;
        }
        handler.onAggTrade(trade);
      }
      case MARK -> {
        require(MARK_REQUIRED);
        mark.instrument = instrument;
        handler.onMarkPrice(mark);
      }
      case NONE -> {
        if (!reply) {
          throw fail(DecodeError.UNKNOWN_EVENT);
        }
        handler.onSubscriptionReply(
            new SubscriptionReply(
                replyId, replyResult == null ? List.of() : replyResult, replyCode, replyMessage));
      }
      default -> throw fail(DecodeError.UNKNOWN_EVENT);
    }
  }

  private void require(int mask) {
    // the stream name may stand in for "s"
    int have = instrument != null ? seen | F_S : seen;
    if ((have & mask) != mask) {
      throw fail(DecodeError.MISSING_FIELD);
    }
  }
}
