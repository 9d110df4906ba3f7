package io.phoenix.backtest;

import java.util.List;
import java.util.Map;

/**
 * Everything a backtest reports, as written to JSON (field order is the declaration order, so the
 * same run gives the same bytes). Money in the quote currency (USDT), positions in base units.
 */
public record BacktestResult(
    Data data,
    Settings settings,
    Summary summary,
    List<SymbolResult> symbols,
    List<Markout> markoutCurve,
    Series series,
    List<FillPoint> fills) {

  /** What was replayed. */
  public record Data(
      List<String> files,
      long lines,
      long skippedLines,
      Map<String, Long> decodeErrors,
      long truncatedFiles,
      long messages,
      long events,
      long depthDiffs,
      long bookTickers,
      long trades,
      long markPrices,
      long snapshots,
      String from,
      String to,
      double seconds,
      boolean markFromMid) {}

  /**
   * The settings that shape the result beyond the strategy's own.
   *
   * @param orderEntryMillis null when the latencies were drawn from recorded round trips
   */
  public record Settings(
      String queueModel,
      double queuePower,
      String feedLatency,
      Double orderEntryMillis,
      Double responseMillis,
      double decisionMicros,
      double makerFeeRate,
      double takerFeeRate,
      Map<String, String> overrides) {}

  /**
   * The totals.
   *
   * @param grossPnl trading PnL before fees and funding, open positions at the last mid
   * @param makerShare share of fills that rested (0 without fills)
   * @param markoutBps mean of our fills' markouts (qty-weighted), bps of the fill price, by horizon
   * @param sharpePerMinute mean over standard deviation of the net PnL's one-minute changes (not
   *     annualised)
   * @param maxDrawdown largest fall of the net PnL from a previous high, sampled every sample
   *     interval and at fills
   * @param ordersSent new orders and amends sent (places refused by risk are not sent)
   * @param maxOrdersIn10s most new orders and amends the venue saw inside one 10 s window, against
   *     {@code orderLimit10s}
   * @param rateLimitRejects orders the venue refused with -1015
   * @param riskRefusals pre-trade refusals by risk, by reason
   * @param stopped why the kill switch stopped the strategy, or null
   */
  public record Summary(
      double netPnl,
      double grossPnl,
      double fees,
      double funding,
      double volume,
      long fills,
      long makerFills,
      double makerShare,
      Map<String, Double> markoutBps,
      double sharpePerMinute,
      double maxDrawdown,
      long ordersSent,
      long cancelsSent,
      int maxOrdersIn10s,
      int orderLimit10s,
      int maxOrdersPerMinute,
      int orderLimitPerMinute,
      long rateLimitRejects,
      long postOnlyRejects,
      long filterRejects,
      long requotes,
      Map<String, Long> riskRefusals,
      long bookGaps,
      String stopped) {}

  /** Per symbol. */
  public record SymbolResult(
      String symbol,
      double netPnl,
      double grossPnl,
      double fees,
      double funding,
      double volume,
      long fills,
      long makerFills,
      double maxAbsPosition,
      double meanPosition,
      double meanAbsPosition,
      double finalPosition,
      long ordersSent,
      long cancelsSent,
      long bookGaps,
      long snapshotsUsed) {}

  /**
   * Mean markout of our fills at one horizon: bps of the fill price and quote currency in total.
   */
  public record Markout(long horizonMillis, double bps, double pnl, long fills) {}

  /**
   * Sampled time series for the plots (first symbol for prices and positions); null where there was
   * no value (no book, no quote).
   */
  public record Series(
      String symbol,
      List<Long> timeMillis,
      List<Double> netPnl,
      List<Double> grossPnl,
      List<Double> position,
      List<Double> mid,
      List<Double> bidQuote,
      List<Double> askQuote) {}

  /** One of our fills (first symbol), for the price chart. */
  public record FillPoint(long timeMillis, boolean buy, double price, double qty, boolean maker) {}
}
