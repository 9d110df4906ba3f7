package io.phoenix.exchangemodel;

/**
 * The venue's rules for the model.
 *
 * @param queue how the queue ahead of a resting order shrinks
 * @param queuePower exponent of {@link QueueModel#PROBABILISTIC}'s weighting (1 = proportional;
 *     higher puts cancellations more firmly on the larger side of our order)
 * @param makerFeeRate fee per unit of notional for a resting (maker) fill; negative = rebate
 * @param takerFeeRate fee per unit of notional for a taking fill
 * @param ordersPer10s Binance's ORDERS limit per 10 s (300); new orders and amends count
 * @param ordersPerMinute the same per minute (1200)
 */
public record ExchangeModelSettings(
    QueueModel queue,
    double queuePower,
    double makerFeeRate,
    double takerFeeRate,
    int ordersPer10s,
    int ordersPerMinute) {

  public ExchangeModelSettings {
    if (queue == null) {
      throw new IllegalArgumentException("queue model missing");
    }
    if (!(queuePower > 0)) {
      throw new IllegalArgumentException("queue power must be positive, was " + queuePower);
    }
    if (ordersPer10s < 1 || ordersPerMinute < 1) {
      throw new IllegalArgumentException("order limits must be positive");
    }
  }

  /** Binance USD-M VIP 0: maker 0.02 %, taker 0.05 %, 300 orders / 10 s, 1200 / min. */
  public static ExchangeModelSettings binanceDefaults(QueueModel queue) {
    return new ExchangeModelSettings(queue, 3.0, 0.0002, 0.0005, 300, 1200);
  }
}
