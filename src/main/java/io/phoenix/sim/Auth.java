package io.phoenix.sim;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API-key lookup, HMAC-SHA256 signature check and the timestamp/recvWindow rule of Binance
 * (accept iff {@code timestamp < serverTime + 1000} and {@code serverTime - timestamp <= recvWindow}).
 * Each API key is its own account; the account name is the key itself.
 */
final class Auth {
  private final Map<String, String> secrets;

  Auth(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** The account of {@code apiKey}, or -2015 / HTTP 401. */
  String account(String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      throw new Rejection(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    if (!secrets.containsKey(apiKey)) {
      throw new Rejection(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    return apiKey;
  }

  /**
   * Verifies a signed request. {@code payload} is exactly what was signed (REST: raw query string
   * followed by the raw body with the {@code signature} pair removed; WS API: sorted params).
   */
  void verify(String apiKey, String payload, String signature, Params params, long serverTime) {
    String secret = secrets.get(account(apiKey));
    String ts = params.opt("timestamp");
    if (ts == null) {
      throw Rejection.mandatory("timestamp");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      throw Rejection.mandatory("timestamp");
    }
    long recvWindow = params.optLong("recvWindow", 5000);
    if (recvWindow <= 0 || recvWindow > 60000) {
      throw Rejection.bad(-1130, "Data sent for parameter 'recvWindow' is not valid.");
    }
    if (signature == null || signature.isEmpty()) {
      throw Rejection.mandatory("signature");
    }
    if (!MessageDigest.isEqual(hmacHex(secret, payload).getBytes(StandardCharsets.US_ASCII),
        signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw Rejection.bad(-1022, "Signature for this request is not valid.");
    }
    if (timestamp >= serverTime + 1000) {
      throw Rejection.bad(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    }
    if (serverTime - timestamp > recvWindow) {
      throw Rejection.bad(-1021, "Timestamp for this request is outside of the recvWindow.");
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
