package io.phoenix.binance.ws;

/**
 * A {@code depthUpdate} event (diff or partial depth), reused by the decoder for every frame: read
 * it inside the handler callback and copy what must outlive it.
 */
public final class DepthUpdateFrame extends MarketFrame {
  long transactionTime;
  long firstUpdateId;
  long finalUpdateId;
  long previousFinalUpdateId;
  boolean partial;
  final LevelArray bids = new LevelArray(64);
  final LevelArray asks = new LevelArray(64);

  /** {@code T}: matching-engine transaction time, epoch ms (0 when absent). */
  public long transactionTime() {
    return transactionTime;
  }

  /** {@code U}. */
  public long firstUpdateId() {
    return firstUpdateId;
  }

  /** {@code u}. */
  public long finalUpdateId() {
    return finalUpdateId;
  }

  /** {@code pu}. */
  public long previousFinalUpdateId() {
    return previousFinalUpdateId;
  }

  /** True when the stream name says this is a top-N partial book rather than a diff. */
  public boolean partial() {
    return partial;
  }

  /** {@code b}: price ticks and absolute quantity steps (0 = remove). */
  public LevelArray bids() {
    return bids;
  }

  /** {@code a}: price ticks and absolute quantity steps (0 = remove). */
  public LevelArray asks() {
    return asks;
  }

  void reset() {
    resetCommon();
    transactionTime = 0;
    firstUpdateId = 0;
    finalUpdateId = 0;
    previousFinalUpdateId = 0;
    partial = false;
    bids.clear();
    asks.clear();
  }
}
