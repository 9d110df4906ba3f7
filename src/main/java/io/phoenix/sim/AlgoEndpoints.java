package io.phoenix.sim;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.AlgoResult;
import io.phoenix.sim.engine.AlgoType;
import io.phoenix.sim.engine.NewAlgoOrder;
import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimAlgoOrder;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.TimeInForce;
import io.phoenix.sim.engine.WorkingType;
import java.util.concurrent.CompletionStage;

/**
 * The Algo Order API ({@code /fapi/v1/algoOrder} and friends): conditional orders, which Binance no
 * longer takes on {@code /fapi/v1/order} (-4120).
 */
final class AlgoEndpoints {
  private final ApiContext api;

  AlgoEndpoints(ApiContext api) {
    this.api = api;
  }

  void register(EndpointTable table) {
    Endpoint.Security s = Endpoint.Security.SIGNED;
    table.add("POST", "/fapi/v1/algoOrder", Endpoint.w(0), 1, 1, s, this::place);
    table.add("DELETE", "/fapi/v1/algoOrder", Endpoint.w(1), 0, 0, s, this::cancel);
    table.add("GET", "/fapi/v1/algoOrder", Endpoint.w(1), 0, 0, s, this::query);
    table.add("GET", "/fapi/v1/openAlgoOrders", Endpoint.symbolOr(1, 40), 0, 0, s, this::open);
    table.add("GET", "/fapi/v1/allAlgoOrders", Endpoint.w(5), 0, 0, s, this::all);
    table.add("DELETE", "/fapi/v1/algoOpenOrders", Endpoint.w(1), 0, 0, s, this::cancelAll);
  }

  NewAlgoOrder parse(Params p) {
    String algoType = p.req("algoType");
    if (!algoType.equals("CONDITIONAL")) {
      throw Rejection.bad(-1130, "Data sent for parameter 'algoType' is not valid.");
    }
    String symbol = api.symbol(p);
    Instrument in = api.wire.instrument(symbol);
    Side side = OrderFields.side(p.req("side"));
    AlgoType type;
    try {
      type = AlgoType.valueOf(p.req("type"));
    } catch (IllegalArgumentException e) {
      throw Rejection.bad(-1116, "Invalid orderType.");
    }
    PositionSide ps = OrderFields.positionSide(p.opt("positionSide"));
    boolean closePosition = p.optBool("closePosition", false);
    long qty = 0;
    if (closePosition) {
      if (p.has("quantity")) {
        throw Rejection.bad(-1106, "Parameter 'quantity' sent when not required.");
      }
      if (p.has("reduceOnly")) {
        throw Rejection.bad(-1106, "Parameter 'reduceOnly' sent when not required.");
      }
    } else {
      qty = p.decimal("quantity", in.quantity(), false);
      if (qty <= 0) {
        throw Rejection.bad(-4003, "Quantity less than or equal to zero.");
      }
    }
    long price = 0;
    TimeInForce tif =
        p.has("timeInForce") ? OrderFields.tif(p.req("timeInForce")) : TimeInForce.GTC;
    if (!type.market()) {
      price = p.decimal("price", in.price(), true);
    } else if (p.has("price")) {
      throw Rejection.bad(-1106, "Parameter 'price' sent when not required.");
    }
    long trigger = 0;
    long activate = 0;
    double callback = 0;
    if (type == AlgoType.TRAILING_STOP_MARKET) {
      String act =
          p.has("activatePrice")
              ? "activatePrice"
              : p.has("activationPrice") ? "activationPrice" : null;
      activate = act == null ? 0 : p.decimal(act, in.price(), true);
      try {
        callback = Double.parseDouble(p.req("callbackRate"));
      } catch (NumberFormatException e) {
        throw Rejection.mandatory("callbackRate");
      }
    } else {
      trigger =
          p.decimal(
              p.has("triggerPrice")
                  ? "triggerPrice"
                  : p.has("triggerprice") ? "triggerprice" : "triggerPrice",
              in.price(),
              true);
    }
    WorkingType wt;
    try {
      wt =
          WorkingType.valueOf(
              p.opt("workingType") == null ? "CONTRACT_PRICE" : p.opt("workingType"));
    } catch (IllegalArgumentException e) {
      throw Rejection.bad(-1130, "Data sent for parameter 'workingType' is not valid.");
    }
    String pm = p.opt("priceMatch");
    if (pm != null && !pm.equals("NONE")) {
      throw Rejection.bad(-5037, "Invalid price match.");
    }
    String cid = p.opt("clientAlgoId");
    if (cid != null && !OrderFields.CLIENT_ID.matcher(cid).matches()) {
      throw Rejection.bad(-4015, "Client order id is not valid.");
    }
    StpMode stp = OrderFields.stp(p.opt("selfTradePreventionMode"));
    return new NewAlgoOrder(
        symbol,
        side,
        ps,
        type,
        tif,
        qty,
        price,
        trigger,
        wt,
        closePosition,
        p.optBool("priceProtect", false),
        p.optBool("reduceOnly", false),
        activate,
        callback,
        cid,
        stp);
  }

  private CompletionStage<String> place(Params p, String account) {
    NewAlgoOrder o = parse(p);
    return api.engine.call((ex, now) -> api.wire.algoOrder(unwrap(ex.placeAlgo(account, o, now))));
  }

  private record AlgoRef(long algoId, String clientAlgoId) {}

  private static AlgoRef ref(Params p) {
    long id = p.optLong("algoId", 0);
    String cid = p.opt("clientAlgoId");
    if (id == 0 && cid == null) {
      throw Rejection.bad(
          -1102, "Param 'clientAlgoId' or 'algoId' must be sent, but both were empty/null!");
    }
    return new AlgoRef(id, id != 0 ? null : cid);
  }

  private CompletionStage<String> cancel(Params p, String account) {
    AlgoRef r = ref(p);
    return api.engine.call(
        (ex, now) -> {
          SimAlgoOrder a = unwrap(ex.cancelAlgo(account, r.algoId(), r.clientAlgoId(), now));
          return new Json()
              .obj()
              .num("algoId", a.algoId())
              .str("clientAlgoId", a.order().clientAlgoId())
              .str("code", "200")
              .str("msg", "success")
              .end()
              .toString();
        });
  }

  private CompletionStage<String> query(Params p, String account) {
    AlgoRef r = ref(p);
    return api.engine.call(
        (ex, now) ->
            api.wire.algoOrder(unwrap(ex.queryAlgo(account, r.algoId(), r.clientAlgoId()))));
  }

  private CompletionStage<String> open(Params p, String account) {
    String s = api.optSymbol(p);
    long algoId = p.optLong("algoId", 0);
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (SimAlgoOrder a : ex.openAlgos(account, s)) {
            if (algoId == 0 || a.algoId() == algoId) {
              api.wire.algoOrder(j, a);
            }
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> all(Params p, String account) {
    String s = api.symbol(p);
    int limit = p.optInt("limit", 500);
    if (limit < 1 || limit > 1000) {
      throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    long algoId = p.optLong("algoId", 0);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (SimAlgoOrder a : ex.allAlgos(account, s, algoId, start, end, limit)) {
            api.wire.algoOrder(j, a);
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> cancelAll(Params p, String account) {
    String s = api.symbol(p);
    return api.engine.call(
        (ex, now) -> {
          ex.cancelAllAlgos(account, s, now);
          return "{\"code\":200,\"msg\":\"The operation of cancel all open order is done.\"}";
        });
  }

  private static SimAlgoOrder unwrap(AlgoResult r) {
    if (r.error() != null) {
      throw ApiContext.fromEngine(r.error());
    }
    return r.algo();
  }
}
