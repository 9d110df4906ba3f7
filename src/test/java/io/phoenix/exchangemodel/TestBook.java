package io.phoenix.exchangemodel;

import java.util.Map;
import java.util.TreeMap;

/** A plain sorted-map book for the model's tests. */
final class TestBook implements BookView {
  private final TreeMap<Long, Long> bids = new TreeMap<>(java.util.Comparator.reverseOrder());
  private final TreeMap<Long, Long> asks = new TreeMap<>();

  TestBook set(boolean bid, long price, long qty) {
    TreeMap<Long, Long> side = bid ? bids : asks;
    if (qty == 0) {
      side.remove(price);
    } else {
      side.put(price, qty);
    }
    return this;
  }

  @Override
  public long qtyAt(boolean bid, long price) {
    return (bid ? bids : asks).getOrDefault(price, 0L);
  }

  @Override
  public int levels(boolean bid) {
    return (bid ? bids : asks).size();
  }

  private Map.Entry<Long, Long> entry(boolean bid, int level) {
    int i = 0;
    for (Map.Entry<Long, Long> e : (bid ? bids : asks).entrySet()) {
      if (i++ == level) {
        return e;
      }
    }
    throw new IndexOutOfBoundsException(level);
  }

  @Override
  public long price(boolean bid, int level) {
    return entry(bid, level).getKey();
  }

  @Override
  public long qty(boolean bid, int level) {
    return entry(bid, level).getValue();
  }
}
