package io.phoenix.core;

/**
 * A tradable symbol as the bot and the simulator see it: an interned id, and the exchangeInfo
 * filters expressed in the instrument's own units (prices in ticks, quantities in steps).
 *
 * @param id small dense int used to index per-symbol arrays on the hot path
 * @param symbol exchange symbol, upper case (e.g. {@code BTCUSDT})
 * @param price tick scale: counts are multiples of {@code PRICE_FILTER.tickSize}
 * @param quantity step scale: counts are multiples of {@code LOT_SIZE.stepSize}
 * @param minPriceTicks {@code PRICE_FILTER.minPrice} in ticks
 * @param maxPriceTicks {@code PRICE_FILTER.maxPrice} in ticks
 * @param minQtySteps {@code LOT_SIZE.minQty} in steps
 * @param maxQtySteps {@code LOT_SIZE.maxQty} in steps
 * @param minNotional {@code MIN_NOTIONAL.notional} in quote currency
 * @param maxOpenOrders {@code MAX_NUM_ORDERS.limit}
 * @param percentUp {@code PERCENT_PRICE.multiplierUp}
 * @param percentDown {@code PERCENT_PRICE.multiplierDown}
 */
public record Instrument(
    int id,
    String symbol,
    Scale price,
    Scale quantity,
    long minPriceTicks,
    long maxPriceTicks,
    long minQtySteps,
    long maxQtySteps,
    double minNotional,
    int maxOpenOrders,
    double percentUp,
    double percentDown) {

  /** Lower-case symbol as used in stream names. */
  public String streamSymbol() {
    return symbol.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Notional of {@code qtySteps} at {@code priceTicks}, in quote currency; reports and checks only.
   */
  public double notional(long priceTicks, long qtySteps) {
    return price.toDouble(priceTicks) * quantity.toDouble(qtySteps);
  }
}
