package io.phoenix.sim;

import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;

/**
 * Binance's general endpoints: server time, ping, {@code exchangeInfo} (symbols, filters and rate
 * limits from the settings) and the order rate limits.
 */
final class ExchangeInfoEndpoints {
  private final String exchangeInfoTail;
  private final ApiContext api;
  private final SimSettings settings;
  private final Wire wire;
  private final ServerClock clock;

  ExchangeInfoEndpoints(ApiContext api) {
    this.api = api;
    this.settings = api.settings;
    this.wire = api.wire;
    this.clock = api.clock;
    this.exchangeInfoTail = exchangeInfoTail();
  }

  void register(EndpointTable table) {
    Endpoint.Security n = Endpoint.Security.NONE;
    Endpoint.Security s = Endpoint.Security.SIGNED;
    table.add(
        "GET",
        "/fapi/v1/time",
        Endpoint.w(1),
        0,
        0,
        n,
        (p, a) -> ApiContext.done("{\"serverTime\":" + clock.now() + "}"));
    table.add("GET", "/fapi/v1/ping", Endpoint.w(1), 0, 0, n, (p, a) -> ApiContext.done("{}"));
    table.add(
        "GET",
        "/fapi/v1/exchangeInfo",
        Endpoint.w(1),
        0,
        0,
        n,
        (p, a) -> ApiContext.done(exchangeInfo()));
    table.add(
        "GET",
        "/fapi/v1/rateLimit/order",
        Endpoint.w(1),
        0,
        0,
        s,
        (p, a) -> ApiContext.done(orderRateLimits()));
  }

  private String exchangeInfo() {
    return "{\"timezone\":\"UTC\",\"serverTime\":" + clock.now() + "," + exchangeInfoTail;
  }

  private String exchangeInfoTail() {
    var l = settings.rateLimits();
    Json j = new Json(new StringBuilder(4096));
    j.arr("rateLimits")
        .obj()
        .str("rateLimitType", "REQUEST_WEIGHT")
        .str("interval", "MINUTE")
        .num("intervalNum", 1)
        .num("limit", l.requestWeightPerMinute())
        .end()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "MINUTE")
        .num("intervalNum", 1)
        .num("limit", l.ordersPerMinute())
        .end()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "SECOND")
        .num("intervalNum", 10)
        .num("limit", l.ordersPer10s())
        .end()
        .endArr();
    j.arr("exchangeFilters").endArr();
    j.arr("assets")
        .obj()
        .str("asset", "USDT")
        .bool("marginAvailable", true)
        .str("autoAssetExchange", "-10000")
        .end()
        .endArr();
    j.arr("symbols");
    for (SimSettings.SymbolSettings ss : settings.symbols()) {
      Instrument in = wire.instrument(ss.symbol());
      j.obj()
          .str("symbol", ss.symbol())
          .str("pair", ss.symbol())
          .str("contractType", "PERPETUAL")
          .num("deliveryDate", 4133404800000L)
          .num("onboardDate", 1569398400000L)
          .str("status", "TRADING")
          .str("maintMarginPercent", "2.5000")
          .str("requiredMarginPercent", "5.0000")
          .str("baseAsset", ss.baseAsset())
          .str("quoteAsset", ss.quoteAsset())
          .str("marginAsset", ss.quoteAsset())
          .num("pricePrecision", in.price().decimals())
          .num("quantityPrecision", in.quantity().decimals())
          .num("baseAssetPrecision", 8)
          .num("quotePrecision", 8)
          .str("underlyingType", "COIN")
          .arr("underlyingSubType")
          .endArr()
          .num("settlePlan", 0)
          .str("triggerProtect", "0.0500")
          .str("liquidationFee", "0.012500")
          .str("marketTakeBound", "0.05")
          .num("maxMoveOrderLimit", 10000);
      j.arr("filters")
          .obj()
          .str("filterType", "PRICE_FILTER")
          .str("minPrice", ss.minPrice())
          .str("maxPrice", ss.maxPrice())
          .str("tickSize", ss.tickSize())
          .end()
          .obj()
          .str("filterType", "LOT_SIZE")
          .str("minQty", ss.minQty())
          .str("maxQty", ss.maxQty())
          .str("stepSize", ss.stepSize())
          .end()
          .obj()
          .str("filterType", "MARKET_LOT_SIZE")
          .str("minQty", ss.minQty())
          .str("maxQty", ss.maxQty())
          .str("stepSize", ss.stepSize())
          .end()
          .obj()
          .str("filterType", "MAX_NUM_ORDERS")
          .num("limit", ss.maxOpenOrders())
          .end()
          .obj()
          .str("filterType", "MIN_NOTIONAL")
          .str("notional", Json.dec(ss.minNotional(), 1))
          .end()
          .obj()
          .str("filterType", "PERCENT_PRICE")
          .str("multiplierUp", Json.dec(ss.percentUp(), 4))
          .str("multiplierDown", Json.dec(ss.percentDown(), 4))
          .str("multiplierDecimal", "4")
          .end()
          .endArr();
      j.arr("orderTypes")
          .str("LIMIT")
          .str("MARKET")
          .str("STOP")
          .str("STOP_MARKET")
          .str("TAKE_PROFIT")
          .str("TAKE_PROFIT_MARKET")
          .str("TRAILING_STOP_MARKET")
          .endArr();
      j.arr("timeInForce").str("GTC").str("IOC").str("FOK").str("GTX").endArr();
      j.end();
    }
    j.endArr().end();
    return j.toString();
  }

  private String orderRateLimits() {
    var l = settings.rateLimits();
    return new Json()
        .arr()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "SECOND")
        .num("intervalNum", 10)
        .num("limit", l.ordersPer10s())
        .end()
        .obj()
        .str("rateLimitType", "ORDERS")
        .str("interval", "MINUTE")
        .num("intervalNum", 1)
        .num("limit", l.ordersPerMinute())
        .end()
        .endArr()
        .toString();
  }
}
