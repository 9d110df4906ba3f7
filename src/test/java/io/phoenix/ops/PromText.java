package io.phoenix.ops;

/** Reads one sample from Prometheus text exposition. */
final class PromText {
  private PromText() {}

  /** The value of the exact series (name plus label block), or NaN when absent. */
  static double value(String body, String series) {
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }
}
