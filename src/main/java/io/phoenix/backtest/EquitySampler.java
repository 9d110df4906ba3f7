package io.phoenix.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Equity samples of a backtest: the series for the plots, per-minute marks for the Sharpe ratio,
 * the drawdown.
 */
final class EquitySampler {
  private static final long MINUTE = 60_000_000_000L;

  final List<Long> times = new ArrayList<>();
  final List<Double> net = new ArrayList<>();
  final List<Double> gross = new ArrayList<>();
  final List<Double> position = new ArrayList<>();
  final List<Double> mid = new ArrayList<>();
  final List<Double> bid = new ArrayList<>();
  final List<Double> ask = new ArrayList<>();
  final List<Double> minutes = new ArrayList<>();
  long nextMinute;
  double peak = 0;
  double maxDrawdown;
  double last;

  void start(long t) {
    nextMinute = t + MINUTE;
    minutes.add(0.0);
  }

  void equity(long t, double value) {
    while (t >= nextMinute) {
      minutes.add(last);
      nextMinute += MINUTE;
    }
    last = value;
    peak = Math.max(peak, value);
    maxDrawdown = Math.max(maxDrawdown, peak - value);
  }

  void point(
      long t,
      double netPnl,
      double grossPnl,
      double pos,
      double midPrice,
      double bidQuote,
      double askQuote) {
    times.add(t / 1_000_000);
    net.add(netPnl);
    gross.add(grossPnl);
    position.add(pos);
    mid.add(orNull(midPrice));
    bid.add(orNull(bidQuote));
    ask.add(orNull(askQuote));
  }

  double sharpePerMinute() {
    int k = minutes.size() - 1;
    if (k < 2) {
      return 0;
    }
    double sum = 0;
    for (int i = 1; i <= k; i++) {
      sum += minutes.get(i) - minutes.get(i - 1);
    }
    double mean = sum / k;
    double var = 0;
    for (int i = 1; i <= k; i++) {
      double r = minutes.get(i) - minutes.get(i - 1) - mean;
      var += r * r;
    }
    double sd = Math.sqrt(var / (k - 1));
    return sd == 0 ? 0 : mean / sd;
  }

  /** JSON has no NaN: a missing value is null. */
  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
