package io.phoenix.quoting;

import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderState;
import io.phoenix.risk.PositionPnl;
import java.util.function.Supplier;

/**
 * Everything a quoter knows about its symbol, without Akka: top of book and its validity, mark and
 * funding, position and PnL, working orders, post-only back-off, and the requote decision. The
 * {@code Quoter} actor feeds it events and turns the actions of {@link #requote} into messages.
 *
 * <p>Quotes are pulled (every live order cancelled, nothing placed) whenever the book is invalid or
 * stale, the user stream is down, or risk said stop; quoting resumes by itself once all of those
 * clear, except for the risk stop, which needs {@link #resume}.
 *
 * <p>A post-only reject (-5022) means our price would have taken: that side backs off one more tick
 * (up to the configured cap) and sits out the next requote; each accepted order on the side earns
 * one tick back.
 *
 * <p>The soft position limit holds in the worst case: no order is placed (or amended up) on a side
 * when the position plus the leaves of every order of ours on that side that can still fill
 * (pending new, resting, pending cancel, unknown, and finished orders whose fills the user stream
 * has not reported yet) plus the new quantity would pass the limit at the current fair value. The
 * order is made smaller when a smaller one is still tradable, and left out otherwise.
 *
 * <p>Edge: fees paid and the markouts of its fills ({@link MarkoutTracker}, on this quoter's own
 * mid) are tracked here; the markouts drive the optional {@link AdaptiveSpread}, and the fee rates
 * the exchange reports ({@link #onFees}) move the strategy's fee floor.
 */
public final class QuoterCore {
  /** Why the quoter is not quoting, for the status line. */
  public enum Halt {
    NONE,
    NO_BOOK,
    BOOK_INVALID,
    BOOK_STALE,
    USER_STREAM_DOWN,
    NO_MARK_PRICE,
    RISK_STOP
  }

  private final QuoterSettings settings;
  private final Instrument instrument;
  private final QuoteStrategy strategy;
  private final VolatilityEstimator volatility;
  private final Quotes quotes;
  private final QuoterOrders working;
  private final OrderDiff diff;
  private final PositionPnl position;
  private final Supplier<String> ids;
  private final long staleNanos;
  private final String[] actionIds;
  private final int[] actionIndex;
  private final long[] actionQty;
  // edge: markouts of our fills, the adaptive term they drive, where the fee rates came from
  private final MarkoutTracker markouts;
  private final AdaptiveSpread adaptive;
  private boolean feesFromExchange;

  private long bestBid;
  private long bestBidQty;
  private long bestAsk;
  private long bestAskQty;
  private boolean bookValid;
  private long lastBookNanos;
  private long markTicks;
  private double fundingRate;
  private boolean userStreamUp;
  private boolean riskStopped;
  // what the exchange said about our orders; its back-off arrays are read here in place
  private final OrderOutcomes outcomes;
  private final int[] backoff;
  private final boolean[] skipNext;
  // no new order or amend before this (System.nanoTime): risk's order-rate budget is spent
  private long placeHoldUntilNanos;
  private boolean placeHeld;
  private long rateHoldSkips;
  private int actionCount;

  private long ordersSent;
  private long cancelsSent;
  private long requotes;
  private long selfCrossSkips;
  private long positionLimitHolds;

