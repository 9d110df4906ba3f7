package io.phoenix.risk;

import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;

/**
 * The checks every new order passes before it may be sent, in order: kill switch, exchange filters,
 * staleness, price band and percent-price around the mark, self-cross against our own resting
 * orders, open-order counts, the order-rate token bucket, then quantity clamps (max order quantity
 * and notional, max position per symbol and max gross exposure). Position limits count every
 * working <em>and</em> in-flight order of the same side as if filled, so a burst of intents cannot
 * overshoot while acks are pending. An approved order joins the {@link OpenOrders}.
 */
final class PreTradeChecks {
  private final RiskSettings settings;
  private final SymbolExposure[] symbols;
  private final OpenOrders open;
  private final KillSwitch killSwitch;
  private final long staleAfterMillis;

  private double tokens;
  private long tokensAtMillis = Long.MIN_VALUE;

  private long approved;
  private long clamped;
  private long rejected;
  private final long[] rejectsByReason = new long[RiskReason.values().length];

  PreTradeChecks(
      RiskSettings settings, SymbolExposure[] symbols, OpenOrders open, KillSwitch killSwitch) {
    this.settings = settings;
    this.symbols = symbols;
    this.open = open;
    this.killSwitch = killSwitch;
    this.staleAfterMillis = settings.staleDataAfter().toMillis();
    this.tokens = settings.orderBurst();
  }

  PreTradeResult checkNew(
      String clientOrderId,
      int symbolId,
      boolean buy,
      long priceTicks,
      long qtySteps,
      boolean reduceOnly,
      long nowMillis,
      PreTradeResult out) {
    if (killSwitch.tripped()) {
      return rejected(out, RiskReason.KILL_SWITCH);
    }
    if (symbolId < 0 || symbolId >= symbols.length || symbols[symbolId] == null) {
      return rejected(out, RiskReason.UNKNOWN_SYMBOL);
    }
    if (open.contains(clientOrderId)) {
      return rejected(out, RiskReason.DUPLICATE_CLIENT_ORDER_ID);
    }
    SymbolExposure s = symbols[symbolId];
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
    long ownAsk = open.lowestAsk(symbolId);
    long ownBid = open.highestBid(symbolId);
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
    open.add(new OpenOrders.OpenOrder(clientOrderId, symbolId, buy, priceTicks, qty));
    if (clamp == RiskReason.NONE) {
      approved++;
    } else {
      clamped++;
    }
    return out.pass(qty, clamp);
  }

  /** A modify checked as a replace; on reject the order keeps its old terms. */
  PreTradeResult checkAmend(
      String clientOrderId, long priceTicks, long qtySteps, long nowMillis, PreTradeResult out) {
    OpenOrders.OpenOrder old = open.get(clientOrderId);
    if (old == null) {
      return rejected(out, RiskReason.UNKNOWN_ORDER);
    }
    open.remove(clientOrderId);
    checkNew(clientOrderId, old.symbolId, old.buy, priceTicks, qtySteps, false, nowMillis, out);
    if (out.approved()) {
      open.get(clientOrderId).inFlight = old.inFlight;
    } else {
      open.add(old);
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
      SymbolExposure s = symbols[i];
      if (s == null || i == excluded || s.markTicks <= 0) {
        continue;
      }
      gross += s.instrument.notional(s.markTicks, s.worstAbsSteps());
    }
    return gross;
  }

  long approvedCount() {
    return approved;
  }

  long clampedCount() {
    return clamped;
  }

  long rejectedCount() {
    return rejected;
  }

  long rejectedCount(RiskReason reason) {
    return rejectsByReason[reason.ordinal()];
  }

  void validateInvariants() {
    long sum = 0;
    for (long n : rejectsByReason) {
      sum += n;
    }
    if (sum != rejected) {
      throw new IllegalStateException("rejects by reason " + sum + " != rejects " + rejected);
    }
    if (tokens < 0 || tokens > settings.orderBurst()) {
      throw new IllegalStateException("order-rate tokens " + tokens + " outside the burst");
    }
  }
}
