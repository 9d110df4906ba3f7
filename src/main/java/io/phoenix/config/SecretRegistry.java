package io.phoenix.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Process-wide list of secret values known to be sensitive, consulted by the log guard ({@code
 * io.phoenix.ops.SecretGuardFilter}) to mask them should one ever reach a log call. Values shorter
 * than four characters are ignored: masking them would garble ordinary text.
 */
public final class SecretRegistry {
  private static final int MIN_LENGTH = 4;
  private static final CopyOnWriteArrayList<String> VALUES = new CopyOnWriteArrayList<>();

  private SecretRegistry() {}

  public static void register(String value) {
    if (value != null && value.length() >= MIN_LENGTH) {
      VALUES.addIfAbsent(value);
    }
  }

  public static List<String> values() {
    return VALUES;
  }

  /** True when {@code text} contains any registered secret. */
  public static boolean containsSecret(String text) {
    if (text == null || VALUES.isEmpty()) {
      return false;
    }
    for (String v : VALUES) {
      if (text.contains(v)) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} with every registered secret replaced by {@code ***}. */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String v : VALUES) {
      if (out.contains(v)) {
        out = out.replace(v, "***");
      }
    }
    return out;
  }
}
