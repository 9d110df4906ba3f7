package io.phoenix.sim.engine;

/**
 * Shape of the synthetic market: step, resting depth of the liquidity providers, noise takers, and
 * sweeps.
 *
 * @param sweepsPerSecond Poisson rate of sweeping takers that reach at least {@code sweepMinBps}
 *     from fair (0: none)
 * @param sweepMinBps smallest reach of a sweep, bps of fair
 * @param sweepTailExponent Pareto exponent of the reach: P(reach &ge; x) = (min / x)^exponent
 * @param sweepMaxBps cap of the reach
 * @param sweepImpact fraction of its reach by which a sweep moves fair its way (0: uninformed)
 */
public record MarketModelConfig(
    long stepMillis,
    int levelsPerSide,
    long levelQtySteps,
    double takerArrivalsPerSecond,
    long takerQtySteps,
    double sweepsPerSecond,
    double sweepMinBps,
    double sweepTailExponent,
    double sweepMaxBps,
    double sweepImpact) {

  /** Without sweeps. */
  public MarketModelConfig(
      long stepMillis,
      int levelsPerSide,
      long levelQtySteps,
      double takerArrivalsPerSecond,
      long takerQtySteps) {
    this(
        stepMillis,
        levelsPerSide,
        levelQtySteps,
        takerArrivalsPerSecond,
        takerQtySteps,
        0,
        1,
        1,
        1,
        0);
  }
}
