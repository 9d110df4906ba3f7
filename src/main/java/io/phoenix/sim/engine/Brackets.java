package io.phoenix.sim.engine;

import java.util.List;

/**
 * Notional brackets with their maximum leverage and maintenance margin rate, Binance's table for
 * BTCUSDT; the simulator applies it to every symbol. {@code cum} (the maintenance amount) makes the
 * margin continuous across bracket edges: {@code mm = notional x rate - cum}.
 */
public final class Brackets {
  /** One bracket: notional in [floor, cap). */
  public record Bracket(
      int bracket,
      int initialLeverage,
      long notionalCap,
      long notionalFloor,
      double maintMarginRatio,
      double cum) {}

  public static final List<Bracket> DEFAULT =
      build(
          new long[][] {
            {125, 0, 50_000},
            {100, 50_000, 600_000},
            {75, 600_000, 3_000_000},
            {50, 3_000_000, 12_000_000},
            {25, 12_000_000, 70_000_000},
            {20, 70_000_000, 100_000_000},
            {10, 100_000_000, 230_000_000},
            {5, 230_000_000, 480_000_000},
            {4, 480_000_000, 600_000_000},
            {3, 600_000_000, 800_000_000},
            {2, 800_000_000, 1_200_000_000},
            {1, 1_200_000_000, 1_800_000_000}
          },
          new double[] {
            0.004, 0.005, 0.0065, 0.01, 0.02, 0.025, 0.05, 0.1, 0.125, 0.15, 0.25, 0.5
          });

  private Brackets() {}

  private static List<Bracket> build(long[][] rows, double[] rates) {
    Bracket[] out = new Bracket[rows.length];
    double cum = 0;
    for (int i = 0; i < rows.length; i++) {
      if (i > 0) {
        cum += rows[i][1] * (rates[i] - rates[i - 1]);
      }
      out[i] =
          new Bracket(
              i + 1,
              (int) rows[i][0],
              rows[i][2],
              rows[i][1],
              rates[i],
              Math.round(cum * 1e8) / 1e8);
    }
    return List.of(out);
  }

  /** The bracket of a position worth {@code notional} (absolute, in quote currency). */
  public static Bracket of(double notional) {
    for (Bracket b : DEFAULT) {
      if (notional < b.notionalCap()) {
        return b;
      }
    }
    return DEFAULT.get(DEFAULT.size() - 1);
  }

  /** Maintenance margin of a position worth {@code notional}. */
  public static double maintenance(double notional) {
    double n = Math.abs(notional);
    if (n == 0) {
      return 0;
    }
    Bracket b = of(n);
    return Math.max(0, n * b.maintMarginRatio() - b.cum());
  }

  /**
   * The bankruptcy price of a position of {@code qty} (signed, base units): the price at which
   * closing it turns {@code equity} (the margin backing it, valued at {@code mark}) into exactly 0.
   */
  public static double bankruptcyPrice(double qty, double mark, double equity) {
    return mark - equity / qty;
  }
}
