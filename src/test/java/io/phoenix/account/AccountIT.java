package io.phoenix.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestRequest;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.DeadManSwitchSettings;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.UserStreamSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.UserStreamDown;
import io.phoenix.model.AccountEvent.UserStreamUp;
import io.phoenix.model.Side;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import io.phoenix.reconcile.Reconcile;
import io.phoenix.testkit.SimulatorFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account side against the real simulator on a free port: user stream across a listenKey expiry
 * (no fill lost), orphan cancellation by reconciliation, and the dead-man switch.
 */
class AccountIT {
  @RegisterExtension static final SimulatorFixture SIM = SimulatorFixture.withDefaults();
  static final Config CONFIG = SIM.config();
  static final ActorTestKit testKit = SIM.testKit();
  static final Duration WAIT = Duration.ofSeconds(10);
  // a reconnect delay long enough that orders placed right after an expiry surely miss the stream
  static final UserStreamSettings STREAM =
      new UserStreamSettings(
          "/ws/",
          Duration.ofMinutes(30),
          Duration.ofMinutes(1),
          Duration.ofSeconds(5),
          Duration.ofMillis(500),
          Duration.ofSeconds(2),
          4096);
  static final ReconcileSettings RECONCILE =
      new ReconcileSettings(
          Duration.ofMinutes(10), Duration.ofSeconds(2), "phx", true, true, Duration.ofSeconds(5));

  static BinanceRestClient client;
  static BinanceAccountRestApi api;
  static Instrument btc;
  static Instrument eth;
  static final Map<String, LocalOrder> working = new ConcurrentHashMap<>();
  static final LocalOrderView VIEW =
      () -> CompletableFuture.completedFuture(List.copyOf(working.values()));

  @BeforeAll
  static void start() throws Exception {
    client =
        BinanceRestClient.create(
            testKit.system(),
            BinanceRestSettings.fromConfig(CONFIG).withRestUrl(SIM.restUrl()),
            ServerClock.fixed(0));
    var info = client.exchangeInfo().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<Instrument> instruments =
        ((RestResult.Ok<io.phoenix.binance.rest.RestExchangeInfo>) info)
            .body()
            .instruments(List.of("BTCUSDT", "ETHUSDT"));
    btc = instruments.get(0);
    eth = instruments.get(1);
    Map<String, Instrument> bySymbol = Map.of("BTCUSDT", btc, "ETHUSDT", eth);
    api = new BinanceAccountRestApi(client, bySymbol::get);
  }

  private static ActorRef<UserDataFeed.Command> feed(SimpleMeterRegistry meters) {
    var feed =
        testKit.spawn(
            UserDataFeed.create(
                STREAM,
                SIM.wsUrl(),
                List.of(btc, eth),
                api,
                new AkkaUserStreamConnector(testKit.system(), Duration.ofSeconds(5)),
                meters));
    // the reconciliation whose answer the feed waits for after every connect, wired as in the node
    testKit.spawn(
        Reconcile.create(
            RECONCILE, STREAM.tradeIdMemory(), List.of(btc, eth), api, VIEW, feed, meters));
    return feed;
  }

  private static JsonNode send(RestRequest request) {
    RestResult<JsonNode> r = client.send(request).toCompletableFuture().join();
    if (!(r instanceof RestResult.Ok<JsonNode> ok)) {
      throw new AssertionError(request.describe() + " failed: " + r);
    }
    return ok.body();
  }

  private static void marketOrder(Instrument i, String side, String qty, String clientOrderId) {
    send(
        RestRequest.post("/fapi/v1/order")
            .signed()
            .param("symbol", i.symbol())
            .param("side", side)
            .param("type", "MARKET")
            .param("quantity", qty)
            .param("newClientOrderId", clientOrderId)
            .build());
  }

  /** A resting buy well below the market; returns its client order id. */
  private static String restingBuy(Instrument i, String clientOrderId) {
    JsonNode top =
        send(RestRequest.get("/fapi/v1/ticker/bookTicker").param("symbol", i.symbol()).build());
    long bid = i.price().parse(top.path("bidPrice").asText());
    long price = bid - bid / 50; // 2% below: inside PERCENT_PRICE, far from any taker
    send(
        RestRequest.post("/fapi/v1/order")
            .signed()
            .param("symbol", i.symbol())
            .param("side", "BUY")
            .param("type", "LIMIT")
            .param("timeInForce", "GTX")
            .param("quantity", "0.010")
            .param("price", i.price().format(price))
            .param("newClientOrderId", clientOrderId)
            .build());
    return clientOrderId;
  }