  /**
   * @param ids source of fresh client order ids
   * @param userStreamUp whether the user stream is known up at start (false until told otherwise is
   *     the safe choice in production; tests may start it up)
   */
  public QuoterCore(
      QuoterSettings settings, Instrument instrument, Supplier<String> ids, boolean userStreamUp) {
    this.settings = settings;
    this.instrument = instrument;
    this.strategy = new QuoteStrategy(settings, instrument);
    this.volatility =
        new VolatilityEstimator(settings.volEwmaAlpha(), settings.volSampleInterval().toNanos());
    this.quotes = new Quotes(settings.levels());
    int capacity = Math.max(16, settings.levels() * 8);
    this.working = new QuoterOrders(capacity);
    this.diff =
        new OrderDiff(
            settings.levels(),
            capacity,
            settings.refreshToleranceTicks(),
            settings.minQuoteLife().toNanos(),
            settings.useAmend());
    this.position = new PositionPnl(instrument);
    this.ids = ids;
    this.staleNanos = settings.staleBookAfter().toNanos();
    this.actionIds = new String[capacity + 2 * settings.levels()];
    this.actionIndex = new int[actionIds.length];
    this.actionQty = new long[actionIds.length];
    this.userStreamUp = userStreamUp;
    this.adaptive = AdaptiveSpread.of(settings.adaptive());
    this.markouts = adaptive.markoutTracker(settings.adaptive().longHorizon());
    this.outcomes =
        new OrderOutcomes(
            working,
            position,
            markouts,
            settings.postOnlyMaxBackoffTicks(),
            settings.fillReportTimeout().toNanos());
    this.backoff = outcomes.backoff;
    this.skipNext = outcomes.skipNext;
  }

  // ------------------------------------------------------------------ inputs

  /** A new top of book from a valid book. */
  public void onTopOfBook(long bid, long bidQty, long ask, long askQty, long nowNanos) {
    bestBid = bid;
    bestBidQty = bidQty;
    bestAsk = ask;
    bestAskQty = askQty;
    bookValid = true;
    lastBookNanos = nowNanos;
    if (bid > 0 && ask > bid) {
      volatility.onMid(nowNanos, (bid + ask) * 0.5);
      markouts.onMid(nowNanos, (bid + ask) * 0.5);
    }
  }

  /** The feed reports the symbol silent: stale until the next top of book. */
  public void onBookStale() {
    lastBookNanos = Long.MIN_VALUE / 2;
  }

  /** The book stopped being trustworthy (gap, disconnect, crossed). */
  public void onBookInvalid() {
    bookValid = false;
    volatility.reset();
  }

  public void onMark(long mark, double funding) {
    if (mark > 0) {
      markTicks = mark;
    }
    if (!Double.isNaN(funding)) {
      fundingRate = funding;
    }
  }

  /**
   * The account's fee rates as the exchange reported them: the fee floor follows them from now on.
   */
  public void onFees(double makerRate, double takerRate) {
    strategy.setFees(makerRate, takerRate);
    feesFromExchange = true;
  }

  public void onUserStream(boolean up) {
    userStreamUp = up;
  }

  /** Risk said stop: pull and stay down until {@link #resume}. */
  public void stop() {
    riskStopped = true;
  }

  public void resume() {
    riskStopped = false;
  }

  /** The exchange (or gateway) accepted the order: it rests, and its side earns a tick back. */
  public void onAccepted(String clientOrderId) {
    outcomes.onAccepted(clientOrderId);
  }

  /**
   * Risk refused an order for the order-rate budget: hold new orders for {@code order-rate-pause}.
   */
  public void onOrderRateRefused(long nowNanos) {
    placeHoldUntilNanos = nowNanos + settings.orderRatePause().toNanos();
    placeHeld = true;
  }

  /** Places and amends left out of requotes while the order-rate hold lasted. */
  public long rateHoldSkips() {
    return rateHoldSkips;
  }

  /**
   * The order was rejected definitively (by risk or by the exchange). Returns true when it was a
   * post-only reject that changed the back-off.
   */
  public boolean onRejected(String clientOrderId, int errorCode) {
    return outcomes.onRejected(clientOrderId, errorCode);
  }

  /**
   * The order is gone on the exchange and nothing of it filled that the user stream has not
   * reported.
   */
  public void onGone(String clientOrderId) {
    outcomes.onGone(clientOrderId);
  }

