package io.phoenix.sim.engine;

/**
 * One price of one book side: the FIFO queue of resting orders and their total remaining quantity.
 */
final class PriceLevel {
  /**
   * What the book queues: an order linked into its level's FIFO so that a cancel or a fill unlinks
   * it in constant time. The book needs only these few facts of it; the engine's order extends it.
   */
  abstract static class Entry {
    PriceLevel level;
    Entry prev;
    Entry next;

    abstract Side side();

    abstract long priceTicks();

    abstract long remaining();

    abstract boolean isOpen();

    abstract long id();
  }

  long priceTicks;
  long totalQtySteps;
  int orderCount;
  Entry head;
  Entry tail;

  void append(Entry order) {
    order.level = this;
    order.prev = tail;
    order.next = null;
    if (tail == null) {
      head = order;
    } else {
      tail.next = order;
    }
    tail = order;
    orderCount++;
    totalQtySteps += order.remaining();
  }

  /** Unlinks {@code order}; its remaining quantity leaves the level total. */
  void unlink(Entry order) {
    if (order.prev == null) {
      head = order.next;
    } else {
      order.prev.next = order.next;
    }
    if (order.next == null) {
      tail = order.prev;
    } else {
      order.next.prev = order.prev;
    }
    totalQtySteps -= order.remaining();
    orderCount--;
    order.level = null;
    order.prev = null;
    order.next = null;
  }
}
