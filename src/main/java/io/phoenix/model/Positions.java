package io.phoenix.model;

import io.phoenix.model.AccountEvent.OrderUpdate;
import java.util.Arrays;

/**
 * One-way position per symbol, built from the fills of the user stream and overwritten by the
 * exchange's own figure (ACCOUNT_UPDATE, REST positionRisk) when one arrives.
 *
 * <p>Fills are de-duplicated by trade id: after a reconnect the same fill can reach us twice (from
 * the stream and from REST recovery), and counting it twice would double a position. The memory of
 * trade ids is a window of the most recent {@code tradeIdMemory} per symbol, enough because a
 * replay only ever covers the short gap of an outage. Symbol ids index arrays (they are dense). Not
 * thread-safe: owned by one actor.
 */
public final class Positions {
  private final int tradeIdMemory;
  private long[] amounts = new long[0];
  private long[] versions = new long[0];
  private long[] lastTradeIds = new long[0];
  private long[] lastFillTimes = new long[0];
  private long[] asOfTimes = new long[0];
  private long[][] recentTradeIds = new long[0][];
  private int[] recentNext = new int[0];

  public Positions(int tradeIdMemory) {
    if (tradeIdMemory < 1) {
      throw new IllegalArgumentException("tradeIdMemory must be positive");
    }
    this.tradeIdMemory = tradeIdMemory;
  }

  /**
   * Applies a fill once. Returns false (and changes nothing) for a duplicate trade id or for an
   * update that is not a fill. A new fill older than the last exchange figure (see {@link
   * #setAmount}) returns true but leaves the amount alone.
   */
  public boolean applyFill(OrderUpdate fill) {
    if (!fill.isFill()) {
      return false;
    }
    int s = fill.symbolId();
    ensure(s);
    if (seen(s, fill.tradeId())) {
      return false;
    }
    remember(s, fill.tradeId());
    if (fill.transactionTime() >= asOfTimes[s]) {
      amounts[s] = Math.addExact(amounts[s], fill.signedFillSteps());
      versions[s]++;
    }
    lastTradeIds[s] = Math.max(lastTradeIds[s], fill.tradeId());
    lastFillTimes[s] = Math.max(lastFillTimes[s], fill.transactionTime());
    return true;
  }

  /** True if this trade id of this symbol was already applied (within the memory window). */
  public boolean seen(int symbolId, long tradeId) {
    if (symbolId >= amounts.length || tradeId == 0) {
      return false;
    }
    long[] recent = recentTradeIds[symbolId];
    for (long id : recent) {
      if (id == tradeId) {
        return true;
      }
    }
    return false;
  }

  /**
   * Overwrites the amount with the exchange's figure as of exchange time {@code asOfTime}. A fill
   * that arrives later but happened before that time is already in the figure: it is remembered but
   * does not move the amount again. Returns the difference (exchange minus local) so the caller can
   * count disagreements; 0 when they agreed.
   */
  public long setAmount(int symbolId, long amountSteps, long asOfTime) {
    ensure(symbolId);
    asOfTimes[symbolId] = Math.max(asOfTimes[symbolId], asOfTime);
    long difference = amountSteps - amounts[symbolId];
    if (difference != 0) {
      amounts[symbolId] = amountSteps;
      versions[symbolId]++;
    }
    return difference;
  }

  public long amountSteps(int symbolId) {
    return symbolId < amounts.length ? amounts[symbolId] : 0;
  }

  /**
   * Incremented on every change of the symbol's amount: reconciliation compares versions taken
   * before and after a REST fetch to skip symbols that moved meanwhile.
   */
  public long version(int symbolId) {
    return symbolId < versions.length ? versions[symbolId] : 0;
  }

  /** Highest trade id applied for the symbol; 0 if none. */
  public long lastTradeId(int symbolId) {
    return symbolId < lastTradeIds.length ? lastTradeIds[symbolId] : 0;
  }

  /** Transaction time of the latest fill applied for the symbol; 0 if none. */
  public long lastFillTime(int symbolId) {
    return symbolId < lastFillTimes.length ? lastFillTimes[symbolId] : 0;
  }

  private void remember(int s, long tradeId) {
    long[] recent = recentTradeIds[s];
    int next = recentNext[s];
    if (next == recent.length) {
      if (recent.length < tradeIdMemory) {
        // grow lazily so symbols that never trade cost nothing; zero slots never match a trade id
        recent = Arrays.copyOf(recent, Math.min(tradeIdMemory, Math.max(8, recent.length * 2)));
        recentTradeIds[s] = recent;
      } else {
        next = 0;
      }
    }
    recent[next] = tradeId;
    recentNext[s] = next + 1;
  }

  private void ensure(int symbolId) {
    if (symbolId < 0) {
      throw new IllegalArgumentException("negative symbol id " + symbolId);
    }
    if (symbolId < amounts.length) {
      return;
    }
    int n = Math.max(symbolId + 1, amounts.length * 2);
    amounts = Arrays.copyOf(amounts, n);
    versions = Arrays.copyOf(versions, n);
    lastTradeIds = Arrays.copyOf(lastTradeIds, n);
    lastFillTimes = Arrays.copyOf(lastFillTimes, n);
    asOfTimes = Arrays.copyOf(asOfTimes, n);
    recentNext = Arrays.copyOf(recentNext, n);
    int old = recentTradeIds.length;
    recentTradeIds = Arrays.copyOf(recentTradeIds, n);
    for (int i = old; i < n; i++) {
      recentTradeIds[i] = new long[0];
    }
  }
}
