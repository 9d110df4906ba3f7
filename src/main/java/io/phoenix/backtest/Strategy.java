package io.phoenix.backtest;

import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.OrderBook;
import io.phoenix.market.TopOfBook;
import io.phoenix.model.TimeInForce;

/**
 * What the backtester drives on the local side, on virtual time. The only production strategy is
 * {@link PhoenixStrategy}, the node's own quoter and risk code; tests plug in trivial ones to check
 * the accounting.
 */
public interface Strategy {

  /** What a strategy may use: the local books (as the quoter keeps them) and the order path. */
  interface Context {
    Instrument instrument(int symbolId);

    /** The local book of a symbol: read only, valid between a book update and the next event. */
    OrderBook book(int symbolId);

    /**
     * The top the quoter prices from: a {@code bookTicker} newer than the book's last diff, else
     * the book's own.
     */
    TopOfBook top(int symbolId);

    void place(
        int symbolId,
        long now,
        String clientId,
        boolean buy,
        long priceTicks,
        long qtySteps,
        TimeInForce tif);

    void cancel(int symbolId, long now, String clientId);

    void amend(int symbolId, long now, String clientId, long priceTicks, long qtySteps);

    void cancelAll(int symbolId, long now);

    /**
     * Ask for {@link #onRequote} after the decision latency; requests meanwhile collapse into one.
     */
    void requestRequote(int symbolId, long now);
  }

  void start(Context context, long now);

  /** The local top may have moved (a diff applied, a resync completed, a newer bookTicker). */
  void onBook(int symbolId, long now);

  /** The local book broke (gap, crossed) and waits for a snapshot. */
  void onBookInvalid(int symbolId, long now);

  /** Nothing arrived for the symbol for {@code phoenix.feed.stale-after}. */
  void onBookStale(int symbolId, long now);

  /** A mark price (or the mid standing in for it); {@code fundingRate} NaN when unknown. */
  void onMark(int symbolId, long markTicks, double fundingRate, long now);

  /** An answer or a user-stream event from the exchange. */
  void onResponse(int symbolId, Response response, long now);

  void onRequote(int symbolId, long now);

  /** Called every {@link #timerNanos()}. */
  void onTimer(long now);

  long timerNanos();

  /** Why the strategy stopped trading (kill switch), or null. */
  default String stopReason() {
    return null;
  }

  /** Pre-trade refusals by reason, for the report. */
  default java.util.Map<String, Long> refusals() {
    return java.util.Map.of();
  }
}
