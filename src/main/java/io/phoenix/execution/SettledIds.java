package io.phoenix.execution;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Client ids of orders settled recently, the oldest forgotten first once {@code capacity} is
 * reached: a report arriving after an order settled is then recognised as late, not as a report of
 * a foreign or orphaned order, and a new order reusing the id is refused as a duplicate.
 */
final class SettledIds {
  // insertion order = age
  private final LinkedHashSet<String> ids = new LinkedHashSet<>();
  private final int capacity;

  SettledIds(int capacity) {
    this.capacity = capacity;
  }

  void add(String clientOrderId) {
    ids.add(clientOrderId);
    if (ids.size() > capacity) {
      Iterator<String> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  boolean contains(String clientOrderId) {
    return ids.contains(clientOrderId);
  }

  /** The exchange lists the order open after all (adopted on recovery): it is not settled. */
  void remove(String clientOrderId) {
    ids.remove(clientOrderId);
  }

  void validateInvariants() {
    if (ids.size() > capacity) {
      throw new IllegalStateException(
          ids.size() + " settled ids remembered, more than " + capacity);
    }
  }
}