  private static Set<String> openClientIds(Instrument i) {
    JsonNode open =
        send(RestRequest.get("/fapi/v1/openOrders").signed().param("symbol", i.symbol()).build());
    Set<String> ids = new TreeSet<>();
    open.forEach(o -> ids.add(o.path("clientOrderId").asText()));
    return ids;
  }

  private static Set<Long> exchangeTradeIds(Instrument i, long since) {
    JsonNode trades =
        send(
            RestRequest.get("/fapi/v1/userTrades")
                .signed()
                .param("symbol", i.symbol())
                .param("startTime", since)
                .param("limit", 1000)
                .build());
    Set<Long> ids = new TreeSet<>();
    trades.forEach(t -> ids.add(t.path("id").asLong()));
    return ids;
  }

  private static void awaitUp(TestProbe<AccountEvent> probe) {
    probe.fishForMessage(
        WAIT,
        e ->
            e instanceof UserStreamUp
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void listenKeyExpiryResumesTheStreamWithoutLosingAFill() {
    long since = System.currentTimeMillis() - 1000;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    var feed = feed(meters);
    TestProbe<AccountEvent> quoter = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(btc.id(), quoter.getRef()));
    awaitUp(quoter);
    Set<Long> received = ConcurrentHashMap.newKeySet();
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));

    marketOrder(btc, "BUY", "0.002", "phx-0-it1a");
    marketOrder(btc, "BUY", "0.002", "phx-0-it1b");
    awaitFills(quoter, received, 2);

    String key =
        send(RestRequest.post("/fapi/v1/listenKey").apiKey().build()).path("listenKey").asText();
    assertTrue(SIM.faults().expireListenKey(key));
    quoter.fishForMessage(
        WAIT,
        e ->
            e instanceof UserStreamDown d && d.reason().contains("expired")
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    // the feed waits 500 ms before reconnecting: these fills happen while nothing listens
    marketOrder(btc, "SELL", "0.002", "phx-0-it1c");
    marketOrder(btc, "SELL", "0.002", "phx-0-it1d");

    quoter.fishForMessage(
        WAIT,
        e -> {
          if (e instanceof OrderUpdate u && u.isFill()) {
            received.add(u.tradeId());
          }
          return e instanceof UserStreamUp
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });
    marketOrder(btc, "BUY", "0.002", "phx-0-it1e");
    marketOrder(btc, "SELL", "0.002", "phx-0-it1f");

    Set<Long> onExchange = exchangeTradeIds(btc, since);
    assertTrue(onExchange.size() >= 6, "six market orders make at least six fills: " + onExchange);
    awaitFills(quoter, received, onExchange.size());
    assertEquals(
        onExchange, received, "every fill the exchange lists reached the quoter exactly once");
    assertTrue(
        meters.get("phoenix.reconcile.differences").tag("kind", "missed_fill").counter().count()
            >= 2,
        "the fills of the outage came from userTrades");
    testKit.stop(feed);
  }

  private static void awaitFills(TestProbe<AccountEvent> probe, Set<Long> received, int count) {
    if (received.size() >= count) {
      return;
    }
    probe.fishForMessage(
        WAIT,
        e -> {
          if (e instanceof OrderUpdate u && u.isFill()) {
            assertTrue(received.add(u.tradeId()), "fill " + u.tradeId() + " delivered twice");
          }
          return received.size() >= count
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });
  }

