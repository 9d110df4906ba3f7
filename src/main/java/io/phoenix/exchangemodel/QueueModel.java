package io.phoenix.exchangemodel;

/**
 * How the quantity ahead of our resting order shrinks. With market-by-price data we see only a
 * level's total, never where inside it a cancellation happened.
 */
public enum QueueModel {
  /**
   * Only trades at our price move us forward; cancellations never do (the queue ahead is only
   * capped at what the level still displays, since it cannot be larger).
   */
  CONSERVATIVE,
  /**
   * Trades move us forward; a decrease of the level not explained by trades is a cancellation that
   * happened ahead of us with probability {@code f(ahead) / (f(ahead) + f(behind))}, {@code f(x) =
   * x^power}: the larger share of the level is the likelier place for it (after the queue models of
   * hftbacktest and of the estimate discussed by Rigtorp).
   */
  PROBABILISTIC
}
