package io.phoenix.binance.ws;

import static io.phoenix.account.AccountFixtures.ETH;
import static io.phoenix.account.AccountFixtures.LOOKUP;
import static io.phoenix.account.AccountFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.binance.ws.UserDataParser.Outcome;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.ExecutionType;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserDataParserTest {
  private final UserDataParser parser = new UserDataParser(LOOKUP);
  private final List<AccountEvent> out = new ArrayList<>();

  @Test
  void parsesEveryFieldOfAFill() {
    assertEquals(Outcome.EVENTS, parser.parse(payload("order_trade_update_fill.json"), out));
    assertEquals(1, out.size());
    OrderUpdate u = (OrderUpdate) out.get(0);
    assertEquals(ETH.id(), u.symbolId());
    assertEquals("mm-eth-a-000187", u.clientOrderId());
    assertEquals(8389765519844021L, u.orderId());
    assertEquals(Side.SELL, u.side());
    assertEquals(ExecutionType.TRADE, u.executionType());
    assertEquals(OrderState.PARTIALLY_FILLED, u.status());
    assertEquals(341257, u.priceTicks());
    assertEquals(250, u.origQtySteps());
    assertEquals(100, u.cumQtySteps());
    assertEquals(100, u.lastFillQtySteps());
    assertEquals(341257, u.lastFillPriceTicks());
    assertEquals(2219845622L, u.tradeId());
    assertEquals(0.06825140, u.commission(), 1e-12);
    assertEquals("USDT", u.commissionAsset());
    assertEquals(0.0, u.realizedPnl());
    assertTrue(u.maker());
    assertFalse(u.reduceOnly());
    assertEquals(1767225605018L, u.eventTime());
    assertEquals(1767225605011L, u.transactionTime());
    assertEquals("LIMIT", u.orderType());
    assertEquals("GTX", u.timeInForce());
    assertEquals(3412.57, u.averagePrice(), 1e-9);
    assertEquals(PositionSide.BOTH, u.positionSide());
    assertEquals(0, u.expiryReason());
    assertTrue(u.isFill());
    assertEquals(-100, u.signedFillSteps());
  }

  @Test
  void newOrderWithoutCommissionFieldsHasZeroFill() {
    assertEquals(Outcome.EVENTS, parser.parse(payload("order_trade_update_new.json"), out));
    OrderUpdate u = (OrderUpdate) out.get(0);
    assertEquals(ExecutionType.NEW, u.executionType());
    assertEquals(OrderState.NEW, u.status());
    assertEquals(0, u.tradeId());
    assertEquals(0, u.lastFillQtySteps());
    assertEquals("", u.commissionAsset());
    assertEquals(0.0, u.commission());
    assertFalse(u.isFill());
  }

  @Test
  void selfTradePreventionExpiryCarriesReason() {
    assertEquals(Outcome.EVENTS, parser.parse(payload("order_trade_update_expired_stp.json"), out));
    OrderUpdate u = (OrderUpdate) out.get(0);
    assertEquals(ExecutionType.EXPIRED, u.executionType());
    assertEquals(OrderState.EXPIRED_IN_MATCH, u.status());
    assertEquals(1, u.expiryReason());
    assertTrue(u.reduceOnly());
    assertEquals(Side.BUY, u.side());
    assertEquals(341000, u.priceTicks());
  }

  @Test
  void accountUpdateYieldsBalanceAndPosition() {
    assertEquals(Outcome.EVENTS, parser.parse(payload("account_update_order.json"), out));
    assertEquals(2, out.size());
    BalanceUpdate b = (BalanceUpdate) out.get(0);
    assertEquals("USDT", b.asset());
    assertEquals(25031.48211870, b.wallet(), 1e-9);
    assertEquals(25031.48211870, b.crossWallet(), 1e-9);
    assertEquals("ORDER", b.reason());
    PositionUpdate p = (PositionUpdate) out.get(1);
    assertEquals(ETH.id(), p.symbolId());
    assertEquals(-100, p.amountSteps());
    assertEquals(3412.57, p.entryPrice(), 1e-9);
    assertEquals(-0.004, p.unrealizedPnl(), 1e-12);
    assertEquals(1767225605011L, p.eventTime());
  }

  @Test
  void fundingFeeUpdateHasBalanceOnly() {
    assertEquals(Outcome.EVENTS, parser.parse(payload("account_update_funding.json"), out));
    assertEquals(1, out.size());
    BalanceUpdate b = (BalanceUpdate) out.get(0);
    assertEquals("FUNDING_FEE", b.reason());
    assertEquals(1767254400000L, b.eventTime());
  }

  @Test
  void reasonAfterBalancesIsStillApplied() {
    String frame =
        "{\"e\":\"ACCOUNT_UPDATE\",\"E\":2,\"T\":1,\"a\":{\"B\":[{\"a\":\"USDT\",\"wb\":\"10\",\"cw\":\"10\",\"bc\":\"-0.5\"}],\"m\":\"FUNDING_FEE\"}}";
    assertEquals(Outcome.EVENTS, parser.parse(frame, out));
    BalanceUpdate b = (BalanceUpdate) out.get(0);
    assertEquals("FUNDING_FEE", b.reason());
    assertEquals(-0.5, b.balanceChange());
  }

  @Test
  void recognisesListenKeyExpiry() {
    assertEquals(Outcome.LISTEN_KEY_EXPIRED, parser.parse(payload("listen_key_expired.json"), out));
    assertTrue(out.isEmpty());
  }

  @Test
  void skipsTradeLiteBecauseTheFullUpdateFollows() {
    assertEquals(Outcome.IGNORED, parser.parse(payload("trade_lite.json"), out));
    assertTrue(out.isEmpty());
    assertEquals(1, parser.ignoredCount());
  }

  @Test
  void unwrapsCombinedStreamFrames() {
    String frame = "{\"stream\":\"abc\",\"data\":" + payload("order_trade_update_fill.json") + "}";
    assertEquals(Outcome.EVENTS, parser.parse(frame.getBytes(StandardCharsets.UTF_8), out));
    assertEquals(100, ((OrderUpdate) out.get(0)).lastFillQtySteps());
  }

  @Test
  void acceptsFieldsInAnyOrder() {
    String frame =
        "{\"o\":{\"X\":\"NEW\",\"q\":\"1.000\",\"p\":\"3000.10\",\"s\":\"ETHUSDT\",\"c\":\"x1\",\"S\":\"BUY\",\"x\":\"NEW\",\"i\":5},\"T\":7,\"E\":8,\"e\":\"ORDER_TRADE_UPDATE\"}";
    assertEquals(Outcome.EVENTS, parser.parse(frame, out));
    OrderUpdate u = (OrderUpdate) out.get(0);
    assertEquals(300010, u.priceTicks());
    assertEquals(1000, u.origQtySteps());
    assertEquals(7, u.transactionTime());
  }

  @Test
  void unknownSymbolIsCountedNotThrown() {
    String frame = payload("order_trade_update_fill.json").replace("ETHUSDT", "DOGEUSDT");
    assertEquals(Outcome.UNKNOWN_SYMBOL, parser.parse(frame, out));
    assertTrue(out.isEmpty());
    assertEquals(1, parser.unknownSymbolCount());
  }

  @Test
  void positionOfAnUnknownSymbolIsSkippedButBalancesKept() {
    String frame = payload("account_update_order.json").replace("ETHUSDT", "DOGEUSDT");
    assertEquals(Outcome.EVENTS, parser.parse(frame, out));
    assertEquals(1, out.size());
    assertTrue(out.get(0) instanceof BalanceUpdate);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2]",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":1",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":1}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":1,\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"BUY\",\"x\":\"NEW\"}}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"UP\",\"x\":\"NEW\",\"X\":\"NEW\",\"q\":\"1\"}}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"BUY\",\"x\":\"NEW\",\"X\":\"NEW\",\"q\":\"0.0005\"}}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"BUY\",\"x\":\"NEW\",\"X\":\"NEW\",\"q\":\"1\",\"p\":\"3000.001\"}}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"BUY\",\"x\":\"NEW\",\"X\":\"NEW\",\"q\":\"1\",\"i\":\"abc\"}}",
        "{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{\"s\":\"ETHUSDT\",\"c\":\"x\",\"S\":\"BUY\",\"x\":\"NEW\",\"X\":\"NEW\",\"q\":true}}",
        "{\"e\":\"ACCOUNT_UPDATE\",\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"x\"}]}}",
        "{\"e\":\"ACCOUNT_UPDATE\",\"a\":{\"m\":\"ORDER\",\"B\":5}}",
        "{\"e\":\"ACCOUNT_UPDATE\",\"a\":{\"m\":\"ORDER\",\"P\":[{\"s\":\"ETHUSDT\",\"pa\":\"0.0001\"}]}}",
        "{\"e\":\"ACCOUNT_UPDATE\",\"a\":{\"m\":\"ORDER\",\"P\":[{\"pa\":\"1\"}]}}",
        "{\"e\":\"ACCOUNT_UPDATE\"} trailing"
      })
  void malformedFramesAreCountedAndAddNothing(String frame) {
    out.add(new AccountEvent.UserStreamUp(1));
    assertEquals(Outcome.MALFORMED, parser.parse(frame, out));
    assertEquals(1, out.size(), "events already in the list stay, none are added");
    assertEquals(1, parser.malformedCount());
    assertFalse(parser.lastError().isEmpty());
  }

  @Test
  void partiallyBuiltAccountUpdateIsRolledBack() {
    String frame =
        "{\"e\":\"ACCOUNT_UPDATE\",\"T\":1,\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"1\",\"cw\":\"1\"}],\"P\":[{\"s\":\"ETHUSDT\",\"pa\":\"0.0001\"}]}}";
    assertEquals(Outcome.MALFORMED, parser.parse(frame, out));
    assertTrue(out.isEmpty());
  }

  @Test
  void controlFramesAreIgnored() {
    assertEquals(Outcome.IGNORED, parser.parse("{\"result\":null,\"id\":1}", out));
    assertEquals(
        Outcome.IGNORED,
        parser.parse("{\"e\":\"MARGIN_CALL\",\"E\":1,\"cw\":\"3\",\"p\":[]}", out));
    assertTrue(out.isEmpty());
  }
}
