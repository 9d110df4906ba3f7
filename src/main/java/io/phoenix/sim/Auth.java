package io.phoenix.sim;

import io.phoenix.config.PublicKeys;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API-key lookup, signature checks and the timestamp/recvWindow rule of Binance (accept iff {@code
 * timestamp < serverTime + 1000} and {@code serverTime - timestamp <= recvWindow}). HMAC keys sign
 * with hex HMAC-SHA256; Ed25519 and RSA keys with a base64 signature (Ed25519, or RSASSA-PKCS1-v1_5
 * with SHA-256). Each API key is its own account; the account name is the key.
 */
final class Auth {
  private final Map<String, String> secrets;
  private final Map<String, PublicKey> publicKeys = new HashMap<>();

  Auth(Map<String, String> secrets) {
    this(secrets, Map.of());
  }

  Auth(Map<String, String> secrets, Map<String, String> publicKeys) {
    this.secrets = Map.copyOf(secrets);
    publicKeys.forEach((k, pem) -> this.publicKeys.put(k, PublicKeys.parse(pem)));
  }

  /** The account of {@code apiKey}, or -2015 / HTTP 401. */
  String account(String apiKey) {
    if (apiKey == null
        || apiKey.isEmpty()
        || !(secrets.containsKey(apiKey) || publicKeys.containsKey(apiKey))) {
      throw new Rejection(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    return apiKey;
  }

  /** True for an Ed25519 or RSA key (the only ones a WebSocket API session may log on with). */
  boolean asymmetric(String apiKey) {
    return publicKeys.containsKey(apiKey);
  }

  /**
   * Verifies a signed request. {@code payload} is exactly what was signed (REST: raw query string
   * followed by the raw body with the {@code signature} pair removed; WS API: sorted params).
   */
  void verify(String apiKey, String payload, String signature, Params params, long serverTime) {
    account(apiKey);
    long timestamp = timestamp(params);
    if (signature == null || signature.isEmpty()) {
      throw Rejection.mandatory("signature");
    }
    if (!signatureValid(apiKey, payload, signature)) {
      throw Rejection.bad(-1022, "Signature for this request is not valid.");
    }
    checkWindow(timestamp, params, serverTime);
  }

  /**
   * The timestamp and recvWindow check alone (requests inside a logged-on WebSocket API session).
   */
  void checkTime(Params params, long serverTime) {
    checkWindow(timestamp(params), params, serverTime);
  }

  private static long timestamp(Params params) {
    String ts = params.opt("timestamp");
    if (ts == null) {
      throw Rejection.mandatory("timestamp");
    }
    try {
      return Long.parseLong(ts);
    } catch (NumberFormatException e) {
      throw Rejection.mandatory("timestamp");
    }
  }

  private static void checkWindow(long timestamp, Params params, long serverTime) {
    long recvWindow = params.optLong("recvWindow", 5000);
    if (recvWindow <= 0 || recvWindow > 60000) {
      throw Rejection.bad(-1130, "Data sent for parameter 'recvWindow' is not valid.");
    }
    if (timestamp >= serverTime + 1000) {
      throw Rejection.bad(
          -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    }
    if (serverTime - timestamp > recvWindow) {
      throw Rejection.bad(-1021, "Timestamp for this request is outside of the recvWindow.");
    }
  }

  private boolean signatureValid(String apiKey, String payload, String signature) {
    PublicKey key = publicKeys.get(apiKey);
    if (key == null) {
      return MessageDigest.isEqual(
          hmacHex(secrets.get(apiKey), payload).getBytes(StandardCharsets.US_ASCII),
          signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
    try {
      Signature verifier =
          Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519");
      verifier.initVerify(key);
      verifier.update(payload.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  static String hmacHex(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Removes the {@code signature=...} pair from the signed text: Binance signs everything that
   * precedes it, with the query string and the body concatenated without a separator.
   */
  static String withoutSignature(String query, String body) {
    return strip(query == null ? "" : query) + strip(body == null ? "" : body);
  }

  private static String strip(String s) {
    int i = s.indexOf("signature=");
    while (i > 0 && s.charAt(i - 1) != '&') {
      i = s.indexOf("signature=", i + 1);
    }
    if (i < 0) {
      return s;
    }
    int end = s.indexOf('&', i);
    String before = s.substring(0, i > 0 ? i - 1 : 0);
    String after = end < 0 ? "" : s.substring(end + 1);
    if (before.isEmpty()) {
      return after;
    }
    return after.isEmpty() ? before : before + "&" + after;
  }
}
