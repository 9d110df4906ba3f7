package io.phoenix.binance.ws;

import static io.phoenix.binance.ws.Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.core.Scale;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarketFrameDecoderTest {
  private final RecordingHandler handler = new RecordingHandler();
  private final MarketFrameDecoder decoder = new MarketFrameDecoder(Fixtures.REGISTRY, handler);

  @Test
  void decodesDiffDepthWithEveryField() {
    assertTrue(decoder.decode(resource("depthUpdate.json")));
    DepthUpdateFrame d = handler.depth;
    assertEquals("ETHUSDT", d.instrument().symbol());
    assertEquals(0, d.symbolId());
    assertEquals(1767225601310L, d.eventTime());
    assertEquals(1767225601302L, d.transactionTime());
    assertEquals(8471133402920L, d.firstUpdateId());
    assertEquals(8471133402987L, d.finalUpdateId());
    assertEquals(8471133402913L, d.previousFinalUpdateId());
    assertFalse(d.partial());
    assertEquals(2, d.bids().size());
    assertEquals(341012, d.bids().price(0));
    assertEquals(12884, d.bids().quantity(0));
    assertEquals(340990, d.bids().price(1));
    assertEquals(0, d.bids().quantity(1));
    assertEquals(1, d.asks().size());
    assertEquals(341013, d.asks().price(0));
    assertEquals(10002, d.asks().quantity(0));
  }

  @Test
  void decodesCombinedPartialDepthAndMarksItPartial() {
    assertTrue(decoder.decode(resource("combinedPartialDepth.json")));
    assertTrue(handler.depth.partial());
    assertEquals(2, handler.depth.bids().size());
    assertEquals(341011, handler.depth.bids().price(1));
  }

  @Test
  void combinedDiffStreamIsNotPartial() {
    String frame =
        "{\"stream\":\"ethusdt@depth@100ms\",\"data\":" + resource("depthUpdate.json").trim() + "}";
    assertTrue(decoder.decode(frame));
    assertFalse(handler.depth.partial());
  }

  @Test
  void streamNameStandsInForMissingSymbol() {
    String frame =
        "{\"stream\":\"ethusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":5,\"E\":1,\"T\":1,"
            + "\"b\":\"1.00\",\"B\":\"1\",\"a\":\"1.01\",\"A\":\"2\"}}";
    assertTrue(decoder.decode(frame));
    assertEquals(0, handler.ticker.symbolId());
  }

  @Test
  void decodesBookTickerWithEveryField() {
    assertTrue(decoder.decode(resource("bookTicker.json")));
    BookTickerFrame t = handler.ticker;
    assertEquals(0, t.symbolId());
    assertEquals(8471133402987L, t.updateId());
    assertEquals(1767225601311L, t.eventTime());
    assertEquals(1767225601302L, t.transactionTime());
    assertEquals(341012, t.bidPrice());
    assertEquals(12884, t.bidQuantity());
    assertEquals(341013, t.askPrice());
    assertEquals(10002, t.askQuantity());
  }

  @Test
  void decodesAggTradeWithEveryField() {
    assertTrue(decoder.decode(resource("aggTrade.json")));
    AggTradeFrame t = handler.trade;
    assertEquals(0, t.symbolId());
    assertEquals(1767225601420L, t.eventTime());
    assertEquals(2219845510L, t.aggregateId());
    assertEquals(341013, t.price());
    assertEquals(1250, t.quantity());
    assertEquals(1250, t.nonRpiQuantity());
    assertEquals(6120334401L, t.firstTradeId());
    assertEquals(6120334404L, t.lastTradeId());
    assertEquals(1767225601415L, t.tradeTime());
    assertFalse(t.buyerMaker());
  }

  @Test
  void decodesRawTradeAsAnAggregateOfOne() {
    // a line of hftbacktest's example recording (btcusdt@trade), symbol changed to one we know
    String frame =
        "{\"stream\":\"ethusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161256322,\"T\":1723161256321,"
            + "\"s\":\"ETHUSDT\",\"t\":5266583935,\"p\":\"3410.13\",\"q\":\"0.006\",\"X\":\"MARKET\",\"m\":false}}";
    assertTrue(decoder.decode(frame));
    AggTradeFrame t = handler.trade;
    assertTrue(t.single());
    assertTrue(t.marketTrade());
    assertEquals(5266583935L, t.aggregateId());
    assertEquals(5266583935L, t.firstTradeId());
    assertEquals(5266583935L, t.lastTradeId());
    assertEquals(341013, t.price());
    assertEquals(6, t.quantity());
    assertEquals(6, t.nonRpiQuantity());
    assertEquals(1723161256321L, t.tradeTime());
    assertFalse(t.buyerMaker());

    assertTrue(decoder.decode(frame.replace("MARKET", "INSURANCE_FUND")));
    assertFalse(handler.trade.marketTrade(), "an insurance-fund trade did not match on the book");
    assertTrue(decoder.decode(resource("aggTrade.json")));
    assertFalse(handler.trade.single(), "the holder is reset between frames");
    assertTrue(handler.trade.marketTrade());
    assertFalse(
        decoder.decode(frame.replace("\"t\":5266583935,", "")),
        "a trade without its id is dropped");
  }

  @Test
  void decodesMarkPriceWithEveryField() {
    assertTrue(decoder.decode(resource("markPriceUpdate.json")));
    MarkPriceFrame m = handler.mark;
    assertEquals(0, m.symbolId());
    assertEquals(1767225603000L, m.eventTime());
    assertEquals(341061, m.markPrice());
    assertEquals(341058, m.averageMarkPrice());
    assertEquals(340997, m.indexPrice());
    assertEquals(341120, m.estimatedSettlePrice());
    assertEquals(10000, m.fundingRateE8());
    assertEquals(0.0001, m.fundingRate(), 1e-12);
    assertEquals(1767254400000L, m.nextFundingTime());
  }

  @Test
  void offGridIndexPriceIsNormalAndReportedInvalid() {
    String frame =
        resource("markPriceUpdate.json").replace("\"i\":\"3409.97\"", "\"i\":\"3409.97123456\"");
    assertTrue(decoder.decode(frame));
    assertEquals(Scale.INVALID, handler.mark.indexPrice());
    assertEquals(341061, handler.mark.markPrice());
  }

  @Test
  void decodesSubscriptionReplies() {
    assertTrue(decoder.decode(resource("subscribeReply.json")));
    assertTrue(decoder.decode(resource("listSubscriptionsReply.json")));
    assertTrue(decoder.decode(resource("errorReply.json")));
    assertEquals(new SubscriptionReply("41", List.of(), -1, null), handler.replies.get(0));
    assertEquals(
        new SubscriptionReply("43", List.of("ethusdt@depth@100ms"), -1, null),
        handler.replies.get(1));
    SubscriptionReply error = handler.replies.get(2);
    assertTrue(error.isError());
    assertEquals(2, error.errorCode());
    assertEquals("7f3c", error.id());
  }

  @Test
  void decodesRestDepthSnapshot() {
    DepthSnapshotReader snapshot = new DepthSnapshotReader();
    assertEquals(
        null, snapshot.decode(resource("depthSnapshot.json").getBytes(), Fixtures.ETHUSDT));
    assertEquals(8471133402913L, snapshot.lastUpdateId());
    assertEquals(1767225601204L, snapshot.eventTime());
    assertEquals(1767225601197L, snapshot.transactionTime());
    assertEquals(2, snapshot.bids().size());
    assertEquals(341012, snapshot.bids().price(0));
    assertEquals(14201, snapshot.bids().quantity(0));
    assertEquals(341014, snapshot.asks().price(1));
    assertEquals(412, snapshot.asks().quantity(1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"lastUpdateId\":1,\"bids\":[[\"1.001\",\"1\"]],\"asks\":[]}|OFF_GRID",
        "{\"lastUpdateId\":1,\"bids\":[],\"asks\":[]|MALFORMED_JSON",
        "{\"bids\":[],\"asks\":[]}|MISSING_FIELD",
        "{\"lastUpdateId\":\"1\",\"bids\":[],\"asks\":[]}|WRONG_TYPE"
      })
  void rejectsBadSnapshots(String body, DecodeError expected) {
    assertEquals(expected, new DepthSnapshotReader().decode(body.getBytes(), Fixtures.ETHUSDT));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // truncated
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"1.00\"|MALFORMED_JSON",
        "not json|MALFORMED_JSON",
        "[1,2]|WRONG_TYPE",
        "{}|UNKNOWN_EVENT",
        "{} {}|MALFORMED_JSON",
        // wrong types
        "{\"e\":\"depthUpdate\",\"E\":\"1\",\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[],\"a\":[]}|WRONG_TYPE",
        "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"ETHUSDT\",\"a\":1,\"p\":3410.13,\"q\":\"1\",\"T\":1,\"m\":false}|WRONG_TYPE",
        "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"ETHUSDT\",\"a\":1,\"p\":\"3410.13\",\"q\":\"1\",\"T\":1,\"m\":\"no\"}|WRONG_TYPE",
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"ETHUSDT\",\"b\":[\"1.00\"],\"B\":\"1\",\"a\":\"1.01\",\"A\":\"1\"}|WRONG_TYPE",
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"1.00\",\"1\",\"2\"]],\"a\":[]}|WRONG_TYPE",
        // missing fields
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"b\":[],\"a\":[]}|MISSING_FIELD",
        "{\"e\":\"markPriceUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"p\":\"1.00\",\"T\":1}|MISSING_FIELD",
        "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"ETHUSDT\",\"a\":1,\"q\":\"1\",\"T\":1,\"m\":true}|MISSING_FIELD",
        "{\"e\":\"bookTicker\",\"u\":1,\"b\":\"1.00\",\"B\":\"1\",\"a\":\"1.01\",\"A\":\"1\"}|UNKNOWN_SYMBOL",
        // huge numbers
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":99999999999999999999999,\"u\":2,\"pu\":0,\"b\":[],\"a\":[]}|NUMBER_OUT_OF_RANGE",
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"99999999999999999999.00\",\"1\"]],\"a\":[]}|OFF_GRID",
        // off grid, negative, unparsable
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"3410.125\",\"1\"]],\"a\":[]}|OFF_GRID",
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"3410.12\",\"0.0001\"]],\"a\":[]}|OFF_GRID",
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"ETHUSDT\",\"b\":\"-1.00\",\"B\":\"1\",\"a\":\"1.01\",\"A\":\"1\"}|OFF_GRID",
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"ETHUSDT\",\"b\":\"abc\",\"B\":\"1\",\"a\":\"1.01\",\"A\":\"1\"}|OFF_GRID",
        "{\"e\":\"markPriceUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"p\":\"1.00\",\"r\":\"0.000000001\",\"T\":1}|OFF_GRID",
        // unknown symbol / event, fields before "e"
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"DOGEUSDT\",\"b\":\"1.00\",\"B\":\"1\",\"a\":\"1.01\",\"A\":\"1\"}|UNKNOWN_SYMBOL",
        "{\"e\":\"kline\",\"E\":1,\"s\":\"ETHUSDT\",\"k\":{\"t\":1}}|UNKNOWN_EVENT",
        "{\"E\":1,\"e\":\"depthUpdate\"}|UNKNOWN_EVENT"
      })
  void malformedFramesAreCountedAndDropped(String frame, DecodeError expected) {
    assertFalse(decoder.decode(frame));
    assertEquals(List.of(expected), handler.errors);
    assertTrue(handler.events.isEmpty());
  }

  @Test
  void decodeErrorNamesTheSymbolWhenKnown() {
    decoder.decode(
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1.05\",\"B\":\"1\",\"a\":\"1.10\",\"A\":\"1\"}");
    assertEquals(List.of(DecodeError.OFF_GRID), handler.errors);
    assertEquals(List.of(1), handler.errorSymbols);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"pu\":0,\"b\":[[\"1.00\"",
        "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"ETHUSDT\",\"a\":1,\"p\":3410.13",
        "}}}}",
        "{\"e\":\"bookTicker\",\"u\":1,\"s\":\"ETHUSDT\",\"b\":\"1.05\"}"
      })
  void decoderRecoversAfterABadFrame(String bad) {
    assertFalse(decoder.decode(bad));
    assertTrue(decoder.decode(resource("depthUpdate.json")));
    assertTrue(decoder.decode(resource("bookTicker.json")));
    assertEquals(List.of("depth", "ticker"), handler.events);
  }

  @Test
  void decodesManyFramesInARowOnOneParser() {
    for (int i = 0; i < 1000; i++) {
      assertTrue(decoder.decode(resource("depthUpdate.json")));
      assertTrue(decoder.decode(resource("aggTrade.json")));
    }
    assertEquals(2000, handler.events.size());
    assertTrue(handler.errors.isEmpty());
  }

  @Test
  void decodesNonAsciiSymbols() {
    var registry =
        InstrumentRegistry.of(List.of(Fixtures.instrument(3, "币安人生USDT", "0.0001", "1")));
    var local = new RecordingHandler();
    var d = new MarketFrameDecoder(registry, local);
    assertTrue(
        d.decode(
            "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"币安人生USDT\",\"a\":1,\"p\":\"0.1234\",\"q\":\"7\",\"T\":1,\"m\":true}"));
    assertEquals(3, local.trade.symbolId());
    assertEquals(1234, local.trade.price());
  }
}
