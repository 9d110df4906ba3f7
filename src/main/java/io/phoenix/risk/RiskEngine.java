package io.phoenix.risk;

import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Portfolio-wide risk state and checks, with no Akka: the {@code Risk} actor owns one instance.
 * This is the one entry point; the work is done by its parts, which share the per-symbol {@link
 * SymbolExposure}s:
 *
 * <ul>
 *   <li>{@link PreTradeChecks} ({@link #checkNew}, {@link #checkAmend}): every new order passes
 *       them; an approved order is counted in the {@link OpenOrders} (in flight, then working)
 *       until the exchange reports it done. Cancels are never blocked.
 *   <li>{@link PortfolioChecks} ({@link #checkPortfolio}): PnL and the hard limits on it; a breach
 *       trips the {@link KillSwitch}, which stays tripped until {@link #reset}.
 *   <li>{@link RiskLedger} ({@link #ledger}, {@link #restore}): what a restarted actor continues.
 * </ul>
 *
 * <p>Time is injected (epoch milliseconds) so tests are deterministic.
 */
public final class RiskEngine {
  /**
   * Share by which a mark move may lift an actual position above its limit before it is a breach.
   */
  public static final double DRIFT_ALLOWANCE = PortfolioChecks.DRIFT_ALLOWANCE;

  private final RiskSettings settings;
  private final Instrument[] instruments;
  private final SymbolExposure[] symbols;
  private final OpenOrders open;
  private final KillSwitch killSwitch = new KillSwitch();
  private final PreTradeChecks preTrade;
  private final PortfolioChecks portfolio;

  public RiskEngine(RiskSettings settings, List<Instrument> instrumentList) {
    this.settings = settings;
    int max = 0;
    for (Instrument i : instrumentList) {
      max = Math.max(max, i.id() + 1);
    }
    this.instruments = new Instrument[max];
    this.symbols = new SymbolExposure[max];
    for (Instrument i : instrumentList) {
      instruments[i.id()] = i;
      symbols[i.id()] = new SymbolExposure(i);
    }
    this.open = new OpenOrders(symbols);
    this.preTrade = new PreTradeChecks(settings, symbols, open, killSwitch);
    this.portfolio = new PortfolioChecks(settings, symbols, killSwitch);
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
    return preTrade.checkNew(
        clientOrderId, symbolId, buy, priceTicks, qtySteps, reduceOnly, nowMillis, out);
  }

  /**
   * Checks a modify of a working order to a new price and quantity, as if the order were replaced;
   * on reject the order keeps its old terms.
   */
  public PreTradeResult checkAmend(
      String clientOrderId, long priceTicks, long qtySteps, long nowMillis, PreTradeResult out) {
    return preTrade.checkAmend(clientOrderId, priceTicks, qtySteps, nowMillis, out);
  }

  // ---------------------------------------------------------------- order lifecycle

  /** The exchange acknowledged the order: it moves from in-flight to working. */
  public void onAccepted(String clientOrderId) {
    OpenOrders.OpenOrder o = open.get(clientOrderId);
    if (o != null) {
      o.inFlight = false;
    }
    portfolio.onAccepted();
  }

  /**
   * The order was rejected definitively; only the exchange's refusals of our orders count toward
   * the consecutive-reject limit (see {@link PortfolioChecks#onRejected}).
   */
  public void onRejected(String clientOrderId, int errorCode) {
    open.remove(clientOrderId);
    portfolio.onRejected(errorCode);
  }

  /** The order is final (filled, canceled, expired) or never existed: it stops counting. */
  public void onDone(String clientOrderId) {
    open.remove(clientOrderId);
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
    if (!known(symbolId) || qtySteps <= 0) {
      return;
    }
    SymbolExposure s = symbols[symbolId];
    OpenOrders.OpenOrder o = open.get(clientOrderId);
    if (o != null) {
      open.fill(o, qtySteps);
    }
    double realisedPnl = s.pnl.onFill(buy, qtySteps, priceTicks, 0);
    s.positionSteps = s.pnl.positionSteps();
    portfolio.onFill(realisedPnl, commission);
  }

  /** Reconciliation: the exchange's position replaces ours. */
  public void onPosition(int symbolId, long positionSteps, double entryPrice) {
    if (known(symbolId)) {
      SymbolExposure s = symbols[symbolId];
      s.pnl.restate(positionSteps, entryPrice);
      s.positionSteps = positionSteps;
    }
  }

  public void onMark(int symbolId, long markTicks, long nowMillis) {
    if (known(symbolId) && markTicks > 0) {
      symbols[symbolId].markTicks = markTicks;
      symbols[symbolId].markAtMillis = nowMillis;
    }
  }

  /** A funding payment (negative when paid). */
  public void onFunding(double amount) {
    portfolio.onFunding(amount);
  }

  private boolean known(int symbolId) {
    return symbolId >= 0 && symbolId < symbols.length && symbols[symbolId] != null;
  }

  // ---------------------------------------------------------------- portfolio

  /**
   * Evaluates the hard limits; trips the kill switch on the first breach found and returns its
   * reason ({@link RiskReason#NONE} when all is well or already tripped).
   */
  public RiskReason checkPortfolio(long nowMillis) {
    return portfolio.check(nowMillis);
  }

  /** Trips the kill switch (idempotent); returns the reason. */
  public RiskReason trip(RiskReason reason, String detail, long nowMillis) {
    return killSwitch.trip(reason, detail, nowMillis);
  }

  /**
   * Whether the kill switch was tripped by consecutive rejects at least {@code
   * phoenix.risk.consecutive-rejects-cooldown} ago (never when that is zero).
   */
  public boolean rejectsTripCooledDown(long nowMillis) {
    return portfolio.rejectsTripCooledDown(nowMillis);
  }

  /** Clears a consecutive-rejects trip and its streak; the drawdown peak is left as it was. */
  public void clearRejectsTrip() {
    portfolio.clearRejectsTrip();
  }

  /**
   * Operator reset: clears the kill switch, the reject streak and re-bases the drawdown peak. The
   * daily-loss baseline is kept: a day that breached stays breached until the UTC day rolls.
   */
  public void reset() {
    portfolio.reset();
  }

  public double pnl() {
    return portfolio.pnl();
  }

  public double unrealised() {
    return portfolio.unrealised();
  }

  public RiskLedger ledger() {
    return portfolio.ledger();
  }

  /** Continues a ledger taken from an earlier engine of the same instruments. */
  public void restore(RiskLedger ledger) {
    portfolio.restore(ledger);
  }

  // ---------------------------------------------------------------- queries

  public boolean tripped() {
    return killSwitch.tripped();
  }

  public RiskReason tripReason() {
    return killSwitch.reason();
  }

  public String tripDetail() {
    return killSwitch.detail();
  }

  public RiskSettings settings() {
    return settings;
  }

  public long trippedAtMillis() {
    return killSwitch.trippedAtMillis();
  }

  public double realised() {
    return portfolio.realised();
  }

  public double fees() {
    return portfolio.fees();
  }

  public double funding() {
    return portfolio.funding();
  }

  public double peakPnl() {
    return portfolio.peakPnl();
  }

  public int consecutiveRejects() {
    return portfolio.consecutiveRejects();
  }

  public int openOrders() {
    return open.size();
  }

  public int inFlightOrders() {
    return open.inFlight();
  }

  public long approvedCount() {
    return preTrade.approvedCount();
  }

  public long clampedCount() {
    return preTrade.clampedCount();
  }

  public long rejectedCount() {
    return preTrade.rejectedCount();
  }

  /** Pre-trade rejects of {@code reason} since start. */
  public long rejectedCount(RiskReason reason) {
    return preTrade.rejectedCount(reason);
  }

  /** Pre-trade rejects since start by reason, the reasons seen only. */
  public Map<RiskReason, Long> rejectsByReason() {
    Map<RiskReason, Long> counts = new EnumMap<>(RiskReason.class);
    for (RiskReason r : RiskReason.values()) {
      long n = preTrade.rejectedCount(r);
      if (n > 0) {
        counts.put(r, n);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  public boolean knowsOrder(String clientOrderId) {
    return open.contains(clientOrderId);
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
    for (SymbolExposure s : symbols) {
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
    open.validateInvariants();
    preTrade.validateInvariants();
    killSwitch.validateInvariants();
  }

  /** UTC date of the current daily-loss window, for reports. */
  public String tradingDay(long nowMillis) {
    return Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }
}
