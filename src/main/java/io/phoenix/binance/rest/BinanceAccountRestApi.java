package io.phoenix.binance.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.ws.UserDataParser;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link AccountRestApi} over {@link BinanceRestClient}: builds the requests, converts decimal text
 * to ticks and steps of the symbol's instrument, and turns every non-Ok result into a failed stage
 * carrying an {@link AccountRestApi.ApiError}. Items of symbols the lookup does not know are
 * dropped (they are not ours to reconcile); a value off the tick/step grid fails the whole call,
 * because acting on a half-read account is worse than retrying.
 */
public final class BinanceAccountRestApi implements AccountRestApi {
  // open orders of all symbols weigh 40, of one symbol 1: below 40 symbols, one call per symbol
  private static final int ALL_SYMBOLS_WEIGHT = 40;

  private final BinanceRestClient client;
  private final Function<String, Instrument> instruments;
  // the symbols open orders are asked for one by one; empty: all in one call
  private final List<String> perSymbol;

  /**
   * @param instruments lookup by exchange symbol; null for symbols this node does not trade
   */
  public BinanceAccountRestApi(BinanceRestClient client, Function<String, Instrument> instruments) {
    this(client, instruments, List.of());
  }

  private BinanceAccountRestApi(
      BinanceRestClient client, Function<String, Instrument> instruments, List<String> perSymbol) {
    this.client = client;
    this.instruments = instruments;
    this.perSymbol = perSymbol;
  }

  /**
   * The account API of a unit trading {@code traded}: with fewer than 40 symbols, open orders are
   * asked for symbol by symbol (weight 1 each instead of 40 for all, which a reconciliation every
   * minute pays; the IP's weight is what bounds the units a node carries).
   */
  public static BinanceAccountRestApi forInstruments(
      BinanceRestClient client, List<Instrument> traded) {
    Map<String, Instrument> bySymbol = new HashMap<>();
    traded.forEach(i -> bySymbol.put(i.symbol(), i));
    List<String> perSymbol =
        traded.size() < ALL_SYMBOLS_WEIGHT
            ? traded.stream().map(Instrument::symbol).toList()
            : List.of();
    return new BinanceAccountRestApi(client, Map.copyOf(bySymbol)::get, perSymbol);
  }

  @Override
  public CompletionStage<String> createListenKey() {
    return client
        .send(RestRequest.post("/fapi/v1/listenKey").apiKey().build())
        .thenApply(r -> body(r).path("listenKey").asText());
  }

  @Override
  public CompletionStage<Void> keepAliveListenKey(String listenKey) {
    return client
        .send(RestRequest.put("/fapi/v1/listenKey").apiKey().build())
        .thenApply(
            r -> {
              body(r);
              return null;
            });
  }

  @Override
  public CompletionStage<List<ExchangeState.Order>> openOrders() {
    if (perSymbol.isEmpty()) {
      return client.openOrders(null).thenApply(this::ourOpenOrders);
    }
    CompletionStage<List<ExchangeState.Order>> all =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (String symbol : perSymbol) {
      all =
          all.thenCombine(
              client.openOrders(symbol).thenApply(this::ourOpenOrders),
              (sum, one) -> {
                sum.addAll(one);
                return sum;
              });
    }
    return all;
  }

  private List<ExchangeState.Order> ourOpenOrders(RestResult<List<RestOrderResponse>> r) {
    List<ExchangeState.Order> out = new ArrayList<>();
    for (RestOrderResponse o : body(r)) {
      Instrument i = instruments.apply(o.symbol());
      if (i != null) {
        out.add(order(i, o));
      }
    }
    return out;
  }

  @Override
  public CompletionStage<Optional<ExchangeState.Order>> queryOrder(
      Instrument instrument, String clientOrderId) {
    return client
        .queryOrder(instrument.symbol(), clientOrderId)
        .thenApply(r -> queried(instrument, r));
  }

  @Override
  public CompletionStage<Optional<ExchangeState.Order>> queryOrder(
      Instrument instrument, long orderId) {
    return client
        .send(
            RestRequest.get("/fapi/v1/order")
                .signed()
                .param("symbol", instrument.symbol())
                .param("orderId", orderId)
                .build(),
            RestOrderResponse.class)
        .thenApply(r -> queried(instrument, r));
  }

  @Override
  public CompletionStage<Boolean> cancelOrder(Instrument instrument, String clientOrderId) {
    return client
        .cancelOrder(instrument.symbol(), clientOrderId)
        .thenApply(
            r -> {
              if (r instanceof RestResult.Rejected<?> rej
                  && rej.code() == BinanceErrors.CANCEL_REJECTED) {
                return false;
              }
              body(r);
              return true;
            });
  }

  @Override
  public CompletionStage<List<ExchangeState.Position>> positions() {
    return client
        .send(RestRequest.get("/fapi/v3/positionRisk").signed().weight(5).build())
        .thenApply(
            r -> {
              List<ExchangeState.Position> out = new ArrayList<>();
              for (JsonNode p : array(body(r))) {
                Instrument i = instruments.apply(p.path("symbol").asText());
                if (i != null) {
                  out.add(
                      new ExchangeState.Position(
                          i.id(),
                          positionSide(p.path("positionSide").asText("BOTH")),
                          steps(i, p.path("positionAmt").asText(), "positionAmt"),
                          p.path("entryPrice").asDouble(),
                          p.path("unRealizedProfit").asDouble(),
                          p.path("updateTime").asLong()));
                }
              }
              return out;
            });
  }

