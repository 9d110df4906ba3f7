package io.phoenix.account;

import static io.phoenix.account.AccountFixtures.BTC;
import static io.phoenix.account.AccountFixtures.ETH;
import static io.phoenix.account.AccountFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoenix.binance.rest.AccountRestApi;
import io.phoenix.config.ReconcileSettings;
import io.phoenix.config.UserStreamSettings;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.ExecutionType;
import io.phoenix.model.AccountEvent.FundingPaid;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.AccountEvent.UserStreamDown;
import io.phoenix.model.AccountEvent.UserStreamUp;
import io.phoenix.model.ExchangeState;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import io.phoenix.reconcile.LocalOrderView;
import io.phoenix.reconcile.LocalOrderView.LocalOrder;
import io.phoenix.reconcile.Reconcile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class UserDataFeedTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  private static final UserStreamSettings STREAM =
      new UserStreamSettings(
          "/ws/",
          Duration.ofMinutes(30),
          Duration.ofMinutes(5),
          Duration.ofSeconds(3),
          Duration.ofMillis(20),
          Duration.ofMillis(200),
          64);
  private static final ReconcileSettings RECONCILE =
      new ReconcileSettings(
          Duration.ofHours(1), Duration.ofSeconds(2), "phx", true, true, Duration.ofSeconds(5));

  private final FakeAccountApi api = new FakeAccountApi();
  private final ScriptedConnector connector = new ScriptedConnector(testKit.system());
  private volatile List<LocalOrder> working = List.of();
  private final LocalOrderView view = () -> CompletableFuture.completedFuture(working);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private ActorRef<UserDataFeed.Command> spawn(UserStreamSettings settings) {
    return spawnReconciled(
        UserDataFeed.create(
            settings, "ws://127.0.0.1:1", List.of(BTC, ETH), api, connector, meters),
        RECONCILE,
        view);
  }

  // the reconciler of the feed spawned last in this test
  private ActorRef<Reconcile.Command> reconciler;

  /**
   * The feed and the reconciliation whose answer it waits for after every connect, wired as in the
   * node.
   */
  private ActorRef<UserDataFeed.Command> spawnReconciled(
      akka.actor.typed.Behavior<UserDataFeed.Command> feedBehavior,
      ReconcileSettings reconcile,
      LocalOrderView localOrders) {
    var feed = testKit.spawn(feedBehavior);
    reconciler =
        testKit.spawn(
            Reconcile.create(
                reconcile,
                STREAM.tradeIdMemory(),
                List.of(BTC, ETH),
                api,
                localOrders,
                feed,
                meters));
    return feed;
  }

  /** Subscribes and waits for the first Up (the initial Down is consumed). */
  private static void awaitUp(TestProbe<AccountEvent> probe) {
    probe.fishForMessage(
        Duration.ofSeconds(3),
        e ->
            e instanceof UserStreamUp
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  @Test
  void connectsWithListenKeyAndRoutesPerSymbolAndToAll() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    TestProbe<AccountEvent> btc = testKit.createTestProbe();
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    feed.tell(new UserDataFeed.SubscribeSymbol(BTC.id(), btc.getRef()));
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    awaitUp(eth);
    awaitUp(btc);
    awaitUp(all);
    assertEquals("ws://127.0.0.1:1/ws/key-1", connector.urls.get(0));

    connector.send(payload("order_trade_update_fill.json"));
    OrderUpdate u = eth.expectMessageClass(OrderUpdate.class);
    assertEquals(2219845622L, u.tradeId());
    assertEquals(u, all.expectMessageClass(OrderUpdate.class));

    connector.send(payload("account_update_order.json"));
    assertInstanceOf(BalanceUpdate.class, all.receiveMessage());
    PositionUpdate p = all.expectMessageClass(PositionUpdate.class);
    assertEquals(-100, p.amountSteps());
    assertEquals(p, eth.expectMessageClass(PositionUpdate.class));
    btc.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void duplicateFillReachesNobodyAndIsCounted() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    awaitUp(eth);
    connector.send(payload("order_trade_update_fill.json"));
    connector.send(payload("order_trade_update_fill.json"));
    connector.send(payload("order_trade_update_new.json"));
    assertEquals(ExecutionType.TRADE, eth.expectMessageClass(OrderUpdate.class).executionType());
    assertEquals(ExecutionType.NEW, eth.expectMessageClass(OrderUpdate.class).executionType());
    TestProbe<UserDataFeed.Status> status = testKit.createTestProbe();
    feed.tell(new UserDataFeed.GetStatus(status.getRef()));
    assertEquals(1, status.receiveMessage().duplicateFills());
  }

  @Test
  void malformedFrameIsCountedAndStreamContinues() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    awaitUp(eth);
    connector.send("{\"e\":\"ORDER_TRADE_UPDATE\",\"o\":{");
    connector.send(payload("order_trade_update_new.json"));
    eth.expectMessageClass(OrderUpdate.class);
    TestProbe<UserDataFeed.Status> status = testKit.createTestProbe();
    feed.tell(new UserDataFeed.GetStatus(status.getRef()));
    UserDataFeed.Status s = status.receiveMessage();
    assertEquals(1, s.malformedFrames());
    assertTrue(s.up());
    assertEquals(
        1.0,
        meters.get("phoenix.user.stream.frames").tag("outcome", "malformed").counter().count());
  }

  @Test
  void fundingFeeUpdateYieldsFundingPaid() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    awaitUp(all);
    connector.send(payload("account_update_order.json"));
    all.expectMessageClass(BalanceUpdate.class);
    all.expectMessageClass(PositionUpdate.class);
    connector.send(payload("account_update_funding.json"));
    all.expectMessageClass(BalanceUpdate.class);
    FundingPaid f = all.expectMessageClass(FundingPaid.class);
    assertEquals(25031.44801260 - 25031.48211870, f.amount(), 1e-9);
  }

  @Test
  void listenKeyExpiryReconnectsWithANewKeyAndRecoversMissedFills() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    awaitUp(eth);
    connector.send(payload("order_trade_update_fill.json"));
    eth.expectMessageClass(OrderUpdate.class);

    // during the outage a further fill happens that the stream will never deliver
    var order =
        new ExchangeState.Order(
            ETH.id(),
            "mm-eth-a-000187",
            8389765519844021L,
            Side.SELL,
            OrderState.FILLED,
            341257,
            250,
            250,
            3412.57,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            1767225606000L);
    api.ordersById.put(order.orderId(), order);
    api.trades.add(
        new ExchangeState.Trade(
            ETH.id(),
            2219845622L,
            order.orderId(),
            Side.SELL,
            341257,
            100,
            0.068,
            "USDT",
            0,
            true,
            PositionSide.BOTH,
            1767225605011L));
    api.trades.add(
        new ExchangeState.Trade(
            ETH.id(),
            2219845700L,
            order.orderId(),
            Side.SELL,
            341257,
            150,
            0.1,
            "USDT",
            0,
            true,
            PositionSide.BOTH,
            1767225606000L));
    api.positions =
        List.of(
            new ExchangeState.Position(
                ETH.id(), PositionSide.BOTH, -250, 3412.57, 0, 1767225606000L));

    connector.send(payload("listen_key_expired.json"));
    assertEquals("listenKey expired", eth.expectMessageClass(UserStreamDown.class).reason());
    OrderUpdate recovered = eth.expectMessageClass(OrderUpdate.class, Duration.ofSeconds(3));
    assertEquals(2219845700L, recovered.tradeId(), "only the unseen fill is replayed");
    assertEquals("mm-eth-a-000187", recovered.clientOrderId());
    assertEquals(150, recovered.lastFillQtySteps());
    eth.expectMessageClass(UserStreamUp.class);
    assertEquals(2, api.listenKeysCreated.get());
    assertEquals("ws://127.0.0.1:1/ws/key-2", connector.urls.get(1));
    assertEquals(
        1.0,
        meters.get("phoenix.reconcile.differences").tag("kind", "missed_fill").counter().count());
    assertEquals(
        0.0,
        meters.get("phoenix.reconcile.differences").tag("kind", "position").counter().count(),
        "with the replayed fill the position agrees with the exchange");
  }

  @Test
  void fillsOfTheOutageAreRecoveredEvenWhenTheNewConnectionDeliversAFillBeforeTheRunBegins() {
    var reconcile =
        new ReconcileSettings(
            Duration.ofHours(1), Duration.ofSeconds(2), "phx", true, true, Duration.ofSeconds(10));
    java.util.concurrent.atomic.AtomicReference<CompletableFuture<List<LocalOrder>>> gate =
        new java.util.concurrent.atomic.AtomicReference<>();
    LocalOrderView gated =
        () -> {
          CompletableFuture<List<LocalOrder>> g = gate.get();
          return g != null ? g : CompletableFuture.completedFuture(List.of());
        };
    var feed =
        spawnReconciled(
            UserDataFeed.create(
                STREAM, "ws://127.0.0.1:1", List.of(BTC, ETH), api, connector, meters),
            reconcile,
            gated);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    awaitUp(eth);
    String fill = payload("order_trade_update_fill.json");
    connector.send(fill);
    assertEquals(2219845622L, eth.expectMessageClass(OrderUpdate.class).tradeId());

    // a timed run is in flight (held at the local view) when the stream drops: the reconnect's run
    // waits behind it
    gate.set(new CompletableFuture<>());
    reconciler.tell(Reconcile.RunNow.INSTANCE);
    var order =
        new ExchangeState.Order(
            ETH.id(),
            "mm-eth-a-000187",
            8389765519844021L,
            Side.SELL,
            OrderState.FILLED,
            341257,
            250,
            250,
            3412.57,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            1767225606000L);
    api.ordersById.put(order.orderId(), order);
    // the outage's fill, which the stream never delivers
    api.trades.add(
        new ExchangeState.Trade(
            ETH.id(),
            2219845650L,
            order.orderId(),
            Side.SELL,
            341257,
            50,
            0.03,
            "USDT",
            0,
            true,
            PositionSide.BOTH,
            1767225605500L));
    connector.close();
    eth.expectMessageClass(UserStreamDown.class);
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertEquals(2, connector.connections());
              return null;
            });
    // the new connection delivers a later fill before the reconnect's run has begun
    connector.send(fill.replace("\"t\":2219845622", "\"t\":2219845700"));
    assertEquals(2219845700L, eth.expectMessageClass(OrderUpdate.class).tradeId());
    gate.getAndSet(null).complete(List.of());

    OrderUpdate recovered = eth.expectMessageClass(OrderUpdate.class, Duration.ofSeconds(3));
    assertEquals(2219845650L, recovered.tradeId(), "the outage's fill is replayed from userTrades");
    assertEquals(50, recovered.lastFillQtySteps());
    eth.fishForMessage(
        Duration.ofSeconds(3),
        e ->
            e instanceof UserStreamUp
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  @Test
  void serverCloseReconnectsAndReconciles() {
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    awaitUp(all);
    int fetches = api.openOrderFetches.get();
    connector.close();
    all.expectMessageClass(UserStreamDown.class);
    all.expectMessageClass(UserStreamUp.class, Duration.ofSeconds(3));
    assertEquals(2, connector.connections());
    assertTrue(api.openOrderFetches.get() > fetches, "a reconnect reconciles");
  }

  @Test
  void keepaliveRejectedWithMinus1125RecreatesTheKey() {
    var settings =
        new UserStreamSettings(
            "/ws/",
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            Duration.ofSeconds(3),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            64);
    api.keepaliveErrorCode = AccountRestApi.INVALID_LISTEN_KEY;
    var feed = spawn(settings);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    awaitUp(all);
    UserStreamDown down = all.expectMessageClass(UserStreamDown.class, Duration.ofSeconds(3));
    assertTrue(down.reason().contains("-1125"), down.reason());
    api.keepaliveErrorCode = 0;
    all.expectMessageClass(UserStreamUp.class, Duration.ofSeconds(3));
    assertTrue(api.listenKeysCreated.get() >= 2);
  }

  @Test
  void idleStreamIsProbedAndAFailedProbeReconnects() {
    var settings =
        new UserStreamSettings(
            "/ws/",
            Duration.ofMinutes(30),
            Duration.ofMillis(100),
            Duration.ofSeconds(3),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            64);
    var feed = spawn(settings);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    awaitUp(all);
    all.expectNoMessage(Duration.ofMillis(300));
    assertTrue(
        api.keepalives.get() >= 1, "silence is probed, and a good probe keeps the stream up");
    api.keepaliveErrorCode = -1001;
    assertTrue(
        all.expectMessageClass(UserStreamDown.class, Duration.ofSeconds(3))
            .reason()
            .startsWith("idle probe failed"));
  }

  @Test
  void orphanWithOurPrefixIsCancelledAndUnknownLocalOrderRestated() {
    var orphan =
        new ExchangeState.Order(
            BTC.id(),
            "phx-BTC-9",
            5,
            Side.BUY,
            OrderState.NEW,
            100,
            10,
            0,
            0,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            1);
    var foreign =
        new ExchangeState.Order(
            BTC.id(),
            "manual-1",
            6,
            Side.BUY,
            OrderState.NEW,
            100,
            10,
            0,
            0,
            "LIMIT",
            "GTC",
            false,
            PositionSide.BOTH,
            1);
    api.openOrders = List.of(orphan, foreign);
    working = List.of(new LocalOrder(ETH.id(), "phx-ETH-3", 0, Side.SELL, 200, 5, 0, 0));
    api.ordersByClientId.put(
        "phx-ETH-3",
        new ExchangeState.Order(
            ETH.id(),
            "phx-ETH-3",
            77,
            Side.SELL,
            OrderState.FILLED,
            200,
            5,
            5,
            2.0,
            "LIMIT",
            "GTX",
            false,
            PositionSide.BOTH,
            2));
    api.listenKeyGate = new CompletableFuture<>();
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    eth.expectMessageClass(UserStreamDown.class);
    api.listenKeyGate.complete(null);
    OrderUpdate restated = eth.expectMessageClass(OrderUpdate.class, Duration.ofSeconds(3));
    assertEquals(ExecutionType.RESTATED, restated.executionType());
    assertEquals(OrderState.FILLED, restated.status());
    assertEquals(5, restated.cumQtySteps());
    eth.expectMessageClass(UserStreamUp.class);
    assertEquals(List.of("BTCUSDT:phx-BTC-9"), api.cancelled);
    assertEquals(
        1.0,
        meters.get("phoenix.reconcile.differences").tag("kind", "orphan_order").counter().count());
    assertEquals(
        1.0,
        meters.get("phoenix.reconcile.differences").tag("kind", "foreign_order").counter().count());
  }

  @Test
  void staysDownWhileReconciliationFailsThenComesUp() {
    api.failOpenOrders = true;
    var feed = spawn(STREAM);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    all.expectMessageClass(UserStreamDown.class);
    all.expectNoMessage(Duration.ofMillis(150));
    api.failOpenOrders = false;
    all.expectMessageClass(UserStreamUp.class, Duration.ofSeconds(3));
  }

  @Test
  void hangingLocalViewTimesOutAndTheRunIsRetried() {
    var reconcile =
        new ReconcileSettings(
            Duration.ofHours(1), Duration.ofSeconds(2), "phx", true, true, Duration.ofMillis(150));
    java.util.concurrent.atomic.AtomicInteger asks =
        new java.util.concurrent.atomic.AtomicInteger();
    LocalOrderView hangsOnce =
        () ->
            asks.getAndIncrement() == 0
                ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(List.of());
    var feed =
        spawnReconciled(
            UserDataFeed.create(
                STREAM, "ws://127.0.0.1:1", List.of(BTC, ETH), api, connector, meters),
            reconcile,
            hangsOnce);
    TestProbe<AccountEvent> all = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeAll(all.getRef()));
    all.expectMessageClass(UserStreamDown.class);
    all.expectMessageClass(UserStreamUp.class, Duration.ofSeconds(3));
    assertTrue(asks.get() >= 2);
    assertEquals(
        1.0, meters.get("phoenix.reconcile.runs").tag("result", "failed").counter().count());
  }

  @Test
  void supervisedRestartKeepsSubscribersAndTellsThemDown() {
    var behavior =
        akka.actor.typed.javadsl.Behaviors.supervise(
                UserDataFeed.create(
                    STREAM, "ws://127.0.0.1:1", List.of(BTC, ETH), api, connector, meters))
            .onFailure(IllegalStateException.class, akka.actor.typed.SupervisorStrategy.restart());
    var feed = spawnReconciled(behavior, RECONCILE, view);
    TestProbe<AccountEvent> eth = testKit.createTestProbe();
    feed.tell(new UserDataFeed.SubscribeSymbol(ETH.id(), eth.getRef()));
    awaitUp(eth);
    connector.throwOnNextConnect = true;
    connector.close();
    eth.expectMessageClass(UserStreamDown.class);
    UserStreamDown restarted = eth.expectMessageClass(UserStreamDown.class, Duration.ofSeconds(3));
    assertEquals("user stream restarted", restarted.reason());
    eth.expectMessageClass(UserStreamUp.class, Duration.ofSeconds(3));
    connector.send(payload("order_trade_update_new.json"));
    eth.expectMessageClass(OrderUpdate.class);
  }
}
