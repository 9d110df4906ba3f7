package io.phoenix.binance.order;

import io.phoenix.binance.rest.RestRequest;
import io.phoenix.core.Instrument;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.util.List;

/**
 * Every request of the order path in Binance's exact shapes: new order, amend, cancel (each single
 * and as a batch of {@code batchOrders}), cancel-all, the status query by client order id and the
 * open-orders read of start-up recovery. The order gateway sends them; its warm-up builds and signs
 * the same shapes at start so the first real orders do not run through interpreted code.
 */
public final class OrderRequests {
  /** The single-order endpoint: the calls the WebSocket API can carry ({@link WsApiTransport}). */
  public static final String ORDER = "/fapi/v1/order";

  static final String BATCH_ORDERS = "/fapi/v1/batchOrders";

  private OrderRequests() {}

  public static RestRequest place(
      Instrument instrument,
      Side side,
      TimeInForce tif,
      long priceTicks,
      long qtySteps,
      String clientOrderId,
      boolean reduceOnly) {
    RestRequest.Builder b =
        RestRequest.post(ORDER)
            .signed()
            .weight(0)
            .param("symbol", instrument.symbol())
            .param("side", side.name())
            .param("type", "LIMIT")
            .param("timeInForce", tif.name())
            .param("quantity", instrument.quantity().format(qtySteps))
            .param("price", instrument.price().format(priceTicks))
            .param("newClientOrderId", clientOrderId);
    if (reduceOnly) {
      b.param("reduceOnly", "true");
    }
    if (tif == TimeInForce.IOC) {
      b.param("newOrderRespType", "RESULT");
    }
    return b.build();
  }

  /**
   * Appends one order of a {@code batchOrders} JSON array (the caller writes the brackets and
   * commas).
   */
  public static void appendBatchEntry(
      StringBuilder json,
      Instrument instrument,
      Side side,
      TimeInForce tif,
      long priceTicks,
      long qtySteps,
      String clientOrderId,
      boolean reduceOnly) {
    json.append("{\"symbol\":\"")
        .append(instrument.symbol())
        .append("\",\"side\":\"")
        .append(side.name())
        .append("\",\"type\":\"LIMIT\",\"timeInForce\":\"")
        .append(tif.name())
        .append("\",\"quantity\":\"")
        .append(instrument.quantity().format(qtySteps))
        .append("\",\"price\":\"")
        .append(instrument.price().format(priceTicks))
        .append("\",\"newClientOrderId\":\"")
        .append(clientOrderId)
        .append('"');
    if (reduceOnly) {
      json.append(",\"reduceOnly\":\"true\"");
    }
    json.append('}');
  }

  public static RestRequest batchPlace(String batchOrdersJson) {
    return RestRequest.post(BATCH_ORDERS)
        .signed()
        .weight(5)
        .param("batchOrders", batchOrdersJson)
        .build();
  }

  public static RestRequest cancel(Instrument instrument, String clientOrderId) {
    return RestRequest.delete(ORDER)
        .signed()
        .param("symbol", instrument.symbol())
        .param("origClientOrderId", clientOrderId)
        .build();
  }

  public static RestRequest batchCancel(Instrument instrument, List<String> clientOrderIds) {
    StringBuilder json = new StringBuilder(32 * clientOrderIds.size()).append('[');
    for (String id : clientOrderIds) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(id).append('"');
    }
    json.append(']');
    return RestRequest.delete(BATCH_ORDERS)
        .signed()
        .param("symbol", instrument.symbol())
        .param("origClientOrderIdList", json.toString())
        .build();
  }

  /**
   * A new price and quantity for a resting order (weight 0 on the order-entry side, like a place).
   */
  public static RestRequest amend(
      Instrument instrument, String clientOrderId, Side side, long priceTicks, long qtySteps) {
    return RestRequest.put(ORDER)
        .signed()
        .weight(0)
        .param("symbol", instrument.symbol())
        .param("origClientOrderId", clientOrderId)
        .param("side", side.name())
        .param("quantity", instrument.quantity().format(qtySteps))
        .param("price", instrument.price().format(priceTicks))
        .build();
  }

  /**
   * Appends one amendment of a {@code batchOrders} JSON array (the caller writes brackets and
   * commas).
   */
  public static void appendAmendEntry(
      StringBuilder json,
      Instrument instrument,
      String clientOrderId,
      Side side,
      long priceTicks,
      long qtySteps) {
    json.append("{\"symbol\":\"")
        .append(instrument.symbol())
        .append("\",\"origClientOrderId\":\"")
        .append(clientOrderId)
        .append("\",\"side\":\"")
        .append(side.name())
        .append("\",\"quantity\":\"")
        .append(instrument.quantity().format(qtySteps))
        .append("\",\"price\":\"")
        .append(instrument.price().format(priceTicks))
        .append("\"}");
  }

  public static RestRequest batchAmend(String batchOrdersJson) {
    return RestRequest.put(BATCH_ORDERS)
        .signed()
        .weight(5)
        .param("batchOrders", batchOrdersJson)
        .build();
  }

  public static RestRequest cancelAll(Instrument instrument) {
    return RestRequest.delete("/fapi/v1/allOpenOrders")
        .signed()
        .param("symbol", instrument.symbol())
        .build();
  }

  /** The status of one order by its client order id: how an unknown outcome is resolved. */
  public static RestRequest query(Instrument instrument, String clientOrderId) {
    return RestRequest.get(ORDER)
        .signed()
        .param("symbol", instrument.symbol())
        .param("origClientOrderId", clientOrderId)
        .build();
  }

  /** One symbol's open orders (weight 1; all symbols at once would weigh 40). */
  public static RestRequest openOrders(Instrument instrument) {
    return RestRequest.get("/fapi/v1/openOrders")
        .signed()
        .param("symbol", instrument.symbol())
        .build();
  }
}
