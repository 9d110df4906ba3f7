package io.phoenix.binance.rest;

import io.phoenix.core.Instrument;
import io.phoenix.model.ExchangeState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The REST calls the account side needs, normalized. Stages complete on a client thread: actors
 * bring results home with {@code pipeToSelf}. A Binance error body fails the stage with {@link
 * ApiError}; transport failures fail it with whatever the client throws.
 */
public interface AccountRestApi {

  /** A Binance {@code {code,msg}} error (or an HTTP status without one, code 0). */
  final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int httpStatus;
    private final int code;

    public ApiError(int httpStatus, int code, String message) {
      super("HTTP " + httpStatus + " code " + code + ": " + message);
      this.httpStatus = httpStatus;
      this.code = code;
    }

    public int httpStatus() {
      return httpStatus;
    }

    public int code() {
      return code;
    }
  }

  /**
   * The account's fee rates for a symbol, fractions of notional (negative: a rebate).
   *
   * @param makerRate {@code makerCommissionRate}
   * @param takerRate {@code takerCommissionRate}
   */
  record FeeRates(double makerRate, double takerRate) {
    /**
     * Parses the exchange's decimal strings; anything not a plausible rate (|rate| > 1 %) fails
     * naming the field.
     */
    public static FeeRates parse(String symbol, String maker, String taker) {
      return new FeeRates(
          rate(symbol, "makerCommissionRate", maker), rate(symbol, "takerCommissionRate", taker));
    }

    private static double rate(String symbol, String field, String text) {
      double v;
      try {
        v = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "commissionRate of " + symbol + ": " + field + " is not a number: '" + text + "'");
      }
      if (Double.isNaN(v) || Math.abs(v) > 0.01) {
        throw new IllegalArgumentException(
            "commissionRate of "
                + symbol
                + ": "
                + field
                + " "
                + text
                + " is outside [-0.01, 0.01]");
      }
      return v;
    }
  }

  /** Binance's "invalid listenKey": the key is gone, create a new one. */
  int INVALID_LISTEN_KEY = -1125;

  /** "Unknown order sent." on cancel: not open (filled or cancelled already). */
  int CANCEL_REJECTED = -2011;

  /** "Order does not exist." on query. */
  int NO_SUCH_ORDER = -2013;

  /** True if the failure is a Binance error with this code (unwrapping completion wrappers). */
  static boolean isError(Throwable failure, int code) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof ApiError e) {
        return e.code() == code;
      }
      t = t.getCause();
    }
    return false;
  }

  /** {@code POST /fapi/v1/listenKey}: a new key, or the active one extended. */
  CompletionStage<String> createListenKey();

  /** {@code PUT /fapi/v1/listenKey}; fails with code -1125 when the key is gone. */
  CompletionStage<Void> keepAliveListenKey(String listenKey);

  /** {@code GET /fapi/v1/openOrders} for all symbols; orders of unknown symbols are dropped. */
  CompletionStage<List<ExchangeState.Order>> openOrders();

  /** {@code GET /fapi/v1/order} by client id; empty on -2013. */
  CompletionStage<Optional<ExchangeState.Order>> queryOrder(
      Instrument instrument, String clientOrderId);

  /** {@code GET /fapi/v1/order} by order id; empty on -2013. */
  CompletionStage<Optional<ExchangeState.Order>> queryOrder(Instrument instrument, long orderId);

  /** {@code DELETE /fapi/v1/order} by origClientOrderId; false on -2011 (not open any more). */
  CompletionStage<Boolean> cancelOrder(Instrument instrument, String clientOrderId);

  /** {@code GET /fapi/v3/positionRisk}; positions of unknown symbols are dropped. */
  CompletionStage<List<ExchangeState.Position>> positions();

  /** {@code GET /fapi/v3/balance}. */
  CompletionStage<List<ExchangeState.Balance>> balances();

  /**
   * {@code GET /fapi/v1/userTrades}: trades from {@code fromId} when positive, else from {@code
   * startTime}; at most 1000.
   */
  CompletionStage<List<ExchangeState.Trade>> userTrades(
      Instrument instrument, long fromId, long startTime);

  /** {@code GET /fapi/v1/commissionRate} (weight 20): the account's fee rates for the symbol. */
  CompletionStage<FeeRates> commissionRate(Instrument instrument);

  /** {@code POST /fapi/v1/countdownCancelAll}; {@code countdownMillis} 0 disarms. */
  CompletionStage<Void> countdownCancelAll(Instrument instrument, long countdownMillis);
}
