package io.phoenix.sim;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.BookTop;
import io.phoenix.sim.engine.FundingRecord;
import io.phoenix.sim.engine.Kline;
import io.phoenix.sim.engine.KlineInterval;
import io.phoenix.sim.engine.KlineSource;
import io.phoenix.sim.engine.MarkInfo;
import io.phoenix.sim.engine.PublicTrade;
import io.phoenix.sim.engine.SimPosition;
import io.phoenix.sim.engine.Ticker24h;
import java.util.concurrent.CompletionStage;

/**
 * Market data beyond the order book: klines of trades, mark, index and the perpetual contract, last
 * prices, open interest, historical trades and funding info, with Binance's parameters, weights and
 * errors.
 */
final class MarketEndpoints {
  private final ApiContext api;

  MarketEndpoints(ApiContext api) {
    this.api = api;
  }

  void register(EndpointTable table) {
    Endpoint.Security n = Endpoint.Security.NONE;
    table.add("GET", "/fapi/v1/depth", MarketEndpoints::depthWeight, 0, 0, n, this::depth);
    table.add(
        "GET", "/fapi/v1/ticker/bookTicker", Endpoint.symbolOr(2, 5), 0, 0, n, this::bookTicker);
    table.add("GET", "/fapi/v1/ticker/24hr", Endpoint.symbolOr(1, 40), 0, 0, n, this::ticker24h);
    table.add(
        "GET", "/fapi/v1/premiumIndex", Endpoint.symbolOr(1, 10), 0, 0, n, this::premiumIndex);
    table.add("GET", "/fapi/v1/fundingRate", Endpoint.w(1), 0, 0, n, this::fundingRate);
    table.add("GET", "/fapi/v1/trades", Endpoint.w(5), 0, 0, n, this::trades);
    table.add("GET", "/fapi/v1/aggTrades", Endpoint.w(20), 0, 0, n, this::aggTrades);
    table.add(
        "GET",
        "/fapi/v1/klines",
        MarketEndpoints::klineWeight,
        0,
        0,
        n,
        (p, a) -> klines(p, api.symbol(p), KlineSource.TRADE));
    table.add(
        "GET",
        "/fapi/v1/continuousKlines",
        MarketEndpoints::klineWeight,
        0,
        0,
        n,
        this::continuousKlines);
    table.add(
        "GET",
        "/fapi/v1/indexPriceKlines",
        MarketEndpoints::klineWeight,
        0,
        0,
        n,
        (p, a) -> klines(p, pair(p), KlineSource.INDEX));
    table.add(
        "GET",
        "/fapi/v1/markPriceKlines",
        MarketEndpoints::klineWeight,
        0,
        0,
        n,
        (p, a) -> klines(p, api.symbol(p), KlineSource.MARK));
    table.add("GET", "/fapi/v1/ticker/price", Endpoint.symbolOr(1, 2), 0, 0, n, this::tickerPrice);
    table.add("GET", "/fapi/v2/ticker/price", Endpoint.symbolOr(1, 2), 0, 0, n, this::tickerPrice);
    table.add("GET", "/fapi/v1/openInterest", Endpoint.w(1), 0, 0, n, this::openInterest);
    table.add(
        "GET",
        "/fapi/v1/historicalTrades",
        Endpoint.w(20),
        0,
        0,
        Endpoint.Security.USER_STREAM,
        this::historicalTrades);
    table.add("GET", "/fapi/v1/fundingInfo", Endpoint.w(0), 0, 0, n, this::fundingInfo);
  }

  /** Binance's kline weight by {@code limit}: [1,100) 1, [100,500) 2, [500,1000] 5, above 10. */
  static int klineWeight(Params p) {
    int limit = p.optInt("limit", 500);
    return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
  }

  private String pair(Params p) {
    String pair = p.req("pair");
    api.wire.instrument(pair);
    return pair;
  }

  private CompletionStage<String> continuousKlines(Params p, String account) {
    String pair = pair(p);
    String contract = p.req("contractType");
    if (!contract.equals("PERPETUAL")) {
      // the simulator lists perpetuals only: a delivery contract of the pair does not exist
      throw Rejection.bad(-1121, "Invalid symbol.");
    }
    return klines(p, pair, KlineSource.TRADE);
  }

