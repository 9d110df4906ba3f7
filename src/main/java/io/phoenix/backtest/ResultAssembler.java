package io.phoenix.backtest;

import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.ExchangeModel;
import io.phoenix.exchangemodel.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of a finished backtest: what the data held, the settings it ran with, per-symbol and
 * total PnL, fills, positions, markout curve, risk figures and the series for the plots, assembled
 * into a {@link BacktestResult} from the run's {@link ReplayedSymbol}s and {@link EquitySampler}.
 */
final class ResultAssembler {
  /** Markout horizons of the curve; 100 ms, 1 s and 10 s also go into the summary. */
  static final long[] MARKOUT_MILLIS = {
    0, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000
  };

  private final MarketData data;
  private final BacktestSettings settings;
  private final Strategy strategy;
  private final Map<String, String> overrides;

  /**
   * @param overrides the settings a sweep changed, for the report
   */
  ResultAssembler(
      MarketData data,
      BacktestSettings settings,
      Strategy strategy,
      Map<String, String> overrides) {
    this.data = data;
    this.settings = settings;
    this.strategy = strategy;
    this.overrides = overrides;
  }

  /**
   * @param requotes, ordersSent, cancelsSent the run's totals
   * @param start, end the report's window, in virtual nanoseconds
   */
  BacktestResult assemble(
      List<ReplayedSymbol> symList,
      EquitySampler sampler,
      long requotes,
      long ordersSent,
      long cancelsSent,
      long start,
      long end) {
    MarketData.Stats st = data.stats();
    Map<String, Long> errors = new TreeMap<>();
    st.decodeErrors().forEach((k, v) -> errors.put(k.name(), v));
    boolean markFromMid = symList.stream().anyMatch(s -> !s.hasMark);
    BacktestResult.Data dataInfo =
        new BacktestResult.Data(
            st.files(),
            st.lines(),
            st.skippedLines(),
            errors,
            st.truncatedFiles(),
            data.size(),
            data.levelEvents(),
            data.count(MarketData.DEPTH),
            data.count(MarketData.TICKER),
            data.count(MarketData.TRADE),
            data.count(MarketData.MARK),
            data.count(MarketData.SNAPSHOT),
            Instant.ofEpochMilli(start / 1_000_000).toString(),
            Instant.ofEpochMilli(end / 1_000_000).toString(),
            (end - start) / 1e9,
            markFromMid);
    BacktestResult.Settings settingsInfo =
        new BacktestResult.Settings(
            settings.exchange().queue().name().toLowerCase(java.util.Locale.ROOT),
            settings.exchange().queuePower(),
            settings.recordedFeedLatency() ? "recorded" : settings.feedLatency().toMillis() + "ms",
            settings.roundTripsFile().isEmpty() ? settings.orderEntry().toNanos() / 1e6 : null,
            settings.roundTripsFile().isEmpty() ? settings.response().toNanos() / 1e6 : null,
            settings.decision().toNanos() / 1e3,
            settings.exchange().makerFeeRate(),
            settings.exchange().takerFeeRate(),
            new TreeMap<>(overrides));

    List<BacktestResult.SymbolResult> perSymbol = new ArrayList<>();
    double[][] markouts = new double[MARKOUT_MILLIS.length][4];
    for (ReplayedSymbol s : symList) {
      ExchangeModel m = s.model;
      double mid = Double.isNaN(s.lastMid) ? 0 : s.lastMid;
      double step = s.instrument.quantity().toDouble(1);
      double span = Math.max(1, end - start);
      perSymbol.add(
          new BacktestResult.SymbolResult(
              s.instrument.symbol(),
              m.netPnl(mid),
              m.grossPnl(mid),
              m.fees(),
              m.funding(),
              m.volume(),
              m.fills(),
              m.makerFills(),
              s.maxAbsPos * step,
              s.posIntegral / span * step,
              s.absPosIntegral / span * step,
              m.positionSteps() * step,
              s.ordersSent,
              s.cancelsSent,
              s.gaps,
              s.snapshotsUsed));
      markouts(s, end, markouts);
    }
    long fills = perSymbol.stream().mapToLong(BacktestResult.SymbolResult::fills).sum();
    long makerFills = perSymbol.stream().mapToLong(BacktestResult.SymbolResult::makerFills).sum();
    List<BacktestResult.Markout> curve = new ArrayList<>();
    Map<String, Double> summaryMarkouts = new LinkedHashMap<>();
    for (int h = 0; h < MARKOUT_MILLIS.length; h++) {
      double qty = markouts[h][2];
      double bps = qty > 0 ? markouts[h][0] / qty : 0;
      curve.add(
          new BacktestResult.Markout(
              MARKOUT_MILLIS[h], bps, markouts[h][1], (long) markouts[h][3]));
      long ms = MARKOUT_MILLIS[h];
      if (ms == 100 || ms == 1_000 || ms == 10_000) {
        summaryMarkouts.put(ms < 1000 ? ms + "ms" : ms / 1000 + "s", bps);
      }
    }
    BacktestResult.Summary summary =
        new BacktestResult.Summary(
            perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::netPnl).sum(),
            perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::grossPnl).sum(),
            perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::fees).sum(),
            perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::funding).sum(),
            perSymbol.stream().mapToDouble(BacktestResult.SymbolResult::volume).sum(),
            fills,
            makerFills,
            fills == 0 ? 0 : (double) makerFills / fills,
            summaryMarkouts,
            sampler.sharpePerMinute(),
            sampler.maxDrawdown,
            ordersSent,
            cancelsSent,
            symList.stream().mapToInt(s -> s.model.maxOrdersIn10s()).max().orElse(0),
            settings.exchange().ordersPer10s(),
            symList.stream().mapToInt(s -> s.model.maxOrdersInMinute()).max().orElse(0),
            settings.exchange().ordersPerMinute(),
            symList.stream().mapToLong(s -> s.model.rateLimited()).sum(),
            symList.stream().mapToLong(s -> s.model.postOnlyRejects()).sum(),
            symList.stream().mapToLong(s -> s.model.filterRejects()).sum(),
            requotes,
            strategy.refusals(),
            symList.stream().mapToLong(s -> s.gaps).sum(),
            strategy.stopReason());
    ReplayedSymbol first = symList.get(0);
    BacktestResult.Series series =
        new BacktestResult.Series(
            first.instrument.symbol(),
            sampler.times,
            sampler.net,
            sampler.gross,
            sampler.position,
            sampler.mid,
            sampler.bid,
            sampler.ask);
    List<BacktestResult.FillPoint> points = new ArrayList<>();
    for (Response.Fill f : first.fills) {
      if (points.size() == 20_000) {
        break; // the chart would be unreadable anyway; the totals count them all
      }
      points.add(
          new BacktestResult.FillPoint(
              f.exchNanos() / 1_000_000,
              f.buy(),
              price(first.instrument, f.priceTicks()),
              first.instrument.quantity().toDouble(f.qtySteps()),
              f.maker()));
    }
    return new BacktestResult(dataInfo, settingsInfo, summary, perSymbol, curve, series, points);
  }

  /**
   * Adds each fill's markout at each horizon: the exchange-side mid that long after the fill
   * against the fill price, positive when the market moved our way. [h][0] bps×qty, [h][1] money,
   * [h][2] qty, [h][3] fills (only fills whose horizon ends inside the data count).
   */
  private static void markouts(ReplayedSymbol s, long end, double[][] out) {
    double tick = s.instrument.price().toDouble(1);
    double step = s.instrument.quantity().toDouble(1);
    for (Response.Fill f : s.fills) {
      double price = f.priceTicks();
      for (int h = 0; h < MARKOUT_MILLIS.length; h++) {
        long at = f.exchNanos() + MARKOUT_MILLIS[h] * 1_000_000;
        if (at > end) {
          continue;
        }
        double mid = s.midAt(at);
        if (Double.isNaN(mid)) {
          continue;
        }
        double sign = f.buy() ? 1 : -1;
        double qty = f.qtySteps();
        out[h][0] += sign * (mid - price) / price * 1e4 * qty;
        out[h][1] += sign * (mid - price) * tick * qty * step;
        out[h][2] += qty;
        out[h][3] += 1;
      }
    }
  }

  /**
   * Ticks as a price for reports: divided by a power of ten rather than multiplied by the tick
   * (61807.95, not 61807.950000000004).
   */
  static double price(Instrument instrument, double ticks) {
    long scale = 1_000_000_000L;
    return ticks * instrument.price().toDouble(scale) / scale;
  }
}
