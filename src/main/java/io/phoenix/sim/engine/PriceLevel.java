package io.phoenix.sim.engine;

/** One price of one book side: the FIFO queue of resting orders and their total remaining quantity. */
final class PriceLevel {
  long priceTicks;
  long totalQtySteps;
  int orderCount;
  WorkingOrder head;
  WorkingOrder tail;

  void append(WorkingOrder order) {
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
  void unlink(WorkingOrder order) {
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
