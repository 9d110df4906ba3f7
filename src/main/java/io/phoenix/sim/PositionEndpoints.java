package io.phoenix.sim;

import io.phoenix.config.SimSettings;
import io.phoenix.sim.engine.MarkInfo;
import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.SimBalance;
import io.phoenix.sim.engine.SimError;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Positions, balances and per-symbol settings: position risk (v2 and v3), balance, account,
 * leverage, margin type, position mode, commission rate, leverage brackets and symbol
 * configuration.
 */
final class PositionEndpoints {
  private final ApiContext api;
  private final SimSettings settings;
  private final Wire wire;
  private final EngineLoop engine;
  private final StreamHub hub;

  PositionEndpoints(ApiContext api) {
    this.api = api;
    this.settings = api.settings;
    this.wire = api.wire;
    this.engine = api.engine;
    this.hub = api.hub;
  }

  void register(EndpointTable table) {
    Endpoint.Security s = Endpoint.Security.SIGNED;
    table.add(
        "GET",
        "/fapi/v2/positionRisk",
        Endpoint.w(5),
        0,
        0,
        s,
        (p, a) -> positionRisk(p, a, false));
    table.add(
        "GET", "/fapi/v3/positionRisk", Endpoint.w(5), 0, 0, s, (p, a) -> positionRisk(p, a, true));
    table.add("GET", "/fapi/v2/balance", Endpoint.w(5), 0, 0, s, this::balance);
    table.add("GET", "/fapi/v3/balance", Endpoint.w(5), 0, 0, s, this::balance);
    table.add("GET", "/fapi/v2/account", Endpoint.w(5), 0, 0, s, (p, a) -> account(a, false));
    table.add("GET", "/fapi/v3/account", Endpoint.w(5), 0, 0, s, (p, a) -> account(a, true));
    table.add("POST", "/fapi/v1/leverage", Endpoint.w(1), 0, 0, s, this::leverage);
    table.add("POST", "/fapi/v1/marginType", Endpoint.w(1), 0, 0, s, this::marginType);
    table.add("GET", "/fapi/v1/positionSide/dual", Endpoint.w(30), 0, 0, s, this::getDual);
    table.add("POST", "/fapi/v1/positionSide/dual", Endpoint.w(1), 0, 0, s, this::setDual);
    table.add("GET", "/fapi/v1/commissionRate", Endpoint.w(20), 0, 0, s, this::commissionRate);
    table.add("GET", "/fapi/v1/leverageBracket", Endpoint.w(1), 0, 0, s, this::leverageBracket);
    table.add("GET", "/fapi/v1/symbolConfig", Endpoint.w(5), 0, 0, s, this::symbolConfig);
  }

  private CompletionStage<String> positionRisk(Params p, String account, boolean v3) {
    String sym = api.optSymbol(p);
    return engine.call(
        (ex, now) -> {
          List<SimPosition> positions = ex.positions(account, sym);
          Map<String, Boolean> withOrders = new HashMap<>();
          for (SimOrder o : ex.openOrders(account, sym)) {
            withOrders.put(o.symbol(), true);
          }
          Json j = new Json().arr();
          Map<String, Boolean> seen = new HashMap<>();
          for (SimPosition pos : positions) {
            seen.put(pos.symbol(), true);
            if (v3 && pos.amountSteps() == 0 && !withOrders.containsKey(pos.symbol())) {
              continue;
            }
            position(j, pos, v3);
          }
          if (!v3) {
            for (String s : api.symbolsOf(sym)) {
              if (!seen.containsKey(s)) {
                MarkInfo m = ex.mark(s);
                position(
                    j,
                    new SimPosition(
                        s,
                        PositionSide.BOTH,
                        0,
                        0,
                        0,
                        wire.instrument(s).price().toDouble(m.markPriceTicks()),
                        0,
                        0,
                        ex.leverage(account, s),
                        false,
                        0,
                        0,
                        0,
                        0),
                    false);
              }
            }
          }
          return j.endArr().toString();
        });
  }

