package io.phoenix.binance.rest;

import io.phoenix.core.Instrument;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import java.util.List;

/**
 * The REST requests of the order path (new order, batch of new orders, cancel, batch cancel) in
 * Binance's exact shapes. The order gateway sends them; its warm-up builds and signs the same
 * shapes at start so the first real orders do not run through interpreted code.
 */
public final class OrderRequests {
  private OrderRequests() {}

  public static RestRequest place(Instrument instrument, Side side, TimeInForce tif, long priceTicks, long qtySteps,
      String clientOrderId, boolean reduceOnly) {
    RestRequest.Builder b = RestRequest.post("/fapi/v1/order").signed().weight(0)
        .param("symbol", instrument.symbol()).param("side", side.name()).param("type", "LIMIT")
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

  /** Appends one order of a {@code batchOrders} JSON array (the caller writes the brackets and commas). */
  public static void appendBatchEntry(StringBuilder json, Instrument instrument, Side side, TimeInForce tif, long priceTicks,
      long qtySteps, String clientOrderId, boolean reduceOnly) {
    json.append("{\"symbol\":\"").append(instrument.symbol()).append("\",\"side\":\"").append(side.name())
        .append("\",\"type\":\"LIMIT\",\"timeInForce\":\"").append(tif.name())
        .append("\",\"quantity\":\"").append(instrument.quantity().format(qtySteps))
        .append("\",\"price\":\"").append(instrument.price().format(priceTicks))
        .append("\",\"newClientOrderId\":\"").append(clientOrderId).append('"');
    if (reduceOnly) {
      json.append(",\"reduceOnly\":\"true\"");
    }
    json.append('}');
  }

  public static RestRequest batchPlace(String batchOrdersJson) {
    return RestRequest.post("/fapi/v1/batchOrders").signed().weight(5).param("batchOrders", batchOrdersJson).build();
  }

  public static RestRequest cancel(Instrument instrument, String clientOrderId) {
    return RestRequest.delete("/fapi/v1/order").signed().param("symbol", instrument.symbol())
        .param("origClientOrderId", clientOrderId).build();
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
    return RestRequest.delete("/fapi/v1/batchOrders").signed().param("symbol", instrument.symbol())
        .param("origClientOrderIdList", json.toString()).build();
  }
}
