package io.phoenix.sim;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.Kline;
import io.phoenix.sim.engine.KlineInterval;
import io.phoenix.sim.engine.KlineSource;
import io.phoenix.sim.engine.PublicTrade;
import io.phoenix.sim.engine.SimPosition;
import java.util.concurrent.CompletionStage;

/**
 * Market data beyond the order book: klines of trades, mark, index and the perpetual contract,
 * last prices, open interest, historical trades and funding info, with Binance's parameters,
 * weights and errors.
 */
final class MarketEndpoints {
  private final SimApi api;

  MarketEndpoints(SimApi api) {
    this.api = api;
  }

  void register() {
    SimApi.Security n = SimApi.Security.NONE;
    api.add("GET", "/fapi/v1/klines", MarketEndpoints::klineWeight, 0, 0, n, (p, a) -> klines(p, api.symbol(p), KlineSource.TRADE));
    api.add("GET", "/fapi/v1/continuousKlines", MarketEndpoints::klineWeight, 0, 0, n, this::continuousKlines);
    api.add("GET", "/fapi/v1/indexPriceKlines", MarketEndpoints::klineWeight, 0, 0, n, (p, a) -> klines(p, pair(p), KlineSource.INDEX));
    api.add("GET", "/fapi/v1/markPriceKlines", MarketEndpoints::klineWeight, 0, 0, n, (p, a) -> klines(p, api.symbol(p), KlineSource.MARK));
    api.add("GET", "/fapi/v1/ticker/price", SimApi.symbolOr(1, 2), 0, 0, n, this::tickerPrice);
    api.add("GET", "/fapi/v2/ticker/price", SimApi.symbolOr(1, 2), 0, 0, n, this::tickerPrice);
    api.add("GET", "/fapi/v1/openInterest", SimApi.w(1), 0, 0, n, this::openInterest);
    api.add("GET", "/fapi/v1/historicalTrades", SimApi.w(20), 0, 0, SimApi.Security.USER_STREAM, this::historicalTrades);
    api.add("GET", "/fapi/v1/fundingInfo", SimApi.w(0), 0, 0, n, this::fundingInfo);
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
    return api.engine.call((ex, now) -> {
      Json j = new Json().arr();
      for (Kline k : ex.klines(symbol, source, interval, start, end, limit)) {
        api.wire.kline(j, symbol, k, prices);
      }
      return j.endArr().toString();
    });
  }

  private CompletionStage<String> tickerPrice(Params p, String account) {
    return api.oneOrAll(p, (j, ex, s) -> j.obj().str("symbol", s).str("price", api.wire.price(s, ex.ticker24h(s).last()))
        .num("time", ex.bookTop(s).time()).end());
  }

  /** Open interest: the sum of the long positions every account holds. */
  private CompletionStage<String> openInterest(Params p, String account) {
    String s = api.symbol(p);
    return api.engine.call((ex, now) -> {
      long longs = 0;
      for (SimPosition pos : ex.allPositions(s)) {
        longs += Math.max(0, pos.amountSteps());
      }
      return new Json().obj().str("openInterest", api.wire.qty(s, longs)).str("symbol", s).num("time", now).end().toString();
    });
  }

  private CompletionStage<String> historicalTrades(Params p, String account) {
    String s = api.symbol(p);
    int limit = p.optInt("limit", 100);
    if (limit < 1 || limit > 500) {
      throw Rejection.bad(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    long fromId = p.optLong("fromId", -1);
    return api.engine.call((ex, now) -> {
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
        j.obj().num("id", t.tradeId()).str("price", api.wire.price(s, t.priceTicks())).str("qty", api.wire.qty(s, t.qtySteps()))
            .str("quoteQty", Json.dec(in.notional(t.priceTicks(), t.qtySteps()), 8)).num("time", t.time())
            .bool("isBuyerMaker", t.buyerMaker()).bool("isRPITrade", false).end();
      }
      return j.endArr().toString();
    });
  }

  /** Every symbol with its funding cap, floor and interval (Binance lists only adjusted ones; all are "adjusted" here). */
  private CompletionStage<String> fundingInfo(Params p, String account) {
    long hours = Math.max(1, api.settings.fundingInterval().toHours());
    Json j = new Json().arr();
    for (String s : api.symbolsOf(null)) {
      j.obj().str("symbol", s).str("adjustedFundingRateCap", "0.02000000").str("adjustedFundingRateFloor", "-0.02000000")
          .num("fundingIntervalHours", hours).bool("disclaimer", false).end();
    }
    return SimApi.done(j.endArr().toString());
  }
}
