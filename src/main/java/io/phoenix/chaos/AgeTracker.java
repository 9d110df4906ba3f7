package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ages of orders in a bad state (an orphan, a phantom) seen in consecutive samples: an order is
 * counted once, when it has been in the state longer than the limit; leaving the state forgets it.
 */
final class AgeTracker {
  private static final int EXAMPLES = 5;
  private final long maxAgeMillis;
  private final Map<String, Long> firstSeen = new HashMap<>();
  private final Set<String> flagged = new HashSet<>();
  private final List<String> examples = new ArrayList<>();
  private long oldestMillis;

  AgeTracker(long maxAgeMillis) {
    this.maxAgeMillis = maxAgeMillis;
  }

  /**
   * The orders in the bad state at {@code atMillis}, id to symbol; every other one is forgotten.
   */
  void seen(long atMillis, Map<String, String> current) {
    firstSeen.keySet().retainAll(current.keySet());
    current.forEach(
        (id, symbol) -> {
          long since = firstSeen.computeIfAbsent(id, k -> atMillis);
          long age = atMillis - since;
          oldestMillis = Math.max(oldestMillis, age);
          if (age > maxAgeMillis && flagged.add(id) && examples.size() < EXAMPLES) {
            examples.add(
                String.format(Locale.ROOT, "%s (%s) since %.1fs", id, symbol, since / 1000.0));
          }
        });
  }

  /** Orders that stayed in the state longer than the limit. */
  int count() {
    return flagged.size();
  }

  long oldestMillis() {
    return oldestMillis;
  }

  Verdict verdict(String name) {
    String value = String.format(Locale.ROOT, "%d (oldest %.1fs)", count(), oldestMillis / 1000.0);
    String limit = String.format(Locale.ROOT, "0 older than %.0fs", maxAgeMillis / 1000.0);
    return new Verdict(name, value, limit, count() == 0, String.join(", ", examples));
  }
}
