package io.phoenix.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.BookTop;
import io.phoenix.sim.engine.FundingRecord;
import io.phoenix.sim.engine.MarkInfo;
import io.phoenix.sim.engine.ModifyOrder;
import io.phoenix.sim.engine.NewOrder;
import io.phoenix.sim.engine.OrderResult;
import io.phoenix.sim.engine.OrderType;
import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.PublicTrade;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimBalance;
import io.phoenix.sim.engine.SimError;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.Ticker24h;
import io.phoenix.sim.engine.TimeInForce;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The simulator's endpoints independent of transport: REST ({@link RestRoutes}) and the WebSocket
 * trading API ({@link WsApi}) look an {@link Endpoint} up and call its handler with parsed params
 * and the authenticated account. Handlers validate parameters (Binance error codes), then run the
 * engine call on the engine thread and encode the reply.
 */
final class SimApi {
  enum Security { NONE, USER_STREAM, SIGNED }

  interface Handler {
    CompletionStage<String> handle(Params p, String account);
  }

  interface Weight {
    int of(Params p);
  }

  /** One endpoint: IP weight, order-counter increments (10 s, 1 min), security type, handler. */
  record Endpoint(String name, Weight weight, int orders10s, int orders1m, Security security, Handler handler) {
    boolean isOrder() {
      return orders10s > 0 || orders1m > 0;
    }
  }

