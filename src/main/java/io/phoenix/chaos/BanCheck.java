package io.phoenix.chaos;

import java.util.Locale;

/**
 * Bans (HTTP 418) only when a forced 429 storm asked for one: the venue's count of bans imposed
 * must equal the bans the schedule asked for. The node's own 429s are reported beside it.
 */
public final class BanCheck {
  private BanCheck() {}

  /**
   * @param bans bans the venue imposed over the run (every incarnation)
   * @param refused418 requests it answered 418
   * @param refused429 requests it answered 429, {@code forced} of them by the schedule
   * @param asked bans the schedule asked for
   */
  public static Verdict verdict(
      long bans, long refused418, long refused429, long forced, long asked) {
    String value = String.format(Locale.ROOT, "%d bans, %d x 418", bans, refused418);
    String detail =
        String.format(
            Locale.ROOT,
            "429s: %d (%d forced, %d from the node's own traffic)",
            refused429,
            forced,
            refused429 - forced);
    return new Verdict(
        "IP bans (418) not asked for", value, asked + " bans", bans == asked, detail);
  }
}
