package io.phoenix.sim;

import io.phoenix.sim.engine.IncomeRecord;
import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.SimAmendment;
import io.phoenix.sim.engine.SimError;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Account history and settings beyond orders and positions: income, order history, liquidation
 * orders, ADL quantiles, isolated position margin, multi-assets mode, account configuration,
 * trading-rule indicators and order amendments.
 */
final class AccountEndpoints {
  private final ApiContext api;

  AccountEndpoints(ApiContext api) {
    this.api = api;
  }

  void register(EndpointTable table) {
    Endpoint.Security s = Endpoint.Security.SIGNED;
    table.add("GET", "/fapi/v1/userTrades", Endpoint.w(5), 0, 0, s, this::userTrades);
    table.add("GET", "/fapi/v1/income", Endpoint.w(30), 0, 0, s, this::income);
    table.add("GET", "/fapi/v1/allOrders", Endpoint.w(5), 0, 0, s, this::allOrders);
    table.add("GET", "/fapi/v1/forceOrders", Endpoint.symbolOr(20, 50), 0, 0, s, this::forceOrders);
    table.add("GET", "/fapi/v1/adlQuantile", Endpoint.w(5), 0, 0, s, this::adlQuantile);
    table.add("POST", "/fapi/v1/positionMargin", Endpoint.w(1), 0, 0, s, this::positionMargin);
    table.add(
        "GET",
        "/fapi/v1/multiAssetsMargin",
        Endpoint.w(30),
        0,
        0,
        s,
        (p, a) ->
            api.engine.call((ex, now) -> "{\"multiAssetsMargin\":" + ex.multiAssets(a) + "}"));
    table.add("POST", "/fapi/v1/multiAssetsMargin", Endpoint.w(1), 0, 0, s, this::setMultiAssets);
    table.add("GET", "/fapi/v1/accountConfig", Endpoint.w(5), 0, 0, s, this::accountConfig);
    table.add(
        "GET",
        "/fapi/v1/apiTradingStatus",
        Endpoint.symbolOr(1, 10),
        0,
        0,
        s,
        (p, a) -> ApiContext.done("{\"indicators\":{},\"updateTime\":" + api.clock.now() + "}"));
    table.add("GET", "/fapi/v1/orderAmendment", Endpoint.w(1), 0, 0, s, this::orderAmendment);
  }

