package io.phoenix.binance.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import io.phoenix.core.Scale;
import java.io.IOException;

/**
 * Jackson's UTF-8 byte parser made reusable across WebSocket frames: each frame's bytes become the
 * parser's input buffer in place ({@link #feed}), so a frame is neither copied nor given a parser
 * of its own, and the parser never reads past the frame it was given.
 *
 * <p>Why not Jackson's non-blocking parser, which supports feeding: token by token the two are
 * about as fast on the recording's real depth frames (5.2 and 5.5 µs a frame, RealDepthBenchmark),
 * but the non-blocking one keeps a resumable per-byte state that no reader can step over, while
 * this one's input is the frame itself, so {@link #readPlainLevels} can read the level arrays in
 * place and hand the parser back at the array's end.
 *
 * <p>The caller reads one root value per frame and must not ask for a token past its end: at the
 * end of the frame the parser sees the end of its input and closes (a truncated frame does that
 * too; the decoder then replaces the parser). {@link #trailingContent} tells whether anything but
 * whitespace followed the value.
 */
final class FrameJsonParser extends UTF8StreamJsonParser {
  private static final Factory FACTORY = new Factory();
  private static final byte[] EMPTY = new byte[0];

  private FrameJsonParser(
      IOContext context,
      int features,
      ByteQuadsCanonicalizer names,
      byte[] data,
      int from,
      int to) {
    // no InputStream: the end of a frame is the end of the input
    super(context, features, null, null, names, data, from, to, false);
  }

  /** A parser with no input yet; {@link #feed} gives it a frame. */
  static FrameJsonParser create() {
    try {
      return (FrameJsonParser) FACTORY.createParser(EMPTY, 0, 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a JSON parser", e);
    }
  }

  /**
   * Makes {@code data[from, to)} the parser's whole input; the array must not change until read.
   */
  void feed(byte[] data, int from, int to) {
    // keep the location counters continuous, as a refill from a stream would
    _currInputProcessed += _inputEnd;
    _currInputRowStart -= _inputEnd;
    _inputBuffer = data;
    _inputPtr = from;
    _inputEnd = to;
  }

  /** True when something other than JSON whitespace follows the value just read. */
  boolean trailingContent() {
    for (int i = _inputPtr; i < _inputEnd; i++) {
      byte b = _inputBuffer[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the elements of a level array whose {@code [} the parser has just returned, when they are
   * written the way Binance writes them: {@code ["price","qty"]} pairs of plain decimal strings,
   * comma-separated, without whitespace. On success the parser stands before the array's closing
   * {@code ]}, so its next token is END_ARRAY and Jackson's own structure checks stay whole. On
   * anything else — whitespace, a sign, an escape, an exponent, an off-grid value, more than 18
   * digits — it returns false having consumed nothing, and the caller reads the array token by
   * token, with Jackson's errors and the exact decimal rules.
   *
   * <p>Why read them here: the level arrays are nearly all of a depth frame; decoding a real
   * 68-level frame token by token took 5.5 µs on the reference machine, more than the whole
   * decode-and-apply budget, and 2-3 µs with its arrays read here (RealDepthBenchmark).
   */
  boolean readPlainLevels(Scale price, Scale quantity, LevelArray out) {
    byte[] in = _inputBuffer;
    int end = _inputEnd;
    int at = _inputPtr;
    out.clear();
    while (at < end && in[at] != ']') {
      if (at + 1 >= end || in[at] != '[' || in[at + 1] != '"') {
        return rejected(out);
      }
      long p = plainDecimal(in, at + 2, end, price);
      at = scanned;
      if (p == Scale.INVALID || at + 1 >= end || in[at] != ',' || in[at + 1] != '"') {
        return rejected(out);
      }
      long q = plainDecimal(in, at + 2, end, quantity);
      at = scanned;
      if (q == Scale.INVALID || at >= end || in[at] != ']') {
        return rejected(out);
      }
      out.add(p, q);
      at++;
      if (at < end && in[at] == ',') {
        at++;
        if (at < end && in[at] == ']') {
          return rejected(out); // a trailing comma: let Jackson reject it
        }
      } else if (at >= end || in[at] != ']') {
        return rejected(out);
      }
    }
    if (at >= end) {
      return rejected(out);
    }
    _inputPtr = at;
    return true;
  }

  private static boolean rejected(LevelArray out) {
    out.clear();
    return false;
  }

  // where plainDecimal stopped: just past the closing quote
  private int scanned;

  /** Digits with at most one '.', up to a closing quote, at {@code scale}; else INVALID. */
  private long plainDecimal(byte[] in, int at, int end, Scale scale) {
    long unscaled = 0;
    int digits = 0;
    int fraction = -1;
    for (; at < end; at++) {
      int b = in[at];
      if (b >= '0' && b <= '9') {
        unscaled = unscaled * 10 + (b - '0');
        digits++;
        if (fraction >= 0) {
          fraction++;
        }
      } else if (b == '.' && fraction < 0) {
        fraction = 0;
      } else {
        break;
      }
    }
    // 18 digits always fit a long; a longer number takes the exact path
    if (at >= end || in[at] != '"' || digits == 0 || digits > 18) {
      return Scale.INVALID;
    }
    scanned = at + 1;
    return scale.countOf(unscaled, fraction < 0 ? 0 : fraction);
  }

  /** Builds {@link FrameJsonParser}s with the factory's own symbol table and buffer recycling. */
  private static final class Factory extends JsonFactory {
    private static final long serialVersionUID = 1L;

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext context) {
      return new FrameJsonParser(
          context,
          _parserFeatures,
          _byteSymbolCanonicalizer.makeChild(_factoryFeatures),
          data,
          offset,
          offset + len);
    }
  }
}