  @Test
  void reconciliationCancelsAnOrphanWithOurPrefixAndLeavesOthers() {
    String orphan = restingBuy(eth, "phx-1-orphan");
    String mine = restingBuy(eth, "phx-1-known");
    String manual = restingBuy(eth, "manual-keep");
    working.put(mine, new LocalOrder(eth.id(), mine, 0, Side.BUY, 0, 0, 0, 0));
    try {
      assertTrue(openClientIds(eth).containsAll(List.of(orphan, mine, manual)));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      var feed = feed(meters);
      TestProbe<AccountEvent> all = testKit.createTestProbe();
      feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
      awaitUp(all);
      all.awaitAssert(
          WAIT,
          () -> {
            Set<String> open = openClientIds(eth);
            assertFalse(open.contains(orphan), "orphan still open: " + open);
            assertTrue(
                open.contains(mine) && open.contains(manual),
                "known and foreign orders stay: " + open);
            assertEquals(1.0, meters.get("phoenix.reconcile.orphans.cancelled").counter().count());
            return null;
          });
      assertTrue(
          meters.get("phoenix.reconcile.differences").tag("kind", "foreign_order").counter().count()
              >= 1);
      testKit.stop(feed);
    } finally {
      working.clear();
      send(
          RestRequest.delete("/fapi/v1/allOpenOrders")
              .signed()
              .param("symbol", eth.symbol())
              .build());
    }
  }

  @Test
  void aUnitsOpenOrdersAreAskedSymbolBySymbolAtWeightOneEach() throws Exception {
    String b = restingBuy(btc, "phx-1-weight-btc");
    String e = restingBuy(eth, "phx-1-weight-eth");
    try {
      BinanceAccountRestApi unitApi =
          BinanceAccountRestApi.forInstruments(client, List.of(btc, eth));
      long before = openOrdersWeight();
      Set<String> perSymbol = new TreeSet<>();
      unitApi
          .openOrders()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS)
          .forEach(o -> perSymbol.add(o.clientOrderId()));
      assertEquals(2, openOrdersWeight() - before, "two symbols, weight 1 each (all: 40)");
      Set<String> allAtOnce = new TreeSet<>();
      api.openOrders()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS)
          .forEach(o -> allAtOnce.add(o.clientOrderId()));
      assertEquals(40, openOrdersWeight() - before - 2);
      assertTrue(perSymbol.containsAll(List.of(b, e)), "both symbols' orders: " + perSymbol);
      assertEquals(allAtOnce, perSymbol);
    } finally {
      for (Instrument i : List.of(btc, eth)) {
        send(
            RestRequest.delete("/fapi/v1/allOpenOrders")
                .signed()
                .param("symbol", i.symbol())
                .build());
      }
    }
  }

  private static long openOrdersWeight() {
    return SIM.server().control().weightByEndpoint().getOrDefault("GET /fapi/v1/openOrders", 0L);
  }

  @Test
  void deadManSwitchCancelsOnceRefreshesStop() {
    String order = restingBuy(btc, "phx-0-dms");
    try {
      var settings = new DeadManSwitchSettings(true, Duration.ofSeconds(1), Duration.ofMillis(300));
      var dms =
          testKit.spawn(
              DeadManSwitch.create(settings, List.of(btc), api, new SimpleMeterRegistry()));
      TestProbe<DeadManSwitch.Status> status = testKit.createTestProbe();
      dms.tell(new DeadManSwitch.Healthy(DeadManSwitch.ALL_SYMBOLS));
      status.awaitAssert(
          WAIT,
          () -> {
            dms.tell(new DeadManSwitch.GetStatus(status.getRef()));
            assertTrue(
                status.receiveMessage().refreshes() >= 5,
                "refreshed for longer than the 1 s countdown");
            return null;
          });
      assertTrue(
          openClientIds(btc).contains(order), "refreshed in time: the exchange has not cancelled");

      long stoppedAt = System.nanoTime();
      dms.tell(new DeadManSwitch.Unhealthy(DeadManSwitch.ALL_SYMBOLS, "test"));
      status.awaitAssert(
          WAIT,
          () -> {
            assertFalse(
                openClientIds(btc).contains(order),
                "the exchange cancelled once refreshes stopped");
            return null;
          });
      long tookMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
      assertTrue(
          tookMillis >= 500, "not before the countdown could run out: " + tookMillis + " ms");
      TestProbe<DeadManSwitch.Disarmed> disarmed = testKit.createTestProbe();
      dms.tell(new DeadManSwitch.Disarm(disarmed.getRef()));
      assertEquals(List.of("BTCUSDT"), disarmed.receiveMessage(WAIT).symbols());
    } finally {
      send(
          RestRequest.delete("/fapi/v1/allOpenOrders")
              .signed()
              .param("symbol", btc.symbol())
              .build());
    }
  }
}
