package io.phoenix.sim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthTest {
  static final String SECRET = "Zq7Xv3demoSecretNotReal0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0";
  static final String MESSAGE =
      "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.250&price=3412.57"
          + "&newClientOrderId=mm-eth-a-000187&recvWindow=3000&timestamp=1767225600123";
  final Auth auth = new Auth(Map.of("k", SECRET));

  @Test
  void signsLikeTheReferenceExample() {
    assertEquals(
        "78984f060432a22ffd99b1c3c9b1c644cf5e7bf3d3db115177bafa116a9ddf53",
        Auth.hmacHex(SECRET, MESSAGE));
  }

  @Test
  void signedTextIsQueryThenBodyWithoutTheSignaturePair() {
    assertEquals("a=1&b=2", Auth.withoutSignature("a=1&b=2&signature=ff", ""));
    assertEquals("a=1b=2", Auth.withoutSignature("a=1", "b=2&signature=ff"));
    assertEquals("a=1&b=2", Auth.withoutSignature("signature=ff&a=1&b=2", null));
  }

  @Test
  void acceptsInsideRecvWindowAndRejectsOutside() {
    Params p = Params.of(MESSAGE, "");
    String sig = Auth.hmacHex(SECRET, MESSAGE);
    assertDoesNotThrow(
        () -> auth.verify("k", MESSAGE, sig.toUpperCase(), p, 1767225600123L + 3000));
    assertEquals(
        -1021,
        assertThrows(
                Rejection.class, () -> auth.verify("k", MESSAGE, sig, p, 1767225600123L + 3001))
            .code);
    assertEquals(
        -1021,
        assertThrows(
                Rejection.class, () -> auth.verify("k", MESSAGE, sig, p, 1767225600123L - 1000))
            .code);
    assertDoesNotThrow(() -> auth.verify("k", MESSAGE, sig, p, 1767225600123L - 999));
    assertEquals(
        -1022,
        assertThrows(Rejection.class, () -> auth.verify("k", MESSAGE, "00", p, 1767225600123L))
            .code);
    Rejection unknown =
        assertThrows(Rejection.class, () -> auth.verify("nobody", MESSAGE, sig, p, 1767225600123L));
    assertEquals(-2015, unknown.code);
    assertEquals(401, unknown.status);
  }
}
