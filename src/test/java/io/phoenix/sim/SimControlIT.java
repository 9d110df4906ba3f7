package io.phoenix.sim;

import static io.phoenix.sim.SimClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.sim.SimServer.SimControl;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.testkit.SimulatorFixture;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator's control surface for soaks: account snapshots read on the engine, refusal counts,
 * listenKey expiry by account, and a restart that loses the venue's state but not its ids.
 */
class SimControlIT {
  @RegisterExtension
  static final SimulatorFixture SIM =
      SimulatorFixture.withConfig(
          """
      phoenix.sim.rate-limits { request-weight-per-minute = 100000, orders-per-10s = 100000, orders-per-minute = 100000 }
      """);

  static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static BigDecimal bid(SimClient client, String symbol) {
    return new BigDecimal(
        client
            .get("/fapi/v1/ticker/bookTicker", params("symbol", symbol))
            .body()
            .get("bidPrice")
            .asText());
  }

  @Test
  void accountSnapshotShowsOpenOrdersPositionsAndOnlyNewFills() throws Exception {
    SimServer server = SIM.startExtra("").server();
    try {
      SimClient client = new SimClient(server);
      SimControl control = server.control();
      assertEquals(
          200,
          client
              .signed(
                  "POST",
                  "/fapi/v1/order",
                  params(
                      "symbol",
                      "ETHUSDT",
                      "side",
                      "BUY",
                      "type",
                      "LIMIT",
                      "timeInForce",
                      "GTC",
                      "quantity",
                      "0.010",
                      "price",
                      bid(client, "ETHUSDT").subtract(new BigDecimal("50")).toPlainString(),
                      "newClientOrderId",
                      "ctl-rest-1"))
              .status());
      assertEquals(
          200,
          client
              .signed(
                  "POST",
                  "/fapi/v1/order",
                  params(
                      "symbol",
                      "ETHUSDT",
                      "side",
                      "BUY",
                      "type",
                      "MARKET",
                      "quantity",
                      "0.020",
                      "newClientOrderId",
                      "ctl-mkt-1"))
              .status());

      SimControl.AccountState all = await(control.account(SimClient.KEY, Map.of()));
      assertEquals(1, all.openOrders().size());
      assertEquals("ctl-rest-1", all.openOrders().get(0).clientOrderId());
      assertEquals(
          20,
          all.positions().stream()
              .filter(p -> p.symbol().equals("ETHUSDT"))
              .mapToLong(p -> p.amountSteps())
              .sum());
      assertFalse(all.newFills().isEmpty());
      long lastTrade = all.newFills().get(all.newFills().size() - 1).tradeId();

      SimControl.AccountState after =
          await(control.account(SimClient.KEY, Map.of("ETHUSDT", lastTrade)));
      assertTrue(
          after.newFills().isEmpty(),
          "fills up to the given trade id are not repeated: " + after.newFills());
    } finally {
      await(server.stop());
    }
  }

  @Test
  void restartLosesOrdersAndPositionsButKeepsTradesAndContinuesIds() throws Exception {
    SimServer server = SIM.startExtra("").server();
    SimServer successor = null;
    try {
      SimClient client = new SimClient(server);
      client.signed(
          "POST",
          "/fapi/v1/order",
          params(
              "symbol",
              "ETHUSDT",
              "side",
              "BUY",
              "type",
              "LIMIT",
              "timeInForce",
              "GTC",
              "quantity",
              "0.010",
              "price",
              bid(client, "ETHUSDT").subtract(new BigDecimal("50")).toPlainString(),
              "newClientOrderId",
              "ctl-rest-2"));
      client.signed(
          "POST",
          "/fapi/v1/order",
          params("symbol", "ETHUSDT", "side", "SELL", "type", "MARKET", "quantity", "0.030"));
      int port = server.port();

      SimControl.Stopped stopped = await(server.control().stop(SimClient.KEY, Map.of()));
      assertEquals(port, stopped.port());
      assertEquals(
          1, stopped.last().openOrders().size(), "the last state is read before the engine stops");
      long lastTrade =
          stopped.last().newFills().stream().mapToLong(SimFill::tradeId).max().orElseThrow();
      long lastOrder = stopped.last().openOrders().get(0).orderId();

      successor = await(server.control().startSuccessor());
      assertEquals(port, successor.port(), "the venue comes back on the same port");
      SimControl.AccountState fresh = await(successor.control().account(SimClient.KEY, Map.of()));
      assertTrue(fresh.openOrders().isEmpty());
      assertTrue(
          fresh.positions().stream().allMatch(p -> p.amountSteps() == 0),
          "positions reset: " + fresh.positions());
      assertEquals(
          stopped.last().newFills().stream().map(SimFill::tradeId).toList(),
          fresh.newFills().stream().map(SimFill::tradeId).toList(),
          "the trades made before the restart are kept");

      SimClient again = new SimClient(successor);
      SimClient.Resp history =
          again.signed(
              "GET",
              "/fapi/v1/userTrades",
              params("symbol", "ETHUSDT", "fromId", Long.toString(lastTrade)));
      assertEquals(200, history.status(), history.body().toString());
      assertEquals(
          lastTrade,
          history.body().get(0).get("id").asLong(),
          "a client that missed a fill finds it in userTrades: " + history.body());
      SimClient.Resp placed =
          again.signed(
              "POST",
              "/fapi/v1/order",
              params("symbol", "ETHUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.010"));
      assertEquals(200, placed.status(), placed.body().toString());
      assertTrue(
          placed.body().get("orderId").asLong() > lastOrder,
          "order ids continue: " + placed.body());
      SimControl.AccountState traded =
          await(successor.control().account(SimClient.KEY, Map.of("ETHUSDT", lastTrade)));
      assertTrue(
          traded.newFills().get(0).tradeId() > lastTrade,
          "trade ids continue after " + lastTrade + ": " + traded.newFills());
    } finally {
      await((successor != null ? successor : server).stop());
    }
  }

  @Test
  void listenKeyExpiresByAccountAndRefusalsAreCounted() throws Exception {
    SimClient client = new SimClient(SIM.server());
    SimControl control = SIM.server().control();
    assertFalse(await(control.expireListenKey("no-such-account-key")));
    assertEquals(200, client.keyOnly("POST", "/fapi/v1/listenKey").status());
    assertTrue(await(control.expireListenKey(SimClient.KEY)));
    assertFalse(await(control.expireListenKey(SimClient.KEY)), "the key is gone");

    SimControl.RateLimitCounts before = control.rateLimits();
    SIM.faults().rateLimited(1);
    assertEquals(429, client.get("/fapi/v1/ping", params()).status());
    SimControl.RateLimitCounts after = control.rateLimits();
    assertEquals(before.refused429() + 1, after.refused429());
    assertEquals(before.forced() + 1, after.forced());
    assertEquals(before.bans(), after.bans());
  }
}
