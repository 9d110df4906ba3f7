package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Portfolio-wide risk limits ({@code phoenix.risk.*}), validated at start-up. Money amounts are in
 * the quote currency (USDT). Position and order limits in notional apply to every symbol; the
 * exchange's own filters (tick, step, min notional, max quantity, percent price) always apply too.
 *
 * @param maxOrderNotional largest notional of one order
 * @param maxOrderQtyFraction largest order quantity as a fraction of the exchange's LOT_SIZE maxQty
 * @param maxPositionNotional largest position per symbol counting working and in-flight orders
 * @param maxGrossNotional largest sum over symbols of worst-case absolute exposure
 * @param maxOpenOrders largest number of working plus in-flight orders over all symbols
 * @param maxOpenOrdersPerSymbol largest number of working plus in-flight orders per symbol
 * @param ordersPerSecond sustained rate of new orders (cancels are never throttled by risk)
 * @param orderBurst token-bucket depth for new orders
 * @param priceBandBps largest distance of an order price from the mark price
 * @param dailyLossLimit hard: realised + unrealised - fees + funding below minus this trips
 * @param maxDrawdown hard: fall of the same PnL from its peak that trips
 * @param maxConsecutiveRejects hard: exchange rejects in a row (post-only -5022 excluded) that trip
 * @param staleDataAfter a symbol without a mark price for this long rejects new orders
 * @param rejectsCooldown a kill switch tripped by consecutive rejects clears itself after this long
 *     (zero: it waits for the operator)
 */
public record RiskSettings(
    double maxOrderNotional,
    double maxOrderQtyFraction,
    double maxPositionNotional,
    double maxGrossNotional,
    int maxOpenOrders,
    int maxOpenOrdersPerSymbol,
    double ordersPerSecond,
    int orderBurst,
    double priceBandBps,
    double dailyLossLimit,
    double maxDrawdown,
    int maxConsecutiveRejects,
    Duration staleDataAfter,
    Duration rejectsCooldown) {

  public static RiskSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.risk");
    RiskSettings s =
        new RiskSettings(
            r.doubleInRange("max-order-notional", 1e-9, 1e12),
            r.doubleInRange("max-order-qty-fraction", 1e-9, 1),
            r.doubleInRange("max-position-notional", 1e-9, 1e12),
            r.doubleInRange("max-gross-notional", 1e-9, 1e13),
            r.intInRange("max-open-orders", 1, 100_000),
            r.intInRange("max-open-orders-per-symbol", 1, 10_000),
            r.doubleInRange("orders-per-second", 1e-3, 1e5),
            r.intInRange("order-burst", 1, 100_000),
            r.doubleInRange("price-band-bps", 1, 10_000),
            r.doubleInRange("daily-loss-limit", 1e-9, 1e12),
            r.doubleInRange("max-drawdown", 1e-9, 1e12),
            r.intInRange("max-consecutive-rejects", 1, 1_000_000),
            r.positiveDuration("stale-data-after"),
            r.duration("consecutive-rejects-cooldown"));
    if (s.rejectsCooldown.isNegative()) {
      throw new SettingsException(
          r.key("consecutive-rejects-cooldown"), "must not be negative, was " + s.rejectsCooldown);
    }
    if (s.maxOrderNotional > s.maxPositionNotional) {
      throw new SettingsException(
          r.key("max-order-notional"), "must not exceed phoenix.risk.max-position-notional");
    }
    if (s.maxPositionNotional > s.maxGrossNotional) {
      throw new SettingsException(
          r.key("max-position-notional"), "must not exceed phoenix.risk.max-gross-notional");
    }
    return s;
  }
}
