package io.phoenix.sim;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.AlgoType;
import io.phoenix.sim.engine.DepthSnapshot;
import io.phoenix.sim.engine.Kline;
import io.phoenix.sim.engine.Level;
import io.phoenix.sim.engine.OrderStatus;
import io.phoenix.sim.engine.OrderType;
import io.phoenix.sim.engine.SimAlgoOrder;
import io.phoenix.sim.engine.SimBalance;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.util.List;
import java.util.Map;

/**
 * Binance's JSON shapes for the engine's records: the REST order object, positions, balances,
 * fills, depth, and the user-stream events. Decimals are strings, ids and times integers.
 */
final class Wire {
  static final int MONEY = 8;
  private final Map<String, Instrument> instruments;

  Wire(Map<String, Instrument> instruments) {
    this.instruments = instruments;
  }

  Instrument instrument(String symbol) {
    Instrument i = symbol == null ? null : instruments.get(symbol);
    if (i == null) {
      throw Rejection.bad(-1121, "Invalid symbol.");
    }
    return i;
  }

  Map<String, Instrument> instruments() {
    return instruments;
  }

  String price(String symbol, long ticks) {
    return instruments.get(symbol).price().format(ticks);
  }

  String qty(String symbol, long steps) {
    return instruments.get(symbol).quantity().format(steps);
  }

  /** Average/entry prices are not on the tick grid: written with the tick's decimals plus two. */
  String avg(String symbol, double price) {
    return Json.dec(price, instruments.get(symbol).price().decimals() + 2);
  }

  void order(Json j, SimOrder o) {
    String s = o.symbol();
    String tif = o.timeInForce() == null ? "GTC" : o.timeInForce().name();
    // REST shows a liquidation as the IOC limit order at the bankruptcy price it is
    String type = o.type() == OrderType.LIQUIDATION ? "LIMIT" : o.type().name();
    String origType = o.type() == OrderType.LIQUIDATION ? "LIMIT" : o.origType();
    j.obj()
        .num("orderId", o.orderId())
        .str("symbol", s)
        .str("status", o.status().name())
        .str("clientOrderId", o.clientOrderId())
        .str("price", o.type() == OrderType.MARKET ? "0" : price(s, o.priceTicks()))
        .str("avgPrice", avg(s, o.avgPrice()))
        .str("origQty", qty(s, o.origQtySteps()))
        .str("executedQty", qty(s, o.executedQtySteps()))
        .str("cumQty", qty(s, o.executedQtySteps()))
        .str("cumQuote", Json.dec(o.cumQuote(), MONEY))
        .str("timeInForce", tif)
        .str("type", type)
        .bool("reduceOnly", o.reduceOnly())
        .bool("closePosition", o.closePosition())
        .str("side", o.side().name())
        .str("positionSide", o.positionSide().name())
        .str("stopPrice", o.stopPriceTicks() == 0 ? "0" : price(s, o.stopPriceTicks()))
        .str("workingType", o.workingType().name())
        .bool("priceProtect", o.priceProtect())
        .str("origType", origType)
        .str("priceMatch", "NONE")
        .str("selfTradePreventionMode", o.stpMode() == null ? "NONE" : o.stpMode().name())
        .num("goodTillDate", 0)
        .num("time", o.time())
        .num("updateTime", o.updateTime())
        .end();
  }

  String order(SimOrder o) {
    Json j = new Json();
    order(j, o);
    return j.toString();
  }

  String orders(List<SimOrder> orders) {
    Json j = new Json().arr();
    for (SimOrder o : orders) {
      order(j, o);
    }
    return j.endArr().toString();
  }

  void levels(Json j, String key, String symbol, List<Level> levels) {
    j.arr(key);
    Instrument in = instruments.get(symbol);
    for (Level l : levels) {
      j.arr()
          .str(in.price().format(l.priceTicks()))
          .str(in.quantity().format(l.qtySteps()))
          .endArr();
    }
    j.endArr();
  }

  String depth(String symbol, DepthSnapshot d) {
    Json j =
        new Json()
            .obj()
            .num("lastUpdateId", d.lastUpdateId())
            .num("E", d.eventTime())
            .num("T", d.transactionTime());
    levels(j, "bids", symbol, d.bids());
    levels(j, "asks", symbol, d.asks());
    return j.end().toString();
  }

