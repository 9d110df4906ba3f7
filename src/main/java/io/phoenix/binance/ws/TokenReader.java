package io.phoenix.binance.ws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.phoenix.core.Scale;
import java.io.IOException;

/**
 * Token-level helpers shared by the stream and snapshot decoders. A decoding failure unwinds with a
 * preallocated, stackless {@link Failure}, so a bad frame costs no allocation either.
 */
abstract class TokenReader {
  /** Carries the reason for a dropped frame out of nested parsing; never escapes a decoder. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Failure[] BY_ERROR = new Failure[DecodeError.values().length];

    static {
      for (DecodeError error : DecodeError.values()) {
        BY_ERROR[error.ordinal()] = new Failure(error);
      }
    }

    final transient DecodeError error;

    private Failure(DecodeError error) {
      super(error.name(), null, false, false);
      this.error = error;
    }

    static Failure of(DecodeError error) {
      return BY_ERROR[error.ordinal()];
    }
  }

  protected JsonParser parser;

  /** The next token; an end of input inside the value means the frame was truncated. */
  protected final JsonToken next() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null || token == JsonToken.NOT_AVAILABLE) {
      throw Failure.of(DecodeError.MALFORMED_JSON);
    }
    return token;
  }

  protected static Failure fail(DecodeError error) {
    return Failure.of(error);
  }

  protected final void expect(JsonToken actual, JsonToken wanted) {
    if (actual != wanted) {
      throw fail(DecodeError.WRONG_TYPE);
    }
  }

  /** The current token as a long; it must be a JSON integer that fits. */
  protected final long longValue(JsonToken token) throws IOException {
    expect(token, JsonToken.VALUE_NUMBER_INT);
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw fail(DecodeError.NUMBER_OUT_OF_RANGE);
    }
    return parser.getLongValue();
  }

  protected final boolean booleanValue(JsonToken token) {
    if (token == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw fail(DecodeError.WRONG_TYPE);
  }

  /** The current string token read at {@code scale}: a non-negative exact count, else OFF_GRID. */
  protected final long countValue(JsonToken token, Scale scale) throws IOException {
    long count = countOrInvalid(token, scale);
    if (count == Scale.INVALID || count < 0) {
      throw fail(DecodeError.OFF_GRID);
    }
    return count;
  }

  /**
   * Like {@link #countValue} but an off-grid value yields {@link Scale#INVALID} instead of failing.
   */
  protected final long countOrInvalid(JsonToken token, Scale scale) throws IOException {
    expect(token, JsonToken.VALUE_STRING);
    // read in place from the parser's buffer: no String, no CharSequence view
    int offset = parser.getTextOffset();
    return scale.parse(parser.getTextCharacters(), offset, offset + parser.getTextLength());
  }

  /** True when the current string token equals {@code expected}, compared in place. */
  protected final boolean textEquals(char[] expected) throws IOException {
    if (parser.getTextLength() != expected.length) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < expected.length; i++) {
      if (chars[offset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads {@code [[price, qty], ...]} into {@code out}, prices at {@code price}, qty at {@code
   * qty}.
   */
  protected final void levels(JsonToken token, Scale price, Scale qty, LevelArray out)
      throws IOException {
    expect(token, JsonToken.START_ARRAY);
    out.clear();
    JsonToken t;
    while ((t = next()) != JsonToken.END_ARRAY) {
      expect(t, JsonToken.START_ARRAY);
      long p = countValue(next(), price);
      long q = countValue(next(), qty);
      expect(next(), JsonToken.END_ARRAY);
      out.add(p, q);
    }
  }

  /** Skips the value whose first token is {@code token}, object and array included. */
  protected final void skip(JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken t = next();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        depth--;
      }
    }
  }
}
