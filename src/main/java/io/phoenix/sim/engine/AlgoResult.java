package io.phoenix.sim.engine;

/** Either a conditional order or a Binance error: exactly one is non-null. */
public record AlgoResult(SimAlgoOrder algo, SimError error) {
  public static AlgoResult ok(SimAlgoOrder algo) {
    return new AlgoResult(algo, null);
  }

  public static AlgoResult fail(SimError error) {
    return new AlgoResult(null, error);
  }
}
