package io.phoenix.binance.ws;

/**
 * Receives what {@link MarketFrameDecoder} decoded, synchronously on the decoding thread. Frame
 * holders are reused: read or copy them inside the call.
 */
public interface MarketFrameHandler {
  void onDepthUpdate(DepthUpdateFrame frame);

  void onBookTicker(BookTickerFrame frame);

  void onAggTrade(AggTradeFrame frame);

  void onMarkPrice(MarkPriceFrame frame);

  void onSubscriptionReply(SubscriptionReply reply);

  /** One frame was dropped; {@code symbolId} is the frame's symbol when it was known, else -1. */
  void onDecodeError(DecodeError error, int symbolId);
}
