package io.phoenix.sim;

import io.phoenix.sim.engine.BookTop;
import io.phoenix.sim.engine.SimOrder;
import java.util.Collections;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Engine-thread stream state of one symbol: its stream names, the diff depth aggregated per speed
 * (100/250/500 ms), the partial depth last pushed, and what the book ticker, the reaction meter and
 * the liquidation stream are waiting to send.
 */
final class SymbolStreams {
  static final long[] SPEEDS = {100, 250, 500};
  static final String[] SPEED_SUFFIX = {"@depth@100ms", "@depth", "@depth@500ms"};
  static final int[] PARTIAL_LEVELS = {5, 10, 20};

  final String symbol;
  final String lower;
  final DiffAgg[] diffs = new DiffAgg[SPEEDS.length];
  final String[] diffNames = new String[SPEEDS.length];
  final String[][] partialNames = new String[SPEEDS.length][PARTIAL_LEVELS.length];
  final long[][] partialLastU = new long[SPEEDS.length][PARTIAL_LEVELS.length];
  final long[] nextFlush = new long[SPEEDS.length];
  final String bookTicker;
  final String aggTrade;
  final String mark3s;
  final String mark1s;
  final String trade;
  final String ticker;
  final String miniTicker;
  final String forceOrder;
  final String compositeIndex;
  boolean bookDirty;
  BookTop lastTop;

  /** The top last published on any stream, for the reaction meter; null before the first. */
  BookTop meterTop;

  /**
   * A top change not yet published (nobody takes the book ticker): the next depth event carries it.
   */
  boolean meterPending;

  String meterCause;

  /** Last trade id at the previous ticker array push (the arrays carry changed symbols only). */
  long arraySeenTradeId = -2;

  /** The largest liquidation of the current second, pushed on the next second. */
  SimOrder pendingForce;

  SymbolStreams(String symbol) {
    this.symbol = symbol;
    this.lower = symbol.toLowerCase(Locale.ROOT);
    for (int i = 0; i < SPEEDS.length; i++) {
      diffs[i] = new DiffAgg();
      diffNames[i] = lower + SPEED_SUFFIX[i];
      for (int k = 0; k < PARTIAL_LEVELS.length; k++) {
        String speed = i == 1 ? "" : "@" + SPEEDS[i] + "ms";
        partialNames[i][k] = lower + "@depth" + PARTIAL_LEVELS[k] + speed;
        partialLastU[i][k] = -1;
      }
    }
    bookTicker = lower + "@bookticker";
    aggTrade = lower + "@aggtrade";
    mark3s = lower + "@markprice";
    mark1s = lower + "@markprice@1s";
    trade = lower + "@trade";
    ticker = lower + "@ticker";
    miniTicker = lower + "@miniticker";
    forceOrder = lower + "@forceorder";
    compositeIndex = lower + "@compositeindex";
  }

  /** Changes since the last emission on one speed; latest quantity per price wins. */
  static final class DiffAgg {
    long first = -1;
    long last = -1;
    long prevEmitted = -1;
    long lastTime;
    boolean gap;
    final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    final TreeMap<Long, Long> asks = new TreeMap<>();
  }
}