  /**
   * A REST answer or a query says the order is finished (cancelled, expired, filled, or never
   * placed) with {@code cumQtySteps} filled; what the user stream has not reported of it yet keeps
   * counting against the soft limit until it does, or for {@code fill-report-timeout}.
   */
  public void onFinished(String clientOrderId, long cumQtySteps, long nowNanos) {
    outcomes.onFinished(clientOrderId, cumQtySteps, nowNanos);
  }

  /** An amend took effect: the order rests again with the quantity the exchange confirmed. */
  public void onAmended(String clientOrderId, long origQtySteps) {
    outcomes.onAmended(clientOrderId, origQtySteps);
  }

  /** An amend was refused and the order stands: it rests again. */
  public void onLiveAgain(String clientOrderId) {
    outcomes.onLiveAgain(clientOrderId);
  }

  /** Outcome unknown (timeout, 5xx): treated as live until the gateway resolves it. */
  public void onUnknown(String clientOrderId) {
    outcomes.onUnknown(clientOrderId);
  }

  /**
   * A cancel was refused: after an unknown order (-2011) its whole leaves may have filled until the
   * user stream says (as {@link #onFinished}); otherwise it is live again.
   */
  public void onCancelRejected(String clientOrderId, int errorCode, long nowNanos) {
    outcomes.onCancelRejected(clientOrderId, errorCode, nowNanos);
  }

  /**
   * An order update from the user stream (or reconciliation).
   *
   * @param open whether the order can still trade
   * @param cumQtySteps absolute cumulative filled quantity
   * @param lastFillQtySteps this event's fill (0 when not a fill)
   * @return the fill applied to the position in signed steps (0 when none)
   */
  public long onOrderUpdate(
      String clientOrderId,
      boolean buy,
      boolean open,
      long cumQtySteps,
      long lastFillQtySteps,
      long lastFillPriceTicks,
      double commission) {
    return onOrderUpdate(
        clientOrderId,
        buy,
        open,
        cumQtySteps,
        lastFillQtySteps,
        lastFillPriceTicks,
        commission,
        lastBookNanos);
  }

  /** As above, seen at {@code nowNanos}: a fill's markouts are measured from then. */
  public long onOrderUpdate(
      String clientOrderId,
      boolean buy,
      boolean open,
      long cumQtySteps,
      long lastFillQtySteps,
      long lastFillPriceTicks,
      double commission,
      long nowNanos) {
    return outcomes.onOrderUpdate(
        clientOrderId,
        buy,
        open,
        cumQtySteps,
        lastFillQtySteps,
        lastFillPriceTicks,
        commission,
        nowNanos);
  }

  /** Reconciliation: the exchange's position replaces ours. */
  public void onPosition(long steps, double entryPrice) {
    position.restate(steps, entryPrice);
  }

  // ------------------------------------------------------------------ decision

  /** Why the quoter is not quoting right now ({@link Halt#NONE} when it is). */
  public Halt halt(long nowNanos) {
    if (riskStopped) {
      return Halt.RISK_STOP;
    }
    if (!userStreamUp) {
      return Halt.USER_STREAM_DOWN;
    }
    if (bestBid <= 0 || bestAsk <= 0) {
      return bookValid ? Halt.NO_BOOK : Halt.BOOK_INVALID;
    }
    if (!bookValid) {
      return Halt.BOOK_INVALID;
    }
    if (nowNanos - lastBookNanos > staleNanos) {
      return Halt.BOOK_STALE;
    }
    if (settings.requireMarkPrice() && markTicks <= 0) {
      return Halt.NO_MARK_PRICE;
    }
    return Halt.NONE;
  }

