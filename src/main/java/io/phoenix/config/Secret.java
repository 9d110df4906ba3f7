package io.phoenix.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A credential (API secret, ops bearer token) whose {@code toString()} is {@code ***}, so it can be
 * passed through settings records, log statements and exception messages without leaking. Creating
 * a non-empty Secret registers its value with {@link SecretRegistry}, which the logging guard uses
 * as a second line of defence against code that unwraps it by mistake.
 */
public final class Secret {
  private static final Secret EMPTY = new Secret("");
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      return EMPTY;
    }
    SecretRegistry.register(value);
    return new Secret(value);
  }

  public static Secret empty() {
    return EMPTY;
  }

  /** The raw value: call only where it leaves the process (signing, header comparison). */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /**
   * Constant-time comparison: both sides are hashed first so that neither content nor length leaks
   * through timing.
   */
  public boolean matches(String candidate) {
    if (value.isEmpty() || candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(value), sha256(candidate));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JRE", e);
    }
  }

  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.length();
  }
}