  @Override
  public CompletionStage<List<ExchangeState.Balance>> balances() {
    return client
        .send(RestRequest.get("/fapi/v3/balance").signed().weight(5).build())
        .thenApply(
            r -> {
              List<ExchangeState.Balance> out = new ArrayList<>();
              for (JsonNode b : array(body(r))) {
                out.add(
                    new ExchangeState.Balance(
                        b.path("asset").asText(),
                        b.path("balance").asDouble(),
                        b.path("crossWalletBalance").asDouble(),
                        b.path("availableBalance").asDouble(),
                        b.path("updateTime").asLong()));
              }
              return out;
            });
  }

  @Override
  public CompletionStage<List<ExchangeState.Trade>> userTrades(
      Instrument instrument, long fromId, long startTime) {
    RestRequest.Builder b =
        RestRequest.get("/fapi/v1/userTrades")
            .signed()
            .weight(5)
            .param("symbol", instrument.symbol())
            .param("limit", 1000);
    if (fromId > 0) {
      b.param("fromId", fromId);
    } else {
      b.param("startTime", startTime);
    }
    return client
        .send(b.build())
        .thenApply(
            r -> {
              List<ExchangeState.Trade> out = new ArrayList<>();
              for (JsonNode t : array(body(r))) {
                out.add(
                    new ExchangeState.Trade(
                        instrument.id(),
                        t.path("id").asLong(),
                        t.path("orderId").asLong(),
                        side(t.path("side").asText()),
                        ticks(instrument, t.path("price").asText(), "price"),
                        steps(instrument, t.path("qty").asText(), "qty"),
                        t.path("commission").asDouble(),
                        t.path("commissionAsset").asText(""),
                        t.path("realizedPnl").asDouble(),
                        t.path("maker").asBoolean(),
                        positionSide(t.path("positionSide").asText("BOTH")),
                        t.path("time").asLong()));
              }
              return out;
            });
  }

  @Override
  public CompletionStage<FeeRates> commissionRate(Instrument instrument) {
    return client
        .send(
            RestRequest.get("/fapi/v1/commissionRate")
                .signed()
                .weight(20)
                .param("symbol", instrument.symbol())
                .build())
        .thenApply(
            r -> {
              JsonNode b = body(r);
              return FeeRates.parse(
                  instrument.symbol(),
                  b.path("makerCommissionRate").asText(""),
                  b.path("takerCommissionRate").asText(""));
            });
  }

  @Override
  public CompletionStage<Void> countdownCancelAll(Instrument instrument, long countdownMillis) {
    return client
        .send(
            RestRequest.post("/fapi/v1/countdownCancelAll")
                .signed()
                .weight(10)
                .param("symbol", instrument.symbol())
                .param("countdownTime", countdownMillis)
                .build())
        .thenApply(
            r -> {
              body(r);
              return null;
            });
  }

  /** Converts an order object; public for the gateway's and tests' use. */
  public static ExchangeState.Order order(Instrument i, RestOrderResponse o) {
    OrderState status = UserDataParser.orderStatus(nonNull(o.status()));
    if (status == null) {
      throw new IllegalStateException(
          "order " + o.clientOrderId() + " has unknown status " + o.status());
    }
    return new ExchangeState.Order(
        i.id(),
        o.clientOrderId(),
        o.orderId(),
        side(nonNull(o.side())),
        status,
        o.price() == null ? 0 : ticks(i, o.price(), "price"),
        steps(i, o.origQty(), "origQty"),
        o.executedQty() == null ? 0 : steps(i, o.executedQty(), "executedQty"),
        o.avgPrice() == null ? 0 : Double.parseDouble(o.avgPrice()),
        nonNull(o.type()),
        nonNull(o.timeInForce()),
        o.reduceOnly(),
        positionSide(o.positionSide() == null ? "BOTH" : o.positionSide()),
        o.updateTime());
  }

  private static Optional<ExchangeState.Order> queried(
      Instrument instrument, RestResult<RestOrderResponse> r) {
    if (r instanceof RestResult.Rejected<?> rej && rej.code() == BinanceErrors.NO_SUCH_ORDER) {
      return Optional.empty();
    }
    return Optional.of(order(instrument, body(r)));
  }

  private static <T> T body(RestResult<T> r) {
    if (r instanceof RestResult.Ok<T> ok) {
      return ok.body();
    }
    if (r instanceof RestResult.Rejected<T> rej) {
      throw new ApiError(rej.httpStatus(), rej.code(), rej.msg());
    }
    if (r instanceof RestResult.RateLimited<T> rl) {
      throw new ApiError(
          rl.httpStatus(), rl.code(), "rate limited, retry after " + rl.retryAfter());
    }
    RestResult.UnknownOutcome<T> u = (RestResult.UnknownOutcome<T>) r;
    throw new ApiError(u.httpStatus(), 0, u.reason());
  }

  private static Iterable<JsonNode> array(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new IllegalStateException("expected a JSON array");
    }
    return node;
  }

  private static long ticks(Instrument i, String text, String field) {
    return checked(i.price(), text, i.symbol() + " " + field);
  }

  private static long steps(Instrument i, String text, String field) {
    return checked(i.quantity(), text, i.symbol() + " " + field);
  }

  private static long checked(Scale scale, String text, String what) {
    long value = text == null ? Scale.INVALID : scale.parse(text);
    if (value == Scale.INVALID) {
      throw new IllegalStateException(
          what + " is not on the " + scale.increment() + " grid: " + text);
    }
    return value;
  }

  private static Side side(String text) {
    Side side = UserDataParser.parseSide(text);
    if (side == null) {
      throw new IllegalStateException("unknown side " + text);
    }
    return side;
  }

  private static PositionSide positionSide(String text) {
    return switch (text) {
      case "LONG" -> PositionSide.LONG;
      case "SHORT" -> PositionSide.SHORT;
      default -> PositionSide.BOTH;
    };
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
