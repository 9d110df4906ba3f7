package io.phoenix.journal;

import static io.phoenix.journal.JournalFixtures.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phoenix.journal.JournalEntry.FillRecorded;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCompleterTest {
  private static FillRecorded t(String symbol, long id) {
    return fill(
        symbol,
        id,
        id % 2 == 0 ? "SELL" : "BUY",
        "100",
        "1",
        "0.01",
        "0",
        true,
        "2026-11-26T00:00:00Z");
  }

  @Test
  void insertsOnlyTradesAfterTheLastJournaledOne(@TempDir Path dir) throws Exception {
    List<FillRecorded> exchange =
        List.of(
            t("BTCUSDT", 1),
            t("BTCUSDT", 2),
            t("BTCUSDT", 3),
            t("BTCUSDT", 4),
            t("BTCUSDT", 5),
            t("ETHUSDT", 11),
            t("ETHUSDT", 12));
    List<String> calls = new ArrayList<>();
    JournalCompleter.TradeFetcher fetcher =
        (symbol, fromId) -> {
          calls.add(symbol + ">=" + fromId);
          // like Binance: ascending from fromId, a page of at most 2 here
          return CompletableFuture.completedFuture(
              exchange.stream()
                  .filter(x -> x.symbol().equals(symbol) && x.tradeId() >= fromId)
                  .limit(2)
                  .collect(Collectors.toList()));
        };
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      store.append(List.of(t("BTCUSDT", 1), t("BTCUSDT", 2)));
      Map<String, Integer> inserted =
          new JournalCompleter(store, fetcher).complete(List.of("BTCUSDT", "ETHUSDT"));
      assertEquals(Map.of("BTCUSDT", 3, "ETHUSDT", 2), inserted);
      assertEquals(
          List.of("BTCUSDT>=3", "BTCUSDT>=5", "BTCUSDT>=6", "ETHUSDT>=0", "ETHUSDT>=13"), calls);
      assertEquals(7, store.fills().size());
      // a second run finds nothing missing
      assertEquals(
          Map.of("BTCUSDT", 0, "ETHUSDT", 0),
          new JournalCompleter(store, fetcher).complete(List.of("BTCUSDT", "ETHUSDT")));
    }
  }

  @Test
  void startsFromTheSnapshotSoALiveFillWrittenMeanwhileDoesNotHideTheGap(@TempDir Path dir)
      throws Exception {
    List<FillRecorded> exchange =
        List.of(t("BTCUSDT", 1), t("BTCUSDT", 2), t("BTCUSDT", 3), t("BTCUSDT", 4));
    JournalCompleter.TradeFetcher fetcher =
        (symbol, fromId) ->
            CompletableFuture.completedFuture(
                exchange.stream().filter(x -> x.tradeId() >= fromId).collect(Collectors.toList()));
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      store.append(List.of(t("BTCUSDT", 1)));
      Map<String, Long> snapshot = store.lastTradeIds();
      store.append(
          List.of(t("BTCUSDT", 4))); // the live journal wrote a newer fill before completion ran
      assertEquals(
          Map.of("BTCUSDT", 2),
          new JournalCompleter(store, fetcher, snapshot).complete(List.of("BTCUSDT")));
      assertEquals(
          List.of(1L, 2L, 3L, 4L),
          store.fills().stream().map(FillRecorded::tradeId).sorted().toList());
    }
  }

  @Test
  void aFailingFetchIsReportedNotThrown(@TempDir Path dir) throws Exception {
    JournalCompleter.TradeFetcher broken =
        (symbol, fromId) -> CompletableFuture.failedFuture(new IllegalStateException("HTTP 503"));
    try (JournalStore store = JournalStore.open(JournalFixtures.settings(dir))) {
      assertEquals(
          Map.of("BTCUSDT", -1), new JournalCompleter(store, broken).complete(List.of("BTCUSDT")));
    }
  }
}
