package io.phoenix.quoting;

import io.phoenix.config.QuoterSettings;

/**
 * Reads a {@link Quoter.Status} from a quoter's {@link QuoterCore}: its book, its quotes against it,
 * its position and its edge, taken at one moment on the quoter's thread.
 */
final class QuoterStatusReader {
  private QuoterStatusReader() {}

  /**
   * @param feeReadFailures failed reads of the account's fee rates since the quoter started
   * @param startNanos when this incarnation started, for the order rate
   */
  static Quoter.Status read(String symbol, QuoterCore core, QuoterSettings settings, long feeReadFailures, long startNanos) {
    QuoterOrders w = core.working();
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long bid = w.bestPriceInside(true, core.bestAsk());
    long ask = w.bestPriceInside(false, core.bestBid());
    return new Quoter.Status(
        symbol,
        core.halt(System.nanoTime()),
        core.bestBid(),
        core.bestBidQty(),
        core.bestAsk(),
        core.bestAskQty(),
        bid,
        bid == 0 ? 0 : w.liveQtyAt(true, bid),
        ask,
        ask == 0 ? 0 : w.liveQtyAt(false, ask),
        w.size(),
        core.positionSteps(),
        core.entryPrice(),
        core.realisedPnl(),
        core.unrealisedPnl(),
        core.fills(),
        core.filledBuySteps(),
        core.filledSellSteps(),
        core.ordersSent(),
        core.cancelsSent(),
        core.rejects(),
        core.postOnlyRejects(),
        core.requotes(),
        core.rateHoldSkips(),
        core.positionLimitHolds(),
        (core.ordersSent() + core.cancelsSent()) / seconds,
        System.currentTimeMillis(),
        edge(core, settings, feeReadFailures));
  }

  private static Quoter.Edge edge(QuoterCore core, QuoterSettings settings, long feeReadFailures) {
    long now = System.nanoTime();
    MarkoutTracker m = core.markouts();
    return new Quoter.Edge(core.fees(), core.netPnl(), core.makerRate(), core.takerRate(), core.feesFromExchange(), feeReadFailures,
        settings.fees().floorBps(core.makerRate()), m.meanBps(MarkoutTracker.SHORT), m.meanBps(MarkoutTracker.LONG), m.count(MarkoutTracker.SHORT),
        m.count(MarkoutTracker.LONG), core.adaptive().extraBps(true, now), core.adaptive().extraBps(false, now));
  }
}
