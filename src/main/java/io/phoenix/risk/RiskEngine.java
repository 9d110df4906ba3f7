package io.phoenix.risk;

import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Portfolio-wide risk state and checks, with no Akka: the {@code Risk} actor owns one instance.
 *
 * <p>Pre-trade ({@link #checkNew}): every new order passes exchange filters, staleness, price band
 * and percent-price around the mark, self-cross against our own resting orders, open-order counts,
 * the order-rate token bucket, then quantity clamps (max order quantity and notional, max position
 * per symbol and max gross exposure). Position limits count every working <em>and</em> in-flight
 * order of the same side as if filled, so a burst of intents cannot overshoot while acks are
 * pending. An approved order is recorded as in-flight until the exchange reports it done. Cancels
 * are never blocked.
 *
 * <p>Portfolio ({@link #checkPortfolio}): PnL = realised - fees + funding + unrealised (at mark);
 * loss since the UTC day start, fall from the peak, consecutive exchange rejects and actual
 * position / gross exposure beyond their limits (plus a drift allowance, since a mark move alone
 * can lift a compliant position's notional) are hard breaches: the kill switch trips and stays
 * tripped until {@link #reset}.
 *
 * <p>Time is injected (epoch milliseconds) so tests are deterministic.
 */
public final class RiskEngine {
  /**
   * Share by which a mark move may lift an actual position above its limit before it is a breach.
   */
  public static final double DRIFT_ALLOWANCE = 0.10;

  private final RiskSettings settings;
  private final Instrument[] instruments;
  private final SymbolState[] symbols;
  private final Map<String, OpenOrder> open = new HashMap<>();
  private final long staleAfterMillis;

  private double tokens;
  private long tokensAtMillis = Long.MIN_VALUE;

  private double realised;
  private double fees;
  private double funding;
  private double peakPnl = Double.NaN;
  private double dayStartPnl = Double.NaN;
  private long day = Long.MIN_VALUE;
  private int consecutiveRejects;
  private long approved;
  private long clamped;
  private long rejected;
  private final long[] rejectsByReason = new long[RiskReason.values().length];

  private boolean tripped;
  private RiskReason tripReason = RiskReason.NONE;
  private String tripDetail = "";
  private long trippedAtMillis;

  public RiskEngine(RiskSettings settings, List<Instrument> instrumentList) {
    this.settings = settings;
    int max = 0;
    for (Instrument i : instrumentList) {
      max = Math.max(max, i.id() + 1);
    }
    this.instruments = new Instrument[max];
    this.symbols = new SymbolState[max];
    for (Instrument i : instrumentList) {
      instruments[i.id()] = i;
      symbols[i.id()] = new SymbolState(i);
    }
    this.staleAfterMillis = settings.staleDataAfter().toMillis();
    this.tokens = settings.orderBurst();
  }

  // ---------------------------------------------------------------- pre-trade

  /**
   * Checks a new order. On approval (or clamp) the order is recorded as in-flight with the approved
   * quantity and one rate token is spent.
   */
  public PreTradeResult checkNew(
      String clientOrderId,
      int symbolId,
      boolean buy,
      long priceTicks,
      long qtySteps,
      boolean reduceOnly,
      long nowMillis,
      PreTradeResult out) {
    if (tripped) {
      return rejected(out, RiskReason.KILL_SWITCH);
    }
    if (symbolId < 0 || symbolId >= symbols.length || symbols[symbolId] == null) {
      return rejected(out, RiskReason.UNKNOWN_SYMBOL);
    }
    if (open.containsKey(clientOrderId)) {
      return rejected(out, RiskReason.DUPLICATE_CLIENT_ORDER_ID);
    }
    SymbolState s = symbols[symbolId];
    Instrument ins = s.instrument;
    if (priceTicks <= 0
        || priceTicks < ins.minPriceTicks()
        || (ins.maxPriceTicks() > 0 && priceTicks > ins.maxPriceTicks())) {
      return rejected(out, RiskReason.PRICE_FILTER);
    }
    if (qtySteps <= 0 || qtySteps < ins.minQtySteps()) {
      return rejected(out, RiskReason.QUANTITY_FILTER);
    }
    if (s.markTicks <= 0) {
      return rejected(out, RiskReason.NO_MARK_PRICE);
    }
    if (nowMillis - s.markAtMillis > staleAfterMillis) {
      return rejected(out, RiskReason.STALE_DATA);
    }
    double mark = s.markTicks;
    if (Math.abs(priceTicks - mark) * 1e4 > settings.priceBandBps() * mark) {
      return rejected(out, RiskReason.PRICE_BAND);
    }
    if (buy ? priceTicks > mark * ins.percentUp() : priceTicks < mark * ins.percentDown()) {
      return rejected(out, RiskReason.PERCENT_PRICE);
    }
    long ownAsk = s.lowestAsk();
    long ownBid = s.highestBid();
    if (buy ? ownAsk > 0 && priceTicks >= ownAsk : ownBid > 0 && priceTicks <= ownBid) {
      return rejected(out, RiskReason.SELF_CROSS);
    }
    if (open.size() >= settings.maxOpenOrders()) {
      return rejected(out, RiskReason.MAX_OPEN_ORDERS);
    }
    if (s.openCount >= settings.maxOpenOrdersPerSymbol()) {
      return rejected(out, RiskReason.MAX_OPEN_ORDERS_SYMBOL);
    }
    refill(nowMillis);
    if (tokens < 1) {
      return rejected(out, RiskReason.ORDER_RATE);
    }

    long qty = qtySteps;
    RiskReason clamp = RiskReason.NONE;
    long maxQty = (long) Math.floor(ins.maxQtySteps() * settings.maxOrderQtyFraction());
    if (ins.maxQtySteps() > 0 && qty > maxQty) {
      qty = maxQty;
      clamp = RiskReason.MAX_ORDER_QUANTITY;
    }
    double unitAtPrice = ins.notional(priceTicks, 1);
    long maxByNotional = (long) Math.floor(settings.maxOrderNotional() / unitAtPrice + 1e-9);
    if (qty > maxByNotional) {
      qty = maxByNotional;
      clamp = first(clamp, RiskReason.MAX_ORDER_NOTIONAL);
    }
    if (!reduceOnly) {
      double unitAtMark = ins.notional(s.markTicks, 1);
      long maxPosition = (long) Math.floor(settings.maxPositionNotional() / unitAtMark + 1e-9);
      long room =
          buy
              ? maxPosition - (s.positionSteps + s.buyOpenSteps)
              : maxPosition + s.positionSteps - s.sellOpenSteps;
      if (qty > room) {
        qty = Math.max(0, room);
        clamp = first(clamp, RiskReason.MAX_POSITION);
      }
      double grossOthers = grossExposure(symbolId);
      long grossRoomSteps =
          (long) Math.floor((settings.maxGrossNotional() - grossOthers) / unitAtMark + 1e-9);
      long otherSide = buy ? s.sellOpenSteps - s.positionSteps : s.positionSteps + s.buyOpenSteps;
      long grossRoom =
          buy
              ? grossRoomSteps - (s.positionSteps + s.buyOpenSteps)
              : grossRoomSteps - (s.sellOpenSteps - s.positionSteps);
      if (Math.abs(otherSide) > grossRoomSteps) {
        grossRoom = 0;
      }
      if (qty > grossRoom) {
        qty = Math.max(0, grossRoom);
        clamp = first(clamp, RiskReason.MAX_GROSS_EXPOSURE);
      }
    }
    if (qty <= 0 || qty < ins.minQtySteps()) {
      return rejected(out, clamp == RiskReason.NONE ? RiskReason.QUANTITY_FILTER : clamp);
    }
    if (!reduceOnly && ins.notional(priceTicks, qty) < ins.minNotional() - 1e-9) {
      return rejected(out, clamp == RiskReason.NONE ? RiskReason.MIN_NOTIONAL : clamp);
    }
    tokens -= 1;
    OpenOrder o = new OpenOrder(clientOrderId, symbolId, buy, priceTicks, qty);
    open.put(clientOrderId, o);
    s.add(o);
    if (clamp == RiskReason.NONE) {
      approved++;
    } else {
      clamped++;
    }
    return out.pass(qty, clamp);
  }

  /**
   * Checks a modify of a working order to a new price and quantity, as if the order were replaced;
   * on reject the order keeps its old terms.
   */
  public PreTradeResult checkAmend(
      String clientOrderId, long priceTicks, long qtySteps, long nowMillis, PreTradeResult out) {
    OpenOrder old = open.get(clientOrderId);
    if (old == null) {
      return rejected(out, RiskReason.UNKNOWN_ORDER);
    }
    remove(clientOrderId);
    checkNew(clientOrderId, old.symbolId, old.buy, priceTicks, qtySteps, false, nowMillis, out);
    if (out.approved()) {
      open.get(clientOrderId).inFlight = old.inFlight;
    } else {
      open.put(clientOrderId, old);
      symbols[old.symbolId].add(old);
    }
    return out;
  }

  private static RiskReason first(RiskReason current, RiskReason next) {
    return current == RiskReason.NONE ? next : current;
  }

  private PreTradeResult rejected(PreTradeResult out, RiskReason reason) {
    rejected++;
    rejectsByReason[reason.ordinal()]++;
    return out.reject(reason);
  }

  private void refill(long nowMillis) {
    if (tokensAtMillis == Long.MIN_VALUE) {
      tokensAtMillis = nowMillis;
      return;
    }
    long dt = nowMillis - tokensAtMillis;
    if (dt > 0) {
      tokens = Math.min(settings.orderBurst(), tokens + dt * settings.ordersPerSecond() / 1000.0);
      tokensAtMillis = nowMillis;
    }
  }

  /** Sum over symbols (except {@code excluded}) of worst-case absolute exposure at mark. */
  private double grossExposure(int excluded) {
    double gross = 0;
    for (int i = 0; i < symbols.length; i++) {
      SymbolState s = symbols[i];
      if (s == null || i == excluded || s.markTicks <= 0) {
        continue;
      }
      gross += s.instrument.notional(s.markTicks, s.worstAbsSteps());
    }
    return gross;
  }

  // ---------------------------------------------------------------- order lifecycle

  /** The exchange acknowledged the order: it moves from in-flight to working. */
  public void onAccepted(String clientOrderId) {
    OpenOrder o = open.get(clientOrderId);
    if (o != null) {
      o.inFlight = false;
    }
    consecutiveRejects = 0;
  }

  /**
   * The order was rejected definitively. Only the exchange's refusals count toward the
   * consecutive-reject limit: post-only rejects (-5022) are a normal outcome of passive quoting,
   * and a local refusal (code 0: the gateway restarting before it sent the order, its hold full)
   * says nothing about our orders being wrong (a gateway restart once tripped the kill switch that
   * way). Nor do the venue's own errors, Binance's -1000..-1099 (503 -1001 "Service Unavailable",
   * rate limits, shutting down, timeouts): ten of them in a burst of 5xx once stopped a soak's
   * quoting for good, though nothing was wrong with the orders.
   */
  public void onRejected(String clientOrderId, int errorCode) {
    remove(clientOrderId);
    boolean venueError = errorCode <= -1000 && errorCode > -1100;
    if (errorCode != -5022 && errorCode != 0 && !venueError) {
      consecutiveRejects++;
    }
  }

  /** The order is final (filled, canceled, expired) or never existed: it stops counting. */
  public void onDone(String clientOrderId) {
    remove(clientOrderId);
  }

  /**
   * A fill of {@code qtySteps} at {@code priceTicks}; updates the order's leaves, the position and
   * the realised PnL (average-cost method), and the fees.
   */
  public void onFill(
      String clientOrderId,
      int symbolId,
      boolean buy,
      long qtySteps,
      long priceTicks,
      double commission) {
    if (symbolId < 0 || symbolId >= symbols.length || symbols[symbolId] == null || qtySteps <= 0) {
      return;
    }
    SymbolState s = symbols[symbolId];
    OpenOrder o = open.get(clientOrderId);
    if (o != null) {
      long applied = Math.min(qtySteps, o.leaves);
      s.reduceOpen(o, applied);
      if (o.leaves == 0) {
        remove(clientOrderId);
      }
    }
    realised += s.pnl.onFill(buy, qtySteps, priceTicks, 0);
    s.positionSteps = s.pnl.positionSteps();
    fees += commission;
  }

  /** Reconciliation: the exchange's position replaces ours. */
  public void onPosition(int symbolId, long positionSteps, double entryPrice) {
    if (symbolId >= 0 && symbolId < symbols.length && symbols[symbolId] != null) {
      SymbolState s = symbols[symbolId];
      s.pnl.restate(positionSteps, entryPrice);
      s.positionSteps = positionSteps;
    }
  }

  public void onMark(int symbolId, long markTicks, long nowMillis) {
    if (symbolId >= 0 && symbolId < symbols.length && symbols[symbolId] != null && markTicks > 0) {
      symbols[symbolId].markTicks = markTicks;
      symbols[symbolId].markAtMillis = nowMillis;
    }
  }

  /** A funding payment (negative when paid). */
  public void onFunding(double amount) {
    funding += amount;
  }

  private void remove(String clientOrderId) {
    OpenOrder o = open.remove(clientOrderId);
    if (o != null) {
      symbols[o.symbolId].removeOpen(o);
    }
  }

  // ---------------------------------------------------------------- portfolio

  /**
   * Evaluates the hard limits; trips the kill switch on the first breach found and returns its
   * reason ({@link RiskReason#NONE} when all is well or already tripped).
   */
  public RiskReason checkPortfolio(long nowMillis) {
    double pnl = pnl();
    long today = Math.floorDiv(nowMillis, 86_400_000L);
    if (today != day) {
      day = today;
      dayStartPnl = pnl;
    }
    if (Double.isNaN(peakPnl) || pnl > peakPnl) {
      peakPnl = pnl;
    }
    if (tripped) {
      return RiskReason.NONE;
    }
    if (dayStartPnl - pnl > settings.dailyLossLimit()) {
      return trip(RiskReason.DAILY_LOSS, "loss today " + (dayStartPnl - pnl), nowMillis);
    }
    if (peakPnl - pnl > settings.maxDrawdown()) {
      return trip(RiskReason.DRAWDOWN, "drawdown " + (peakPnl - pnl), nowMillis);
    }
    if (consecutiveRejects >= settings.maxConsecutiveRejects()) {
      return trip(
          RiskReason.CONSECUTIVE_REJECTS, consecutiveRejects + " rejects in a row", nowMillis);
    }
    double gross = 0;
    for (SymbolState s : symbols) {
      if (s == null || s.markTicks <= 0) {
        continue;
      }
      double notional = s.instrument.notional(s.markTicks, Math.abs(s.positionSteps));
      gross += notional;
      if (notional > settings.maxPositionNotional() * (1 + DRIFT_ALLOWANCE)) {
        return trip(
            RiskReason.POSITION_BREACH,
            s.instrument.symbol() + " position notional " + notional,
            nowMillis);
      }
    }
    if (gross > settings.maxGrossNotional() * (1 + DRIFT_ALLOWANCE)) {
      return trip(RiskReason.GROSS_BREACH, "gross notional " + gross, nowMillis);
    }
    return RiskReason.NONE;
  }

  /** Trips the kill switch (idempotent); returns the reason. */
  public RiskReason trip(RiskReason reason, String detail, long nowMillis) {
    if (!tripped) {
      tripped = true;
      tripReason = reason;
      tripDetail = detail;
      trippedAtMillis = nowMillis;
    }
    return reason;
  }

  /**
   * Whether the kill switch was tripped by consecutive rejects at least {@code
   * phoenix.risk.consecutive-rejects-cooldown} ago (never when that is zero): a streak of refusals
   * says "stop and look", not "never again", and the brief's rule is to come back by itself once it
   * is safe. Losses and breaches stay latched for the operator.
   */
  public boolean rejectsTripCooledDown(long nowMillis) {
    long cooldownMillis = settings.rejectsCooldown().toMillis();
    return tripped
        && tripReason == RiskReason.CONSECUTIVE_REJECTS
        && cooldownMillis > 0
        && nowMillis - trippedAtMillis >= cooldownMillis;
  }

  /** Clears a consecutive-rejects trip and its streak; the drawdown peak is left as it was. */
  public void clearRejectsTrip() {
    if (tripReason == RiskReason.CONSECUTIVE_REJECTS) {
      tripped = false;
      tripReason = RiskReason.NONE;
      tripDetail = "";
      consecutiveRejects = 0;
    }
  }

  /**
   * Operator reset: clears the kill switch, the reject streak and re-bases the drawdown peak. The
   * daily-loss baseline is kept: a day that breached stays breached until the UTC day rolls.
   */
  public void reset() {
    tripped = false;
    tripReason = RiskReason.NONE;
    tripDetail = "";
    consecutiveRejects = 0;
    peakPnl = pnl();
  }

  public double pnl() {
    return realised - fees + funding + unrealised();
  }

  /**
   * The money side of the day that must survive a restart of the risk actor: without it a crash
   * would reset the daily-loss and drawdown baselines. Positions are not in it: a restarted risk
   * reads them from the exchange.
   */
  public record Ledger(
      double realised,
      double fees,
      double funding,
      double peakPnl,
      double dayStartPnl,
      long day,
      long[] markTicks,
      long[] markAtMillis) {}

  public Ledger ledger() {
    long[] marks = new long[symbols.length];
    long[] markAt = new long[symbols.length];
    for (int i = 0; i < symbols.length; i++) {
      if (symbols[i] != null) {
        marks[i] = symbols[i].markTicks;
        markAt[i] = symbols[i].markAtMillis;
      }
    }
    return new Ledger(realised, fees, funding, peakPnl, dayStartPnl, day, marks, markAt);
  }

  /** Continues a ledger taken from an earlier engine of the same instruments. */
  public void restore(Ledger ledger) {
    realised = ledger.realised();
    fees = ledger.fees();
    funding = ledger.funding();
    peakPnl = ledger.peakPnl();
    dayStartPnl = ledger.dayStartPnl();
    day = ledger.day();
    for (int i = 0; i < symbols.length && i < ledger.markTicks().length; i++) {
      if (symbols[i] != null && ledger.markTicks()[i] > 0) {
        symbols[i].markTicks = ledger.markTicks()[i];
        symbols[i].markAtMillis = ledger.markAtMillis()[i];
      }
    }
  }

  public double unrealised() {
    double u = 0;
    for (SymbolState s : symbols) {
      if (s != null) {
        u += s.pnl.unrealised(s.markTicks);
      }
    }
    return u;
  }

  // ---------------------------------------------------------------- queries

  public boolean tripped() {
    return tripped;
  }

  public RiskReason tripReason() {
    return tripReason;
  }

  public String tripDetail() {
    return tripDetail;
  }

  public RiskSettings settings() {
    return settings;
  }

  public long trippedAtMillis() {
    return trippedAtMillis;
  }

  public double realised() {
    return realised;
  }

  public double fees() {
    return fees;
  }

  public double funding() {
    return funding;
  }

  public double peakPnl() {
    return peakPnl;
  }

  public int consecutiveRejects() {
    return consecutiveRejects;
  }

  public int openOrders() {
    return open.size();
  }

  public int inFlightOrders() {
    int n = 0;
    for (OpenOrder o : open.values()) {
      if (o.inFlight) {
        n++;
      }
    }
    return n;
  }

  public long approvedCount() {
    return approved;
  }

  public long clampedCount() {
    return clamped;
  }

  public long rejectedCount() {
    return rejected;
  }

  /** Pre-trade rejects of {@code reason} since start. */
  public long rejectedCount(RiskReason reason) {
    return rejectsByReason[reason.ordinal()];
  }

  public boolean knowsOrder(String clientOrderId) {
    return open.containsKey(clientOrderId);
  }

  public long positionSteps(int symbolId) {
    return symbols[symbolId].positionSteps;
  }

  /** Average entry price of the symbol's position (quote currency), 0 when flat. */
  public double entryPrice(int symbolId) {
    return symbols[symbolId].pnl.entryPrice();
  }

  public long buyOpenSteps(int symbolId) {
    return symbols[symbolId].buyOpenSteps;
  }

  public long sellOpenSteps(int symbolId) {
    return symbols[symbolId].sellOpenSteps;
  }

  public int openOrders(int symbolId) {
    return symbols[symbolId].openCount;
  }

  public long markTicks(int symbolId) {
    return symbols[symbolId].markTicks;
  }

  public Instrument instrument(int symbolId) {
    return symbolId >= 0 && symbolId < instruments.length ? instruments[symbolId] : null;
  }

  /** Ids of the symbols this engine knows. */
  public int[] symbolIds() {
    int n = 0;
    for (SymbolState s : symbols) {
      if (s != null) {
        n++;
      }
    }
    int[] ids = new int[n];
    int k = 0;
    for (int i = 0; i < symbols.length; i++) {
      if (symbols[i] != null) {
        ids[k++] = i;
      }
    }
    return ids;
  }

  /** Checks internal consistency (tests call it after every scenario). */
  public void validateInvariants() {
    for (SymbolState s : symbols) {
      if (s == null) {
        continue;
      }
      long buys = 0;
      long sells = 0;
      int count = 0;
      for (OpenOrder o : open.values()) {
        if (o.symbolId == s.instrument.id()) {
          count++;
          if (o.buy) {
            buys += o.leaves;
          } else {
            sells += o.leaves;
          }
        }
      }
      if (buys != s.buyOpenSteps || sells != s.sellOpenSteps || count != s.openCount) {
        throw new IllegalStateException(
            "open-order aggregates out of sync for " + s.instrument.symbol());
      }
    }
  }

  /** UTC date of the current daily-loss window, for reports. */
  public String tradingDay(long nowMillis) {
    return Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static final class OpenOrder {
    final String clientOrderId;
    final int symbolId;
    final boolean buy;
    final long priceTicks;
    long leaves;
    boolean inFlight = true;

    OpenOrder(String clientOrderId, int symbolId, boolean buy, long priceTicks, long leaves) {
      this.clientOrderId = clientOrderId;
      this.symbolId = symbolId;
      this.buy = buy;
      this.priceTicks = priceTicks;
      this.leaves = leaves;
    }
  }

  private final class SymbolState {
    final Instrument instrument;
    final PositionPnl pnl;
    long positionSteps;
    long markTicks;
    long markAtMillis;
    long buyOpenSteps;
    long sellOpenSteps;
    int openCount;

    SymbolState(Instrument instrument) {
      this.instrument = instrument;
      this.pnl = new PositionPnl(instrument);
    }

    long worstAbsSteps() {
      return Math.max(
          Math.abs(positionSteps + buyOpenSteps), Math.abs(positionSteps - sellOpenSteps));
    }

    void add(OpenOrder o) {
      openCount++;
      if (o.buy) {
        buyOpenSteps += o.leaves;
      } else {
        sellOpenSteps += o.leaves;
      }
    }

    void removeOpen(OpenOrder o) {
      openCount--;
      if (o.buy) {
        buyOpenSteps -= o.leaves;
      } else {
        sellOpenSteps -= o.leaves;
      }
    }

    void reduceOpen(OpenOrder o, long qty) {
      o.leaves -= qty;
      if (o.buy) {
        buyOpenSteps -= qty;
      } else {
        sellOpenSteps -= qty;
      }
    }

    long lowestAsk() {
      long best = 0;
      for (OpenOrder o : open.values()) {
        if (o.symbolId == instrument.id() && !o.buy && (best == 0 || o.priceTicks < best)) {
          best = o.priceTicks;
        }
      }
      return best;
    }

    long highestBid() {
      long best = 0;
      for (OpenOrder o : open.values()) {
        if (o.symbolId == instrument.id() && o.buy && o.priceTicks > best) {
          best = o.priceTicks;
        }
      }
      return best;
    }
  }
}
