package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node positions equal the exchange's at quiet points: outside faults and graces (or the final
 * sample), with no fill of ours on the exchange for {@code quietAfterFill}. Both the quoter's and
 * risk's view are compared; a part of the node that did not answer is not judged in that sample.
 * Consecutive mismatching quiet samples of a symbol form an episode; the longest is reported.
 */
public final class PositionCheck implements Check {
  private static final int EXAMPLES = 5;
  private final List<String> symbols;
  private final long quietAfterFillMillis;
  private long quietSamples;
  private long mismatchSamples;
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
    if (!quietPhase || s.exchange() == null || s.node() == null || s.exchange().sinceLastFillMillis() < quietAfterFillMillis) {
      return;
    }
    quietSamples++;
    boolean mismatch = false;
    for (String symbol : symbols) {
      long exchange = s.exchange().positions().getOrDefault(symbol, 0L);
      Sample.QuoterView q = s.node().quoters().get(symbol);
      Long risk = s.node().riskPositions() == null ? null : s.node().riskPositions().get(symbol);
      boolean quoterWrong = q != null && q.positionSteps() != exchange;
      boolean riskWrong = risk != null && risk != exchange;
      if (quoterWrong || riskWrong) {
        mismatch = true;
        long start = episodeStart.computeIfAbsent(symbol, k -> s.atMillis());
        if (s.atMillis() - start >= longestEpisodeMillis) {
          longestEpisodeMillis = s.atMillis() - start;
          longestEpisodeSymbol = symbol;
        }
        if (start == s.atMillis() && examples.size() < EXAMPLES) {
          examples.add(String.format(Locale.ROOT, "%.1fs %s exchange %d, quoter %s, risk %s (steps)", s.atMillis() / 1000.0,
              symbol, exchange, q == null ? "?" : Long.toString(q.positionSteps()), risk == null ? "?" : risk.toString()));
        }
      } else {
        episodeStart.remove(symbol);
      }
    }
    if (mismatch) {
      mismatchSamples++;
    }
  }

  public long quietSamples() {
    return quietSamples;
  }

  @Override
  public Verdict verdict() {
    String value = String.format(Locale.ROOT, "%d of %d quiet samples", mismatchSamples, quietSamples);
    String detail = String.join("; ", examples);
    if (mismatchSamples > 0) {
      detail = String.format(Locale.ROOT, "longest %.1fs (%s); first: %s", longestEpisodeMillis / 1000.0, longestEpisodeSymbol, detail);
    } else if (quietSamples == 0) {
      detail = "no quiet point: positions never compared";
    }
    return new Verdict("position mismatches at quiet points", value, "0", mismatchSamples == 0 && quietSamples > 0, detail);
  }
}