  private void position(Json j, SimPosition pos, boolean v3) {
    String s = pos.symbol();
    double amt = wire.instrument(s).quantity().toDouble(pos.amountSteps());
    double notional = amt * pos.markPrice();
    j.obj()
        .str("symbol", s)
        .str("positionSide", pos.positionSide().name())
        .str("positionAmt", wire.qty(s, pos.amountSteps()))
        .str("entryPrice", wire.avg(s, pos.entryPrice()))
        .str("breakEvenPrice", wire.avg(s, pos.breakEvenPrice()))
        .str("markPrice", wire.avg(s, pos.markPrice()))
        .str("unRealizedProfit", Json.dec(pos.unrealizedPnl(), Wire.MONEY))
        .str("liquidationPrice", wire.avg(s, pos.liquidationPrice()))
        .str(
            "isolatedMargin",
            Json.dec(pos.isolated() ? pos.isolatedWallet() + pos.unrealizedPnl() : 0, Wire.MONEY))
        .str("notional", Json.dec(notional, Wire.MONEY))
        .str("isolatedWallet", Json.dec(pos.isolatedWallet(), Wire.MONEY));
    if (v3) {
      double im = Math.abs(notional) / Math.max(1, pos.leverage());
      j.str("marginAsset", "USDT")
          .str("initialMargin", Json.dec(im, Wire.MONEY))
          .str("maintMargin", Json.dec(pos.maintMargin(), Wire.MONEY))
          .str("positionInitialMargin", Json.dec(im, Wire.MONEY))
          .str("openOrderInitialMargin", "0")
          .num("adl", 0)
          .str("bidNotional", "0")
          .str("askNotional", "0");
    } else {
      j.str("leverage", Integer.toString(pos.leverage()))
          .str("maxNotionalValue", "25000000")
          .str("marginType", pos.isolated() ? "isolated" : "cross")
          .str("isAutoAddMargin", "false");
    }
    j.num("updateTime", pos.updateTime()).end();
  }

