package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the chaos soak ({@code phoenix.chaos}); see reference.conf.
 *
 * @param sampleInterval period of the checker's samples of the exchange and the node
 * @param sampleTimeout limit for each ask to the node and each read of the simulator in a sample
 * @param startTimeout longest wait at start for every quoter to quote before faults begin
 * @param finalTimeout longest wait at the end for the exchange to hold none of our orders after the
 *     stop
 * @param heapBaselineAfter the reference heap is measured this long into the run (at most a third
 *     of it)
 */
public record ChaosSettings(
    Duration sampleInterval,
    Duration sampleTimeout,
    Duration startTimeout,
    Duration finalTimeout,
    Duration heapBaselineAfter,
    Schedule schedule,
    Limits limits) {

  /**
   * How faults are drawn.
   *
   * @param leadIn fault-free time after warm-up before the first fault
   * @param gapMin least time between the end of one fault and the start of the next
   * @param gapMax most such time
   * @param durationMin shortest sustained fault (drops, expiries and crashes are instants)
   * @param durationMax longest sustained fault
   * @param types fault type names drawn in rounds (each round a seeded shuffle of the list)
   * @param delayMax largest response delay; a delay fault draws from [delayMax / 5, delayMax]
   * @param clockSkew size of a clock skew fault (its sign is drawn)
   * @param unknownOrdersMax most placements answered 503 after executing, per fault
   * @param serverErrorsMax most requests answered 503 without executing, per fault
   * @param depthGapInterval a depth-gap storm drops one diff of one symbol this often
   */
  public record Schedule(
      Duration leadIn,
      Duration gapMin,
      Duration gapMax,
      Duration durationMin,
      Duration durationMax,
      List<String> types,
      Duration delayMax,
      Duration clockSkew,
      int unknownOrdersMax,
      int serverErrorsMax,
      Duration depthGapInterval) {}

  /**
   * Invariant thresholds.
   *
   * @param orphanMaxAge our order open on the exchange and unknown to the node longer than this is
   *     an orphan
   * @param phantomMaxAge an order live in the node, not in flight, absent on the exchange longer
   *     than this is a phantom
   * @param grace after a fault ends, samples within this time count neither for uptime nor as quiet
   *     points
   * @param quietAfterFill a symbol is compared at a quiet point only if it had no fill of ours for
   *     this long
   * @param minUptime least fraction of fault-free samples in which every quoter quotes
   * @param recoveryP99 largest p99 of the time from a fault's end until every quoter quotes
   * @param heapTolerance largest relative change of the heap after GC between start and end
   */
  public record Limits(
      Duration orphanMaxAge,
      Duration phantomMaxAge,
      Duration grace,
      Duration quietAfterFill,
      double minUptime,
      Duration recoveryP99,
      double heapTolerance) {}

  public static ChaosSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.chaos");
    ConfigReader s = r.at("schedule");
    ConfigReader l = r.at("limits");
    Duration gapMin = s.positiveDuration("gap-min");
    Duration gapMax = s.positiveDuration("gap-max");
    if (gapMax.compareTo(gapMin) < 0) {
      throw new SettingsException(
          s.key("gap-max"), "must be at least gap-min (" + gapMin + "), was " + gapMax);
    }
    Duration durationMin = s.positiveDuration("duration-min");
    Duration durationMax = s.positiveDuration("duration-max");
    if (durationMax.compareTo(durationMin) < 0) {
      throw new SettingsException(
          s.key("duration-max"),
          "must be at least duration-min (" + durationMin + "), was " + durationMax);
    }
    List<String> types = s.stringList("types");
    if (types.isEmpty()) {
      throw new SettingsException(s.key("types"), "must name at least one fault type");
    }
    Schedule schedule =
        new Schedule(
            s.duration("lead-in"),
            gapMin,
            gapMax,
            durationMin,
            durationMax,
            types,
            s.positiveDuration("delay-max"),
            s.positiveDuration("clock-skew"),
            s.intInRange("unknown-orders-max", 1, 100),
            s.intInRange("server-errors-max", 1, 100),
            s.positiveDuration("depth-gap-interval"));
    Limits limits =
        new Limits(
            l.positiveDuration("orphan-max-age"),
            l.positiveDuration("phantom-max-age"),
            l.duration("grace"),
            l.positiveDuration("quiet-after-fill"),
            l.doubleInRange("min-uptime", 0, 1),
            l.positiveDuration("recovery-p99"),
            l.doubleInRange("heap-tolerance", 0, 10));
    return new ChaosSettings(
        r.positiveDuration("sample-interval"),
        r.positiveDuration("sample-timeout"),
        r.positiveDuration("start-timeout"),
        r.positiveDuration("final-timeout"),
        r.duration("heap-baseline-after"),
        schedule,
        limits);
  }
}
