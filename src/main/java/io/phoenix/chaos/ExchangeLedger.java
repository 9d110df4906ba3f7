package io.phoenix.chaos;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.SimFill;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our fills on the exchange over every venue incarnation (a restarted simulator keeps its trades
 * and continues their ids): the last trade id per symbol, to read only new fills, and the time of
 * the last one. Thread-safe: the sampler and a restart both feed it.
 */
final class ExchangeLedger {
  private final Map<String, Instrument> instruments;
  private final Map<String, Long> lastTradeIds = new HashMap<>();
  private final List<JournalCheck.Fill> fills = new ArrayList<>();
  private final Map<String, Long> lastFillMillis = new HashMap<>();

  ExchangeLedger(Map<String, Instrument> instruments) {
    this.instruments = Map.copyOf(instruments);
  }

  /** Symbol to the last trade id seen, for reading only newer fills. */
  synchronized Map<String, Long> after() {
    return Map.copyOf(lastTradeIds);
  }

  /** Adds the fills not seen yet (a fill read twice, by a sample and by a restart, counts once). */
  synchronized void add(List<SimFill> newFills) {
    for (SimFill f : newFills) {
      long last = lastTradeIds.getOrDefault(f.symbol(), 0L);
      if (f.tradeId() <= last) {
        continue;
      }
      lastTradeIds.put(f.symbol(), f.tradeId());
      Instrument ins = instruments.get(f.symbol());
      BigDecimal qty =
          ins == null
              ? BigDecimal.valueOf(f.qtySteps())
              : new BigDecimal(ins.quantity().format(f.qtySteps()));
      fills.add(new JournalCheck.Fill(f.symbol(), f.tradeId(), f.side().name(), qty, f.time()));
      lastFillMillis.merge(f.symbol(), f.time(), Math::max);
    }
  }

  /**
   * Per symbol, the time since our last fill at the exchange's {@code nowMillis}; symbols without a
   * fill are absent.
   */
  synchronized Map<String, Long> sinceLastFill(long nowMillis) {
    Map<String, Long> out = new HashMap<>();
    lastFillMillis.forEach((symbol, t) -> out.put(symbol, Math.max(0, nowMillis - t)));
    return out;
  }

  synchronized List<JournalCheck.Fill> fills() {
    return List.copyOf(fills);
  }
}
