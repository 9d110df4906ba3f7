package io.phoenix.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * listenKey lifecycle: one active key per account, valid for {@code validityMillis} after creation
 * or the last keep-alive. Plain class, confined to the engine thread.
 */
final class ListenKeys {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private final long validityMillis;
  private final Random random;
  private final Map<String, Entry> byKey = new HashMap<>();
  private final Map<String, String> byAccount = new HashMap<>();

  record Entry(String key, String account, long expiresAt) {}

  ListenKeys(long validityMillis, long seed) {
    this.validityMillis = validityMillis;
    this.random = new Random(seed);
  }

  /** Returns the account's active key (extended) or a new one. */
  String start(String account, long now) {
    String existing = byAccount.get(account);
    if (existing != null) {
      byKey.put(existing, new Entry(existing, account, now + validityMillis));
      return existing;
    }
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    String key = sb.toString();
    byKey.put(key, new Entry(key, account, now + validityMillis));
    byAccount.put(account, key);
    return key;
  }

  /** Extends the account's key (or {@code key} when given); -1125 when there is none. */
  String keepAlive(String account, String keyOrNull, long now) {
    String key = keyOrNull != null ? keyOrNull : byAccount.get(account);
    Entry e = key == null ? null : byKey.get(key);
    if (e == null || !e.account().equals(account)) {
      throw Rejection.bad(-1125, "This listenKey does not exist.");
    }
    byKey.put(key, new Entry(key, account, now + validityMillis));
    return key;
  }

  /** Closes the account's key; returns it or null. */
  String close(String account, String keyOrNull) {
    String key = keyOrNull != null ? keyOrNull : byAccount.get(account);
    Entry e = key == null ? null : byKey.get(key);
    if (e == null || !e.account().equals(account)) {
      return null;
    }
    byKey.remove(key);
    byAccount.remove(account);
    return key;
  }

  /** The account's active key, or null. */
  String keyOf(String account) {
    return byAccount.get(account);
  }

  /** The account of an active key, or null. */
  String account(String key) {
    Entry e = byKey.get(key);
    return e == null ? null : e.account();
  }

  /** Removes and returns every key expired at {@code now}. */
  List<String> expire(long now) {
    List<String> out = new ArrayList<>();
    Iterator<Entry> it = byKey.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.expiresAt() <= now) {
        it.remove();
        byAccount.remove(e.account());
        out.add(e.key());
      }
    }
    return out;
  }

  /** Expires {@code key} immediately; false if unknown. */
  boolean expireNow(String key) {
    Entry e = byKey.remove(key);
    if (e == null) {
      return false;
    }
    byAccount.remove(e.account());
    return true;
  }
}