  private CompletionStage<String> balance(Params p, String account) {
    return engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (SimBalance b : ex.balances(account)) {
            j.obj()
                .str("accountAlias", "SimPhoenix")
                .str("asset", b.asset())
                .str("balance", Json.dec(b.walletBalance(), Wire.MONEY))
                .str("crossWalletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
                .str("crossUnPnl", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
                .str("availableBalance", Json.dec(b.availableBalance(), Wire.MONEY))
                .str("maxWithdrawAmount", Json.dec(b.availableBalance(), Wire.MONEY))
                .bool("marginAvailable", true)
                .num("updateTime", b.updateTime())
                .end();
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> account(String account, boolean v3) {
    return engine.call(
        (ex, now) -> {
          List<SimBalance> balances = ex.balances(account);
          List<SimPosition> positions = ex.positions(account, null);
          double wallet = 0;
          double upnl = 0;
          double avail = 0;
          for (SimBalance b : balances) {
            wallet += b.walletBalance();
            upnl += b.crossUnrealizedPnl();
            avail += b.availableBalance();
          }
          double im = 0;
          for (SimPosition pos : positions) {
            im +=
                Math.abs(
                        wire.instrument(pos.symbol()).quantity().toDouble(pos.amountSteps())
                            * pos.markPrice())
                    / Math.max(1, pos.leverage());
          }
          Json j = new Json().obj();
          if (!v3) {
            j.num("feeTier", 0)
                .bool("feeBurn", false)
                .bool("canTrade", true)
                .bool("canDeposit", true)
                .bool("canWithdraw", true)
                .num("updateTime", 0)
                .bool("multiAssetsMargin", false)
                .num("tradeGroupId", -1);
          }
          double mm = ex.maintenanceMargin(account);
          j.str("totalInitialMargin", Json.dec(im, Wire.MONEY))
              .str("totalMaintMargin", Json.dec(mm, Wire.MONEY))
              .str("totalWalletBalance", Json.dec(wallet, Wire.MONEY))
              .str("totalUnrealizedProfit", Json.dec(upnl, Wire.MONEY))
              .str("totalMarginBalance", Json.dec(wallet + upnl, Wire.MONEY))
              .str("totalPositionInitialMargin", Json.dec(im, Wire.MONEY))
              .str("totalOpenOrderInitialMargin", "0")
              .str("totalCrossWalletBalance", Json.dec(wallet, Wire.MONEY))
              .str("totalCrossUnPnl", Json.dec(upnl, Wire.MONEY))
              .str("availableBalance", Json.dec(avail, Wire.MONEY))
              .str("maxWithdrawAmount", Json.dec(avail, Wire.MONEY));
          j.arr("assets");
          for (SimBalance b : balances) {
            j.obj()
                .str("asset", b.asset())
                .str("walletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
                .str("unrealizedProfit", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
                .str(
                    "marginBalance",
                    Json.dec(b.walletBalance() + b.crossUnrealizedPnl(), Wire.MONEY))
                .str("maintMargin", Json.dec(mm, Wire.MONEY))
                .str("initialMargin", Json.dec(im, Wire.MONEY))
                .str("positionInitialMargin", Json.dec(im, Wire.MONEY))
                .str("openOrderInitialMargin", "0")
                .str("crossWalletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
                .str("crossUnPnl", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
                .str("availableBalance", Json.dec(b.availableBalance(), Wire.MONEY))
                .str("maxWithdrawAmount", Json.dec(b.availableBalance(), Wire.MONEY))
                .bool("marginAvailable", true)
                .num("updateTime", b.updateTime())
                .end();
          }
          j.endArr().arr("positions");
          for (SimPosition pos : positions) {
            if (v3 && pos.amountSteps() == 0) {
              continue;
            }
            String s = pos.symbol();
            double notional =
                wire.instrument(s).quantity().toDouble(pos.amountSteps()) * pos.markPrice();
            j.obj()
                .str("symbol", s)
                .str("positionSide", pos.positionSide().name())
                .str("positionAmt", wire.qty(s, pos.amountSteps()))
                .str("unrealizedProfit", Json.dec(pos.unrealizedPnl(), Wire.MONEY))
                .str(
                    "isolatedMargin",
                    Json.dec(
                        pos.isolated() ? pos.isolatedWallet() + pos.unrealizedPnl() : 0,
                        Wire.MONEY))
                .str("notional", Json.dec(notional, Wire.MONEY))
                .str("isolatedWallet", Json.dec(pos.isolatedWallet(), Wire.MONEY))
                .str(
                    "initialMargin",
                    Json.dec(Math.abs(notional) / Math.max(1, pos.leverage()), Wire.MONEY))
                .str("maintMargin", Json.dec(pos.maintMargin(), Wire.MONEY));
            if (!v3) {
              j.str("leverage", Integer.toString(pos.leverage()))
                  .bool("isolated", pos.isolated())
                  .str("entryPrice", wire.avg(s, pos.entryPrice()))
                  .str("maxNotional", "25000000")
                  .str("bidNotional", "0")
                  .str("askNotional", "0");
            }
            j.num("updateTime", pos.updateTime()).end();
          }
          return j.endArr().end().toString();
        });
  }

  private CompletionStage<String> leverage(Params p, String account) {
    String s = api.symbol(p);
    long lev = p.reqLong("leverage");
    if (lev < 1 || lev > 125) {
      throw Rejection.bad(-4028, "Leverage " + lev + " is not valid");
    }
    return engine.call(
        (ex, now) -> {
          SimError e = ex.setLeverage(account, s, (int) lev);
          if (e != null) {
            throw ApiContext.fromEngine(e);
          }
          hub.deferUser(
              account,
              new Json()
                  .obj()
                  .str("e", "ACCOUNT_CONFIG_UPDATE")
                  .num("E", now)
                  .num("T", now)
                  .obj("ac")
                  .str("s", s)
                  .num("l", lev)
                  .end()
                  .end()
                  .toString());
          return new Json()
              .obj()
              .num("leverage", lev)
              .str("maxNotionalValue", "25000000")
              .str("symbol", s)
              .end()
              .toString();
        });
  }

  private CompletionStage<String> marginType(Params p, String account) {
    String s = api.symbol(p);
    String type = p.req("marginType");
    boolean isolated;
    if (type.equals("ISOLATED")) {
      isolated = true;
    } else if (type.equals("CROSSED")) {
      isolated = false;
    } else {
      throw Rejection.bad(-1130, "Data sent for parameter 'marginType' is not valid.");
    }
    return engine.call(
        (ex, now) -> {
          SimError e = ex.setMarginType(account, s, isolated);
          if (e != null) {
            throw ApiContext.fromEngine(e);
          }
          return "{\"code\":200,\"msg\":\"success\"}";
        });
  }

  private CompletionStage<String> getDual(Params p, String account) {
    return engine.call((ex, now) -> "{\"dualSidePosition\":" + ex.dualSide(account) + "}");
  }

  private CompletionStage<String> setDual(Params p, String account) {
    if (!p.has("dualSidePosition")) {
      throw Rejection.mandatory("dualSidePosition");
    }
    boolean dual = p.optBool("dualSidePosition", false);
    return engine.call(
        (ex, now) -> {
          SimError e = ex.setDualSide(account, dual);
          if (e != null) {
            throw ApiContext.fromEngine(e);
          }
          return "{\"code\":200,\"msg\":\"success\"}";
        });
  }

  private CompletionStage<String> commissionRate(Params p, String account) {
    String s = api.symbol(p);
    return ApiContext.done(
        new Json()
            .obj()
            .str("symbol", s)
            .str("makerCommissionRate", Json.dec(settings.makerFeeRate(), 6))
            .str("takerCommissionRate", Json.dec(settings.takerFeeRate(), 6))
            .str("rpiCommissionRate", "0")
            .end()
            .toString());
  }

  /** The brackets the engine's maintenance margin and liquidation use (Binance's BTCUSDT table). */
  private CompletionStage<String> leverageBracket(Params p, String account) {
    String sym = api.optSymbol(p);
    Json j = new Json();
    if (sym == null) {
      j.arr();
    }
    for (String s : api.symbolsOf(sym)) {
      j.obj().str("symbol", s).raw("notionalCoef", "1.0").arr("brackets");
      for (io.phoenix.sim.engine.Brackets.Bracket b : io.phoenix.sim.engine.Brackets.DEFAULT) {
        j.obj()
            .num("bracket", b.bracket())
            .num("initialLeverage", b.initialLeverage())
            .num("notionalCap", b.notionalCap())
            .num("notionalFloor", b.notionalFloor())
            .raw(
                "maintMarginRatio",
                java.math.BigDecimal.valueOf(b.maintMarginRatio()).toPlainString())
            .raw("cum", java.math.BigDecimal.valueOf(b.cum()).stripTrailingZeros().toPlainString())
            .end();
      }
      j.endArr().end();
    }
    if (sym == null) {
      j.endArr();
    }
    return ApiContext.done(j.toString());
  }

  private CompletionStage<String> symbolConfig(Params p, String account) {
    String sym = api.optSymbol(p);
    return engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          Map<String, Boolean> isolated = new HashMap<>();
          for (SimPosition pos : ex.positions(account, sym)) {
            isolated.put(pos.symbol(), pos.isolated());
          }
          for (String s : api.symbolsOf(sym)) {
            j.obj()
                .str("symbol", s)
                .str("marginType", isolated.getOrDefault(s, false) ? "ISOLATED" : "CROSSED")
                .bool("isAutoAddMargin", false)
                .num("leverage", ex.leverage(account, s))
                .str("maxNotionalValue", "1000000000")
                .end();
          }
          return j.endArr().toString();
        });
  }
}