  /** ORDER_TRADE_UPDATE with every field of the reference's table 9.1. */
  String orderTradeUpdate(
      String executionType, SimOrder o, SimFill f, long time, double bids, double asks) {
    String s = o.symbol();
    Json j =
        new Json()
            .obj()
            .str("e", "ORDER_TRADE_UPDATE")
            .num("E", time)
            .num("T", time)
            .obj("o")
            .str("s", s)
            .str("c", o.clientOrderId())
            .str("S", o.side().name())
            .str("o", o.type().name())
            .str("f", o.timeInForce() == null ? "GTC" : o.timeInForce().name())
            .str("q", qty(s, o.origQtySteps()))
            .str("p", o.type() == OrderType.MARKET ? "0" : price(s, o.priceTicks()))
            .str("ap", avg(s, o.avgPrice()))
            .str("sp", o.stopPriceTicks() == 0 ? "0" : price(s, o.stopPriceTicks()))
            .str("x", executionType)
            .str("X", o.status().name())
            .num("i", o.orderId())
            .str("l", f == null ? "0" : qty(s, f.qtySteps()))
            .str("z", qty(s, o.executedQtySteps()))
            .str("L", f == null ? "0" : price(s, f.priceTicks()));
    if (f != null) {
      j.str("N", f.commissionAsset()).str("n", Json.dec(f.commission(), MONEY));
    }
    j.num("T", f == null ? o.updateTime() : f.time())
        .num("t", f == null ? 0 : f.tradeId())
        .str("b", Json.dec(bids, MONEY))
        .str("a", Json.dec(asks, MONEY))
        .bool("m", f != null && f.maker())
        .bool("R", o.reduceOnly())
        .str("wt", o.workingType().name())
        .str("ot", o.origType())
        .str("ps", o.positionSide().name())
        .bool("cp", o.closePosition())
        .bool("pP", o.priceProtect())
        .num("si", 0)
        .num("ss", 0)
        .str("rp", f == null ? "0" : Json.dec(f.realizedPnl(), MONEY))
        .str("V", o.stpMode() == null ? "NONE" : o.stpMode().name())
        .str("pm", "NONE")
        .num("gtd", 0)
        .str("er", expiryReason(executionType, o));
    return j.end().end().toString();
  }

  private static String expiryReason(String executionType, SimOrder o) {
    if (!"EXPIRED".equals(executionType)) {
      return "0";
    }
    if (o.status() == OrderStatus.EXPIRED_IN_MATCH) {
      return "1";
    }
    return o.type() == OrderType.MARKET ? "9" : "2";
  }

  // ---- conditional orders

  /** The REST object of a conditional order (new, query, open and all algo orders). */
  void algoOrder(Json j, SimAlgoOrder a) {
    String s = a.order().symbol();
    j.obj()
        .num("algoId", a.algoId())
        .str("clientAlgoId", a.order().clientAlgoId())
        .str("algoType", "CONDITIONAL")
        .str("orderType", a.order().type().name())
        .str("symbol", s)
        .str("side", a.order().side().name())
        .str("positionSide", a.order().positionSide().name())
        .str("timeInForce", a.order().timeInForce().name())
        .str("quantity", qty(s, a.order().qtySteps()))
        .str("algoStatus", a.status().name())
        .str("actualOrderId", a.actualOrderId() == 0 ? "" : Long.toString(a.actualOrderId()))
        .str("actualPrice", a.executedQtySteps() == 0 ? "0" : avg(s, a.avgPrice()))
        .str(
            "triggerPrice",
            a.order().triggerPriceTicks() == 0 ? "0" : price(s, a.order().triggerPriceTicks()))
        .str("price", a.order().priceTicks() == 0 ? "0" : price(s, a.order().priceTicks()))
        .str("icebergQuantity", null)
        .str("tpTriggerPrice", "0")
        .str("tpPrice", "0")
        .str("slTriggerPrice", "0")
        .str("slPrice", "0")
        .str("tpOrderType", "")
        .str("selfTradePreventionMode", a.order().stpMode().name())
        .str("workingType", a.order().workingType().name())
        .str("priceMatch", "NONE")
        .bool("closePosition", a.order().closePosition())
        .bool("priceProtect", a.order().priceProtect())
        .bool("reduceOnly", a.order().reduceOnly());
    if (a.order().type() == AlgoType.TRAILING_STOP_MARKET) {
      j.str(
              "activatePrice",
              a.order().activatePriceTicks() == 0 ? "0" : price(s, a.order().activatePriceTicks()))
          .str("callbackRate", Json.dec(a.order().callbackRatePercent(), 1));
    }
    j.num("createTime", a.createTime())
        .num("updateTime", a.updateTime())
        .num("triggerTime", a.triggerTime())
        .num("goodTillDate", 0)
        .end();
  }

