package io.phoenix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  void refusesNonPositiveIncrement() {
    assertThrows(IllegalArgumentException.class, () -> Scale.of("0"));
    assertThrows(IllegalArgumentException.class, () -> Scale.of("abc"));
  }
}
