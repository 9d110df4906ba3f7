package io.phoenix.binance.ws;

import io.phoenix.core.Scale;

/**
 * A {@code markPriceUpdate} event, reused by the decoder for every frame. Index, settle and average
 * prices are ticks when they sit on the tick grid and {@link Scale#INVALID} otherwise: Binance
 * computes them with more decimals than the tick, so an off-grid index is normal.
 */
public final class MarkPriceFrame extends MarketFrame {
  /** Funding rates travel with 8 decimals; they are held as counts of 1e-8. */
  public static final Scale FUNDING_RATE_SCALE = Scale.of("0.00000001");

  long markPrice;
  long averageMarkPrice;
  long indexPrice;
  long estimatedSettlePrice;
  long fundingRateE8;
  long nextFundingTime;

  /** {@code p} in ticks. */
  public long markPrice() {
    return markPrice;
  }

  /** {@code ap} in ticks, or {@link Scale#INVALID}. */
  public long averageMarkPrice() {
    return averageMarkPrice;
  }

  /** {@code i} in ticks, or {@link Scale#INVALID}. */
  public long indexPrice() {
    return indexPrice;
  }

  /** {@code P} in ticks, or {@link Scale#INVALID}. */
  public long estimatedSettlePrice() {
    return estimatedSettlePrice;
  }

  /** {@code r} in units of 1e-8. */
  public long fundingRateE8() {
    return fundingRateE8;
  }

  /** {@code r} as a rate (0.0001 = 1 bp); for strategy inputs and reports, not order arithmetic. */
  public double fundingRate() {
    return fundingRateE8 / 1e8;
  }

  /** {@code T}: next funding time, epoch ms. */
  public long nextFundingTime() {
    return nextFundingTime;
  }

  void reset() {
    resetCommon();
    markPrice = fundingRateE8 = nextFundingTime = 0;
    averageMarkPrice = indexPrice = estimatedSettlePrice = Scale.INVALID;
  }
}
