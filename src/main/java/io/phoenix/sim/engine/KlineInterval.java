package io.phoenix.sim.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Binance's kline intervals and where each one opens: minutes to days count from the epoch, weeks
 * start on Monday 00:00 UTC and months on the first day of the calendar month.
 */
public enum KlineInterval {
  M1("1m", 60_000L),
  M3("3m", 180_000L),
  M5("5m", 300_000L),
  M15("15m", 900_000L),
  M30("30m", 1_800_000L),
  H1("1h", 3_600_000L),
  H2("2h", 7_200_000L),
  H4("4h", 14_400_000L),
  H6("6h", 21_600_000L),
  H8("8h", 28_800_000L),
  H12("12h", 43_200_000L),
  D1("1d", 86_400_000L),
  D3("3d", 259_200_000L),
  W1("1w", 604_800_000L),
  MONTH("1M", 0);

  /** 1970-01-01 was a Thursday: weeks open 4 days later in the cycle. */
  private static final long MONDAY_OFFSET = 4 * 86_400_000L;

  private final String code;
  private final long millis;

  KlineInterval(String code, long millis) {
    this.code = code;
    this.millis = millis;
  }

  public String code() {
    return code;
  }

  /** The interval with Binance's code ({@code 1m} ... {@code 1M}), or null. */
  public static KlineInterval of(String code) {
    for (KlineInterval i : values()) {
      if (i.code.equals(code)) {
        return i;
      }
    }
    return null;
  }

  /** Open time of the kline that contains {@code time}. */
  public long openTime(long time) {
    if (this == MONTH) {
      ZonedDateTime t = Instant.ofEpochMilli(time).atZone(ZoneOffset.UTC);
      return t.withDayOfMonth(1)
          .toLocalDate()
          .atStartOfDay(ZoneOffset.UTC)
          .toInstant()
          .toEpochMilli();
    }
    if (this == W1) {
      return Math.floorDiv(time - MONDAY_OFFSET, millis) * millis + MONDAY_OFFSET;
    }
    return Math.floorDiv(time, millis) * millis;
  }

  /** Open time of the kline after the one opening at {@code openTime}. */
  public long next(long openTime) {
    if (this == MONTH) {
      return Instant.ofEpochMilli(openTime)
          .atZone(ZoneOffset.UTC)
          .plusMonths(1)
          .toInstant()
          .toEpochMilli();
    }
    return openTime + millis;
  }
}
