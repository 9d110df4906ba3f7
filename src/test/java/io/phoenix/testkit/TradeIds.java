package io.phoenix.testkit;

import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.core.Instrument;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalStore;
import io.phoenix.model.ExchangeState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Trade ids per symbol, the unit in which the journal is compared with the exchange's userTrades.
 */
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

  /** The exchange's userTrades ids per symbol (symbols without trades left out). */
  public static Map<String, TreeSet<Long>> exchangeTradeIds(
      BinanceAccountRestApi account, Map<String, Instrument> instruments, List<String> symbols)
      throws Exception {
    Map<String, TreeSet<Long>> out = new TreeMap<>();
    for (String s : symbols) {
      List<ExchangeState.Trade> trades =
          account
              .userTrades(instruments.get(s), 0, 0)
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      TreeSet<Long> ids = new TreeSet<>();
      trades.forEach(tr -> ids.add(tr.tradeId()));
      if (!ids.isEmpty()) {
        out.put(s, ids);
      }
    }
    return out;
  }

  /** Whether {@code outer} holds every id of {@code inner}, symbol by symbol. */
  public static boolean containsAll(
      Map<String, TreeSet<Long>> outer, Map<String, TreeSet<Long>> inner) {
    return inner.entrySet().stream()
        .allMatch(e -> outer.getOrDefault(e.getKey(), new TreeSet<>()).containsAll(e.getValue()));
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
