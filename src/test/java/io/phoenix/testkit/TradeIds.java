package io.phoenix.testkit;

import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Trade ids per symbol, the unit in which the journal is compared with the exchange's userTrades. */
public final class TradeIds {
  private TradeIds() {}

  /** The journal's fills as trade ids per symbol. */
  public static Map<String, TreeSet<Long>> journalTradeIds(JournalStore store) throws Exception {
    Map<String, TreeSet<Long>> out = new TreeMap<>();
    for (JournalEntry.FillRecorded f : store.fills()) {
      out.computeIfAbsent(f.symbol(), k -> new TreeSet<>()).add(f.tradeId());
    }
    return out;
  }

  /** Whether {@code outer} holds every id of {@code inner}, symbol by symbol. */
  public static boolean containsAll(Map<String, TreeSet<Long>> outer, Map<String, TreeSet<Long>> inner) {
    return inner.entrySet().stream().allMatch(e -> outer.getOrDefault(e.getKey(), new TreeSet<>()).containsAll(e.getValue()));
  }

  public static int count(Map<String, TreeSet<Long>> ids) {
    return ids.values().stream().mapToInt(TreeSet::size).sum();
  }

  public static Map<String, Integer> sizes(Map<String, TreeSet<Long>> ids) {
    Map<String, Integer> out = new TreeMap<>();
    ids.forEach((s, v) -> out.put(s, v.size()));
    return out;
  }
}
