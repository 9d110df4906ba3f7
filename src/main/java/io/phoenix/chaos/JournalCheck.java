package io.phoenix.chaos;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Journal fills equal the exchange's userTrades (of every venue incarnation): each trade once, with
 * the same side and quantity. Missing, extra and differing rows are counted.
 */
public final class JournalCheck {
  private static final int EXAMPLES = 5;

  /**
   * One fill; {@code qty} compared by value (scale ignored). {@code timeMillis} (exchange time, 0 =
   * unknown) is not compared: it names when a missing fill happened, to find the fault around it.
   */
  public record Fill(String symbol, long tradeId, String side, BigDecimal qty, long timeMillis) {
    public Fill(String symbol, long tradeId, String side, BigDecimal qty) {
      this(symbol, tradeId, side, qty, 0);
    }
  }

  private JournalCheck() {}

  public static Verdict verdict(List<Fill> exchange, List<Fill> journal) {
    Map<String, Fill> byKey = new HashMap<>();
    exchange.forEach(f -> byKey.put(key(f), f));
    Map<String, Fill> journalByKey = new HashMap<>();
    int duplicates = 0;
    for (Fill f : journal) {
      if (journalByKey.put(key(f), f) != null) {
        duplicates++;
      }
    }
    List<String> examples = new ArrayList<>();
    int missing = 0;
    int differ = 0;
    for (Map.Entry<String, Fill> e : byKey.entrySet()) {
      Fill j = journalByKey.get(e.getKey());
      Fill x = e.getValue();
      if (j == null) {
        missing++;
        example(
            examples,
            "missing "
                + e.getKey()
                + (x.timeMillis() > 0
                    ? " (" + java.time.Instant.ofEpochMilli(x.timeMillis()) + ")"
                    : ""));
      } else if (!j.side().equals(x.side()) || j.qty().compareTo(x.qty()) != 0) {
        differ++;
        example(
            examples,
            "differs "
                + e.getKey()
                + ": "
                + j.side()
                + " "
                + j.qty()
                + " vs "
                + x.side()
                + " "
                + x.qty());
      }
    }
    int extra = 0;
    for (String k : journalByKey.keySet()) {
      if (!byKey.containsKey(k)) {
        extra++;
        example(examples, "extra " + k);
      }
    }
    String value =
        String.format(
            Locale.ROOT,
            "exchange %d, journal %d: %d missing, %d extra, %d differ, %d duplicate",
            exchange.size(),
            journal.size(),
            missing,
            extra,
            differ,
            duplicates);
    return new Verdict(
        "journal fills = exchange userTrades",
        value,
        "0 missing/extra/differ",
        missing == 0 && extra == 0 && differ == 0 && duplicates == 0,
        String.join(", ", examples));
  }

  private static String key(Fill f) {
    return f.symbol() + "#" + f.tradeId();
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < EXAMPLES) {
      examples.add(text);
    }
  }
}
