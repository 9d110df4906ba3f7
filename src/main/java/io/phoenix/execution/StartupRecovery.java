package io.phoenix.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.order.OrderResponses;
import io.phoenix.binance.rest.BinanceErrors;
import io.phoenix.binance.rest.RestOrderResponse;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderEvent.RequestKind;
import io.phoenix.model.OrderIntent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * What the order gateway learns while it recovers, before it acts: which symbols' open orders are
 * still to be read (and how often each read failed), the open orders of ours found so far, and the
 * previous incarnation's orders handed over. Pure; the gateway's {@code recovering} phase feeds it
 * and {@link #finish} settles it all into the table at once, so that no order is adopted twice and
 * none handed over is forgotten.
 *
 * @param <R> who hears an order's events
 */
final class StartupRecovery<R> {

  /** What {@link #finish} did, for the log. */
  record Summary(int handedOver, int adoptedWithoutRequester, int fencedOff) {}

  private final Map<Integer, Instrument> instruments;
  private final Map<Integer, Integer> unread = new HashMap<>();
  private final Map<String, RestOrderResponse> exchangeOpen = new HashMap<>();
  private final List<RestartSettlement.Hint<R>> hints = new ArrayList<>();
  private final OrderTable.Settings settings;
  private final GatewayMetrics metrics;
  private final Logger log;
  private final long startedMillis;

  /**
   * @param settings the query back-off, which paces the reads that failed
   */
  StartupRecovery(
      Map<Integer, Instrument> instruments,
      OrderTable.Settings settings,
      GatewayMetrics metrics,
      Logger log,
      long startedMillis) {
    this.instruments = instruments;
    instruments.keySet().forEach(id -> unread.put(id, 0));
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    this.startedMillis = startedMillis;
  }

  long startedMillis() {
    return startedMillis;
  }

  /** Whether the symbol's open orders are still to be read. */
  boolean awaits(int symbolId) {
    return unread.containsKey(symbolId);
  }

  /** Every symbol's open orders are read (or given up on). */
  boolean done() {
    return unread.isEmpty();
  }

  /**
   * The answer to the read of one symbol's open orders: the orders of ours are kept for {@link
   * #finish}; an undecodable answer or a definite refusal gives up on the symbol. Returns when to
   * read again (a rate limit's Retry-After, else the back-off), null when the symbol is done.
   * Pausing for the rate limit and resyncing the clock are the gateway's.
   */
  Duration onOpenOrders(int symbolId, RestResult<JsonNode> r, Predicate<String> ours) {
    String symbol = instruments.get(symbolId).symbol();
    if (r instanceof RestResult.Ok<JsonNode> ok) {
      List<RestOrderResponse> open = OrderResponses.openOrders(ok.body());
      if (open == null) {
        metrics.badResponse();
        log.warn("Recovery: undecodable open orders for {}; its orders are not adopted", symbol);
        giveUp(symbolId);
      } else {
        read(symbolId, open, ours);
      }
      return null;
    }
    if (r instanceof RestResult.RateLimited<JsonNode> limited) {
      return limited.retryAfter();
    }
    if (r instanceof RestResult.Rejected<JsonNode> rej
        && !rej.retryable()
        && rej.code() != BinanceErrors.INVALID_TIMESTAMP) {
      metrics.rejected(rej.code());
      log.warn(
          "Recovery: open orders for {} refused ({} {}); its orders are not adopted",
          symbol,
          rej.code(),
          rej.msg());
      giveUp(symbolId);
      return null;
    }
    return settings.queryBackoff(failed(symbolId));
  }

  /**
   * The recovery timeout struck: every symbol not read yet is given up on (its orphans are left to
   * reconciliation). Returns those symbols, whose pending reads the gateway cancels.
   */
  List<Integer> timedOut(Duration timeout) {
    metrics.recoveryTimeout();
    List<Integer> unreadIds = List.copyOf(unread.keySet());
    log.warn(
        "Recovery timed out after {}; open orders not read for {}: their orphans are left to reconciliation",
        timeout,
        unreadIds.stream().map(id -> instruments.get(id).symbol()).toList());
    unread.clear();
    return unreadIds;
  }

  /** The symbol's open orders: those of ours are kept for {@link #finish}. */
  private void read(int symbolId, List<RestOrderResponse> open, Predicate<String> ours) {
    for (RestOrderResponse o : open) {
      if (ours.test(o.clientOrderId())) {
        exchangeOpen.put(o.clientOrderId(), o);
      }
    }
    unread.remove(symbolId);
  }

  /** The symbol's open orders will not be read: its orphans are left to reconciliation. */
  private void giveUp(int symbolId) {
    unread.remove(symbolId);
  }

  /** One more failed read of the symbol; the number of failures before it (for the back-off). */
  private int failed(int symbolId) {
    int before = unread.get(symbolId);
    unread.put(symbolId, before + 1);
    return before;
  }

  void handedOver(List<RestartSettlement.Hint<R>> previous) {
    hints.addAll(previous);
  }

  /**
   * The handed-over orders the table has not taken in (a failure during recovery must not lose
   * them).
   */
  List<RestartSettlement.Hint<R>> hintsNotIn(Predicate<String> inTable) {
    List<RestartSettlement.Hint<R>> out = new ArrayList<>();
    for (RestartSettlement.Hint<R> h : hints) {
      if (!inTable.test(h.clientOrderId())) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Settles what was learnt into the table: open orders nobody handed over (ours, from an earlier
   * run or incarnation) are adopted without a requester; the handed-over ones are settled against
   * the open orders read.
   */
  Summary finish(RestartSettlement<R> settlement) {
    int adopted = 0;
    Map<String, RestOrderResponse> orphans = new HashMap<>(exchangeOpen);
    List<RestartSettlement.Hint<R>> previous = List.copyOf(hints);
    hints.clear();
    for (RestartSettlement.Hint<R> h : previous) {
      orphans.remove(h.clientOrderId());
    }
    int fenced = 0;
    for (RestOrderResponse o : orphans.values()) {
      OrderEntry<R> t = settlement.adopt(o, null);
      if (t == null) {
        continue;
      }
      if (settlement.fence(t)) {
        fenced++;
        metrics.recovered("fenced");
      } else {
        adopted++;
        metrics.recovered("orphan");
      }
    }
    settlement.settle(previous, exchangeOpen);
    exchangeOpen.clear();
    return new Summary(previous.size(), adopted, fenced);
  }

  /** The refusal of an intent that cannot wait for the end of recovery. */
  static OrderEvent.OrderRejected refusal(OrderIntent i, String reason) {
    return new OrderEvent.OrderRejected(i.symbolId(), clientOrderIdOf(i), kindOf(i), 0, reason);
  }

  private static String clientOrderIdOf(OrderIntent i) {
    if (i instanceof OrderIntent.Place p) {
      return p.clientOrderId();
    } else if (i instanceof OrderIntent.Cancel c) {
      return c.clientOrderId();
    } else if (i instanceof OrderIntent.Amend a) {
      return a.clientOrderId();
    }
    return null;
  }

  private static RequestKind kindOf(OrderIntent i) {
    if (i instanceof OrderIntent.Cancel) {
      return RequestKind.CANCEL;
    } else if (i instanceof OrderIntent.Amend) {
      return RequestKind.AMEND;
    } else if (i instanceof OrderIntent.CancelAll) {
      return RequestKind.CANCEL_ALL;
    }
    return RequestKind.PLACE;
  }
}
