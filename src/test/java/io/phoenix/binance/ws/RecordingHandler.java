package io.phoenix.binance.ws;

import java.util.ArrayList;
import java.util.List;

/** Test handler that keeps copies of what the decoder produced. */
final class RecordingHandler implements MarketFrameHandler {
  final List<String> events = new ArrayList<>();
  final List<DecodeError> errors = new ArrayList<>();
  final List<Integer> errorSymbols = new ArrayList<>();
  final List<SubscriptionReply> replies = new ArrayList<>();
  DepthUpdateFrame depth;
  BookTickerFrame ticker;
  AggTradeFrame trade;
  MarkPriceFrame mark;

  @Override
  public void onDepthUpdate(DepthUpdateFrame frame) {
    events.add("depth");
    depth = frame;
  }

  @Override
  public void onBookTicker(BookTickerFrame frame) {
    events.add("ticker");
    ticker = frame;
  }

  @Override
  public void onAggTrade(AggTradeFrame frame) {
    events.add("trade");
    trade = frame;
  }

  @Override
  public void onMarkPrice(MarkPriceFrame frame) {
    events.add("mark");
    mark = frame;
  }

  @Override
  public void onSubscriptionReply(SubscriptionReply reply) {
    events.add("reply");
    replies.add(reply);
  }

  @Override
  public void onDecodeError(DecodeError error, int symbolId) {
    errors.add(error);
    errorSymbols.add(symbolId);
  }
}
