package io.phoenix.binance.rest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signer for SIGNED Binance requests: lowercase hex over the exact bytes sent (query
 * string immediately followed by the body, no separator).
 *
 * <p>{@link Mac} is not thread-safe and {@code Mac.getInstance} is slow, so each thread keeps its
 * own initialised instance; the key never leaves this object and {@link #toString()} does not show
 * it.
 */
public final class RequestSigner {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final ThreadLocal<Mac> macs;

  /**
   * @param secret the API secret; used as UTF-8 key bytes (Binance secrets are ASCII)
   * @throws IllegalArgumentException if the secret is empty
   */
  public RequestSigner(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("API secret must not be empty");
    }
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    // fail at construction rather than on the first order
    newMac(key);
    this.macs = ThreadLocal.withInitial(() -> newMac(key));
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Signature of {@code totalParams} (query + body as sent), as 64 lowercase hex characters. */
  public String sign(String totalParams) {
    return sign(totalParams.getBytes(StandardCharsets.UTF_8));
  }

  /** Signature of the given bytes. */
  public String sign(byte[] message) {
    return sign(message, 0, message.length);
  }

  /** Signature of {@code message[offset, offset+length)}. */
  public String sign(byte[] message, int offset, int length) {
    byte[] out = new byte[64];
    signInto(message, offset, length, out, 0);
    return new String(out, StandardCharsets.US_ASCII);
  }

  /**
   * Writes the 64 hex characters into {@code out[outOffset..]}; lets a caller that assembles the
   * request in a byte buffer append the signature without intermediate strings.
   */
  public void signInto(byte[] message, int offset, int length, byte[] out, int outOffset) {
    Mac mac = macs.get();
    mac.update(message, offset, length);
    byte[] digest = mac.doFinal();
    for (int i = 0; i < digest.length; i++) {
      int b = digest[i] & 0xff;
      out[outOffset + 2 * i] = HEX[b >>> 4];
      out[outOffset + 2 * i + 1] = HEX[b & 0x0f];
    }
  }

  @Override
  public String toString() {
    return "RequestSigner[HmacSHA256, key=***]";
  }
}