  /**
   * Recomputes the desired quotes and the actions to reach them, and records the actions in the
   * working orders (places as pending-new with fresh ids, cancels as pending-cancel). Returns the
   * number of actions; read them with the {@code action*} accessors.
   */
  public int requote(long nowNanos) {
    requotes++;
    working.expireSettled(nowNanos);
    Halt halt = halt(nowNanos);
    int n;
    long buyRoom = 0;
    long sellRoom = 0;
    if (halt != Halt.NONE) {
      quotes.clear();
      n = diff.pullAll(working);
    } else {
      markouts.advance(nowNanos);
      strategy.compute(
          bestBid,
          bestBidQty,
          bestAsk,
          bestAskQty,
          position.positionSteps(),
          fundingRate,
          volatility.sigmaPerSqrtSecond(),
          backoff[0],
          backoff[1],
          adaptive.extraBps(true, nowNanos),
          adaptive.extraBps(false, nowNanos),
          quotes);
      // the tolerance is the larger of the tick and the bps setting, so one configuration suits
      // instruments whose tick is a very different share of the price
      diff.setToleranceTicks(
          Math.max(
              settings.refreshToleranceTicks(),
              (long) Math.floor(quotes.fairTicks * settings.refreshToleranceBps() / 1e4)));
      n = diff.compute(quotes, working, nowNanos);
      long positionSteps = position.positionSteps();
      buyRoom = quotes.maxPositionSteps - positionSteps - working.exposure(true);
      sellRoom = quotes.maxPositionSteps + positionSteps - working.exposure(false);
    }
    boolean skipBids = skipNext[0];
    boolean skipAsks = skipNext[1];
    boolean rateHold = placeHeld && nowNanos - placeHoldUntilNanos < 0;
    skipNext[0] = false;
    skipNext[1] = false;
    actionCount = 0;
    for (int i = 0; i < n; i++) {
      switch (diff.kind(i)) {
        case PLACE -> {
          if (rateHold) {
            rateHoldSkips++;
            continue;
          }
          if (diff.buy(i) ? skipBids : skipAsks) {
            continue; // sit one cycle out after a post-only reject; resting orders stay
          }
          if (working.wouldSelfCross(diff.buy(i), diff.price(i))) {
            selfCrossSkips++;
            continue; // an opposite order of ours is still there (cancel in flight): next cycle
          }
          boolean buy = diff.buy(i);
          long qty = withinLimit(diff.price(i), diff.qty(i), 0, buy ? buyRoom : sellRoom);
          if (qty <= 0) {
            continue;
          }
          String id = ids.get();
          if (working.add(id, buy, diff.price(i), qty, nowNanos) < 0) {
            continue; // table full: skip this level rather than lose track of an order
          }
          if (buy) {
            buyRoom -= qty;
          } else {
            sellRoom -= qty;
          }
          actionIds[actionCount] = id;
          actionQty[actionCount] = qty;
          ordersSent++;
        }
        case CANCEL -> {
          working.setState(diff.slot(i), OrderState.PENDING_CANCEL);
          actionIds[actionCount] = working.clientId(diff.slot(i));
          actionQty[actionCount] = diff.qty(i);
          cancelsSent++;
        }
        case AMEND -> {
          if (rateHold) {
            rateHoldSkips++;
            continue;
          }
          int slot = diff.slot(i);
          boolean buy = diff.buy(i);
          long before = working.origQty(slot);
          long qty = withinLimit(diff.price(i), diff.qty(i), before, buy ? buyRoom : sellRoom);
          if (qty <= 0) {
            continue;
          }
          // until the exchange confirms, the order may still fill at its old size: count the larger
          long counted = Math.max(before, qty);
          working.amend(slot, diff.price(i), counted, nowNanos);
          if (buy) {
            buyRoom -= counted - before;
          } else {
            sellRoom -= counted - before;
          }
          actionIds[actionCount] = working.clientId(slot);
          actionQty[actionCount] = qty;
          ordersSent++;
        }
      }
      actionIndex[actionCount] = i;
      actionCount++;
    }
    return actionCount;
  }

