package io.phoenix.execution;

import io.phoenix.binance.order.OrderRequests;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DispatchPlanner.Dispatch;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Dispatch} into its wire request, reading what was asked from the orders' entries
 * in the table: the order gateway's side of {@link OrderRequests}. An amendment sends the wanted
 * price and quantity, which become the order's own only once the exchange confirms them.
 *
 * @param <R> who hears an order's events
 */
final class DispatchRequests<R> {
  private final OrderTable<R> table;
  private final Map<Integer, Instrument> instruments;

  DispatchRequests(OrderTable<R> table, Map<Integer, Instrument> instruments) {
    this.table = table;
    this.instruments = instruments;
  }

  /** The wire request of a dispatch. */
  RestRequest of(Dispatch<R> d) {
    List<String> ids = d.clientOrderIds();
    if (d.kind() == DispatchPlanner.Kind.CANCEL_ALL) {
      return OrderRequests.cancelAll(instruments.get(d.symbolId()));
    }
    OrderEntry<R> first = table.entry(ids.get(0));
    return switch (d.kind()) {
      case PLACE ->
          OrderRequests.place(
              first.instrument,
              first.side,
              first.timeInForce,
              first.priceTicks,
              first.machine.origQtySteps(),
              first.clientOrderId,
              first.reduceOnly);
      case BATCH_PLACE ->
          OrderRequests.batchPlace(batchJson(ids, 160, DispatchRequests::appendPlace));
      case AMEND ->
          OrderRequests.amend(
              first.instrument,
              first.clientOrderId,
              first.side,
              first.amendPriceTicks,
              first.amendQtySteps);
      case BATCH_AMEND ->
          OrderRequests.batchAmend(batchJson(ids, 128, DispatchRequests::appendAmend));
      case CANCEL -> OrderRequests.cancel(first.instrument, first.clientOrderId);
      case BATCH_CANCEL -> OrderRequests.batchCancel(first.instrument, ids);
      case QUERY -> OrderRequests.query(first.instrument, first.clientOrderId);
      case CANCEL_ALL -> throw new IllegalStateException("cancel-all has no orders");
    };
  }

  private interface BatchEntry<R> {
    void append(StringBuilder json, OrderEntry<R> t);
  }

  private String batchJson(List<String> ids, int bytesPerOrder, BatchEntry<R> entry) {
    StringBuilder json = new StringBuilder(bytesPerOrder * ids.size()).append('[');
    for (String id : ids) {
      if (json.length() > 1) {
        json.append(',');
      }
      entry.append(json, table.entry(id));
    }
    return json.append(']').toString();
  }

  private static <R> void appendPlace(StringBuilder json, OrderEntry<R> t) {
    OrderRequests.appendBatchEntry(
        json,
        t.instrument,
        t.side,
        t.timeInForce,
        t.priceTicks,
        t.machine.origQtySteps(),
        t.clientOrderId,
        t.reduceOnly);
  }

  private static <R> void appendAmend(StringBuilder json, OrderEntry<R> t) {
    OrderRequests.appendAmendEntry(
        json, t.instrument, t.clientOrderId, t.side, t.amendPriceTicks, t.amendQtySteps);
  }
}
