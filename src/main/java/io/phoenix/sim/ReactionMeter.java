package io.phoenix.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Exchange-side reaction per API key: for every top-of-book change the simulator publishes on a
 * symbol, the time until the first order request (place, modify, cancel, in any form) it receives
 * from a key for that symbol afterwards. This is the latency the venue sees, network and client
 * included, which no in-process stage table can show.
 *
 * <p>A change caused by a key's own request (its quote became the best price) is no market event
 * that key reacts to, so it is not counted for that key; it is for every other key. A key that
 * sends no request for a symbol collects nothing for it; changes it has not answered yet are
 * counted as pending in its snapshot. Only the last {@link #RING} changes per symbol are kept: a
 * key silent for longer loses the older ones from its samples (counted as {@code overrun}).
 *
 * <p>Besides every change's wait, each request that answers at least one change records the time
 * since the newest of them ({@code latest*}): the two together tell a key that is slow from a key
 * that lets changes pass without a request.
 *
 * <p>Thread-safe: changes are recorded under the engine lock, requests on connection threads; one
 * monitor orders them, which is what "after it" means.
 */
final class ReactionMeter {
  static final int RING = 4096;
  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** One API key's reaction, in nanoseconds. */
  record Snapshot(
      String apiKey,
      long count,
      long p50Nanos,
      long p90Nanos,
      long p99Nanos,
      long maxNanos,
      long pending,
      long overrun,
      long latestCount,
      long latestP50Nanos,
      long latestP90Nanos,
      long latestP99Nanos) {}

  private static final class Changes {
    final long[] nanos = new long[RING];
    final String[] causedBy = new String[RING];

    /** Changes ever recorded; the newest has sequence {@code seq}, the first 1. */
    long seq;

    /**
     * The sequence a key's counting starts from when it has not sent a request since the last
     * reset.
     */
    long base;
  }

  private static final class KeyState {
    final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    final Histogram latest = new Histogram(HIGHEST_NANOS, 3);
    final Map<String, Long> answered = new HashMap<>();
    long overrun;
  }

  /**
   * Order requests from arrival to the reply handed back to the HTTP or WebSocket layer, every key.
   */
  private final Histogram answering = new Histogram(HIGHEST_NANOS, 3);

  private final Map<String, Changes> changes = new HashMap<>();
  private final Map<String, KeyState> keys = new TreeMap<>();

  /**
   * A top-of-book change of {@code symbol} went out at {@code nanos}; {@code causedBy} is the
   * requesting key, or null.
   */
  synchronized void topChanged(String symbol, String causedBy, long nanos) {
    Changes c = changes.computeIfAbsent(symbol, s -> new Changes());
    long seq = ++c.seq;
    int at = (int) (seq % RING);
    c.nanos[at] = nanos;
    c.causedBy[at] = causedBy;
  }

  /**
   * An order request of {@code apiKey} for {@code symbol} arrived at {@code nanos}: it answers
   * every change published before it and after the key's previous request for that symbol.
   */
  synchronized void orderRequest(String apiKey, String symbol, long nanos) {
    if (apiKey == null || symbol == null) {
      return;
    }
    KeyState k = keys.computeIfAbsent(apiKey, x -> new KeyState());
    Changes c = changes.get(symbol);
    if (c == null) {
      return;
    }
    long from = k.answered.getOrDefault(symbol, c.base) + 1;
    if (c.seq - from + 1 > RING) {
      k.overrun += c.seq - RING + 1 - from;
      from = c.seq - RING + 1;
    }
    long s = from;
    long newest = -1;
    // a change stamped after the request arrived (the engine published it while the request was
    // being parsed) is one the request cannot have reacted to: it stays for the next one
    for (; s <= c.seq && c.nanos[(int) (s % RING)] <= nanos; s++) {
      int at = (int) (s % RING);
      if (!apiKey.equals(c.causedBy[at])) {
        long wait = Math.min(HIGHEST_NANOS, nanos - c.nanos[at]);
        k.histogram.recordValue(wait);
        newest = wait;
      }
    }
    if (newest >= 0) {
      k.latest.recordValue(newest);
    }
    k.answered.put(symbol, s - 1);
  }

  /**
   * The endpoints (REST, and the WebSocket API's methods mapped onto them) that count as order
   * requests.
   */
  static boolean isOrderRequest(String endpointName) {
    return switch (endpointName) {
      case "POST /fapi/v1/order",
          "PUT /fapi/v1/order",
          "DELETE /fapi/v1/order",
          "POST /fapi/v1/batchOrders",
          "PUT /fapi/v1/batchOrders",
          "DELETE /fapi/v1/batchOrders",
          "DELETE /fapi/v1/allOpenOrders" ->
          true;
      default -> false;
    };
  }

  /**
   * Records an order request for each symbol it names: {@code symbol}, or the symbols inside {@code
   * batchOrders}.
   */
  void orderRequest(String apiKey, Params params, long nanos) {
    String symbol = params.opt("symbol");
    if (symbol != null) {
      orderRequest(apiKey, symbol, nanos);
      return;
    }
    String batch = params.opt("batchOrders");
    if (batch == null) {
      return;
    }
    // a scan, not a parse: the endpoint parses (and refuses) the batch itself; a batch normally
    // names one symbol
    String seen = null;
    for (int at = batch.indexOf("\"symbol\""); at >= 0; at = batch.indexOf("\"symbol\"", at + 8)) {
      int open = batch.indexOf('"', batch.indexOf(':', at) + 1);
      int close = open < 0 ? -1 : batch.indexOf('"', open + 1);
      if (close < 0) {
        return;
      }
      String sym = batch.substring(open + 1, close);
      if (!sym.equals(seen)) {
        orderRequest(apiKey, sym, nanos);
        seen = sym;
      }
    }
  }

  /**
   * An order request that arrived at {@code arrivedNanos} was answered at {@code answeredNanos}.
   */
  synchronized void answered(long arrivedNanos, long answeredNanos) {
    answering.recordValue(Math.max(0, Math.min(HIGHEST_NANOS, answeredNanos - arrivedNanos)));
  }

  /**
   * The venue's own share of an order request: count, p50, p99, max of arrival to reply, in
   * nanoseconds.
   */
  synchronized long[] answering() {
    return new long[] {
      answering.getTotalCount(),
      answering.getValueAtPercentile(50),
      answering.getValueAtPercentile(99),
      answering.getMaxValue()
    };
  }

  /** Every key that sent an order request since the last reset. */
  synchronized List<Snapshot> snapshot() {
    List<Snapshot> out = new ArrayList<>(keys.size());
    keys.forEach(
        (key, k) -> {
          long pending = 0;
          for (Map.Entry<String, Changes> e : changes.entrySet()) {
            Changes c = e.getValue();
            long from = k.answered.getOrDefault(e.getKey(), c.base);
            if (k.answered.containsKey(e.getKey())) {
              pending += Math.min(RING, c.seq - from);
            }
          }
          Histogram h = k.histogram;
          Histogram l = k.latest;
          out.add(
              new Snapshot(
                  key,
                  h.getTotalCount(),
                  h.getValueAtPercentile(50),
                  h.getValueAtPercentile(90),
                  h.getValueAtPercentile(99),
                  h.getMaxValue(),
                  pending,
                  k.overrun,
                  l.getTotalCount(),
                  l.getValueAtPercentile(50),
                  l.getValueAtPercentile(90),
                  l.getValueAtPercentile(99)));
        });
    return out;
  }

  /** Forgets every key's samples; counting starts again with the changes published from now on. */
  synchronized void reset() {
    keys.clear();
    answering.reset();
    for (Changes c : changes.values()) {
      c.base = c.seq;
    }
  }
}
