package io.phoenix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScaleTest {

  @Test
  void parsesPricesIntoTickCounts() {
    Scale tick = Scale.of("0.10");
    assertEquals(34101, tick.parse("3410.1"));
    assertEquals(34101, tick.parse("3410.10"));
    assertEquals(34101, tick.parse("3410.100000"));
    assertEquals(0, tick.parse("0"));
    assertEquals(-5, tick.parse("-0.5"));
  }

  @Test
  void rejectsValuesBetweenTicks() {
    Scale tick = Scale.of("0.10");
    assertEquals(Scale.INVALID, tick.parse("3410.11"));
    assertEquals(Scale.INVALID, Scale.of("0.5").parse("1.2"));
    assertEquals(2, Scale.of("0.5").parse("1.0"));
  }

  @Test
  void rejectsMalformedAndOverflowingText() {
    Scale step = Scale.of("0.001");
    assertEquals(Scale.INVALID, step.parse(""));
    assertEquals(Scale.INVALID, step.parse("-"));
    assertEquals(Scale.INVALID, step.parse("."));
    assertEquals(Scale.INVALID, step.parse("1.2.3"));
    assertEquals(Scale.INVALID, step.parse("1e5"));
    assertEquals(Scale.INVALID, step.parse("99999999999999999999999"));
    assertEquals(Scale.INVALID, step.parse("9223372036854775.808"));
  }

  @Test
  void formatsRoundTrip() {
    Scale tick = Scale.of("0.01");
    for (String text : new String[] {"0.01", "3410.12", "0.00", "100000.05", "-1.50"}) {
      assertEquals(text, tick.format(tick.parse(text)));
    }
    assertEquals("3410.10", Scale.of("0.10").format(34101));
    assertEquals("0.250", Scale.of("0.001").format(250));
    assertEquals("12", Scale.of("1").format(12));
    assertEquals("15", Scale.of("5").format(3));
  }

  @Test
  void parsesBytesLikeText() {
    byte[] frame = "[\"3410.12\",\"14.201\"]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(341012, Scale.of("0.01").parse(frame, 2, 9));
    assertEquals(14201, Scale.of("0.001").parse(frame, 12, 18));
  }

  @Test
  void parsesCharArraysInPlace() {
    char[] buffer = "xx3410.12,14.2010,-0.5,7.".toCharArray();
    assertEquals(341012, Scale.of("0.01").parse(buffer, 2, 9));
    assertEquals(14201, Scale.of("0.001").parse(buffer, 10, 17));
    assertEquals(-5, Scale.of("0.10").parse(buffer, 18, 22));
    assertEquals(7, Scale.of("1").parse(buffer, 23, 25));
    assertEquals(Scale.INVALID, Scale.of("0.01").parse(buffer, 2, 2));
    assertEquals(Scale.INVALID, Scale.of("0.01").parse(buffer, 0, 9));
    assertEquals(
        Scale.INVALID, Scale.of("0.10").parse(buffer, 2, 9)); // 3410.12 is between ticks of 0.10
  }

  @Test
  void allOverloadsAgreeWithExactDecimalArithmetic() {
    String[] increments = {
      "0.01", "0.10", "0.001", "1", "5", "0.5", "0.00000001", "0.000000000000000001"
    };
    List<String> texts =
        new ArrayList<>(
            List.of(
                "",
                "-",
                "+",
                ".",
                "-.",
                "5.",
                ".5",
                "+.5",
                "-0",
                "0.000",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775807",
                "922337203685477580.7",
                "922337203685477580.8",
                "92233720368547758.07",
                "92233720368547758.08",
                "1.2.3",
                "1-2",
                "--1",
                "00000000000000000000001.5"));
    Random random = new Random(42);
    String alphabet = "0123456789012345678901234567890123456789.-+x";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(22);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(i == 0 ? alphabet.length() : 41)));
      }
      texts.add(text.toString());
    }
    for (String increment : increments) {
      Scale scale = Scale.of(increment);
      for (String text : texts) {
        long expected = exact(text, new BigDecimal(increment), scale.decimals());
        char[] chars = ("[" + text + "]").toCharArray();
        byte[] bytes = ("[" + text + "]").getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, scale.parse(text), () -> increment + " CharSequence " + text);
        assertEquals(
            expected, scale.parse(chars, 1, chars.length - 1), () -> increment + " char[] " + text);
        assertEquals(
            expected, scale.parse(bytes, 1, bytes.length - 1), () -> increment + " byte[] " + text);
      }
    }
  }

  /**
   * The oracle: the exact count when the text is a decimal that fits at the scale's decimals, else
   * INVALID.
   */
  private static long exact(String text, BigDecimal increment, int decimals) {
    if (!text.matches("[+-]?[0-9]*\\.?[0-9]*") || !text.matches(".*[0-9].*")) {
      return Scale.INVALID;
    }
    BigDecimal units = new BigDecimal(text).movePointRight(decimals);
    BigDecimal mantissa = increment.movePointRight(decimals);
    if (units.signum() != 0 && units.stripTrailingZeros().scale() > 0) {
      return Scale.INVALID;
    }
    if (units.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Scale.INVALID;
    }
    BigDecimal[] division = units.divideAndRemainder(mantissa);
    return division[1].signum() != 0 ? Scale.INVALID : division[0].longValueExact();
  }

  @Test
  void refusesNonPositiveIncrement() {
    assertThrows(IllegalArgumentException.class, () -> Scale.of("0"));
    assertThrows(IllegalArgumentException.class, () -> Scale.of("abc"));
  }

  @Test
  void countOfScannedDigitsAgreesWithParsing() {
    Scale tick = Scale.of("0.10");
    assertEquals(tick.parse("61496.50"), tick.countOf(6149650, 2));
    assertEquals(tick.parse("61496.5"), tick.countOf(614965, 1));
    assertEquals(tick.parse("61496"), tick.countOf(61496, 0));
    assertEquals(Scale.INVALID, tick.countOf(6149655, 2)); // between ticks
    assertEquals(Scale.INVALID, tick.countOf(61496500, 3)); // more decimals than the tick writes
    assertEquals(Scale.INVALID, tick.countOf(-1, 0));
    assertEquals(Scale.INVALID, Scale.of("0.001").countOf(Long.MAX_VALUE / 10, 0)); // overflows
  }
}
