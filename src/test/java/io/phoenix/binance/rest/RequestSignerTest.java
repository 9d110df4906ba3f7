package io.phoenix.binance.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RequestSignerTest {
  // reference §2.2: message and signature were computed independently of this code
  private static final String DOC_SECRET =
      "Zq7Xv3demoSecretNotReal0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0";
  private static final String DOC_MESSAGE =
      "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.250"
          + "&price=3412.57&newClientOrderId=mm-eth-a-000187&recvWindow=3000&timestamp=1767225600123";
  private static final String DOC_SIGNATURE =
      "78984f060432a22ffd99b1c3c9b1c644cf5e7bf3d3db115177bafa116a9ddf53";

  // printf '%s' "$MSG" | openssl dgst -sha256 -hmac
  // 'phoenix-local-secret-do-not-use-on-a-real-venue'
  private static final String LOCAL_SECRET = "phoenix-local-secret-do-not-use-on-a-real-venue";
  private static final String LOCAL_MESSAGE =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.002"
          + "&price=60000.10&newClientOrderId=phx-1-000001&recvWindow=5000&timestamp=1767225600000";
  private static final String LOCAL_SIGNATURE =
      "7b0930126552ea1cedb29b55d7e1f3a60ba9c06e3fcc875000ced46387bb12a1";

  // query "symbol=ETHUSDT&origClientOrderId=mm-1" immediately followed by body "timestamp=...": no
  // '&' between
  private static final String CONCATENATED =
      "symbol=ETHUSDT&origClientOrderId=mm-1timestamp=1700000000000&recvWindow=5000";
  private static final String CONCATENATED_SIGNATURE =
      "853dd4934e526793ce7ad6e7b416fa0f3109ce10358caafd482b8e625145d2e2";

  @Test
  void matchesTheReferenceComposedExample() {
    assertEquals(DOC_SIGNATURE, new RequestSigner(DOC_SECRET).sign(DOC_MESSAGE));
  }

  @Test
  void matchesOpensslForTheLocalKey() {
    assertEquals(LOCAL_SIGNATURE, new RequestSigner(LOCAL_SECRET).sign(LOCAL_MESSAGE));
  }

  @Test
  void signsQueryAndBodyConcatenatedWithoutSeparator() {
    assertEquals(CONCATENATED_SIGNATURE, new RequestSigner(LOCAL_SECRET).sign(CONCATENATED));
  }

  @Test
  void reusedMacGivesTheSameAnswerEveryTimeAndSliceSigningMatches() {
    RequestSigner signer = new RequestSigner(DOC_SECRET);
    for (int i = 0; i < 3; i++) {
      assertEquals(DOC_SIGNATURE, signer.sign(DOC_MESSAGE));
    }
    byte[] padded = ("xx" + DOC_MESSAGE + "yy").getBytes(StandardCharsets.US_ASCII);
    assertEquals(DOC_SIGNATURE, signer.sign(padded, 2, DOC_MESSAGE.length()));
  }

  @Test
  void isSafeAcrossThreads() {
    RequestSigner signer = new RequestSigner(DOC_SECRET);
    var seen = ConcurrentHashMap.<String>newKeySet();
    IntStream.range(0, 2000).parallel().forEach(i -> seen.add(signer.sign(DOC_MESSAGE)));
    assertEquals(java.util.Set.of(DOC_SIGNATURE), seen);
  }

  @Test
  void neverShowsTheSecret() {
    assertFalse(new RequestSigner(DOC_SECRET).toString().contains(DOC_SECRET));
  }

  @Test
  void rejectsAnEmptySecret() {
    assertThrows(IllegalArgumentException.class, () -> new RequestSigner(""));
  }
}
