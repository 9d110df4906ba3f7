package io.phoenix.config;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads an Ed25519 or RSA public key given as PEM or bare base64 of its X.509 encoding. */
public final class PublicKeys {
  private PublicKeys() {}

  /** The key, or null when the text is neither an Ed25519 nor an RSA public key. */
  public static PublicKey parse(String text) {
    String b64 =
        text.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (String algorithm : new String[] {"Ed25519", "RSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception notThisOne) {
        // try the next algorithm
      }
    }
    return null;
  }
}
