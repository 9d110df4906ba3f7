package io.phoenix.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.ModifyOrder;
import io.phoenix.sim.engine.NewOrder;
import io.phoenix.sim.engine.OrderResult;
import io.phoenix.sim.engine.OrderType;
import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.TimeInForce;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Binance's order endpoints: new, test, query, cancel and modify of one order, the batch forms
 * (each item validated up front and answered in its own slot), cancel-all, open orders and the
 * dead-man switch.
 */
final class OrderEndpoints {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ApiContext api;
  private final Wire wire;
  private final EngineLoop engine;

  OrderEndpoints(ApiContext api) {
    this.api = api;
    this.wire = api.wire;
    this.engine = api.engine;
  }

  void register(EndpointTable table) {
    Endpoint.Security s = Endpoint.Security.SIGNED;
    table.add("POST", "/fapi/v1/order", Endpoint.w(0), 1, 1, s, this::placeOrder);
    table.add(
        "POST",
        "/fapi/v1/order/test",
        Endpoint.w(0),
        0,
        0,
        s,
        (p, a) -> {
          newOrder(p);
          return ApiContext.done("{}");
        });
    table.add("GET", "/fapi/v1/order", Endpoint.w(1), 0, 0, s, this::queryOrder);
    table.add("DELETE", "/fapi/v1/order", Endpoint.w(1), 0, 0, s, this::cancelOrder);
    // like a new order, a modify costs no IP weight, only the order counters (Binance Modify Order)
    table.add("PUT", "/fapi/v1/order", Endpoint.w(0), 1, 1, s, this::modifyOrder);
    table.add("POST", "/fapi/v1/batchOrders", Endpoint.w(5), 5, 1, s, this::batchPlace);
    table.add("PUT", "/fapi/v1/batchOrders", Endpoint.w(5), 5, 1, s, this::batchModify);
    table.add("DELETE", "/fapi/v1/batchOrders", Endpoint.w(1), 0, 0, s, this::batchCancel);
    table.add("DELETE", "/fapi/v1/allOpenOrders", Endpoint.w(1), 0, 0, s, this::cancelAll);
    table.add("GET", "/fapi/v1/openOrders", Endpoint.symbolOr(1, 40), 0, 0, s, this::openOrders);
    table.add("GET", "/fapi/v1/openOrder", Endpoint.w(1), 0, 0, s, this::openOrder);
    table.add("POST", "/fapi/v1/countdownCancelAll", Endpoint.w(10), 0, 0, s, this::countdown);
  }

  NewOrder newOrder(Params p) {
    String symbol = api.symbol(p);
    Instrument in = wire.instrument(symbol);
    Side side = OrderFields.side(p.req("side"));
    String typeText = p.req("type");
    OrderType type =
        switch (typeText) {
          case "LIMIT" -> OrderType.LIMIT;
          case "MARKET" -> OrderType.MARKET;
          case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET" ->
              throw Rejection.bad(
                  -4120,
                  "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
          default -> throw Rejection.bad(-1116, "Invalid orderType.");
        };
    PositionSide ps = OrderFields.positionSide(p.opt("positionSide"));
    TimeInForce tif = null;
    long price = 0;
    if (type == OrderType.LIMIT) {
      tif = OrderFields.tif(p.req("timeInForce"));
      price = p.decimal("price", in.price(), true);
      if (price <= 0) {
        throw Rejection.bad(-4013, "Price less than min price.");
      }
    } else if (p.has("price")) {
      throw Rejection.bad(-1106, "Parameter 'price' sent when not required.");
    }
    long qty = p.decimal("quantity", in.quantity(), false);
    if (qty <= 0) {
      throw Rejection.bad(-4003, "Quantity less than or equal to zero.");
    }
    boolean reduceOnly = p.optBool("reduceOnly", false);
    String cid = p.opt("newClientOrderId");
    if (cid != null && !OrderFields.CLIENT_ID.matcher(cid).matches()) {
      throw Rejection.bad(-4015, "Client order id is not valid.");
    }
    StpMode stp = OrderFields.stp(p.opt("selfTradePreventionMode"));
    String resp = p.opt("newOrderRespType");
    if (resp != null && !resp.equals("ACK") && !resp.equals("RESULT")) {
      throw Rejection.bad(-1136, "Invalid newOrderRespType.");
    }
    String pm = p.opt("priceMatch");
    if (pm != null && !pm.equals("NONE")) {
      throw Rejection.bad(-5037, "Invalid price match.");
    }
    return new NewOrder(symbol, side, ps, type, tif, qty, price, reduceOnly, cid, stp);
  }

  private CompletionStage<String> placeOrder(Params p, String account) {
    NewOrder o = newOrder(p);
    return engine.call((ex, now) -> wire.order(ApiContext.unwrap(ex.place(account, o, now))));
  }

  private record OrderRef(String symbol, long orderId, String clientId) {}

  private OrderRef ref(Params p) {
    String s = api.symbol(p);
    long id = p.optLong("orderId", 0);
    String cid = p.opt("origClientOrderId");
    if (id == 0 && cid == null) {
      throw Rejection.bad(
          -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }
    return new OrderRef(s, id, id != 0 ? null : cid);
  }

  private CompletionStage<String> queryOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call(
        (ex, now) ->
            wire.order(
                ApiContext.unwrap(ex.query(account, r.symbol(), r.orderId(), r.clientId()))));
  }

  private CompletionStage<String> openOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call(
        (ex, now) ->
            wire.order(
                ApiContext.unwrap(ex.queryOpen(account, r.symbol(), r.orderId(), r.clientId()))));
  }