  String algoOrder(SimAlgoOrder a) {
    Json j = new Json();
    algoOrder(j, a);
    return j.toString();
  }

  /** ALGO_UPDATE as the user data stream sends it. */
  String algoUpdate(SimAlgoOrder a, long time) {
    String s = a.order().symbol();
    Json j =
        new Json()
            .obj()
            .str("e", "ALGO_UPDATE")
            .num("T", time)
            .num("E", time)
            .obj("o")
            .str("caid", a.order().clientAlgoId())
            .num("aid", a.algoId())
            .str("at", "CONDITIONAL")
            .str("o", a.order().type().name())
            .str("s", s)
            .str("S", a.order().side().name())
            .str("ps", a.order().positionSide().name())
            .str("f", a.order().timeInForce().name())
            .str("q", qty(s, a.order().qtySteps()))
            .str("X", a.status().name())
            .str("ai", a.actualOrderId() == 0 ? "" : Long.toString(a.actualOrderId()))
            .str("ap", a.executedQtySteps() == 0 ? "0" : avg(s, a.avgPrice()))
            .str("aq", qty(s, a.executedQtySteps()))
            .str("act", a.actualType() == null ? "0" : a.actualType().name())
            .str(
                "tp",
                a.order().triggerPriceTicks() == 0 ? "0" : price(s, a.order().triggerPriceTicks()))
            .str("p", a.order().priceTicks() == 0 ? "0" : price(s, a.order().priceTicks()))
            .str("V", a.order().stpMode().name())
            .str("wt", a.order().workingType().name())
            .str("pm", "NONE")
            .bool("cp", a.order().closePosition())
            .bool("pP", a.order().priceProtect())
            .bool("R", a.order().reduceOnly())
            .num("tt", a.triggerTime())
            .num("gtd", 0)
            .str("rm", a.reason());
    return j.end().end().toString();
  }

  /** The public {@code forceOrder} event of a liquidation. */
  String forceOrder(SimOrder o, long time) {
    String s = o.symbol();
    return new Json()
        .obj()
        .str("e", "forceOrder")
        .num("E", time)
        .obj("o")
        .str("s", s)
        .str("S", o.side().name())
        .str("o", "LIMIT")
        .str("f", "IOC")
        .str("q", qty(s, o.origQtySteps()))
        .str("p", price(s, o.priceTicks()))
        .str("ap", avg(s, o.avgPrice()))
        .str("X", o.status().name())
        .str("l", qty(s, o.executedQtySteps()))
        .str("z", qty(s, o.executedQtySteps()))
        .num("T", o.updateTime())
        .end()
        .end()
        .toString();
  }

  // ---- klines

  /**
   * One REST kline array: open time, OHLC, volume, close time, quote volume, count, taker-buy
   * volumes, ignore.
   */
  void kline(Json j, String symbol, Kline k, boolean prices) {
    j.arr()
        .num(k.openTime())
        .str(price(symbol, k.open()))
        .str(price(symbol, k.high()))
        .str(price(symbol, k.low()))
        .str(price(symbol, k.close()))
        .str(prices ? "0" : qty(symbol, k.volumeSteps()))
        .num(k.closeTime())
        .str(prices ? "0" : Json.dec(k.quoteVolume(), MONEY))
        .num(k.count())
        .str(prices ? "0" : qty(symbol, k.takerBuyVolumeSteps()))
        .str(prices ? "0" : Json.dec(k.takerBuyQuoteVolume(), MONEY))
        .str("0")
        .endArr();
  }