  /**
   * The quantity an order may have so the side's worst case stays within the soft limit: {@code
   * qty}, or less when only less fits, or 0 (leave it out) when what fits is not tradable.
   *
   * @param currentQty the quantity the order has now (0 for a new one): an amend only adds the
   *     difference, and shrinking is always allowed
   * @param room limit minus position minus every order of ours on the side, in steps
   */
  private long withinLimit(long priceTicks, long qty, long currentQty, long room) {
    if (qty <= currentQty || qty - currentQty <= room) {
      return qty;
    }
    positionLimitHolds++;
    long fits = currentQty + Math.max(0, room);
    return fits > 0 && strategy.tradable(priceTicks, fits) ? fits : 0;
  }

  public int actionCount() {
    return actionCount;
  }

  public OrderDiff.Kind actionKind(int i) {
    return diff.kind(actionIndex[i]);
  }

  public boolean actionBuy(int i) {
    return diff.buy(actionIndex[i]);
  }

  public long actionPrice(int i) {
    return diff.price(actionIndex[i]);
  }

  /** Quantity of a place or amend (after the soft limit), leaves quantity for a cancel. */
  public long actionQty(int i) {
    return actionQty[i];
  }

  public String actionClientId(int i) {
    return actionIds[i];
  }

  // ------------------------------------------------------------------ queries

  public Instrument instrument() {
    return instrument;
  }

  public QuoterOrders working() {
    return working;
  }

  public Quotes quotes() {
    return quotes;
  }

  public long positionSteps() {
    return position.positionSteps();
  }

  public double realisedPnl() {
    return position.realised() - position.fees();
  }

  /** Unrealised PnL at the mark, or the mid when no mark has arrived. */
  public double unrealisedPnl() {
    double ref =
        markTicks > 0 ? markTicks : (bestBid > 0 && bestAsk > 0 ? (bestBid + bestAsk) * 0.5 : 0);
    return position.unrealised(ref);
  }

  public long fills() {
    return outcomes.fills();
  }

  /** Fees paid (negative: rebates earned), quote currency. */
  public double fees() {
    return position.fees();
  }

  /** Realised minus fees plus unrealised: what the symbol made after fees. */
  public double netPnl() {
    return realisedPnl() + unrealisedPnl();
  }

  public MarkoutTracker markouts() {
    return markouts;
  }

  public AdaptiveSpread adaptive() {
    return adaptive;
  }

  /** The maker rate the fee floor uses now. */
  public double makerRate() {
    return strategy.makerRate();
  }

  public double takerRate() {
    return strategy.takerRate();
  }

  /** Whether the fee rates came from the exchange (else the configured fallback). */
  public boolean feesFromExchange() {
    return feesFromExchange;
  }

  public long filledBuySteps() {
    return outcomes.filledBuySteps();
  }

  public long filledSellSteps() {
    return outcomes.filledSellSteps();
  }

  public long ordersSent() {
    return ordersSent;
  }

  public long cancelsSent() {
    return cancelsSent;
  }

  public long postOnlyRejects() {
    return outcomes.postOnlyRejects();
  }

  public long rejects() {
    return outcomes.rejects();
  }

  /**
   * Places and amends made smaller or left out to keep the side's worst case within the soft limit.
   */
  public long positionLimitHolds() {
    return positionLimitHolds;
  }

  /** Places held back because one of our own opposite orders was still in the way. */
  public long selfCrossSkips() {
    return selfCrossSkips;
  }

  public long requotes() {
    return requotes;
  }

  public int backoffTicks(boolean buy) {
    return backoff[buy ? 0 : 1];
  }

  public long bestBid() {
    return bestBid;
  }

  public long bestAsk() {
    return bestAsk;
  }

  public long bestBidQty() {
    return bestBidQty;
  }

  public long bestAskQty() {
    return bestAskQty;
  }

  /** Average entry price of the position (0 when flat). */
  public double entryPrice() {
    return position.entryPrice();
  }

  public long markTicks() {
    return markTicks;
  }

  public double fundingRate() {
    return fundingRate;
  }
}
