package io.phoenix.core;

/**
 * Fixed-point conversion between Binance's decimal strings and {@code long} counts of an increment
 * (a tick for prices, a step for quantities). This is the only place where decimals exist: the hot
 * path carries counts, and text is produced only when a request is encoded.
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

  /** {@code MAX_BEFORE_SCALING[k]}: the largest value that can be multiplied by 10^k. */
  private static final long[] MAX_BEFORE_SCALING = new long[19];

  // value * 10 + digit overflows iff value > MAX_BEFORE_DIGIT, or value == it and digit >
  // MAX_LAST_DIGIT
  private static final long MAX_BEFORE_DIGIT = Long.MAX_VALUE / 10;
  private static final int MAX_LAST_DIGIT = (int) (Long.MAX_VALUE % 10);

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
    for (int i = 0; i < POW10.length; i++) {
      MAX_BEFORE_SCALING[i] = Long.MAX_VALUE / POW10[i];
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
      if (++i == to) {
        return INVALID;
      }
    }
    long value = 0;
    boolean anyDigit = false;
    for (; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
        return INVALID;
      }
      value = value * 10 + digit;
      anyDigit = true;
    }
    int fractionDigits = 0;
    if (i < to) {
      if (text.charAt(i) != '.') {
        return INVALID;
      }
      for (i++; i < to; i++) {
        int digit = text.charAt(i) - '0';
        if (digit < 0 || digit > 9) {
          return INVALID;
        }
        anyDigit = true;
        if (fractionDigits == decimals) {
          // digits beyond our precision are only acceptable as trailing zeros
          if (digit != 0) {
            return INVALID;
          }
          continue;
        }
        fractionDigits++;
        if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
          return INVALID;
        }
        value = value * 10 + digit;
      }
    }
    return anyDigit ? count(value, fractionDigits, negative) : INVALID;
  }

  /**
   * Parses {@code text[from, to)} of a {@code char[]} (a JSON parser's text buffer);
   * allocation-free and without the interface call per character that the {@link CharSequence}
   * overload pays once that call site has seen several implementations. Same rules as {@link
   * #parse(CharSequence, int, int)}.
   */
  public long parse(char[] text, int from, int to) {
    if (from >= to) {
      return INVALID;
    }
    int i = from;
    boolean negative = false;
    char first = text[i];
    if (first == '-' || first == '+') {
      negative = first == '-';
      if (++i == to) {
        return INVALID;
      }
    }
    long value = 0;
    boolean anyDigit = false;
    for (; i < to; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
        return INVALID;
      }
      value = value * 10 + digit;
      anyDigit = true;
    }
    int fractionDigits = 0;
    if (i < to) {
      if (text[i] != '.') {
        return INVALID;
      }
      for (i++; i < to; i++) {
        int digit = text[i] - '0';
        if (digit < 0 || digit > 9) {
          return INVALID;
        }
        anyDigit = true;
        if (fractionDigits == decimals) {
          if (digit != 0) {
            return INVALID;
          }
          continue;
        }
        fractionDigits++;
        if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
          return INVALID;
        }
        value = value * 10 + digit;
      }
    }
    return anyDigit ? count(value, fractionDigits, negative) : INVALID;
  }

  /** Parses bytes (ASCII) {@code buf[from, to)}; allocation-free, for frames read as bytes. */
  public long parse(byte[] buf, int from, int to) {
    if (from >= to) {
      return INVALID;
    }
    int i = from;
    boolean negative = false;
    byte first = buf[i];
    if (first == '-' || first == '+') {
      negative = first == '-';
      if (++i == to) {
        return INVALID;
      }
    }
    long value = 0;
    boolean anyDigit = false;
    for (; i < to; i++) {
      int digit = buf[i] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
        return INVALID;
      }
      value = value * 10 + digit;
      anyDigit = true;
    }
    int fractionDigits = 0;
    if (i < to) {
      if (buf[i] != '.') {
        return INVALID;
      }
      for (i++; i < to; i++) {
        int digit = buf[i] - '0';
        if (digit < 0 || digit > 9) {
          return INVALID;
        }
        anyDigit = true;
        if (fractionDigits == decimals) {
          if (digit != 0) {
            return INVALID;
          }
          continue;
        }
        fractionDigits++;
        if (value >= MAX_BEFORE_DIGIT && (value > MAX_BEFORE_DIGIT || digit > MAX_LAST_DIGIT)) {
          return INVALID;
        }
        value = value * 10 + digit;
      }
    }
    return anyDigit ? count(value, fractionDigits, negative) : INVALID;
  }

  /**
   * The count of increments in {@code unscaled × 10^-fractionDigits}, or {@link #INVALID} when that
   * is between increments, does not fit, or carries more fraction digits than this scale writes
   * (the text parsers accept those when they are trailing zeros; this is for callers that scanned
   * the digits themselves and can fall back to them).
   */
  public long countOf(long unscaled, int fractionDigits) {
    if (unscaled < 0 || fractionDigits < 0 || fractionDigits > decimals) {
      return INVALID;
    }
    return count(unscaled, fractionDigits, false);
  }

  /**
   * Digits read so far ({@code value} at {@code fractionDigits} decimals) as a count, or INVALID.
   */
  private long count(long value, int fractionDigits, boolean negative) {
    int missing = decimals - fractionDigits;
    if (missing > 0) {
      if (value > MAX_BEFORE_SCALING[missing]) {
        return INVALID;
      }
      value *= POW10[missing];
    }
    long count;
    if (incrementMantissa == 1) {
      count = value; // "0.01", "0.001", "1": the common increments need no division
    } else {
      count = value / incrementMantissa;
      if (count * incrementMantissa != value) {
        return INVALID;
      }
    }
    return negative ? -count : count;
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
}
