package io.phoenix.chaos;

import java.util.Locale;

/**
 * One planned fault: {@code type} from {@code startMillis} to {@code endMillis} after the run's
 * start (equal for an instant).
 *
 * @param target the symbol a quoter crash or a depth-gap storm hits; empty otherwise
 * @param magnitude requests affected (unknown-orders, server-errors, rate-limited), milliseconds
 *     (delay, signed for clock-skew, gap interval for depth-gap); 0 otherwise
 */
public record FaultWindow(
    int index, FaultType type, long startMillis, long endMillis, String target, long magnitude) {

  public FaultWindow {
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException(
          "window " + index + ": bad times " + startMillis + ".." + endMillis);
    }
  }

  public long durationMillis() {
    return endMillis - startMillis;
  }

  /** One line for logs and the report, e.g. {@code #3 delay 41.2s+3.1s 800}. */
  public String describe() {
    StringBuilder b = new StringBuilder(48);
    b.append('#')
        .append(index)
        .append(' ')
        .append(type.configName())
        .append(' ')
        .append(String.format(Locale.ROOT, "%.1fs", startMillis / 1000.0));
    if (!type.instant()) {
      b.append(String.format(Locale.ROOT, "+%.1fs", durationMillis() / 1000.0));
    }
    if (!target.isEmpty()) {
      b.append(' ').append(target);
    }
    if (magnitude != 0) {
      b.append(' ').append(magnitude);
    }
    return b.toString();
  }
}
