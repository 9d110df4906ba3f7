package io.phoenix.bench;

import io.phoenix.sim.engine.MarkInfo;
import io.phoenix.sim.engine.NewOrder;
import io.phoenix.sim.engine.OrderResult;
import io.phoenix.sim.engine.OrderType;
import io.phoenix.sim.engine.PublicTrade;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimBalance;
import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimListener;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.TimeInForce;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the simulator's matching engine on a populated BTCUSDT book (200 levels a side,
 * five resting orders a level). One operation is a realistic market-maker cycle of four requests: a
 * passive GTC order somewhere in the book, an IOC that takes from the touch (alternating sides),
 * the cancel of the passive order, and a maker order that puts back what the IOC took so the book
 * stays stationary. Requests per second = 4 x the reported operations per second. Every listener
 * call is consumed by a {@link Blackhole}, so event construction is part of the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MatchingEngineBenchmark {
  private static final String BTC = "BTCUSDT";
  private static final long FAIR = 950_000;
  private static final int LEVELS = 200;

  private SimExchange exchange;
  private SplittableRandom random;
  private long now;
  private long cycle;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    SimEngineConfig q = SimEngineConfig.quiet();
    SimEngineConfig cfg =
        new SimEngineConfig(
            q.symbols(),
            1,
            q.makerFeeRate(),
            q.takerFeeRate(),
            q.fundingIntervalMillis(),
            1e12,
            q.defaultLeverage(),
            q.model());
    exchange = new SimExchange(cfg, new SinkListener(bh), 0);
    random = new SplittableRandom(1);
    now = 1;
    for (int level = 0; level < LEVELS; level++) {
      for (int k = 0; k < 5; k++) {
        // one account per level: MAX_NUM_ORDERS (200) applies per account and symbol
        place("book-" + level, Side.BUY, TimeInForce.GTC, 10, FAIR - 50 - level * 5L);
        place("book-" + level, Side.SELL, TimeInForce.GTC, 10, FAIR + 50 + level * 5L);
      }
    }
  }

  @Benchmark
  public long placeMatchCancel() {
    now++;
    boolean buy = (cycle++ & 1) == 0;
    long depth = random.nextInt(LEVELS) * 5L;
    Side passiveSide = random.nextBoolean() ? Side.BUY : Side.SELL;
    long passivePrice = passiveSide == Side.BUY ? FAIR - 52 - depth : FAIR + 52 + depth;
    OrderResult passive = place("mm", passiveSide, TimeInForce.GTC, 2, passivePrice);
    Side takerSide = buy ? Side.BUY : Side.SELL;
    long reach = buy ? FAIR + 50 : FAIR - 50;
    place("taker", takerSide, TimeInForce.IOC, 3, reach);
    exchange.cancel("mm", BTC, passive.order().orderId(), null, now);
    OrderResult refill =
        place(
            "refill", buy ? Side.SELL : Side.BUY, TimeInForce.GTC, 3, buy ? FAIR + 50 : FAIR - 50);
    return refill.order().orderId();
  }

  private OrderResult place(String account, Side side, TimeInForce tif, long qty, long price) {
    OrderResult r =
        exchange.place(
            account,
            new NewOrder(
                BTC, side, null, OrderType.LIMIT, tif, qty * 10, price, false, null, StpMode.NONE),
            now);
    if (r.error() != null) {
      throw new IllegalStateException(r.error().toString());
    }
    return r;
  }

  /** Consumes every event so the JIT cannot drop their construction. */
  private record SinkListener(Blackhole bh) implements SimListener {
    @Override
    public void onLevelChanged(
        String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time) {
      bh.consume(updateId + qtySteps);
    }

    @Override
    public void onPublicTrade(String symbol, PublicTrade trade) {
      bh.consume(trade);
    }

    @Override
    public void onMarkPrice(MarkInfo mark) {
      bh.consume(mark);
    }

    @Override
    public void onOrderUpdate(
        String account, String executionType, SimOrder order, SimFill fill, long time) {
      bh.consume(order);
      bh.consume(fill);
    }

    @Override
    public void onAccountUpdate(
        String account,
        String reason,
        List<SimBalance> balances,
        List<SimPosition> positions,
        long time) {
      bh.consume(balances);
      bh.consume(positions);
    }
  }
}
