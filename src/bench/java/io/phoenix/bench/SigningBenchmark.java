package io.phoenix.bench;

import io.phoenix.binance.rest.RequestSigner;
import io.phoenix.binance.rest.RestRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of signing one new-order request (HMAC-SHA256 + hex) and of building its encoded parameter
 * string, the two per-order CPU costs of the REST path before the socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SigningBenchmark {
  private final RequestSigner signer =
      new RequestSigner("phoenix-local-secret-do-not-use-on-a-real-venue");
  private final String message =
      "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.250&price=3412.57"
          + "&newClientOrderId=mm-eth-a-000187&recvWindow=3000&timestamp=1767225600123";
  private final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
  private final byte[] out = new byte[64];

  @Benchmark
  public String signString() {
    return signer.sign(message);
  }

  @Benchmark
  public byte[] signIntoBuffer() {
    signer.signInto(bytes, 0, bytes.length, out, 0);
    return out;
  }

  @Benchmark
  public String encodeNewOrderParams() {
    return RestRequest.post("/fapi/v1/order")
        .signed()
        .param("symbol", "ETHUSDT")
        .param("side", "SELL")
        .param("type", "LIMIT")
        .param("timeInForce", "GTX")
        .param("quantity", "0.250")
        .param("price", "3412.57")
        .param("newClientOrderId", "mm-eth-a-000187")
        .build()
        .encodedParams();
  }
}
