package io.phoenix.exchangemodel;

import io.phoenix.core.Instrument;
import io.phoenix.model.TimeInForce;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One symbol of a venue that trades our orders against recorded market data, which stays everyone
 * else's liquidity: our orders rest beside it and never change it (no market impact; the model
 * suits orders small against the book).
 *
 * <p>Time: every input carries the exchange's time in nanoseconds on the host's clock, and inputs
 * must come in time order. A request sent at {@code t} acts from {@code t + entry latency}; every
 * answer and fill is seen at {@code exchange time + response latency}. Requests and answers each
 * keep their order (one connection each), so a later request never overtakes an earlier one.
 * Requests due at or before a market event are handled before it; the host calls {@link #advanceTo}
 * for those due between events ({@link #nextArrivalNanos}) and takes the answers with {@link
 * #pollResponse} once they are due ({@link #nextResponseNanos}).
 *
 * <p>Matching: a new order joins behind the quantity the book shows at its price. Trades at that
 * price consume the queue ahead first, then fill the order (partially when they only reach into
 * it); a trade through our price, or the opposite best reaching it, fills the rest as maker at our
 * price. Level decreases move the queue per {@link QueueModel}. A post-only order that would cross
 * is refused (-5022); a GTC or IOC order takes the displayed levels it crosses at their prices,
 * paying the taker fee. Filters (price and quantity limits, min notional, max open orders) and the
 * ORDERS limits (new orders and amends, per 10 s and per minute; -1015 beyond) are enforced and
 * counted. Funding is settled from mark-price events at the funding times they announce.
 *
 * <p>Single-threaded, allocation only per request, answer and order.
 */
public final class ExchangeModel {
  private static final long TEN_SECONDS = 10_000_000_000L;
  private static final long ONE_MINUTE = 60_000_000_000L;

  private final Instrument instrument;
  private final ExchangeModelSettings settings;
  private final Latency latency;
  private final BookView book;
  private final double tickSize;
  private final double stepSize;

  private final List<Order> orders = new ArrayList<>();
  private final Map<String, Order> byId = new HashMap<>();
  private final ArrayDeque<Request> inbound = new ArrayDeque<>();
  private final ArrayDeque<Response> outbound = new ArrayDeque<>();
  private long lastArrival = Long.MIN_VALUE;
  private long lastDelivery = Long.MIN_VALUE;
  private long nextOrderId = 1;
  private final RateWindow per10s;
  private final RateWindow perMinute;

  private long positionSteps;
  private double cash;
  private double fees;
  private double funding;
  private double volume;
  private long fills;
  private long makerFills;
  private long orderRequests;
  private long cancelRequests;
  private long rateLimited;
  private long postOnlyRejects;
  private long filterRejects;

  private long nextFundingMillis;
  private double fundingRate;

  /** One request on its way to the matching engine. */
  private record Request(
      long arrivalNanos,
      Response.Kind kind,
      String clientId,
      boolean buy,
      long priceTicks,
      long qtySteps,
      TimeInForce tif) {}

  /** One of our resting orders and its estimated place in the queue. */
  private static final class Order {
    final String clientId;
    final long orderId;
    final boolean buy;
    long price;
    long origQty;
    long filled;
    // quantity of others ahead of us at our price, in steps (fractional under the probabilistic
    // model)
    double ahead;
    // the level's displayed quantity when we last looked, and trades at it since, for the
    // probabilistic model to tell cancellations from trades
    long levelQty;
    double tradedSinceDepth;

    Order(String clientId, long orderId, boolean buy) {
      this.clientId = clientId;
      this.orderId = orderId;
      this.buy = buy;
    }

    long leaves() {
      return origQty - filled;
    }
  }

  public ExchangeModel(
      Instrument instrument, ExchangeModelSettings settings, Latency latency, BookView book) {
    this.instrument = instrument;
    this.settings = settings;
    this.latency = latency;
    this.book = book;
    this.tickSize = instrument.price().toDouble(1);
    this.stepSize = instrument.quantity().toDouble(1);
    this.per10s = new RateWindow(TEN_SECONDS, settings.ordersPer10s());
    this.perMinute = new RateWindow(ONE_MINUTE, settings.ordersPerMinute());
  }

  public Instrument instrument() {
    return instrument;
  }

  // ------------------------------------------------------------------ requests (our side)

  /** A new limit order sent at {@code sentNanos}. */
  public void place(
      long sentNanos,
      String clientId,
      boolean buy,
      long priceTicks,
      long qtySteps,
      TimeInForce tif) {
    send(sentNanos, Response.Kind.PLACE, clientId, buy, priceTicks, qtySteps, tif);
  }

  public void cancel(long sentNanos, String clientId) {
    send(sentNanos, Response.Kind.CANCEL, clientId, false, 0, 0, null);
  }

  /** Modify price and quantity (Binance's PUT order): the order loses its place in the queue. */
  public void amend(long sentNanos, String clientId, long priceTicks, long qtySteps) {
    send(sentNanos, Response.Kind.AMEND, clientId, false, priceTicks, qtySteps, null);
  }

  public void cancelAll(long sentNanos) {
    send(sentNanos, Response.Kind.CANCEL_ALL, null, false, 0, 0, null);
  }

  private void send(
      long sentNanos,
      Response.Kind kind,
      String clientId,
      boolean buy,
      long price,
      long qty,
      TimeInForce tif) {
    long arrival = Math.max(lastArrival, sentNanos + latency.entryNanos());
    lastArrival = arrival;
    inbound.addLast(new Request(arrival, kind, clientId, buy, price, qty, tif));
  }

  /** When the next request reaches the engine, or {@link Long#MAX_VALUE}. */
  public long nextArrivalNanos() {
    Request r = inbound.peekFirst();
    return r == null ? Long.MAX_VALUE : r.arrivalNanos();
  }

  /** Handles every request that has reached the engine by {@code now}. */
  public void advanceTo(long now) {
    Request r;
    while ((r = inbound.peekFirst()) != null && r.arrivalNanos() <= now) {
      inbound.pollFirst();
      handle(r);
    }
  }

  // ------------------------------------------------------------------ answers

  public long nextResponseNanos() {
    Response r = outbound.peekFirst();
    return r == null ? Long.MAX_VALUE : r.atNanos();
  }

  /** The next answer if it is due by {@code now}, else null. */
  public Response pollResponse(long now) {
    Response r = outbound.peekFirst();
    if (r == null || r.atNanos() > now) {
      return null;
    }
    return outbound.pollFirst();
  }

  private long deliveryTime(long exchNanos) {
    long at = Math.max(lastDelivery, exchNanos + latency.responseNanos());
    lastDelivery = at;
    return at;
  }

  // ------------------------------------------------------------------ market data (exchange side)

  /**
   * A level of the recorded book changed to {@code qty} (call it after the host's book applied the
   * change, for each level of a diff); moves the queue of our orders resting at that price.
   */
  public void onLevel(long now, boolean bid, long price, long qty) {
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      if (o.buy == bid && o.price == price) {
        depthChanged(o, qty);
      }
    }
  }

  /**
   * The book changed (a diff fully applied, or a snapshot loaded): an opposite best that reached
   * our price means someone would have traded with us, so the order fills as maker.
   */
  public void afterDepth(long now) {
    advanceTo(now);
    long bestBid = book.levels(true) > 0 ? book.price(true, 0) : Long.MIN_VALUE;
    long bestAsk = book.levels(false) > 0 ? book.price(false, 0) : Long.MAX_VALUE;
    for (int i = orders.size() - 1; i >= 0; i--) {
      Order o = orders.get(i);
      if (o.buy ? o.price >= bestAsk : o.price <= bestBid) {
        fill(now, o, o.leaves(), o.price, true);
      }
    }
  }

  /**
   * A public trade. {@code buyerMaker}: the buyer rested, so the taker sold into the bids. Only
   * trades matched on the book ({@code bookTrade}) consumed resting orders.
   */
  public void onTrade(long now, long price, long qtySteps, boolean buyerMaker, boolean bookTrade) {
    advanceTo(now);
    if (!bookTrade || orders.isEmpty()) {
      return;
    }
    boolean hitsBids = buyerMaker;
    for (int i = orders.size() - 1; i >= 0; i--) {
      Order o = orders.get(i);
      if (o.buy != hitsBids) {
        continue;
      }
      if (hitsBids ? o.price > price : o.price < price) {
        // the taker went through our price: we were ahead of everything it hit
        fill(now, o, o.leaves(), o.price, true);
      } else if (o.price == price) {
        o.tradedSinceDepth += qtySteps;
        if (qtySteps <= o.ahead) {
          o.ahead -= qtySteps;
        } else {
          long reach = (long) Math.floor(qtySteps - o.ahead + 1e-9);
          o.ahead = 0;
          if (reach > 0) {
            fill(now, o, Math.min(reach, o.leaves()), o.price, true);
          }
        }
      }
    }
  }

  /**
   * A mark-price event ({@code markPriceUpdate}): once its event time reaches the funding time the
   * previous events announced, the position settles at the rate they carried.
   */
  public void onMark(
      long now, long eventTimeMillis, long markTicks, double rate, long nextFundingTimeMillis) {
    advanceTo(now);
    if (nextFundingMillis > 0 && eventTimeMillis >= nextFundingMillis && markTicks > 0) {
      settleFunding(now, markTicks, fundingRate);
    }
    if (nextFundingTimeMillis > 0) {
      nextFundingMillis = nextFundingTimeMillis;
    }
    fundingRate = rate;
  }

  /**
   * Pays funding on the current position: longs pay {@code position × mark × rate} to shorts when
   * the rate is positive. Returns the amount received (negative when paid).
   */
  public double settleFunding(long now, long markTicks, double rate) {
    if (positionSteps == 0) {
      return 0;
    }
    double amount = -positionSteps * stepSize * markTicks * tickSize * rate;
    funding += amount;
    outbound.addLast(
        new Response.Funding(deliveryTime(now), now, amount, rate, markTicks, positionSteps));
    return amount;
  }

  // ------------------------------------------------------------------ matching

  private void handle(Request r) {
    long now = r.arrivalNanos();
    switch (r.kind()) {
      case PLACE -> onPlace(now, r);
      case CANCEL -> onCancel(now, r.clientId());
      case AMEND -> onAmend(now, r);
      case CANCEL_ALL -> {
        for (int i = orders.size() - 1; i >= 0; i--) {
          Order o = orders.get(i);
          remove(o);
          outbound.addLast(new Response.Canceled(deliveryTime(now), now, o.clientId, o.filled));
        }
      }
    }
  }

  private boolean countOrder(long now, Response.Kind kind, String clientId) {
    if (!per10s.allows(now) || !perMinute.allows(now)) {
      rateLimited++;
      outbound.addLast(new Response.Rejected(deliveryTime(now), now, clientId, kind, -1015));
      return false;
    }
    per10s.record(now);
    perMinute.record(now);
    orderRequests++;
    return true;
  }

  /** Binance's code for a request its filters refuse, or 0 when it passes. */
  private int filterCode(long price, long qty) {
    if (price <= 0 || price < instrument.minPriceTicks()) {
      return -4013; // price less than min price
    }
    if (instrument.maxPriceTicks() > 0 && price > instrument.maxPriceTicks()) {
      return -4016; // price greater than max price
    }
    if (qty <= 0 || qty < instrument.minQtySteps()) {
      return -4004; // quantity less than min quantity
    }
    if (instrument.maxQtySteps() > 0 && qty > instrument.maxQtySteps()) {
      return -4005; // quantity greater than max quantity
    }
    if (instrument.notional(price, qty) < instrument.minNotional() - 1e-9) {
      return -4164; // notional below MIN_NOTIONAL
    }
    return 0;
  }

  private void reject(long now, String clientId, Response.Kind kind, int code) {
    if (code == -5022) {
      postOnlyRejects++;
    } else {
      filterRejects++;
    }
    outbound.addLast(new Response.Rejected(deliveryTime(now), now, clientId, kind, code));
  }

  private boolean crosses(boolean buy, long price) {
    return buy
        ? book.levels(false) > 0 && price >= book.price(false, 0)
        : book.levels(true) > 0 && price <= book.price(true, 0);
  }

  private void onPlace(long now, Request r) {
    if (!countOrder(now, Response.Kind.PLACE, r.clientId())) {
      return;
    }
    if (byId.containsKey(r.clientId())) {
      reject(now, r.clientId(), Response.Kind.PLACE, -4015); // client order id is not unique
      return;
    }
    int code = filterCode(r.priceTicks(), r.qtySteps());
    if (code == 0
        && instrument.maxOpenOrders() > 0
        && orders.size() >= instrument.maxOpenOrders()) {
      code = -2025; // reach max open order limit
    }
    if (code != 0) {
      reject(now, r.clientId(), Response.Kind.PLACE, code);
      return;
    }
    boolean crosses = crosses(r.buy(), r.priceTicks());
    if (crosses && r.tif() == TimeInForce.GTX) {
      reject(now, r.clientId(), Response.Kind.PLACE, -5022);
      return;
    }
    Order o = new Order(r.clientId(), nextOrderId++, r.buy());
    o.price = r.priceTicks();
    o.origQty = r.qtySteps();
    outbound.addLast(new Response.Accepted(deliveryTime(now), now, o.clientId, o.orderId));
    if (crosses) {
      take(now, o);
      if (o.leaves() == 0) {
        return;
      }
    }
    if (r.tif() == TimeInForce.IOC) {
      // what an IOC could not take expires instead of resting
      outbound.addLast(new Response.Canceled(deliveryTime(now), now, o.clientId, o.filled));
      return;
    }
    rest(o);
  }

  /** Walks the opposite levels our price crosses, filling at each level's price as taker. */
  private void take(long now, Order o) {
    boolean oppositeBids = !o.buy;
    int n = book.levels(oppositeBids);
    for (int level = 0; level < n && o.leaves() > 0; level++) {
      long price = book.price(oppositeBids, level);
      if (o.buy ? price > o.price : price < o.price) {
        break;
      }
      long qty = Math.min(book.qty(oppositeBids, level), o.leaves());
      if (qty > 0) {
        o.filled += qty;
        booked(now, o, qty, price, false);
      }
    }
  }

  private void rest(Order o) {
    // we join behind everything displayed at our price
    o.levelQty = book.qtyAt(o.buy, o.price);
    o.ahead = o.levelQty;
    o.tradedSinceDepth = 0;
    orders.add(o);
    byId.put(o.clientId, o);
  }

  private void onCancel(long now, String clientId) {
    cancelRequests++;
    Order o = byId.get(clientId);
    if (o == null) {
      // filled (or cancelled) before the cancel got here: the cancel lost the race
      outbound.addLast(
          new Response.Rejected(deliveryTime(now), now, clientId, Response.Kind.CANCEL, -2011));
      return;
    }
    remove(o);
    outbound.addLast(new Response.Canceled(deliveryTime(now), now, clientId, o.filled));
  }

  private void onAmend(long now, Request r) {
    Order o = byId.get(r.clientId());
    if (o == null) {
      outbound.addLast(
          new Response.Rejected(deliveryTime(now), now, r.clientId(), Response.Kind.AMEND, -2013));
      return;
    }
    if (!countOrder(now, Response.Kind.AMEND, r.clientId())) {
      return;
    }
    int code = filterCode(r.priceTicks(), r.qtySteps());
    if (code != 0) {
      reject(now, r.clientId(), Response.Kind.AMEND, code);
      return;
    }
    if (r.qtySteps() <= o.filled || crosses(o.buy, r.priceTicks())) {
      // Binance cancels instead: nothing left to rest, or a post-only price that would take
      remove(o);
      outbound.addLast(new Response.Canceled(deliveryTime(now), now, o.clientId, o.filled));
      return;
    }
    remove(o);
    o.price = r.priceTicks();
    o.origQty = r.qtySteps();
    rest(o);
    outbound.addLast(new Response.Amended(deliveryTime(now), now, o.clientId, o.price, o.origQty));
  }

  private void depthChanged(Order o, long newQty) {
    long prev = o.levelQty;
    o.levelQty = newQty;
    double traded = o.tradedSinceDepth;
    o.tradedSinceDepth = 0;
    if (settings.queue() == QueueModel.PROBABILISTIC) {
      // what trades do not explain left by cancellation; where it left decides how far we move
      double cancelled = prev - newQty - traded;
      if (cancelled > 0) {
        double front = o.ahead;
        double back = Math.max(0, prev - front);
        double wf = Math.pow(front, settings.queuePower());
        double wb = Math.pow(back, settings.queuePower());
        double aheadShare = wf + wb > 0 ? wf / (wf + wb) : 1.0;
        double behind = (1 - aheadShare) * cancelled;
        // more cancelled "behind" us than was behind us must have come from ahead
        double overflow = Math.max(0, behind - back);
        o.ahead = front - aheadShare * cancelled - overflow;
      }
    }
    o.ahead = Math.max(0, Math.min(o.ahead, newQty));
  }

  private void fill(long now, Order o, long qty, long price, boolean maker) {
    if (qty <= 0) {
      return;
    }
    o.filled += qty;
    booked(now, o, qty, price, maker);
    if (o.leaves() == 0) {
      remove(o);
    }
  }

  /** Books an execution of {@code o} (its filled quantity already includes {@code qty}). */
  private void booked(long now, Order o, long qty, long price, boolean maker) {
    double notional = price * tickSize * qty * stepSize;
    double fee = notional * (maker ? settings.makerFeeRate() : settings.takerFeeRate());
    cash += o.buy ? -notional : notional;
    positionSteps += o.buy ? qty : -qty;
    fees += fee;
    volume += notional;
    fills++;
    if (maker) {
      makerFills++;
    }
    outbound.addLast(
        new Response.Fill(
            deliveryTime(now),
            now,
            o.clientId,
            o.buy,
            price,
            qty,
            o.filled,
            o.leaves() > 0,
            maker,
            fee));
  }

  private void remove(Order o) {
    orders.remove(o);
    byId.remove(o.clientId);
  }

  /**
   * The book was loaded anew (a snapshot after a break): our orders' levels are read again and
   * whatever now reaches their price fills.
   */
  public void onBookReloaded(long now) {
    advanceTo(now);
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      depthChanged(o, book.qtyAt(o.buy, o.price));
    }
    afterDepth(now);
  }

  // ------------------------------------------------------------------ queries

  /** Price of our best resting order on a side, or 0 when none rests. */
  public long bestOrderPrice(boolean buy) {
    long best = 0;
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      if (o.buy == buy && (best == 0 || (buy ? o.price > best : o.price < best))) {
        best = o.price;
      }
    }
    return best;
  }

  /** Our orders resting on the book now. */
  public int openOrders() {
    return orders.size();
  }

  /** The queue ahead of a resting order in steps, or -1 when it does not rest. */
  public double queueAhead(String clientId) {
    Order o = byId.get(clientId);
    return o == null ? -1 : o.ahead;
  }

  public long positionSteps() {
    return positionSteps;
  }

  /** Quote currency paid for buys and received for sells (fees and funding excluded). */
  public double cash() {
    return cash;
  }

  public double fees() {
    return fees;
  }

  public double funding() {
    return funding;
  }

  /** Trading PnL before fees and funding, the position valued at {@code priceTicks}. */
  public double grossPnl(double priceTicks) {
    return cash + positionSteps * stepSize * priceTicks * tickSize;
  }

  /** Gross PnL minus fees plus funding. */
  public double netPnl(double priceTicks) {
    return grossPnl(priceTicks) - fees + funding;
  }

  /** Notional traded, quote currency. */
  public double volume() {
    return volume;
  }

  public long fills() {
    return fills;
  }

  public long makerFills() {
    return makerFills;
  }

  /** New orders and amends that reached the engine (those refused for the rate limit excluded). */
  public long orderRequests() {
    return orderRequests;
  }

  public long cancelRequests() {
    return cancelRequests;
  }

  /** Requests refused with -1015 because an ORDERS limit was reached. */
  public long rateLimited() {
    return rateLimited;
  }

  public long postOnlyRejects() {
    return postOnlyRejects;
  }

  public long filterRejects() {
    return filterRejects;
  }

  /** Most new orders and amends inside one 10 s window, and the limit. */
  public int maxOrdersIn10s() {
    return per10s.maxSeen();
  }

  public int maxOrdersInMinute() {
    return perMinute.maxSeen();
  }

  public ExchangeModelSettings settings() {
    return settings;
  }
}
