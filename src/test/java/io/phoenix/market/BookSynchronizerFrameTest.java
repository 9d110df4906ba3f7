package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phoenix.binance.ws.AggTradeFrame;
import io.phoenix.binance.ws.BookTickerFrame;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.Fixtures;
import io.phoenix.binance.ws.MarkPriceFrame;
import io.phoenix.binance.ws.MarketFrameDecoder;
import io.phoenix.binance.ws.MarketFrameHandler;
import io.phoenix.binance.ws.SubscriptionReply;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-place frame path of {@link BookSynchronizer} behaves exactly like the record path. */
class BookSynchronizerFrameTest {

  @Test
  void framePathAndRecordPathBuildTheSameBook() {
    OrderBook inPlace = new OrderBook(0);
    OrderBook copied = new OrderBook(0);
    BookSynchronizer a = new BookSynchronizer(inPlace, 1000);
    BookSynchronizer b = new BookSynchronizer(copied, 1000);
    List<BookSynchronizer.Result> resultsA = new ArrayList<>();
    List<BookSynchronizer.Result> resultsB = new ArrayList<>();
    MarketFrameDecoder decoder =
        new MarketFrameDecoder(
            Fixtures.REGISTRY,
            new MarketFrameHandler() {
              @Override
              public void onDepthUpdate(DepthUpdateFrame frame) {
                resultsA.add(a.onDiff(frame, 0));
                resultsB.add(b.onDiff(DepthDiff.copyOf(frame, 0)));
              }

              @Override
              public void onBookTicker(BookTickerFrame frame) {}

              @Override
              public void onAggTrade(AggTradeFrame frame) {}

              @Override
              public void onMarkPrice(MarkPriceFrame frame) {}

              @Override
              public void onSubscriptionReply(SubscriptionReply reply) {}

              @Override
              public void onDecodeError(DecodeError error, int symbolId) {
                throw new AssertionError(error);
              }
            });
    SplittableRandom random = new SplittableRandom(7);
    long u = 100;
    for (int i = 0; i < 3000; i++) {
      if (i == 5) {
        a.onSnapshot(102, new long[] {9_000}, new long[] {1}, new long[] {11_000}, new long[] {1});
        b.onSnapshot(102, new long[] {9_000}, new long[] {1}, new long[] {11_000}, new long[] {1});
      }
      long first = u + 1;
      long last = u + 1 + random.nextInt(5);
      long prev = random.nextInt(200) == 0 ? u - 1 : u; // occasional gap
      StringBuilder frame =
          new StringBuilder("{\"e\":\"depthUpdate\",\"E\":1,\"T\":1,\"s\":\"ETHUSDT\"");
      frame
          .append(",\"U\":")
          .append(first)
          .append(",\"u\":")
          .append(last)
          .append(",\"pu\":")
          .append(prev);
      frame.append(",\"b\":[");
      for (int k = 0; k < 3; k++) {
        frame
            .append(k == 0 ? "" : ",")
            .append("[\"")
            .append(90 + random.nextInt(10))
            .append(".00\",\"")
            .append(random.nextInt(3))
            .append(".000\"]");
      }
      frame
          .append("],\"a\":[[\"")
          .append(101 + random.nextInt(10))
          .append(".00\",\"")
          .append(random.nextInt(3))
          .append("\"]]}");
      decoder.decode(frame.toString());
      if (prev != u) {
        a.onSnapshot(last, new long[] {9_000}, new long[] {1}, new long[] {11_000}, new long[] {1});
        b.onSnapshot(last, new long[] {9_000}, new long[] {1}, new long[] {11_000}, new long[] {1});
      }
      u = last;
      inPlace.validateInvariants();
    }
    assertEquals(resultsB, resultsA);
    assertEquals(a.lastUpdateId(), b.lastUpdateId());
    NaiveBook expected = new NaiveBook();
    for (int i = 0; i < copied.bidLevels(); i++) {
      expected.set(true, copied.bidPrice(i), copied.bidQty(i));
    }
    for (int i = 0; i < copied.askLevels(); i++) {
      expected.set(false, copied.askPrice(i), copied.askQty(i));
    }
    expected.assertSameAs(inPlace);
    assertEquals(true, resultsA.contains(BookSynchronizer.Result.RESYNC));
    assertEquals(true, resultsA.contains(BookSynchronizer.Result.APPLIED));
  }
}
