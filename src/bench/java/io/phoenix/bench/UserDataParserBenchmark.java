package io.phoenix.bench;

import io.phoenix.binance.ws.UserDataParser;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.AccountEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Cost of turning one user-stream frame into normalized account events. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UserDataParserBenchmark {
  private static final Instrument ETH =
      new Instrument(
          1,
          "ETHUSDT",
          Scale.of("0.01"),
          Scale.of("0.001"),
          1,
          100_000_000,
          1,
          10_000_000,
          5.0,
          200,
          1.05,
          0.95);
  private static final String FILL =
      "{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":1767225605018,\"T\":1767225605011,"
          + "\"o\":{\"s\":\"ETHUSDT\",\"c\":\"mm-eth-a-000187\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"GTX\",\"q\":\"0.250\","
          + "\"p\":\"3412.57\",\"ap\":\"3412.57\",\"sp\":\"0\",\"x\":\"TRADE\",\"X\":\"PARTIALLY_FILLED\",\"i\":8389765519844021,"
          + "\"l\":\"0.100\",\"z\":\"0.100\",\"L\":\"3412.57\",\"N\":\"USDT\",\"n\":\"0.06825140\",\"T\":1767225605011,"
          + "\"t\":2219845622,\"b\":\"852.53\",\"a\":\"511.89\",\"m\":true,\"R\":false,\"wt\":\"CONTRACT_PRICE\",\"ot\":\"LIMIT\","
          + "\"ps\":\"BOTH\",\"cp\":false,\"pP\":false,\"si\":0,\"ss\":0,\"rp\":\"0\",\"V\":\"NONE\",\"pm\":\"NONE\",\"gtd\":0,\"er\":\"0\"}}";
  private static final String ACCOUNT =
      "{\"e\":\"ACCOUNT_UPDATE\",\"E\":1767225605020,\"T\":1767225605011,"
          + "\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"25031.48211870\",\"cw\":\"25031.48211870\",\"bc\":\"0\"}],"
          + "\"P\":[{\"s\":\"ETHUSDT\",\"pa\":\"-0.100\",\"ep\":\"3412.57\",\"bep\":\"3411.89\",\"cr\":\"118.20441000\","
          + "\"up\":\"-0.00400000\",\"mt\":\"cross\",\"iw\":\"0\",\"ps\":\"BOTH\"}]}}";

  private final UserDataParser parser = new UserDataParser(s -> s.equals("ETHUSDT") ? ETH : null);
  private final List<AccountEvent> out = new ArrayList<>();

  @Benchmark
  public Object orderTradeUpdate() {
    out.clear();
    parser.parse(FILL, out);
    return out.get(0);
  }

  @Benchmark
  public Object accountUpdate() {
    out.clear();
    parser.parse(ACCOUNT, out);
    return out.get(1);
  }
}
