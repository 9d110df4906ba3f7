package io.phoenix.journal;

import io.phoenix.journal.JournalEntry.FillRecorded;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the journal's gaps after a crash: for each symbol, fetches the account's trades after the
 * last journaled trade id (Binance {@code GET /fapi/v1/userTrades?fromId=}) page by page and
 * inserts the ones missing. Idempotent: a trade already present is skipped by the store. Blocks
 * (JDBC and the fetch), so run {@link #completeAsync} on a blocking executor at start-up.
 */
public final class JournalCompleter {
  private static final Logger log = LoggerFactory.getLogger(JournalCompleter.class);

  /** Guard against a source that keeps returning pages without progress. */
  private static final int MAX_PAGES = 10_000;

  /**
   * Fetches the account's trades of one symbol with trade id >= {@code fromId}, ascending; one
   * page.
   */
  @FunctionalInterface
  public interface TradeFetcher {
    CompletionStage<List<FillRecorded>> userTradesFrom(String symbol, long fromId);
  }

  private final JournalStore store;
  private final TradeFetcher fetcher;
  private final Map<String, Long> startAfter;

  public JournalCompleter(JournalStore store, TradeFetcher fetcher) {
    this(store, fetcher, null);
  }

  /**
   * Starts each symbol after the trade id in {@code startAfter} (a snapshot of {@link
   * JournalStore#lastTradeIds()} taken before the live journal wrote anything) instead of the
   * store's current last id: a live fill written meanwhile must not hide the gap before it.
   */
  public JournalCompleter(JournalStore store, TradeFetcher fetcher, Map<String, Long> startAfter) {
    this.store = store;
    this.fetcher = fetcher;
    this.startAfter = startAfter == null ? null : Map.copyOf(startAfter);
  }

  public CompletionStage<Map<String, Integer>> completeAsync(
      Collection<String> symbols, Executor blocking) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return complete(symbols);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** Trades inserted per symbol. A symbol whose fetch fails is logged and reported as -1. */
  public Map<String, Integer> complete(Collection<String> symbols) throws SQLException {
    Map<String, Integer> inserted = new LinkedHashMap<>();
    for (String symbol : symbols) {
      OptionalLong last =
          startAfter == null
              ? store.lastTradeId(symbol)
              : startAfter.containsKey(symbol)
                  ? OptionalLong.of(startAfter.get(symbol))
                  : OptionalLong.empty();
      long from = last.isPresent() ? last.getAsLong() + 1 : 0;
      int count = 0;
      try {
        for (int page = 0; page < MAX_PAGES; page++) {
          List<FillRecorded> trades =
              fetcher.userTradesFrom(symbol, from).toCompletableFuture().join();
          List<FillRecorded> missing = new ArrayList<>(trades.size());
          long max = -1;
          for (FillRecorded t : trades) {
            if (!t.symbol().equals(symbol)) {
              log.warn("journal completion for {} ignored a trade of {}", symbol, t.symbol());
              continue;
            }
            max = Math.max(max, t.tradeId());
            if (t.tradeId() >= from) {
              missing.add(t);
            }
          }
          count += store.append(missing);
          if (max < from) {
            break; // empty page or no progress: done
          }
          from = max + 1;
        }
        inserted.put(symbol, count);
        if (count > 0) {
          log.info("journal completion: inserted {} missing trades of {}", count, symbol);
        }
      } catch (CompletionException | IllegalArgumentException | NullPointerException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        log.error(
            "journal completion for {} failed after {} trades: {}",
            symbol,
            count,
            cause.toString());
        inserted.put(symbol, -1);
      }
    }
    return inserted;
  }
}
