package io.phoenix.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Minimal JSON writer for the simulator's responses and events. Commas are inserted from the
 * previous character, so call sites read like the JSON they produce; Binance's decimals are written
 * as strings by the caller.
 */
final class Json {
  private final StringBuilder sb;

  Json() {
    this(new StringBuilder(256));
  }

  Json(StringBuilder sb) {
    this.sb = sb;
  }

  private void sep() {
    int n = sb.length();
    if (n == 0) {
      return;
    }
    char c = sb.charAt(n - 1);
    if (c != '{' && c != '[' && c != ':') {
      sb.append(',');
    }
  }

  Json obj() {
    sep();
    sb.append('{');
    return this;
  }

  Json obj(String key) {
    key(key);
    sb.append('{');
    return this;
  }

  Json end() {
    sb.append('}');
    return this;
  }

  Json arr() {
    sep();
    sb.append('[');
    return this;
  }

  Json arr(String key) {
    key(key);
    sb.append('[');
    return this;
  }

  Json endArr() {
    sb.append(']');
    return this;
  }

  Json key(String key) {
    sep();
    quoteTo(sb, key);
    sb.append(':');
    return this;
  }

  Json str(String key, String value) {
    key(key);
    if (value == null) {
      sb.append("null");
    } else {
      quoteTo(sb, value);
    }
    return this;
  }

  Json str(String value) {
    sep();
    quoteTo(sb, value);
    return this;
  }

  Json num(String key, long value) {
    key(key);
    sb.append(value);
    return this;
  }

  Json num(long value) {
    sep();
    sb.append(value);
    return this;
  }

  Json bool(String key, boolean value) {
    key(key);
    sb.append(value);
    return this;
  }

  Json raw(String key, String json) {
    key(key);
    sb.append(json);
    return this;
  }

  Json raw(String json) {
    sep();
    sb.append(json);
    return this;
  }

  StringBuilder builder() {
    return sb;
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quoteTo(b, s);
    return b.toString();
  }

  static void quoteTo(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** A money amount as Binance writes it: plain decimal text with {@code scale} decimals. */
  static String dec(double value, int scale) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      value = 0;
    }
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
