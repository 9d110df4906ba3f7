package io.phoenix.binance.ws;

import java.util.Arrays;

/**
 * One side's price levels of a frame as parallel primitive arrays, reused from frame to frame. It
 * grows (allocates) only when a frame holds more levels than any frame before it.
 */
public final class LevelArray {
  private long[] prices;
  private long[] quantities;
  private int size;

  public LevelArray(int initialCapacity) {
    prices = new long[Math.max(1, initialCapacity)];
    quantities = new long[prices.length];
  }

  public int size() {
    return size;
  }

  public long price(int index) {
    return prices[index];
  }

  public long quantity(int index) {
    return quantities[index];
  }

  public void clear() {
    size = 0;
  }

  public void add(long price, long quantity) {
    if (size == prices.length) {
      prices = Arrays.copyOf(prices, size * 2);
      quantities = Arrays.copyOf(quantities, size * 2);
    }
    prices[size] = price;
    quantities[size] = quantity;
    size++;
  }

  /** The prices as a new array: for immutable messages that leave the decoding actor. */
  public long[] copyPrices() {
    return Arrays.copyOf(prices, size);
  }

  /** The quantities as a new array: for immutable messages that leave the decoding actor. */
  public long[] copyQuantities() {
    return Arrays.copyOf(quantities, size);
  }
}
