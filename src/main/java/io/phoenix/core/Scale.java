package io.phoenix.core;

/**
 * Fixed-point conversion between Binance's decimal strings and {@code long} counts of an increment
 * (a tick for prices, a step for quantities). This is the only place where decimals exist: the
 * hot path carries counts, and text is produced only when a request is encoded.
 *
 * <p>An increment such as {@code "0.10"} is held as a mantissa (10) and a number of decimals (2).
 * Parsing reads the decimal digits straight into a {@code long} at that many decimals and divides
 * by the mantissa; a value between increments or that does not fit is reported as {@link #INVALID}
 * rather than silently rounded, because a mis-rounded price is worse than a dropped frame.
 */
public final class Scale {
  /** Sentinel returned by the parse methods for text that is not an exact, representable count. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final String increment;
  private final long incrementMantissa;
  private final int decimals;

  private Scale(String increment, long incrementMantissa, int decimals) {
    this.increment = increment;
    this.incrementMantissa = incrementMantissa;
    this.decimals = decimals;
  }

  /**
   * A scale whose unit is {@code increment} (for example {@code "0.10"} or {@code "0.001"}).
   *
   * @throws IllegalArgumentException if the increment is not a positive decimal
   */
  public static Scale of(String increment) {
    // trailing zeros are kept: "0.10" means prices are written with two decimals, as Binance does
    String text = increment.trim();
    int dot = text.indexOf('.');
    int decimals = dot < 0 ? 0 : text.length() - dot - 1;
    if (decimals > 18) {
      throw new IllegalArgumentException("increment has too many decimals: " + increment);
    }
    long mantissa;
    try {
      mantissa = Long.parseLong(dot < 0 ? text : text.substring(0, dot) + text.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("increment is not a decimal: " + increment, e);
    }
    if (mantissa <= 0) {
      throw new IllegalArgumentException("increment must be positive: " + increment);
    }
    return new Scale(increment, mantissa, decimals);
  }

  /** The increment as given, for exchangeInfo output. */
  public String increment() {
    return increment;
  }

  /** Number of decimals the formatted text carries. */
  public int decimals() {
    return decimals;
  }

  /** Parses decimal text into a count of increments, or {@link #INVALID}. */
  public long parse(CharSequence text) {
    return parse(text, 0, text.length());
  }

  /** Parses {@code text[from, to)}; allocation-free. */
  public long parse(CharSequence text, int from, int to) {
    if (from >= to) {
      return INVALID;
    }
    int i = from;
    boolean negative = false;
    char first = text.charAt(i);
    if (first == '-' || first == '+') {
      negative = first == '-';
      i++;
      if (i == to) {
        return INVALID;
      }
    }
    long value = 0;
    int fractionDigits = -1;
    boolean anyDigit = false;
    for (; i < to; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (fractionDigits >= 0) {
          return INVALID;
        }
        fractionDigits = 0;
        continue;
      }
      if (c < '0' || c > '9') {
        return INVALID;
      }
      anyDigit = true;
      int digit = c - '0';
      if (fractionDigits >= 0) {
        if (fractionDigits == decimals) {
          // digits beyond our precision are only acceptable as trailing zeros
          if (digit != 0) {
            return INVALID;
          }
          continue;
        }
        fractionDigits++;
      }
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return INVALID;
      }
      value = value * 10 + digit;
    }
    if (!anyDigit) {
      return INVALID;
    }
    int missing = decimals - Math.max(fractionDigits, 0);
    if (missing > 0) {
      if (value > Long.MAX_VALUE / POW10[missing]) {
        return INVALID;
      }
      value *= POW10[missing];
    }
    if (value % incrementMantissa != 0) {
      return INVALID;
    }
    long count = value / incrementMantissa;
    return negative ? -count : count;
  }

  /** Parses bytes (ASCII) {@code buf[from, to)}; allocation-free, for frames read as bytes. */
  public long parse(byte[] buf, int from, int to) {
    return parse(new ByteChars(buf), from, to);
  }

  /** Appends the decimal text of {@code count} increments; no intermediate strings. */
  public StringBuilder appendTo(StringBuilder out, long count) {
    long units = Math.multiplyExact(count, incrementMantissa);
    if (units < 0) {
      out.append('-');
      units = -units;
    }
    if (decimals == 0) {
      return out.append(units);
    }
    long whole = units / POW10[decimals];
    long fraction = units % POW10[decimals];
    out.append(whole).append('.');
    for (int d = decimals - 1; d > 0 && fraction < POW10[d]; d--) {
      out.append('0');
    }
    return out.append(fraction);
  }

  /** Decimal text of {@code count} increments (allocates: for the wire boundary only). */
  public String format(long count) {
    return appendTo(new StringBuilder(24), count).toString();
  }

  /** The value as a double, for reports and metrics only, never for order arithmetic. */
  public double toDouble(long count) {
    return (double) count * incrementMantissa / POW10[decimals];
  }

  /** The nearest count to a double value, rounding half away from zero; for config and models. */
  public long fromDouble(double value) {
    return Math.round(value * POW10[decimals] / incrementMantissa);
  }

  @Override
  public String toString() {
    return "Scale(" + increment + ")";
  }

  /** A reusable CharSequence view over ASCII bytes; lets one parser serve both inputs. */
  private record ByteChars(byte[] buf) implements CharSequence {
    @Override
    public int length() {
      return buf.length;
    }

    @Override
    public char charAt(int index) {
      return (char) (buf[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      throw new UnsupportedOperationException();
    }
  }
}
