package io.phoenix.chaos;

import io.phoenix.config.ChaosSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, non-overlapping fault schedule: the same seed and settings give the same windows. Types
 * are drawn in rounds (a shuffle of the configured list per round), so a run long enough for one
 * round exercises every type. Between two faults lies a gap of at least {@code gap-min}, in which
 * recovery is measured; the last fault ends at least that long before the span does. Forced 429s
 * stay below the venue's ban rule: at most {@code banAfterViolations - 1} per fault (at least one),
 * and two such faults start at least a {@code banWindow} apart, so the schedule never asks for a
 * ban.
 */
public final class FaultSchedule {
  private final long seed;
  private final long spanMillis;
  private final List<FaultWindow> windows;

  private FaultSchedule(long seed, long spanMillis, List<FaultWindow> windows) {
    this.seed = seed;
    this.spanMillis = spanMillis;
    this.windows = List.copyOf(windows);
  }

  /**
   * @param span the measured run; windows lie in [lead-in, span - gap-min]
   * @param symbols targets of quoter crashes and depth-gap storms
   * @param banAfterViolations the venue bans an IP after more than this many 429s in {@code
   *     banWindow}
   */
  public static FaultSchedule generate(
      long seed,
      Duration span,
      ChaosSettings.Schedule s,
      List<String> symbols,
      int banAfterViolations,
      Duration banWindow) {
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("no symbols to target");
    }
    List<FaultType> types = new ArrayList<>();
    for (String name : s.types()) {
      types.add(FaultType.parse(name, "phoenix.chaos.schedule.types"));
    }
    Random random = new Random(seed);
    long spanMillis = span.toMillis();
    long gapMin = s.gapMin().toMillis();
    long t = s.leadIn().toMillis();
    long lastRateLimited = Long.MIN_VALUE / 2;
    long banWindowMillis = banWindow.toMillis();
    LinkedList<FaultType> deck = new LinkedList<>();
    List<FaultWindow> out = new ArrayList<>();
    while (true) {
      if (deck.isEmpty()) {
        List<FaultType> round = new ArrayList<>(types);
        Collections.shuffle(round, random);
        deck.addAll(round);
      }
      FaultType type = null;
      for (Iterator<FaultType> it = deck.iterator(); it.hasNext(); ) {
        FaultType candidate = it.next();
        if (candidate != FaultType.RATE_LIMITED || t - lastRateLimited >= banWindowMillis) {
          it.remove();
          type = candidate;
          break;
        }
      }
      if (type == null) {
        // only forced 429s left in the round and the last ones are too recent: wait them out
        t = lastRateLimited + banWindowMillis;
        continue;
      }
      long duration =
          type.instant()
              ? 0
              : uniform(random, s.durationMin().toMillis(), s.durationMax().toMillis());
      if (t + duration + gapMin > spanMillis) {
        break;
      }
      String target = "";
      long magnitude = 0;
      switch (type) {
        case DEPTH_GAP -> {
          target = symbols.get(random.nextInt(symbols.size()));
          magnitude = s.depthGapInterval().toMillis();
        }
        case QUOTER_CRASH -> target = symbols.get(random.nextInt(symbols.size()));
        case UNKNOWN_ORDERS -> magnitude = 1 + random.nextInt(s.unknownOrdersMax());
        case SERVER_ERRORS -> magnitude = 1 + random.nextInt(s.serverErrorsMax());
        case RATE_LIMITED -> {
          magnitude = 1 + random.nextInt(Math.max(1, banAfterViolations - 1));
          lastRateLimited = t;
        }
        case DELAY ->
            magnitude =
                uniform(random, Math.max(1, s.delayMax().toMillis() / 5), s.delayMax().toMillis());
        case CLOCK_SKEW -> magnitude = (random.nextBoolean() ? 1 : -1) * s.clockSkew().toMillis();
        default -> {}
      }
      out.add(new FaultWindow(out.size(), type, t, t + duration, target, magnitude));
      t += duration + uniform(random, gapMin, s.gapMax().toMillis());
    }
    FaultSchedule schedule = new FaultSchedule(seed, spanMillis, out);
    schedule.validateInvariants(gapMin, banWindowMillis);
    return schedule;
  }

  private static long uniform(Random random, long min, long max) {
    return max <= min ? min : min + (long) (random.nextDouble() * (max - min + 1));
  }

  public long seed() {
    return seed;
  }

  public long spanMillis() {
    return spanMillis;
  }

  public List<FaultWindow> windows() {
    return windows;
  }

  public Set<FaultType> types() {
    Set<FaultType> set = EnumSet.noneOf(FaultType.class);
    windows.forEach(w -> set.add(w.type()));
    return set;
  }

  /**
   * Throws if windows overlap, come closer than {@code gapMin}, leave the span or could ask for a
   * ban.
   */
  void validateInvariants(long gapMin, long banWindowMillis) {
    long previousEnd = Long.MIN_VALUE;
    long previousRateLimited = Long.MIN_VALUE / 2;
    for (int i = 0; i < windows.size(); i++) {
      FaultWindow w = windows.get(i);
      if (w.index() != i) {
        throw new IllegalStateException("window " + i + " has index " + w.index());
      }
      if (previousEnd != Long.MIN_VALUE && w.startMillis() - previousEnd < gapMin) {
        throw new IllegalStateException(
            "window "
                + w.describe()
                + " starts less than "
                + gapMin
                + " ms after the previous one");
      }
      if (w.endMillis() + gapMin > spanMillis) {
        throw new IllegalStateException(
            "window " + w.describe() + " leaves no recovery room before the end " + spanMillis);
      }
      if (w.type() == FaultType.RATE_LIMITED) {
        if (w.startMillis() - previousRateLimited < banWindowMillis) {
          throw new IllegalStateException(
              "forced 429s " + w.describe() + " within a ban window of the previous ones");
        }
        previousRateLimited = w.startMillis();
      }
      previousEnd = w.endMillis();
    }
  }
}
