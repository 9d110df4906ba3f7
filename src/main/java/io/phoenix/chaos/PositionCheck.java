package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node positions equal the exchange's at quiet points: a symbol is compared in a sample outside
 * faults and graces (or the final one) when it had no fill of ours on the exchange for {@code
 * quietAfterFill}, time for the fill to reach the node. Per symbol, because an actively quoting
 * node rarely goes that long without a fill on any symbol. Both the quoter's and risk's view are
 * compared; a part of the node that did not answer is not judged in that sample. Consecutive
 * mismatching comparisons of a symbol form an episode; the longest is reported.
 */
public final class PositionCheck implements Check {
  private static final int EXAMPLES = 5;
  private final List<String> symbols;
  private final long quietAfterFillMillis;
  private long comparisons;
  private long mismatches;
  private final Map<String, Long> episodeStart = new HashMap<>();
  private long longestEpisodeMillis;
  private String longestEpisodeSymbol = "";
  private final List<String> examples = new ArrayList<>();

  public PositionCheck(List<String> symbols, long quietAfterFillMillis) {
    this.symbols = List.copyOf(symbols);
    this.quietAfterFillMillis = quietAfterFillMillis;
  }

  @Override
  public void observe(Sample s) {
    boolean quietPhase = s.phase() == Sample.Phase.CLEAR || s.phase() == Sample.Phase.FINAL;
    if (!quietPhase || s.exchange() == null || s.node() == null) {
      return;
    }
    for (String symbol : symbols) {
      if (s.exchange().sinceLastFill(symbol) < quietAfterFillMillis) {
        continue;
      }
      long exchange = s.exchange().positions().getOrDefault(symbol, 0L);
      Sample.QuoterView q = s.node().quoters().get(symbol);
      Long risk = s.node().riskPositions() == null ? null : s.node().riskPositions().get(symbol);
      if (q == null && risk == null) {
        continue;
      }
      comparisons++;
      boolean quoterWrong = q != null && q.positionSteps() != exchange;
      boolean riskWrong = risk != null && risk != exchange;
      if (quoterWrong || riskWrong) {
        mismatches++;
        long start = episodeStart.computeIfAbsent(symbol, k -> s.atMillis());
        if (s.atMillis() - start >= longestEpisodeMillis) {
          longestEpisodeMillis = s.atMillis() - start;
          longestEpisodeSymbol = symbol;
        }
        if (start == s.atMillis() && examples.size() < EXAMPLES) {
          examples.add(
              String.format(
                  Locale.ROOT,
                  "%.1fs %s exchange %d, quoter %s, risk %s (steps)",
                  s.atMillis() / 1000.0,
                  symbol,
                  exchange,
                  q == null ? "?" : Long.toString(q.positionSteps()),
                  risk == null ? "?" : risk.toString()));
        }
      } else {
        episodeStart.remove(symbol);
      }
    }
  }

  /** Symbol positions compared at quiet points so far. */
  public long comparisons() {
    return comparisons;
  }

  @Override
  public Verdict verdict() {
    String value =
        String.format(Locale.ROOT, "%d of %d quiet comparisons", mismatches, comparisons);
    String detail = String.join("; ", examples);
    if (mismatches > 0) {
      detail =
          String.format(
              Locale.ROOT,
              "longest %.1fs (%s); first: %s",
              longestEpisodeMillis / 1000.0,
              longestEpisodeSymbol,
              detail);
    } else if (comparisons == 0) {
      detail = "no quiet point: positions never compared";
    }
    return new Verdict(
        "position mismatches at quiet points",
        value,
        "0",
        mismatches == 0 && comparisons > 0,
        detail);
  }
}