  private CompletionStage<String> klines(Params p, String symbol, KlineSource source) {
    KlineInterval interval = KlineInterval.of(p.req("interval"));
    if (interval == null) {
      throw Rejection.bad(-1120, "Invalid interval.");
    }
    int limit = p.optInt("limit", 500);
    if (limit < 1 || limit > 1500) {
      throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    long start = p.optLong("startTime", -1);
    long end = p.optLong("endTime", -1);
    if (start >= 0 && end >= 0 && start > end) {
      throw Rejection.bad(-1128, "Combination of optional parameters invalid.");
    }
    boolean prices = source != KlineSource.TRADE;
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (Kline k : ex.klines(symbol, source, interval, start, end, limit)) {
            api.wire.kline(j, symbol, k, prices);
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> tickerPrice(Params p, String account) {
    return api.oneOrAll(
        p,
        (j, ex, s) ->
            j.obj()
                .str("symbol", s)
                .str("price", api.wire.price(s, ex.ticker24h(s).last()))
                .num("time", ex.bookTop(s).time())
                .end());
  }

  /** Open interest: the sum of the long positions every account holds. */
  private CompletionStage<String> openInterest(Params p, String account) {
    String s = api.symbol(p);
    return api.engine.call(
        (ex, now) -> {
          long longs = 0;
          for (SimPosition pos : ex.allPositions(s)) {
            longs += Math.max(0, pos.amountSteps());
          }
          return new Json()
              .obj()
              .str("openInterest", api.wire.qty(s, longs))
              .str("symbol", s)
              .num("time", now)
              .end()
              .toString();
        });
  }

  private CompletionStage<String> historicalTrades(Params p, String account) {
    String s = api.symbol(p);
    int limit = p.optInt("limit", 100);
    if (limit < 1 || limit > 500) {
      throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    long fromId = p.optLong("fromId", -1);
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          Instrument in = api.wire.instrument(s);
          int n = 0;
          for (PublicTrade t : ex.recentTrades(s, fromId < 0 ? limit : Integer.MAX_VALUE)) {
            if (t.tradeId() < fromId) {
              continue;
            }
            if (n++ == limit) {
              break;
            }
            j.obj()
                .num("id", t.tradeId())
                .str("price", api.wire.price(s, t.priceTicks()))
                .str("qty", api.wire.qty(s, t.qtySteps()))
                .str("quoteQty", Json.dec(in.notional(t.priceTicks(), t.qtySteps()), 8))
                .num("time", t.time())
                .bool("isBuyerMaker", t.buyerMaker())
                .bool("isRPITrade", false)
                .end();
          }
          return j.endArr().toString();
        });
  }

  /**
   * Every symbol with its funding cap, floor and interval (Binance lists only adjusted ones; all
   * are "adjusted" here).
   */
  private CompletionStage<String> fundingInfo(Params p, String account) {
    long hours = Math.max(1, api.settings.fundingInterval().toHours());
    Json j = new Json().arr();
    for (String s : api.symbolsOf(null)) {
      j.obj()
          .str("symbol", s)
          .str("adjustedFundingRateCap", "0.02000000")
          .str("adjustedFundingRateFloor", "-0.02000000")
          .num("fundingIntervalHours", hours)
          .bool("disclaimer", false)
          .end();
    }
    return ApiContext.done(j.endArr().toString());
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

  private static int depthWeight(Params p) {
    int limit = p.optInt("limit", 500);
    return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  }

  private CompletionStage<String> depth(Params p, String account) {
    String s = api.symbol(p);
    int limit = depthLimit(p);
    return api.engine.call((ex, now) -> api.wire.depth(s, ex.depth(s, limit)));
  }

  private CompletionStage<String> bookTicker(Params p, String account) {
    return api.oneOrAll(
        p,
        (j, ex, s) -> {
          BookTop t = ex.bookTop(s);
          j.obj()
              .str("symbol", s)
              .str("bidPrice", api.wire.price(s, t.bidPriceTicks()))
              .str("bidQty", api.wire.qty(s, t.bidQtySteps()))
              .str("askPrice", api.wire.price(s, t.askPriceTicks()))
              .str("askQty", api.wire.qty(s, t.askQtySteps()))
              .num("time", t.time())
              .num("lastUpdateId", t.updateId())
              .end();
        });
  }

  private CompletionStage<String> ticker24h(Params p, String account) {
    return api.oneOrAll(
        p,
        (j, ex, s) -> {
          Ticker24h t = ex.ticker24h(s);
          Instrument in = api.wire.instrument(s);
          double open = in.price().toDouble(t.open());
          double last = in.price().toDouble(t.last());
          double vol = in.quantity().toDouble(t.volumeSteps());
          j.obj()
              .str("symbol", s)
              .str("priceChange", Json.dec(last - open, in.price().decimals()))
              .str("priceChangePercent", Json.dec(open == 0 ? 0 : (last - open) / open * 100, 3))
              .str("weightedAvgPrice", api.wire.avg(s, vol == 0 ? last : t.quoteVolume() / vol))
              .str("lastPrice", api.wire.price(s, t.last()))
              .str("lastQty", api.wire.qty(s, t.lastQtySteps()))
              .str("openPrice", api.wire.price(s, t.open()))
              .str("highPrice", api.wire.price(s, t.high()))
              .str("lowPrice", api.wire.price(s, t.low()))
              .str("volume", api.wire.qty(s, t.volumeSteps()))
              .str("quoteVolume", Json.dec(t.quoteVolume(), 2))
              .num("openTime", t.openTime())
              .num("closeTime", t.closeTime())
              .num("firstId", t.firstId())
              .num("lastId", t.lastId())
              .num("count", t.count())
              .end();
        });
  }

  private CompletionStage<String> premiumIndex(Params p, String account) {
    return api.oneOrAll(
        p,
        (j, ex, s) -> {
          MarkInfo m = ex.mark(s);
          j.obj()
              .str("symbol", s)
              .str("markPrice", api.wire.price(s, m.markPriceTicks()))
              .str("indexPrice", api.wire.price(s, m.indexPriceTicks()))
              .str("estimatedSettlePrice", api.wire.price(s, m.markPriceTicks()))
              .str("lastFundingRate", Json.dec(m.fundingRate(), 8))
              .str("interestRate", "0.00010000")
              .num("nextFundingTime", m.nextFundingTime())
              .num("time", m.time())
              .end();
        });
  }

  private CompletionStage<String> fundingRate(Params p, String account) {
    String sym = api.optSymbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 100)));
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (String s : api.symbolsOf(sym)) {
            for (FundingRecord f : ex.fundingHistory(s, limit)) {
              j.obj()
                  .str("symbol", s)
                  .str("fundingRate", Json.dec(f.fundingRate(), 8))
                  .num("fundingTime", f.fundingTime())
                  .str("markPrice", api.wire.price(s, f.markPriceTicks()))
                  .end();
            }
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> trades(Params p, String account) {
    String s = api.symbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          Instrument in = api.wire.instrument(s);
          for (PublicTrade t : ex.recentTrades(s, limit)) {
            j.obj()
                .num("id", t.tradeId())
                .str("price", api.wire.price(s, t.priceTicks()))
                .str("qty", api.wire.qty(s, t.qtySteps()))
                .str("quoteQty", Json.dec(in.notional(t.priceTicks(), t.qtySteps()), 8))
                .num("time", t.time())
                .bool("isBuyerMaker", t.buyerMaker())
                .end();
          }
          return j.endArr().toString();
        });
  }

  private CompletionStage<String> aggTrades(Params p, String account) {
    String s = api.symbol(p);
    int limit = Math.max(1, Math.min(1000, p.optInt("limit", 500)));
    return api.engine.call(
        (ex, now) -> {
          Json j = new Json().arr();
          for (PublicTrade t : ex.recentTrades(s, limit)) {
            j.obj()
                .num("a", t.aggTradeId())
                .str("p", api.wire.price(s, t.priceTicks()))
                .str("q", api.wire.qty(s, t.qtySteps()))
                .num("f", t.tradeId())
                .num("l", t.tradeId())
                .num("T", t.time())
                .bool("m", t.buyerMaker())
                .end();
          }
          return j.endArr().toString();
        });
  }
}
