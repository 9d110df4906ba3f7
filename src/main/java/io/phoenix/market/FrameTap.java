package io.phoenix.market;

/**
 * Sees every text frame a {@link MarketFeed} receives, as received, on the feed's thread before it
 * is decoded (the recorder). It must not block and must not keep the feed waiting.
 */
@FunctionalInterface
public interface FrameTap {
  FrameTap NONE = (receiveNanos, text) -> {};

  /**
   * @param receiveNanos {@link System#nanoTime()} when the frame arrived
   */
  void frame(long receiveNanos, String text);
}