  private CompletionStage<String> cancelOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call(
        (ex, now) ->
            wire.order(
                ApiContext.unwrap(ex.cancel(account, r.symbol(), r.orderId(), r.clientId(), now))));
  }

  private ModifyOrder modify(Params p) {
    OrderRef r = ref(p);
    Instrument in = wire.instrument(r.symbol());
    Side side = OrderFields.side(p.req("side"));
    long qty = p.decimal("quantity", in.quantity(), false);
    long price = p.decimal("price", in.price(), true);
    if (qty <= 0) {
      throw Rejection.bad(-4003, "Quantity less than or equal to zero.");
    }
    return new ModifyOrder(r.symbol(), r.orderId(), r.clientId(), side, qty, price);
  }

  private CompletionStage<String> modifyOrder(Params p, String account) {
    ModifyOrder m = modify(p);
    return engine.call((ex, now) -> wire.order(ApiContext.unwrap(ex.modify(account, m, now))));
  }

  private List<Params> batchItems(Params p, String name, int max, String countMsg) {
    String raw = p.req(name);
    JsonNode node;
    try {
      node = MAPPER.readTree(raw);
    } catch (Exception e) {
      throw Rejection.bad(-1130, "Data sent for parameter '" + name + "' is not valid.");
    }
    if (node == null || !node.isArray()) {
      throw Rejection.bad(-1130, "Data sent for parameter '" + name + "' is not valid.");
    }
    if (node.size() == 0 || node.size() > max) {
      throw Rejection.bad(-4082, countMsg);
    }
    List<Params> items = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isObject()) {
        throw Rejection.bad(-1130, "Data sent for parameter '" + name + "' is not valid.");
      }
      items.add(new Params(Params.textMap(item)));
    }
    return items;
  }

  private record Slot<T>(T value, Rejection error) {}

  private CompletionStage<String> batchPlace(Params p, String account) {
    return batch(
        p, account, "Invalid number of batch place orders.", this::newOrder, SimExchange::place);
  }

  private CompletionStage<String> batchModify(Params p, String account) {
    return batch(
        p, account, "Invalid number of batch modify orders.", this::modify, SimExchange::modify);
  }

  /** Parses each item of {@code batchOrders} into a request for {@link SimExchange}. */
  private interface ItemParser<T> {
    T parse(Params item);
  }

  /** Applies one parsed batch item on the engine thread. */
  private interface ItemOp<T> {
    OrderResult apply(SimExchange ex, String account, T item, long now);
  }

  /**
   * Validates every item up front (a bad item earns its own error slot, the rest still run), then
   * applies the valid ones in order on the engine thread and answers one slot per item.
   */
  private <T> CompletionStage<String> batch(
      Params p, String account, String countMsg, ItemParser<T> parser, ItemOp<T> op) {
    List<Params> items = batchItems(p, "batchOrders", 5, countMsg);
    List<Slot<T>> slots = new ArrayList<>();
    for (Params item : items) {
      try {
        slots.add(new Slot<>(parser.parse(item), null));
      } catch (Rejection r) {
        slots.add(new Slot<>(null, r));
      }
    }
    return engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (Slot<T> slot : slots) {
            if (slot.error() != null) {
              j.raw(slot.error().body());
            } else {
              slot(j, op.apply(ex, account, slot.value(), now));
            }
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> batchCancel(Params p, String account) {
    String s = api.symbol(p);
    List<Long> ids = new ArrayList<>();
    List<String> cids = new ArrayList<>();
    try {
      String idList = p.has("orderIdList") ? p.req("orderIdList") : p.opt("orderidlist");
      String cidList =
          p.has("origClientOrderIdList")
              ? p.req("origClientOrderIdList")
              : p.opt("origclientorderidlist");
      if (idList != null) {
        JsonNode n = MAPPER.readTree(idList);
        if (!n.isArray()) {
          throw new IllegalArgumentException();
        }
        for (JsonNode x : n) {
          // Binance's own connector sends the ids as JSON strings when it parsed them as big
          // integers
          if (x.isIntegralNumber()) {
            ids.add(x.asLong());
          } else if (x.isTextual() && x.asText().matches("[0-9]{1,19}")) {
            ids.add(Long.parseLong(x.asText()));
          } else {
            throw new IllegalArgumentException();
          }
        }
      } else if (cidList != null) {
        JsonNode n = MAPPER.readTree(cidList);
        if (!n.isArray()) {
          throw new IllegalArgumentException();
        }
        for (JsonNode x : n) {
          if (!x.isTextual()) {
            throw new IllegalArgumentException();
          }
          cids.add(x.asText());
        }
      } else {
        throw Rejection.bad(
            -1102,
            "Param 'origClientOrderIdList' or 'orderIdList' must be sent, but both were empty/null!");
      }
    } catch (Rejection r) {
      throw r;
    } catch (Exception e) {
      throw Rejection.bad(-1130, "Data sent for parameter 'orderIdList' is not valid.");
    }
    if (ids.size() + cids.size() == 0 || ids.size() + cids.size() > 10) {
      throw Rejection.bad(-4082, "Invalid number of batch cancel orders.");
    }
    return engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (Long id : ids) {
            slot(j, ex.cancel(account, s, id, null, now));
          }
          for (String c : cids) {
            slot(j, ex.cancel(account, s, 0, c, now));
          }
          return j.endArr().toString();
        });
  }

  private void slot(Json j, OrderResult r) {
    if (r.error() != null) {
      j.raw(ApiContext.fromEngine(r.error()).body());
    } else {
      wire.order(j, r.order());
    }
  }

  private CompletionStage<String> cancelAll(Params p, String account) {
    String s = api.symbol(p);
    return engine.call(
        (ex, now) -> {
          ex.cancelAll(account, s, now);
          return "{\"code\":200,\"msg\":\"The operation of cancel all open order is done.\"}";
        });
  }

  private CompletionStage<String> openOrders(Params p, String account) {
    String s = api.optSymbol(p);
    return engine.call((ex, now) -> wire.orders(ex.openOrders(account, s)));
  }

  private CompletionStage<String> countdown(Params p, String account) {
    String s = api.symbol(p);
    long ms = p.reqLong("countdownTime");
    if (ms < 0) {
      throw Rejection.bad(-1130, "Data sent for parameter 'countdownTime' is not valid.");
    }
    return engine.call(
        (ex, now) -> {
          ex.countdownCancelAll(account, s, ms, now);
          return new Json()
              .obj()
              .str("symbol", s)
              .str("countdownTime", Long.toString(ms))
              .end()
              .toString();
        });
  }
}