  static final Pattern CLIENT_ID = Pattern.compile("^[\\.A-Z\\:/a-z0-9_-]{1,36}$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final SimSettings settings;
  final Wire wire;
  final EngineLoop engine;
  final ServerClock clock;
  final StreamHub hub;
  private final String exchangeInfoTail;
  private final Map<String, Endpoint> rest = new HashMap<>();

  /** Server time = wall clock + injected skew. */
  interface ServerClock {
    long now();
  }

  SimApi(SimSettings settings, Wire wire, EngineLoop engine, StreamHub hub, ServerClock clock) {
    this.settings = settings;
    this.wire = wire;
    this.engine = engine;
    this.hub = hub;
    this.clock = clock;
    this.exchangeInfoTail = exchangeInfoTail();
    build();
    new MarketEndpoints(this).register();
    new AlgoEndpoints(this).register();
    new AccountEndpoints(this).register();
  }

  Endpoint rest(String method, String path) {
    return rest.get(method + " " + path);
  }

  void add(String method, String path, Weight w, int o10, int o1m, Security sec, Handler h) {
    rest.put(method + " " + path, new Endpoint(method + " " + path, w, o10, o1m, sec, h));
  }

  static Weight w(int n) {
    return p -> n;
  }

  static Weight symbolOr(int with, int without) {
    return p -> p.has("symbol") ? with : without;
  }

  private void build() {
    Security n = Security.NONE;
    Security s = Security.SIGNED;
    Security u = Security.USER_STREAM;
    add("GET", "/fapi/v1/time", w(1), 0, 0, n, (p, a) -> done("{\"serverTime\":" + clock.now() + "}"));
    add("GET", "/fapi/v1/ping", w(1), 0, 0, n, (p, a) -> done("{}"));
    add("GET", "/fapi/v1/exchangeInfo", w(1), 0, 0, n, (p, a) -> done(exchangeInfo()));
    add("GET", "/fapi/v1/depth", this::depthWeight, 0, 0, n, this::depth);
    add("GET", "/fapi/v1/ticker/bookTicker", symbolOr(2, 5), 0, 0, n, this::bookTicker);
    add("GET", "/fapi/v1/ticker/24hr", symbolOr(1, 40), 0, 0, n, this::ticker24h);
    add("GET", "/fapi/v1/premiumIndex", symbolOr(1, 10), 0, 0, n, this::premiumIndex);
    add("GET", "/fapi/v1/fundingRate", w(1), 0, 0, n, this::fundingRate);
    add("GET", "/fapi/v1/trades", w(5), 0, 0, n, this::trades);
    add("GET", "/fapi/v1/aggTrades", w(20), 0, 0, n, this::aggTrades);
    add("POST", "/fapi/v1/order", w(0), 1, 1, s, this::placeOrder);
    add("POST", "/fapi/v1/order/test", w(0), 0, 0, s, (p, a) -> {
      newOrder(p);
      return done("{}");
    });
    add("GET", "/fapi/v1/rateLimit/order", w(1), 0, 0, s, (p, a) -> done(orderRateLimits()));
    add("GET", "/fapi/v1/order", w(1), 0, 0, s, this::queryOrder);
    add("DELETE", "/fapi/v1/order", w(1), 0, 0, s, this::cancelOrder);
    // like a new order, a modify costs no IP weight, only the order counters (Binance Modify Order)
    add("PUT", "/fapi/v1/order", w(0), 1, 1, s, this::modifyOrder);
    add("POST", "/fapi/v1/batchOrders", w(5), 5, 1, s, this::batchPlace);
    add("PUT", "/fapi/v1/batchOrders", w(5), 5, 1, s, this::batchModify);
    add("DELETE", "/fapi/v1/batchOrders", w(1), 0, 0, s, this::batchCancel);
    add("DELETE", "/fapi/v1/allOpenOrders", w(1), 0, 0, s, this::cancelAll);
    add("GET", "/fapi/v1/openOrders", symbolOr(1, 40), 0, 0, s, this::openOrders);
    add("GET", "/fapi/v1/openOrder", w(1), 0, 0, s, this::openOrder);
    add("POST", "/fapi/v1/countdownCancelAll", w(10), 0, 0, s, this::countdown);
    add("GET", "/fapi/v2/positionRisk", w(5), 0, 0, s, (p, a) -> positionRisk(p, a, false));
    add("GET", "/fapi/v3/positionRisk", w(5), 0, 0, s, (p, a) -> positionRisk(p, a, true));
    add("GET", "/fapi/v2/balance", w(5), 0, 0, s, this::balance);
    add("GET", "/fapi/v3/balance", w(5), 0, 0, s, this::balance);
    add("GET", "/fapi/v2/account", w(5), 0, 0, s, (p, a) -> account(a, false));
    add("GET", "/fapi/v3/account", w(5), 0, 0, s, (p, a) -> account(a, true));
    add("POST", "/fapi/v1/leverage", w(1), 0, 0, s, this::leverage);
    add("POST", "/fapi/v1/marginType", w(1), 0, 0, s, this::marginType);
    add("GET", "/fapi/v1/positionSide/dual", w(30), 0, 0, s, this::getDual);
    add("POST", "/fapi/v1/positionSide/dual", w(1), 0, 0, s, this::setDual);
    add("GET", "/fapi/v1/userTrades", w(5), 0, 0, s, this::userTrades);
    add("GET", "/fapi/v1/commissionRate", w(20), 0, 0, s, this::commissionRate);
    add("GET", "/fapi/v1/leverageBracket", w(1), 0, 0, s, this::leverageBracket);
    add("GET", "/fapi/v1/symbolConfig", w(5), 0, 0, s, this::symbolConfig);
    add("POST", "/fapi/v1/listenKey", w(1), 0, 0, u, this::listenKeyStart);
    add("PUT", "/fapi/v1/listenKey", w(1), 0, 0, u, this::listenKeyKeepAlive);
    add("DELETE", "/fapi/v1/listenKey", w(1), 0, 0, u, this::listenKeyClose);
  }

  static CompletionStage<String> done(String json) {
    return CompletableFuture.completedFuture(json);
  }

  static Rejection fromEngine(SimError e) {
    return Rejection.bad(e.code(), e.msg());
  }

  private static SimOrder unwrap(OrderResult r) {
    if (r.error() != null) {
      throw fromEngine(r.error());
    }
    return r.order();
  }

  // ---------------------------------------------------------------- market data

  private String exchangeInfo() {
    return "{\"timezone\":\"UTC\",\"serverTime\":" + clock.now() + "," + exchangeInfoTail;
  }

  private String exchangeInfoTail() {
    var l = settings.rateLimits();
    Json j = new Json(new StringBuilder(4096));
    j.arr("rateLimits")
        .obj().str("rateLimitType", "REQUEST_WEIGHT").str("interval", "MINUTE").num("intervalNum", 1).num("limit", l.requestWeightPerMinute()).end()
        .obj().str("rateLimitType", "ORDERS").str("interval", "MINUTE").num("intervalNum", 1).num("limit", l.ordersPerMinute()).end()
        .obj().str("rateLimitType", "ORDERS").str("interval", "SECOND").num("intervalNum", 10).num("limit", l.ordersPer10s()).end()
        .endArr();
    j.arr("exchangeFilters").endArr();
    j.arr("assets").obj().str("asset", "USDT").bool("marginAvailable", true).str("autoAssetExchange", "-10000").end().endArr();
    j.arr("symbols");
    for (SimSettings.SymbolSettings ss : settings.symbols()) {
      Instrument in = wire.instrument(ss.symbol());
      j.obj().str("symbol", ss.symbol()).str("pair", ss.symbol()).str("contractType", "PERPETUAL")
          .num("deliveryDate", 4133404800000L).num("onboardDate", 1569398400000L).str("status", "TRADING")
          .str("maintMarginPercent", "2.5000").str("requiredMarginPercent", "5.0000")
          .str("baseAsset", ss.baseAsset()).str("quoteAsset", ss.quoteAsset()).str("marginAsset", ss.quoteAsset())
          .num("pricePrecision", in.price().decimals()).num("quantityPrecision", in.quantity().decimals())
          .num("baseAssetPrecision", 8).num("quotePrecision", 8).str("underlyingType", "COIN")
          .arr("underlyingSubType").endArr().num("settlePlan", 0).str("triggerProtect", "0.0500")
          .str("liquidationFee", "0.012500").str("marketTakeBound", "0.05").num("maxMoveOrderLimit", 10000);
      j.arr("filters")
          .obj().str("filterType", "PRICE_FILTER").str("minPrice", ss.minPrice()).str("maxPrice", ss.maxPrice()).str("tickSize", ss.tickSize()).end()
          .obj().str("filterType", "LOT_SIZE").str("minQty", ss.minQty()).str("maxQty", ss.maxQty()).str("stepSize", ss.stepSize()).end()
          .obj().str("filterType", "MARKET_LOT_SIZE").str("minQty", ss.minQty()).str("maxQty", ss.maxQty()).str("stepSize", ss.stepSize()).end()
          .obj().str("filterType", "MAX_NUM_ORDERS").num("limit", ss.maxOpenOrders()).end()
          .obj().str("filterType", "MIN_NOTIONAL").str("notional", Json.dec(ss.minNotional(), 1)).end()
          .obj().str("filterType", "PERCENT_PRICE").str("multiplierUp", Json.dec(ss.percentUp(), 4))
              .str("multiplierDown", Json.dec(ss.percentDown(), 4)).str("multiplierDecimal", "4").end()
          .endArr();
      j.arr("orderTypes").str("LIMIT").str("MARKET").str("STOP").str("STOP_MARKET").str("TAKE_PROFIT")
          .str("TAKE_PROFIT_MARKET").str("TRAILING_STOP_MARKET").endArr();
      j.arr("timeInForce").str("GTC").str("IOC").str("FOK").str("GTX").endArr();
      j.end();
    }
    j.endArr().end();
    return j.toString();
  }

  private String orderRateLimits() {
    var l = settings.rateLimits();
    return new Json().arr()
        .obj().str("rateLimitType", "ORDERS").str("interval", "SECOND").num("intervalNum", 10).num("limit", l.ordersPer10s()).end()
        .obj().str("rateLimitType", "ORDERS").str("interval", "MINUTE").num("intervalNum", 1).num("limit", l.ordersPerMinute()).end()
        .endArr().toString();
  }

  private static final int[] DEPTH_LIMITS = {5, 10, 20, 50, 100, 500, 1000};

  private int depthLimit(Params p) {
    int limit = p.optInt("limit", 500);
    for (int l : DEPTH_LIMITS) {
      if (l == limit) {
        return limit;
      }
    }
    throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
  }

  private int depthWeight(Params p) {
    int limit = p.optInt("limit", 500);
    return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  }

  String symbol(Params p) {
    String s = p.req("symbol");
    wire.instrument(s);
    return s;
  }

  String optSymbol(Params p) {
    String s = p.opt("symbol");
    if (s != null) {
      wire.instrument(s);
    }
    return s;
  }

  List<String> symbolsOf(String symbolOrNull) {
    return symbolOrNull != null ? List.of(symbolOrNull) : List.copyOf(wire.instruments().keySet());
  }

  private CompletionStage<String> depth(Params p, String account) {
    String s = symbol(p);
    int limit = depthLimit(p);
    return engine.call((ex, now) -> wire.depth(s, ex.depth(s, limit)));
  }

  /** Writes one symbol's object into the reply on the engine thread. */
  interface SymbolWriter {
    void write(Json j, SimExchange ex, String symbol);
  }

  /** Binance shape for optional-symbol market data: one object with a symbol, an array of all without. */
  CompletionStage<String> oneOrAll(Params p, SymbolWriter writer) {
    String sym = optSymbol(p);
    return engine.call((ex, now) -> {
      Json j = new Json();
      if (sym == null) {
        j.arr();
      }
      for (String s : symbolsOf(sym)) {
        writer.write(j, ex, s);
      }
      if (sym == null) {
        j.endArr();
      }
      return j.toString();
    });
  }

  private CompletionStage<String> bookTicker(Params p, String account) {
    return oneOrAll(p, (j, ex, s) -> {
      BookTop t = ex.bookTop(s);
      j.obj().str("symbol", s).str("bidPrice", wire.price(s, t.bidPriceTicks())).str("bidQty", wire.qty(s, t.bidQtySteps()))
          .str("askPrice", wire.price(s, t.askPriceTicks())).str("askQty", wire.qty(s, t.askQtySteps()))
          .num("time", t.time()).num("lastUpdateId", t.updateId()).end();
    });
  }

  private CompletionStage<String> ticker24h(Params p, String account) {
    return oneOrAll(p, (j, ex, s) -> {
      Ticker24h t = ex.ticker24h(s);
      Instrument in = wire.instrument(s);
      double open = in.price().toDouble(t.open());
      double last = in.price().toDouble(t.last());
      double vol = in.quantity().toDouble(t.volumeSteps());
      j.obj().str("symbol", s).str("priceChange", Json.dec(last - open, in.price().decimals()))
          .str("priceChangePercent", Json.dec(open == 0 ? 0 : (last - open) / open * 100, 3))
          .str("weightedAvgPrice", wire.avg(s, vol == 0 ? last : t.quoteVolume() / vol))
          .str("lastPrice", wire.price(s, t.last())).str("lastQty", wire.qty(s, t.lastQtySteps()))
          .str("openPrice", wire.price(s, t.open())).str("highPrice", wire.price(s, t.high()))
          .str("lowPrice", wire.price(s, t.low())).str("volume", wire.qty(s, t.volumeSteps()))
          .str("quoteVolume", Json.dec(t.quoteVolume(), 2)).num("openTime", t.openTime())
          .num("closeTime", t.closeTime()).num("firstId", t.firstId()).num("lastId", t.lastId()).num("count", t.count()).end();
    });
  }

  private CompletionStage<String> premiumIndex(Params p, String account) {
    return oneOrAll(p, (j, ex, s) -> {
      MarkInfo m = ex.mark(s);
      j.obj().str("symbol", s).str("markPrice", wire.price(s, m.markPriceTicks()))
          .str("indexPrice", wire.price(s, m.indexPriceTicks())).str("estimatedSettlePrice", wire.price(s, m.markPriceTicks()))
          .str("lastFundingRate", Json.dec(m.fundingRate(), 8)).str("interestRate", "0.00010000")
          .num("nextFundingTime", m.nextFundingTime()).num("time", m.time()).end();
    });
  }

  private CompletionStage<String> fundingRate(Params p, String account) {
    String sym = optSymbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 100)));
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      for (String s : symbolsOf(sym)) {
        for (FundingRecord f : ex.fundingHistory(s, limit)) {
          j.obj().str("symbol", s).str("fundingRate", Json.dec(f.fundingRate(), 8)).num("fundingTime", f.fundingTime())
              .str("markPrice", wire.price(s, f.markPriceTicks())).end();
        }
      }
      return j.endArr().toString();
    });
  }

  private CompletionStage<String> trades(Params p, String account) {
    String s = symbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      Instrument in = wire.instrument(s);
      for (PublicTrade t : ex.recentTrades(s, limit)) {
        j.obj().num("id", t.tradeId()).str("price", wire.price(s, t.priceTicks())).str("qty", wire.qty(s, t.qtySteps()))
            .str("quoteQty", Json.dec(in.notional(t.priceTicks(), t.qtySteps()), 8)).num("time", t.time())
            .bool("isBuyerMaker", t.buyerMaker()).end();
      }
      return j.endArr().toString();
    });
  }

  private CompletionStage<String> aggTrades(Params p, String account) {
    String s = symbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      for (PublicTrade t : ex.recentTrades(s, limit)) {
        j.obj().num("a", t.aggTradeId()).str("p", wire.price(s, t.priceTicks())).str("q", wire.qty(s, t.qtySteps()))
            .num("f", t.tradeId()).num("l", t.tradeId()).num("T", t.time()).bool("m", t.buyerMaker()).end();
      }
      return j.endArr().toString();
    });
  }

  // ---------------------------------------------------------------- orders

  NewOrder newOrder(Params p) {
    String symbol = symbol(p);
    Instrument in = wire.instrument(symbol);
    Side side = side(p.req("side"));
    String typeText = p.req("type");
    OrderType type = switch (typeText) {
      case "LIMIT" -> OrderType.LIMIT;
      case "MARKET" -> OrderType.MARKET;
      case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET" ->
          throw Rejection.bad(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
      default -> throw Rejection.bad(-1116, "Invalid orderType.");
    };
    PositionSide ps = positionSide(p.opt("positionSide"));
    TimeInForce tif = null;
    long price = 0;
    if (type == OrderType.LIMIT) {
      tif = tif(p.req("timeInForce"));
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
    if (cid != null && !CLIENT_ID.matcher(cid).matches()) {
      throw Rejection.bad(-4015, "Client order id is not valid.");
    }
    StpMode stp = stp(p.opt("selfTradePreventionMode"));
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

  static Side side(String s) {
    return switch (s) {
      case "BUY" -> Side.BUY;
      case "SELL" -> Side.SELL;
      default -> throw Rejection.bad(-1117, "Invalid side.");
    };
  }

  static TimeInForce tif(String s) {
    return switch (s) {
      case "GTC" -> TimeInForce.GTC;
      case "IOC" -> TimeInForce.IOC;
      case "FOK" -> TimeInForce.FOK;
      case "GTX" -> TimeInForce.GTX;
      default -> throw Rejection.bad(-1115, "Invalid timeInForce.");
    };
  }

  static PositionSide positionSide(String s) {
    if (s == null) {
      return PositionSide.BOTH;
    }
    return switch (s) {
      case "BOTH" -> PositionSide.BOTH;
      case "LONG" -> PositionSide.LONG;
      case "SHORT" -> PositionSide.SHORT;
      default -> throw Rejection.bad(-1130, "Data sent for parameter 'positionSide' is not valid.");
    };
  }

  static StpMode stp(String s) {
    if (s == null) {
      return StpMode.NONE;
    }
    try {
      return StpMode.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw Rejection.bad(-5039, "Invalid self trade prevention mode.");
    }
  }

  private CompletionStage<String> placeOrder(Params p, String account) {
    NewOrder o = newOrder(p);
    return engine.call((ex, now) -> wire.order(unwrap(ex.place(account, o, now))));
  }

  private record OrderRef(String symbol, long orderId, String clientId) {}

  private OrderRef ref(Params p) {
    String s = symbol(p);
    long id = p.optLong("orderId", 0);
    String cid = p.opt("origClientOrderId");
    if (id == 0 && cid == null) {
      throw Rejection.bad(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }
    return new OrderRef(s, id, id != 0 ? null : cid);
  }

  private CompletionStage<String> queryOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call((ex, now) -> wire.order(unwrap(ex.query(account, r.symbol(), r.orderId(), r.clientId()))));
  }

  private CompletionStage<String> openOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call((ex, now) -> wire.order(unwrap(ex.queryOpen(account, r.symbol(), r.orderId(), r.clientId()))));
  }

  private CompletionStage<String> cancelOrder(Params p, String account) {
    OrderRef r = ref(p);
    return engine.call((ex, now) -> wire.order(unwrap(ex.cancel(account, r.symbol(), r.orderId(), r.clientId(), now))));
  }

  private ModifyOrder modify(Params p) {
    OrderRef r = ref(p);
    Instrument in = wire.instrument(r.symbol());
    Side side = side(p.req("side"));
    long qty = p.decimal("quantity", in.quantity(), false);
    long price = p.decimal("price", in.price(), true);
    if (qty <= 0) {
      throw Rejection.bad(-4003, "Quantity less than or equal to zero.");
    }
    return new ModifyOrder(r.symbol(), r.orderId(), r.clientId(), side, qty, price);
  }

  private CompletionStage<String> modifyOrder(Params p, String account) {
    ModifyOrder m = modify(p);
    return engine.call((ex, now) -> wire.order(unwrap(ex.modify(account, m, now))));
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
      items.add(new Params(textMap(item)));
    }
    return items;
  }

  static Map<String, String> textMap(JsonNode obj) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      map.put(e.getKey(), v.isBigDecimal() ? v.decimalValue().toPlainString() : v.isValueNode() ? v.asText() : v.toString());
    }
    return map;
  }

  /** A batch slot: parsed request or the error it earned during validation. */
  private record Slot<T>(T value, Rejection error) {}

  private CompletionStage<String> batchPlace(Params p, String account) {
    return batch(p, account, "Invalid number of batch place orders.", this::newOrder, SimExchange::place);
  }

  private CompletionStage<String> batchModify(Params p, String account) {
    return batch(p, account, "Invalid number of batch modify orders.", this::modify, SimExchange::modify);
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
  private <T> CompletionStage<String> batch(Params p, String account, String countMsg, ItemParser<T> parser, ItemOp<T> op) {
    List<Params> items = batchItems(p, "batchOrders", 5, countMsg);
    List<Slot<T>> slots = new ArrayList<>();
    for (Params item : items) {
      try {
        slots.add(new Slot<>(parser.parse(item), null));
      } catch (Rejection r) {
        slots.add(new Slot<>(null, r));
      }
    }
    return engine.call((ex, now) -> {
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
    String s = symbol(p);
    List<Long> ids = new ArrayList<>();
    List<String> cids = new ArrayList<>();
    try {
      String idList = p.has("orderIdList") ? p.req("orderIdList") : p.opt("orderidlist");
      String cidList = p.has("origClientOrderIdList") ? p.req("origClientOrderIdList") : p.opt("origclientorderidlist");
      if (idList != null) {
        JsonNode n = MAPPER.readTree(idList);
        if (!n.isArray()) {
          throw new IllegalArgumentException();
        }
        for (JsonNode x : n) {
          // Binance's own connector sends the ids as JSON strings when it parsed them as big integers
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
        throw Rejection.bad(-1102, "Param 'origClientOrderIdList' or 'orderIdList' must be sent, but both were empty/null!");
      }
    } catch (Rejection r) {
      throw r;
    } catch (Exception e) {
      throw Rejection.bad(-1130, "Data sent for parameter 'orderIdList' is not valid.");
    }
    if (ids.size() + cids.size() == 0 || ids.size() + cids.size() > 10) {
      throw Rejection.bad(-4082, "Invalid number of batch cancel orders.");
    }
    return engine.call((ex, now) -> {
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
      j.raw(fromEngine(r.error()).body());
    } else {
      wire.order(j, r.order());
    }
  }

  private CompletionStage<String> cancelAll(Params p, String account) {
    String s = symbol(p);
    return engine.call((ex, now) -> {
      ex.cancelAll(account, s, now);
      return "{\"code\":200,\"msg\":\"The operation of cancel all open order is done.\"}";
    });
  }

  private CompletionStage<String> openOrders(Params p, String account) {
    String s = optSymbol(p);
    return engine.call((ex, now) -> wire.orders(ex.openOrders(account, s)));
  }

  private CompletionStage<String> countdown(Params p, String account) {
    String s = symbol(p);
    long ms = p.reqLong("countdownTime");
    if (ms < 0) {
      throw Rejection.bad(-1130, "Data sent for parameter 'countdownTime' is not valid.");
    }
    return engine.call((ex, now) -> {
      ex.countdownCancelAll(account, s, ms, now);
      return new Json().obj().str("symbol", s).str("countdownTime", Long.toString(ms)).end().toString();
    });
  }

  // ---------------------------------------------------------------- account

  private CompletionStage<String> positionRisk(Params p, String account, boolean v3) {
    String sym = optSymbol(p);
    return engine.call((ex, now) -> {
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
        for (String s : symbolsOf(sym)) {
          if (!seen.containsKey(s)) {
            MarkInfo m = ex.mark(s);
            position(j, new SimPosition(s, PositionSide.BOTH, 0, 0, 0,
                wire.instrument(s).price().toDouble(m.markPriceTicks()), 0, 0, ex.leverage(account, s), false, 0, 0, 0, 0), false);
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
    j.obj().str("symbol", s).str("positionSide", pos.positionSide().name()).str("positionAmt", wire.qty(s, pos.amountSteps()))
        .str("entryPrice", wire.avg(s, pos.entryPrice())).str("breakEvenPrice", wire.avg(s, pos.breakEvenPrice()))
        .str("markPrice", wire.avg(s, pos.markPrice())).str("unRealizedProfit", Json.dec(pos.unrealizedPnl(), Wire.MONEY))
        .str("liquidationPrice", wire.avg(s, pos.liquidationPrice()))
        .str("isolatedMargin", Json.dec(pos.isolated() ? pos.isolatedWallet() + pos.unrealizedPnl() : 0, Wire.MONEY))
        .str("notional", Json.dec(notional, Wire.MONEY))
        .str("isolatedWallet", Json.dec(pos.isolatedWallet(), Wire.MONEY));
    if (v3) {
      double im = Math.abs(notional) / Math.max(1, pos.leverage());
      j.str("marginAsset", "USDT").str("initialMargin", Json.dec(im, Wire.MONEY))
          .str("maintMargin", Json.dec(pos.maintMargin(), Wire.MONEY))
          .str("positionInitialMargin", Json.dec(im, Wire.MONEY)).str("openOrderInitialMargin", "0").num("adl", 0)
          .str("bidNotional", "0").str("askNotional", "0");
    } else {
      j.str("leverage", Integer.toString(pos.leverage())).str("maxNotionalValue", "25000000")
          .str("marginType", pos.isolated() ? "isolated" : "cross").str("isAutoAddMargin", "false");
    }
    j.num("updateTime", pos.updateTime()).end();
  }

  private CompletionStage<String> balance(Params p, String account) {
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      for (SimBalance b : ex.balances(account)) {
        j.obj().str("accountAlias", "SimPhoenix").str("asset", b.asset()).str("balance", Json.dec(b.walletBalance(), Wire.MONEY))
            .str("crossWalletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
            .str("crossUnPnl", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
            .str("availableBalance", Json.dec(b.availableBalance(), Wire.MONEY))
            .str("maxWithdrawAmount", Json.dec(b.availableBalance(), Wire.MONEY)).bool("marginAvailable", true)
            .num("updateTime", b.updateTime()).end();
      }
      return j.endArr().toString();
    });
  }

  private CompletionStage<String> account(String account, boolean v3) {
    return engine.call((ex, now) -> {
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
        im += Math.abs(wire.instrument(pos.symbol()).quantity().toDouble(pos.amountSteps()) * pos.markPrice()) / Math.max(1, pos.leverage());
      }
      Json j = new Json().obj();
      if (!v3) {
        j.num("feeTier", 0).bool("feeBurn", false).bool("canTrade", true).bool("canDeposit", true)
            .bool("canWithdraw", true).num("updateTime", 0).bool("multiAssetsMargin", false).num("tradeGroupId", -1);
      }
      double mm = ex.maintenanceMargin(account);
      j.str("totalInitialMargin", Json.dec(im, Wire.MONEY)).str("totalMaintMargin", Json.dec(mm, Wire.MONEY))
          .str("totalWalletBalance", Json.dec(wallet, Wire.MONEY)).str("totalUnrealizedProfit", Json.dec(upnl, Wire.MONEY))
          .str("totalMarginBalance", Json.dec(wallet + upnl, Wire.MONEY)).str("totalPositionInitialMargin", Json.dec(im, Wire.MONEY))
          .str("totalOpenOrderInitialMargin", "0").str("totalCrossWalletBalance", Json.dec(wallet, Wire.MONEY))
          .str("totalCrossUnPnl", Json.dec(upnl, Wire.MONEY)).str("availableBalance", Json.dec(avail, Wire.MONEY))
          .str("maxWithdrawAmount", Json.dec(avail, Wire.MONEY));
      j.arr("assets");
      for (SimBalance b : balances) {
        j.obj().str("asset", b.asset()).str("walletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
            .str("unrealizedProfit", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
            .str("marginBalance", Json.dec(b.walletBalance() + b.crossUnrealizedPnl(), Wire.MONEY))
            .str("maintMargin", Json.dec(mm, Wire.MONEY)).str("initialMargin", Json.dec(im, Wire.MONEY))
            .str("positionInitialMargin", Json.dec(im, Wire.MONEY)).str("openOrderInitialMargin", "0")
            .str("crossWalletBalance", Json.dec(b.walletBalance(), Wire.MONEY))
            .str("crossUnPnl", Json.dec(b.crossUnrealizedPnl(), Wire.MONEY))
            .str("availableBalance", Json.dec(b.availableBalance(), Wire.MONEY))
            .str("maxWithdrawAmount", Json.dec(b.availableBalance(), Wire.MONEY)).bool("marginAvailable", true)
            .num("updateTime", b.updateTime()).end();
      }
      j.endArr().arr("positions");
      for (SimPosition pos : positions) {
        if (v3 && pos.amountSteps() == 0) {
          continue;
        }
        String s = pos.symbol();
        double notional = wire.instrument(s).quantity().toDouble(pos.amountSteps()) * pos.markPrice();
        j.obj().str("symbol", s).str("positionSide", pos.positionSide().name()).str("positionAmt", wire.qty(s, pos.amountSteps()))
            .str("unrealizedProfit", Json.dec(pos.unrealizedPnl(), Wire.MONEY))
            .str("isolatedMargin", Json.dec(pos.isolated() ? pos.isolatedWallet() + pos.unrealizedPnl() : 0, Wire.MONEY))
            .str("notional", Json.dec(notional, Wire.MONEY)).str("isolatedWallet", Json.dec(pos.isolatedWallet(), Wire.MONEY))
            .str("initialMargin", Json.dec(Math.abs(notional) / Math.max(1, pos.leverage()), Wire.MONEY))
            .str("maintMargin", Json.dec(pos.maintMargin(), Wire.MONEY));
        if (!v3) {
          j.str("leverage", Integer.toString(pos.leverage())).bool("isolated", pos.isolated())
              .str("entryPrice", wire.avg(s, pos.entryPrice())).str("maxNotional", "25000000")
              .str("bidNotional", "0").str("askNotional", "0");
        }
        j.num("updateTime", pos.updateTime()).end();
      }
      return j.endArr().end().toString();
    });
  }

  private CompletionStage<String> leverage(Params p, String account) {
    String s = symbol(p);
    long lev = p.reqLong("leverage");
    if (lev < 1 || lev > 125) {
      throw Rejection.bad(-4028, "Leverage " + lev + " is not valid");
    }
    return engine.call((ex, now) -> {
      SimError e = ex.setLeverage(account, s, (int) lev);
      if (e != null) {
        throw fromEngine(e);
      }
      hub.deferUser(account, new Json().obj().str("e", "ACCOUNT_CONFIG_UPDATE").num("E", now).num("T", now)
          .obj("ac").str("s", s).num("l", lev).end().end().toString());
      return new Json().obj().num("leverage", lev).str("maxNotionalValue", "25000000").str("symbol", s).end().toString();
    });
  }

  private CompletionStage<String> marginType(Params p, String account) {
    String s = symbol(p);
    String type = p.req("marginType");
    boolean isolated;
    if (type.equals("ISOLATED")) {
      isolated = true;
    } else if (type.equals("CROSSED")) {
      isolated = false;
    } else {
      throw Rejection.bad(-1130, "Data sent for parameter 'marginType' is not valid.");
    }
    return engine.call((ex, now) -> {
      SimError e = ex.setMarginType(account, s, isolated);
      if (e != null) {
        throw fromEngine(e);
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
    return engine.call((ex, now) -> {
      SimError e = ex.setDualSide(account, dual);
      if (e != null) {
        throw fromEngine(e);
      }
      return "{\"code\":200,\"msg\":\"success\"}";
    });
  }

  private CompletionStage<String> userTrades(Params p, String account) {
    String s = symbol(p);
    long fromId = p.optLong("fromId", -1);
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    long orderId = p.optLong("orderId", -1);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      for (SimFill f : ex.userTrades(account, s, fromId, start, end, limit)) {
        if (orderId < 0 || f.orderId() == orderId) {
          wire.userTrade(j, f);
        }
      }
      return j.endArr().toString();
    });
  }

  private CompletionStage<String> commissionRate(Params p, String account) {
    String s = symbol(p);
    return done(new Json().obj().str("symbol", s).str("makerCommissionRate", Json.dec(settings.makerFeeRate(), 6))
        .str("takerCommissionRate", Json.dec(settings.takerFeeRate(), 6)).str("rpiCommissionRate", "0").end().toString());
  }

  /** The brackets the engine's maintenance margin and liquidation use (Binance's BTCUSDT table). */
  private CompletionStage<String> leverageBracket(Params p, String account) {
    String sym = optSymbol(p);
    Json j = new Json();
    if (sym == null) {
      j.arr();
    }
    for (String s : symbolsOf(sym)) {
      j.obj().str("symbol", s).raw("notionalCoef", "1.0").arr("brackets");
      for (io.phoenix.sim.engine.Brackets.Bracket b : io.phoenix.sim.engine.Brackets.DEFAULT) {
        j.obj().num("bracket", b.bracket()).num("initialLeverage", b.initialLeverage()).num("notionalCap", b.notionalCap())
            .num("notionalFloor", b.notionalFloor()).raw("maintMarginRatio", java.math.BigDecimal.valueOf(b.maintMarginRatio()).toPlainString())
            .raw("cum", java.math.BigDecimal.valueOf(b.cum()).stripTrailingZeros().toPlainString()).end();
      }
      j.endArr().end();
    }
    if (sym == null) {
      j.endArr();
    }
    return done(j.toString());
  }

  private CompletionStage<String> symbolConfig(Params p, String account) {
    String sym = optSymbol(p);
    return engine.call((ex, now) -> {
      Json j = new Json().arr();
      Map<String, Boolean> isolated = new HashMap<>();
      for (SimPosition pos : ex.positions(account, sym)) {
        isolated.put(pos.symbol(), pos.isolated());
      }
      for (String s : symbolsOf(sym)) {
        j.obj().str("symbol", s).str("marginType", isolated.getOrDefault(s, false) ? "ISOLATED" : "CROSSED")
            .bool("isAutoAddMargin", false).num("leverage", ex.leverage(account, s)).str("maxNotionalValue", "1000000000").end();
      }
      return j.endArr().toString();
    });
  }

  // ---------------------------------------------------------------- listenKey

  CompletionStage<String> listenKeyStart(Params p, String account) {
    return engine.call((ex, now) -> {
      ex.openAccount(account);
      String key = engine.listenKeys().start(account, now);
      hub.bindKey(account, key);
      return "{\"listenKey\":\"" + key + "\"}";
    });
  }

  CompletionStage<String> listenKeyKeepAlive(Params p, String account) {
    String given = p.opt("listenKey");
    return engine.call((ex, now) -> "{\"listenKey\":\"" + engine.listenKeys().keepAlive(account, given, now) + "\"}");
  }

  CompletionStage<String> listenKeyClose(Params p, String account) {
    String given = p.opt("listenKey");
    return engine.call((ex, now) -> {
      String key = engine.listenKeys().close(account, given);
      if (key != null) {
        hub.closeKey(key);
      }
      return "{}";
    });
  }
}
