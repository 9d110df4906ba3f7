package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.OrderBook;
import io.phoenix.model.TimeInForce;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestTest {

  @Test
  void theSameInputGivesByteIdenticalJsonTwice() {
    Config config = Recordings.config();
    byte[] first =
        BacktestCommand.json(
            BacktestCommand.runOnce(Recordings.load(Recordings.SLICE), config, Map.of()));
    BacktestResult again =
        BacktestCommand.runOnce(Recordings.load(Recordings.SLICE), config, Map.of());
    assertArrayEquals(first, BacktestCommand.json(again));
    String text = new String(first, java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(
        text.contains("NaN") || text.contains("Infinity"), "plain JSON: a missing value is null");
    assertTrue(
        again.summary().fills() > 0, "the node's quoter trades on the slice: " + again.summary());
    assertTrue(again.summary().ordersSent() > 0);
  }

  @Test
  void theNodesQuoterRunsOnTheRealRecordingWithinItsLimits() {
    BacktestResult r = BacktestCommand.runOnce(Recordings.slice(), Recordings.config(), Map.of());
    BacktestResult.Summary s = r.summary();
    assertEquals(s.fills(), s.makerFills(), "the quoter only posts (GTX): every fill rests first");
    assertEquals(1.0, s.makerShare());
    assertEquals(s.grossPnl() - s.fees() + s.funding(), s.netPnl(), 1e-9);
    assertTrue(s.fees() > 0);
    assertEquals(s.volume() * 0.0002, s.fees(), 1e-9, "maker fee on every fill");
    assertEquals(0, s.bookGaps());
    assertNull(s.stopped());
    assertTrue(r.data().markFromMid(), "the recording has no mark prices");
    BacktestResult.SymbolResult btc = r.symbols().get(0);
    // the soft limit is 1000 USDT of notional: about 0.016 BTC here, plus at most a level in flight
    assertTrue(
        btc.maxAbsPosition() < 0.04,
        "position stayed near the soft limit: " + btc.maxAbsPosition());
    assertTrue(s.maxOrdersIn10s() <= s.orderLimit10s());
    assertFalse(r.series().timeMillis().isEmpty());
    assertEquals(s.fills(), r.fills().size());
  }

  @Test
  void aStrategyThatNeverQuotesEarnsExactlyZero() {
    BacktestResult r =
        new Backtest(Recordings.slice(), Recordings.config(), new Idle(), Map.of()).run();
    BacktestResult.Summary s = r.summary();
    assertEquals(0.0, s.netPnl());
    assertEquals(0.0, s.grossPnl());
    assertEquals(0.0, s.fees());
    assertEquals(0.0, s.funding());
    assertEquals(0.0, s.volume());
    assertEquals(0, s.fills());
    assertEquals(0, s.ordersSent());
    assertEquals(0.0, s.maxDrawdown());
    assertTrue(r.series().netPnl().stream().allMatch(v -> v == 0.0));
  }

  @Test
  void aStrategyThatCrossesTheSpreadPaysTheTakerFeeOnEveryFill() {
    Crossing crossing = new Crossing();
    BacktestResult r =
        new Backtest(Recordings.slice(), Recordings.config(), crossing, Map.of()).run();
    BacktestResult.Summary s = r.summary();
    assertTrue(crossing.fills.size() >= 5, "it traded: " + crossing.fills.size());
    assertEquals(crossing.fills.size(), s.fills());
    assertEquals(0, s.makerFills());
    assertEquals(0.0, s.makerShare());
    double expected = 0;
    for (Response.Fill f : crossing.fills) {
      assertFalse(f.maker());
      double notional = f.priceTicks() * 0.1 * f.qtySteps() * 0.001;
      assertEquals(notional * 0.0005, f.commission(), 1e-12, "taker fee on " + f);
      expected += notional * 0.0005;
    }
    assertEquals(expected, s.fees(), 1e-9);
    assertTrue(s.netPnl() < s.grossPnl());
  }

  /** Never sends anything. */
  static class Idle implements Strategy {
    @Override
    public void start(Context context, long now) {}

    @Override
    public void onBook(int symbolId, long now) {}

    @Override
    public void onBookInvalid(int symbolId, long now) {}

    @Override
    public void onBookStale(int symbolId, long now) {}

    @Override
    public void onMark(int symbolId, long markTicks, double fundingRate, long now) {}

    @Override
    public void onResponse(int symbolId, Response response, long now) {}

    @Override
    public void onRequote(int symbolId, long now) {}

    @Override
    public void onTimer(long now) {}

    @Override
    public long timerNanos() {
      return 1_000_000_000L;
    }
  }

  /**
   * Every second takes the other side's best level with an IOC order, buying and selling in turn.
   */
  static final class Crossing extends Idle {
    final List<Response.Fill> fills = new ArrayList<>();
    private Context ctx;
    private long next;
    private boolean buy = true;
    private int id;

    @Override
    public void start(Context context, long now) {
      ctx = context;
      next = now;
    }

    @Override
    public void onBook(int symbolId, long now) {
      if (now < next) {
        return;
      }
      OrderBook b = ctx.book(symbolId);
      if (b.bidLevels() == 0 || b.askLevels() == 0) {
        return;
      }
      next = now + 1_000_000_000L;
      long price = buy ? b.bestAskPrice() : b.bestBidPrice();
      ctx.place(symbolId, now, "x" + id++, buy, price, 2, TimeInForce.IOC);
      buy = !buy;
    }

    @Override
    public void onResponse(int symbolId, Response response, long now) {
      if (response instanceof Response.Fill f) {
        fills.add(f);
      }
    }
  }
}