  /** The {@code k} object of a kline stream event. */
  void klineObject(
      Json j, String symbol, String interval, Kline k, boolean closed, boolean withSymbol) {
    j.obj("k").num("t", k.openTime()).num("T", k.closeTime());
    if (withSymbol) {
      j.str("s", symbol);
    }
    j.str("i", interval)
        .num("f", k.firstTradeId())
        .num("L", k.lastTradeId())
        .str("o", price(symbol, k.open()))
        .str("c", price(symbol, k.close()))
        .str("h", price(symbol, k.high()))
        .str("l", price(symbol, k.low()))
        .str("v", qty(symbol, k.volumeSteps()))
        .num("n", k.count())
        .bool("x", closed)
        .str("q", Json.dec(k.quoteVolume(), MONEY))
        .str("V", qty(symbol, k.takerBuyVolumeSteps()))
        .str("Q", Json.dec(k.takerBuyQuoteVolume(), MONEY))
        .str("B", "0")
        .end();
  }

  String tradeLite(SimOrder o, SimFill f, long time) {
    String s = o.symbol();
    return new Json()
        .obj()
        .str("e", "TRADE_LITE")
        .num("E", time)
        .num("T", f.time())
        .str("s", s)
        .str("q", qty(s, o.origQtySteps()))
        .str("p", o.type() == OrderType.MARKET ? "0" : price(s, o.priceTicks()))
        .bool("m", f.maker())
        .str("c", o.clientOrderId())
        .str("S", o.side().name())
        .str("L", price(s, f.priceTicks()))
        .str("l", qty(s, f.qtySteps()))
        .num("t", f.tradeId())
        .num("i", o.orderId())
        .end()
        .toString();
  }

  String accountUpdate(
      String reason, List<SimBalance> balances, List<SimPosition> positions, long time) {
    Json j =
        new Json()
            .obj()
            .str("e", "ACCOUNT_UPDATE")
            .num("E", time)
            .num("T", time)
            .obj("a")
            .str("m", reason)
            .arr("B");
    for (SimBalance b : balances) {
      j.obj()
          .str("a", b.asset())
          .str("wb", Json.dec(b.walletBalance(), MONEY))
          .str("cw", Json.dec(b.walletBalance(), MONEY))
          .str("bc", "0")
          .end();
    }
    j.endArr();
    if (positions != null && !positions.isEmpty()) {
      j.arr("P");
      for (SimPosition p : positions) {
        String s = p.symbol();
        j.obj()
            .str("s", s)
            .str("pa", qty(s, p.amountSteps()))
            .str("ep", avg(s, p.entryPrice()))
            .str("bep", avg(s, p.breakEvenPrice()))
            .str("cr", Json.dec(p.realizedPnlAccum(), MONEY))
            .str("up", Json.dec(p.unrealizedPnl(), MONEY))
            .str("mt", p.isolated() ? "isolated" : "cross")
            .str("iw", Json.dec(p.isolatedWallet(), MONEY))
            .str("ps", p.positionSide().name())
            .end();
      }
      j.endArr();
    }
    return j.end().end().toString();
  }

  void userTrade(Json j, SimFill f) {
    String s = f.symbol();
    double price = instruments.get(s).price().toDouble(f.priceTicks());
    double q = instruments.get(s).quantity().toDouble(f.qtySteps());
    j.obj()
        .bool("buyer", f.side().name().equals("BUY"))
        .str("commission", Json.dec(f.commission(), MONEY))
        .str("commissionAsset", f.commissionAsset())
        .num("id", f.tradeId())
        .bool("maker", f.maker())
        .num("orderId", f.orderId())
        .str("price", price(s, f.priceTicks()))
        .str("qty", qty(s, f.qtySteps()))
        .str("quoteQty", Json.dec(price * q, MONEY))
        .str("realizedPnl", Json.dec(f.realizedPnl(), MONEY))
        .str("side", f.side().name())
        .str("positionSide", f.positionSide().name())
        .str("symbol", s)
        .num("time", f.time())
        .end();
  }
}
