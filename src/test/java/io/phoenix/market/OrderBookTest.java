package io.phoenix.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderBookTest {
  private final OrderBook book = new OrderBook(7, 4);

  @AfterEach
  void invariantsHold() {
    book.validateInvariants();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void matchesNaiveTreeMapBookOnRandomScenarios(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    NaiveBook naive = new NaiveBook();
    for (int i = 0; i < 20_000; i++) {
      boolean bid = random.nextBoolean();
      // bids below 10_000, asks above, clustered near the touch like a real book
      long distance = (long) Math.abs(random.nextGaussian() * 40);
      long price = bid ? 10_000 - distance : 10_001 + distance;
      long qty = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1_000);
      book.validateInvariants();
      (bid ? (Setter) book::setBid : (Setter) book::setAsk).set(price, qty);
      naive.set(bid, price, qty);
      if (i % 97 == 0) {
        naive.assertSameAs(book);
      }
    }
    naive.assertSameAs(book);
    assertFalse(book.isCrossed());
  }

  /**
   * A capped book against the same model with the cap: the worst level leaves when a better one
   * arrives, a level beyond the cap is ignored, and the live range wraps back to the array's start
   * many times over (small cap, long run, the touch wandering so both ends of a side churn).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 50})
  void aCappedBookMatchesTheModelWithTheSameCap(int cap) {
    OrderBook capped = new OrderBook(3, 4, cap);
    NaiveBook naive = new NaiveBook(cap);
    SplittableRandom random = new SplittableRandom(cap);
    long touch = 10_000;
    for (int i = 0; i < 50_000; i++) {
      if (i % 500 == 0) {
        touch += random.nextInt(-30, 31);
      }
      boolean bid = random.nextBoolean();
      long distance = (long) Math.abs(random.nextGaussian() * 40);
      long price = bid ? touch - distance : touch + 1 + distance;
      long qty = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1_000);
      (bid ? (Setter) capped::setBid : (Setter) capped::setAsk).set(price, qty);
      naive.set(bid, price, qty);
      capped.validateInvariants();
      if (i % 89 == 0) {
        naive.assertSameAs(capped);
      }
      assertTrue(capped.bidLevels() <= cap && capped.askLevels() <= cap);
    }
    naive.assertSameAs(capped);
  }

  @Test
  void aFullCappedSideKeepsTheBestLevels() {
    OrderBook capped = new OrderBook(3, 4, 3);
    for (long p = 100; p < 110; p++) {
      capped.setBid(p, 1);
      capped.setAsk(200 + p, 1);
    }
    assertEquals(3, capped.bidLevels());
    assertEquals(109, capped.bestBidPrice());
    assertEquals(107, capped.bidPrice(2));
    assertEquals(300, capped.bestAskPrice());
    assertEquals(302, capped.askPrice(2));
    assertFalse(capped.setBid(50, 5), "a level beyond the cap is not kept");
    assertEquals(0, capped.bidQtyAt(50));
    assertThrows(IllegalArgumentException.class, () -> new OrderBook(3, 4, 0));
  }

  private interface Setter {
    boolean set(long price, long qty);
  }

  @Test
  void reportsTopOfBookAndDerivedPrices() {
    book.setBid(100, 3);
    book.setBid(99, 5);
    book.setAsk(102, 1);
    book.setAsk(103, 9);
    assertEquals(100, book.bestBidPrice());
    assertEquals(3, book.bestBidQty());
    assertEquals(102, book.bestAskPrice());
    assertEquals(1, book.bestAskQty());
    assertEquals(99, book.bidPrice(1));
    assertEquals(103, book.askPrice(1));
    assertEquals(OrderBook.NO_PRICE, book.bidPrice(2));
    assertEquals(101.0, book.mid());
    // microprice leans to the thin ask: (100*1 + 102*3) / 4
    assertEquals(101.5, book.microprice(), 1e-12);
    assertEquals((3.0 - 1.0) / 4.0, book.imbalance(1), 1e-12);
    assertEquals((8.0 - 10.0) / 18.0, book.imbalance(5), 1e-12);
    assertEquals(8, book.bidDepth(2));
    assertEquals(5, book.bidQtyAt(99));
    assertEquals(0, book.askQtyAt(101));
  }

  @Test
  void zeroQuantityRemovesAndUnknownDeletionIsIgnored() {
    book.setBid(100, 3);
    assertTrue(book.setBid(100, 0));
    assertEquals(0, book.bidLevels());
    assertFalse(book.setBid(55, 0));
    assertFalse(book.setAsk(55, 0));
    assertEquals(0, book.askLevels());
  }

  @Test
  void pricesBeyondTheRepresentableRangeAreIgnoredAndLookUpsStaySound() {
    book.setBid(100, 3);
    book.setAsk(101, 4);
    assertFalse(book.setBid(OrderBook.MAX_PRICE + 1, 5));
    assertFalse(book.setAsk(Long.MAX_VALUE, 5));
    assertTrue(book.setBid(OrderBook.MAX_PRICE, 5));
    assertTrue(book.setAsk(OrderBook.MAX_PRICE, 6));
    assertEquals(OrderBook.MAX_PRICE, book.bestBidPrice());
    assertEquals(6, book.askQtyAt(OrderBook.MAX_PRICE));
    assertEquals(0, book.askQtyAt(Long.MAX_VALUE));
    assertEquals(0, book.bidQtyAt(OrderBook.NO_PRICE));
    assertEquals(3, book.bidQtyAt(100));
    assertEquals(4, book.askQtyAt(101));
    book.validateInvariants();
  }

  @Test
  void emptyBookHasNoMidAndIsNotCrossed() {
    assertTrue(Double.isNaN(book.mid()));
    assertTrue(Double.isNaN(book.microprice()));
    assertEquals(0.0, book.imbalance(5));
    assertFalse(book.isCrossed());
  }

  @Test
  void detectsCrossedBook() {
    book.setBid(101, 1);
    book.setAsk(101, 1);
    assertTrue(book.isCrossed());
  }

  @Test
  void growsBeyondInitialCapacity() {
    for (int i = 0; i < 100; i++) {
      book.setAsk(1000 + i, i + 1);
    }
    assertEquals(100, book.askLevels());
    assertEquals(1000, book.bestAskPrice());
    assertEquals(1099, book.askPrice(99));
  }

  @Test
  void validateInvariantsCatchesNothingOnSoundBook() {
    book.setBid(1, 1);
    book.validateInvariants();
    assertThrows(
        IllegalStateException.class,
        () -> {
          OrderBook bad = new OrderBook(1);
          bad.setBid(5, -1);
          bad.validateInvariants();
        });
  }
}