  private static int limit(Params p, int dflt, int max) {
    int limit = p.optInt("limit", dflt);
    if (limit < 1 || limit > max) {
      throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    return limit;
  }

  private CompletionStage<String> income(Params p, String account) {
    String s = api.optSymbol(p);
    String type = p.opt("incomeType");
    int limit = limit(p, 100, 1000);
    int page = Math.max(1, p.optInt("page", 1));
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    return api.engine.call(
        (ex, now) -> {
          List<IncomeRecord> all = ex.income(account, s, type, start, end, page * limit);
          Json j = new Json().arr();
          for (IncomeRecord r : all.subList(Math.min(all.size(), (page - 1) * limit), all.size())) {
            j.obj()
                .str("symbol", r.symbol())
                .str("incomeType", r.incomeType())
                .str("income", Json.dec(r.income(), Wire.MONEY))
                .str("asset", r.asset())
                .str("info", r.incomeType())
                .num("time", r.time())
                .num("tranId", r.tranId())
                .str("tradeId", r.tradeId() == 0 ? "" : Long.toString(r.tradeId()))
                .end();
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> allOrders(Params p, String account) {
    String s = api.symbol(p);
    int limit = limit(p, 500, 1000);
    long orderId = p.optLong("orderId", 0);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    return api.engine.call(
        (ex, now) -> api.wire.orders(ex.allOrders(account, s, orderId, start, end, limit)));
  }

  private CompletionStage<String> forceOrders(Params p, String account) {
    String s = api.optSymbol(p);
    String type = p.opt("autoCloseType");
    if (type != null && !type.equals("LIQUIDATION") && !type.equals("ADL")) {
      throw Rejection.bad(-1130, "Data sent for parameter 'autoCloseType' is not valid.");
    }
    int limit = limit(p, 50, 100);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    return api.engine.call(
        (ex, now) -> {
          // the simulator never auto-deleverages: ADL asks for nothing
          List<SimOrder> orders =
              "ADL".equals(type) ? List.of() : ex.forceOrders(account, s, start, end, limit);
          Json j = new Json().arr();
          for (SimOrder o : orders) {
            String sym = o.symbol();
            j.obj()
                .num("orderId", o.orderId())
                .str("symbol", sym)
                .str("status", o.status().name())
                .str("clientOrderId", o.clientOrderId())
                .str("price", api.wire.price(sym, o.priceTicks()))
                .str("avgPrice", api.wire.avg(sym, o.avgPrice()))
                .str("origQty", api.wire.qty(sym, o.origQtySteps()))
                .str("executedQty", api.wire.qty(sym, o.executedQtySteps()))
                .str("cumQuote", Json.dec(o.cumQuote(), Wire.MONEY))
                .str("timeInForce", "IOC")
                .str("type", "LIMIT")
                .bool("reduceOnly", false)
                .bool("closePosition", false)
                .str("side", o.side().name())
                .str("positionSide", o.positionSide().name())
                .str("stopPrice", "0")
                .str("workingType", "CONTRACT_PRICE")
                .str("origType", "LIMIT")
                .num("time", o.time())
                .num("updateTime", o.updateTime())
                .end();
          }
          return j.endArr().toString();
        });
  }

  /**
   * ADL queue position 0 (none) to 4 (first in line) per side: the simulator ranks a winning
   * position by its return on margin, a losing one at 1.
   */
  private CompletionStage<String> adlQuantile(Params p, String account) {
    String s = api.optSymbol(p);
    return api.engine.call(
        (ex, now) -> {
          boolean hedge = ex.dualSide(account);
          Json j = new Json().arr();
          for (String sym : api.symbolsOf(s)) {
            List<SimPosition> legs = ex.positions(account, sym);
            if (legs.stream().allMatch(x -> x.amountSteps() == 0)) {
              continue;
            }
            int longQ = 0;
            int shortQ = 0;
            for (SimPosition x : legs) {
              int q = quantile(api, x);
              if (x.amountSteps() > 0) {
                longQ = Math.max(longQ, q);
              } else if (x.amountSteps() < 0) {
                shortQ = Math.max(shortQ, q);
              }
            }
            j.obj().str("symbol", sym).obj("adlQuantile").num("LONG", longQ).num("SHORT", shortQ);
            if (hedge && !legs.get(0).isolated()) {
              j.num("HEDGE", 0);
            } else {
              j.num("BOTH", Math.max(longQ, shortQ));
            }
            j.end().end();
          }
          return j.endArr().toString();
        });
  }

  private static int quantile(ApiContext api, SimPosition x) {
    if (x.amountSteps() == 0) {
      return 0;
    }
    double notional =
        Math.abs(
            api.wire.instrument(x.symbol()).quantity().toDouble(x.amountSteps()) * x.markPrice());
    double margin = notional / Math.max(1, x.leverage());
    double ratio = margin == 0 ? 0 : x.unrealizedPnl() / margin;
    return ratio <= 0 ? 1 : ratio < 0.1 ? 2 : ratio < 0.5 ? 3 : 4;
  }

  private CompletionStage<String> positionMargin(Params p, String account) {
    String s = api.symbol(p);
    PositionSide side = OrderFields.positionSide(p.opt("positionSide"));
    BigDecimal amount;
    try {
      amount = new BigDecimal(p.req("amount"));
    } catch (NumberFormatException e) {
      throw Rejection.mandatory("amount");
    }
    if (amount.signum() <= 0) {
      throw Rejection.bad(-4055, "Amount must be positive.");
    }
    int type = p.optInt("type", 0);
    if (type != 1 && type != 2) {
      throw Rejection.bad(-1130, "Data sent for parameter 'type' is not valid.");
    }
    double value = amount.doubleValue();
    return api.engine.call(
        (ex, now) -> {
          SimError e = ex.modifyPositionMargin(account, s, side, value, type, now);
          if (e != null) {
            throw ApiContext.fromEngine(e);
          }
          return new Json()
              .obj()
              .raw("amount", amount.toPlainString())
              .num("code", 200)
              .str("msg", "Successfully modify position margin.")
              .num("type", type)
              .end()
              .toString();
        });
  }

  private CompletionStage<String> setMultiAssets(Params p, String account) {
    if (!p.has("multiAssetsMargin")) {
      throw Rejection.mandatory("multiAssetsMargin");
    }
    boolean on = p.optBool("multiAssetsMargin", false);
    return api.engine.call(
        (ex, now) -> {
          ex.setMultiAssets(account, on);
          api.hub.deferUser(
              account,
              new Json()
                  .obj()
                  .str("e", "ACCOUNT_CONFIG_UPDATE")
                  .num("E", now)
                  .num("T", now)
                  .obj("ai")
                  .bool("j", on)
                  .end()
                  .end()
                  .toString());
          return "{\"code\":200,\"msg\":\"success\"}";
        });
  }

  private CompletionStage<String> accountConfig(Params p, String account) {
    return api.engine.call(
        (ex, now) ->
            new Json()
                .obj()
                .num("feeTier", 0)
                .bool("canTrade", true)
                .bool("canDeposit", true)
                .bool("canWithdraw", true)
                .bool("dualSidePosition", ex.dualSide(account))
                .num("updateTime", 0)
                .bool("multiAssetsMargin", ex.multiAssets(account))
                .num("tradeGroupId", -1)
                .end()
                .toString());
  }

  private CompletionStage<String> orderAmendment(Params p, String account) {
    String s = api.symbol(p);
    long orderId = p.optLong("orderId", 0);
    String cid = p.opt("origClientOrderId");
    int limit = limit(p, 50, 100);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (SimAmendment a : ex.amendments(account, s, orderId, cid, start, end, limit)) {
            j.obj()
                .num("amendmentId", a.amendmentId())
                .str("symbol", s)
                .str("pair", s)
                .num("orderId", a.orderId())
                .str("clientOrderId", a.clientOrderId())
                .num("time", a.time())
                .obj("amendment")
                .obj("price")
                .str("before", api.wire.price(s, a.priceBefore()))
                .str("after", api.wire.price(s, a.priceAfter()))
                .end()
                .obj("origQty")
                .str("before", api.wire.qty(s, a.qtyBefore()))
                .str("after", api.wire.qty(s, a.qtyAfter()))
                .end()
                .num("count", a.count())
                .end()
                .end();
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> userTrades(Params p, String account) {
    String s = api.symbol(p);
    long fromId = p.optLong("fromId", -1);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    long orderId = p.optLong("orderId", -1);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (SimFill f : ex.userTrades(account, s, fromId, start, end, limit)) {
            if (orderId < 0 || f.orderId() == orderId) {
              api.wire.userTrade(j, f);
            }
          }
          return j.endArr().toString();
        });
  }
}
