package io.phoenix.market;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The obviously-correct book the optimised {@link OrderBook} is compared against. */
final class NaiveBook {
  final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
  final TreeMap<Long, Long> asks = new TreeMap<>();
  private final int cap;

  NaiveBook() {
    this(Integer.MAX_VALUE);
  }

  /** A book that keeps the {@code cap} best levels a side it has been told of, as they arrive. */
  NaiveBook(int cap) {
    this.cap = cap;
  }

  void set(boolean bid, long price, long qty) {
    TreeMap<Long, Long> side = bid ? bids : asks;
    if (qty == 0) {
      side.remove(price);
    } else if (side.containsKey(price) || side.size() < cap) {
      side.put(price, qty);
    } else if (side.comparator() == null ? price < side.lastKey() : price > side.lastKey()) {
      side.pollLastEntry();
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
