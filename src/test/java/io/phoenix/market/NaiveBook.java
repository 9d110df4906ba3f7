package io.phoenix.market;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The obviously-correct book the optimised {@link OrderBook} is compared against. */
final class NaiveBook {
  final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
  final TreeMap<Long, Long> asks = new TreeMap<>();

  void set(boolean bid, long price, long qty) {
    Map<Long, Long> side = bid ? bids : asks;
    if (qty == 0) {
      side.remove(price);
    } else {
      side.put(price, qty);
    }
  }

  void assertSameAs(OrderBook book) {
    assertSide(bids, book, true);
    assertSide(asks, book, false);
  }

  private static void assertSide(TreeMap<Long, Long> side, OrderBook book, boolean bid) {
    int levels = bid ? book.bidLevels() : book.askLevels();
    if (levels != side.size()) {
      throw new AssertionError((bid ? "bid" : "ask") + " levels " + levels + " != " + side.size());
    }
    int i = 0;
    for (Map.Entry<Long, Long> e : side.entrySet()) {
      long price = bid ? book.bidPrice(i) : book.askPrice(i);
      long qty = bid ? book.bidQty(i) : book.askQty(i);
      if (price != e.getKey() || qty != e.getValue()) {
        throw new AssertionError("level " + i + ": " + price + "x" + qty + " != " + e);
      }
      i++;
    }
  }
}
