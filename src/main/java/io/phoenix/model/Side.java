package io.phoenix.model;

/** Order side, shared by intents, exchange reports and fills. */
public enum Side {
  BUY,
  SELL;

  /** +1 for a buy, -1 for a sell: the sign a fill of this side gives to a position. */
  public int sign() {
    return this == BUY ? 1 : -1;
  }
}
