package io.phoenix.quoting;

import io.phoenix.config.QuoterSettings;

/**
 * A quoter's answer to {@code GetStatus}, what it sees and holds at one moment: its top of book and
 * its quotes against it are taken together, so a reader never puts our quotes beside a book of
 * another moment.
 *
 * @param halt why the quoter is not quoting, NONE when it is
 * @param bookBid the quoter's best bid in ticks (0 when none), with its size in steps; likewise the
 *     ask
 * @param bidPrice our best live bid in ticks that can rest against {@code bookAsk} (0 when none; a
 *     bid the book has traded through has filled, its report still on its way), with the leaves of
 *     our live bids at that price; likewise the ask
 * @param entryPrice average entry price of the position (0 when flat)
 * @param rateHoldSkips orders and amends left out while risk's order-rate budget was spent
 * @param positionLimitHolds places and amends made smaller or left out by the soft position limit
 * @param ordersPerSecond new orders and cancels per second since this incarnation started
 * @param atMillis wall-clock time the status was taken
 */
public record QuoterStatus(
    String symbol,
    QuoterCore.Halt halt,
    long bookBid,
    long bookBidQty,
    long bookAsk,
    long bookAskQty,
    long bidPrice,
    long bidQty,
    long askPrice,
    long askQty,
    int workingOrders,
    long positionSteps,
    double entryPrice,
    double realisedPnl,
    double unrealisedPnl,
    long fills,
    long filledBuySteps,
    long filledSellSteps,
    long ordersSent,
    long cancelsSent,
    long rejects,
    long postOnlyRejects,
    long requotes,
    long rateHoldSkips,
    long positionLimitHolds,
    double ordersPerSecond,
    long atMillis,
    Edge edge) {

  /**
   * @param feeReadFailures failed reads of the account's fee rates since the quoter started
   * @param startNanos when this incarnation started, for the order rate
   */
  static QuoterStatus of(
      String symbol,
      QuoterCore core,
      QuoterSettings settings,
      long feeReadFailures,
      long startNanos) {
    QuoterOrders w = core.working();
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long bid = w.bestPriceInside(true, core.bestAsk());
    long ask = w.bestPriceInside(false, core.bestBid());
    return new QuoterStatus(
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

  private static Edge edge(QuoterCore core, QuoterSettings settings, long feeReadFailures) {
    long now = System.nanoTime();
    MarkoutTracker m = core.markouts();
    return new Edge(
        core.fees(),
        core.netPnl(),
        core.makerRate(),
        core.takerRate(),
        core.feesFromExchange(),
        feeReadFailures,
        settings.fees().floorBps(core.makerRate()),
        m.meanBps(MarkoutTracker.SHORT),
        m.meanBps(MarkoutTracker.LONG),
        m.count(MarkoutTracker.SHORT),
        m.count(MarkoutTracker.LONG),
        core.adaptive().extraBps(true, now),
        core.adaptive().extraBps(false, now));
  }

  /**
   * What the symbol earns after fees and how its fills mark out.
   *
   * @param fees paid since this incarnation started (negative: rebates)
   * @param netPnl realised minus fees plus unrealised
   * @param feesFromExchange whether the rates are the account's as the exchange reported them (else
   *     the configured fallback)
   * @param feeReadFailures failed reads of the rates
   * @param feeFloorBps narrowest full spread quoted, bps of fair value
   * @param markout1sBps quantity-weighted mean markout of the fills 1 s after each (NaN before one)
   * @param markouts1s fills marked at 1 s
   * @param adaptiveBidBps extra half-spread the adaptive term puts on the bid now (likewise ask)
   */
  public record Edge(
      double fees,
      double netPnl,
      double makerRate,
      double takerRate,
      boolean feesFromExchange,
      long feeReadFailures,
      double feeFloorBps,
      double markout1sBps,
      double markout10sBps,
      long markouts1s,
      long markouts10s,
      double adaptiveBidBps,
      double adaptiveAskBps) {}
}
