package io.phoenix.sim.engine;

/**
 * A price-time-priority book of one symbol. It only keeps the queues consistent; who trades with
 * whom and what it costs is decided by {@link Matching}. Every mutator returns the new absolute
 * quantity of the touched level so the caller can publish the depth change.
 */
final class OrderBook {
  final BookSide bids = new BookSide(true);
  final BookSide asks = new BookSide(false);

  BookSide side(Side side) {
    return side == Side.BUY ? bids : asks;
  }

  BookSide opposite(Side side) {
    return side == Side.BUY ? asks : bids;
  }

  /** Queues {@code order} at the tail of its price level. */
  long add(PriceLevel.Entry order) {
    PriceLevel level = side(order.side()).getOrCreate(order.priceTicks());
    level.append(order);
    return level.totalQtySteps;
  }

  /** Takes {@code order} out of the book (cancel, expiry, or before a modify re-queues it). */
  long remove(PriceLevel.Entry order) {
    PriceLevel level = order.level;
    level.unlink(order);
    long left = level.totalQtySteps;
    if (level.orderCount == 0) {
      side(order.side()).remove(level);
    }
    return left;
  }

  /**
   * Books a fill of {@code qtySteps} against a resting order; the caller has already raised the
   * order's executed quantity. A fully filled order leaves the queue.
   */
  long filled(PriceLevel.Entry order, long qtySteps) {
    PriceLevel level = order.level;
    level.totalQtySteps -= qtySteps;
    if (order.remaining() == 0) {
      return remove(order);
    }
    return level.totalQtySteps;
  }

  /** Throws if the book is crossed or holds a non-positive quantity; for tests and debugging. */
  void checkInvariants() {
    PriceLevel bb = bids.best();
    PriceLevel ba = asks.best();
    if (bb != null && ba != null && bb.priceTicks >= ba.priceTicks) {
      throw new IllegalStateException("crossed book " + bb.priceTicks + " >= " + ba.priceTicks);
    }
    checkSide(bids);
    checkSide(asks);
  }

  private static void checkSide(BookSide side) {
    long previous = 0;
    for (int d = 0; d < side.size(); d++) {
      PriceLevel level = side.level(d);
      if (d > 0 && (side.isBids() ? level.priceTicks >= previous : level.priceTicks <= previous)) {
        throw new IllegalStateException("levels out of order at " + level.priceTicks);
      }
      previous = level.priceTicks;
      long sum = 0;
      int count = 0;
      for (PriceLevel.Entry o = level.head; o != null; o = o.next) {
        if (o.remaining() <= 0 || !o.isOpen() || o.priceTicks() != level.priceTicks) {
          throw new IllegalStateException("bad resting order " + o.id());
        }
        sum += o.remaining();
        count++;
      }
      if (sum != level.totalQtySteps || count != level.orderCount || sum <= 0) {
        throw new IllegalStateException("level total mismatch at " + level.priceTicks);
      }
    }
  }
}
