package io.phoenix;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.core.Instrument;
import io.phoenix.journal.JournalCompleter;
import io.phoenix.journal.JournalEntry;
import io.phoenix.journal.JournalStore;
import io.phoenix.model.ExchangeState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The journal's catch-up at the user stream's first Up: the fills the venue reports (userTrades)
 * after the last trade the journal held when the node started, so a node that was down misses none.
 * Runs the inserts on the journal's blocking dispatcher.
 */
final class JournalCompletion {
  private JournalCompletion() {}

  /**
   * @param startAfter per symbol, the last journaled trade id, taken before the journal wrote
   *     anything in this run (null: the journal could not tell, every symbol starts from 7 days
   *     ago)
   * @param blockingDispatcher the journal's dispatcher, where the inserts run
   * @return rows inserted per symbol
   */
  static CompletionStage<Map<String, Integer>> run(
      JournalStore store,
      BinanceAccountRestApi api,
      List<Instrument> instruments,
      Map<String, Long> startAfter,
      ActorSystem<?> system,
      String blockingDispatcher) {
    Executor blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(blockingDispatcher));
    Map<String, Instrument> bySymbol = new HashMap<>();
    instruments.forEach(i -> bySymbol.put(i.symbol(), i));
    JournalCompleter completer =
        new JournalCompleter(
            store,
            (symbol, fromId) -> {
              Instrument ins = bySymbol.get(symbol);
              // without a journaled trade: the last 7 days, the longest window userTrades serves by
              // time
              long since =
                  System.currentTimeMillis() - Duration.ofDays(7).minusMinutes(1).toMillis();
              return api.userTrades(ins, fromId, since)
                  .thenApply(trades -> trades.stream().map(t -> fill(ins, t)).toList());
            },
            startAfter);
    return completer.completeAsync(bySymbol.keySet(), blocking);
  }

  private static JournalEntry.FillRecorded fill(Instrument ins, ExchangeState.Trade t) {
    return new JournalEntry.FillRecorded(
        ins.symbol(),
        t.tradeId(),
        t.orderId(),
        null,
        t.side().name(),
        new BigDecimal(ins.price().format(t.priceTicks())),
        new BigDecimal(ins.quantity().format(t.qtySteps())),
        BigDecimal.valueOf(t.commission()),
        BigDecimal.valueOf(t.realizedPnl()),
        t.maker(),
        Instant.ofEpochMilli(t.time()));
  }
}
