package io.phoenix.binance.rest;

/**
 * One slot of a batch response (place, modify or cancel): exactly one of {@code order} and {@code
 * error} is non-null. Slots are in request order.
 */
public record RestBatchSlot(RestOrderResponse order, RestError error) {
  public boolean ok() {
    return order != null;
  }
}
