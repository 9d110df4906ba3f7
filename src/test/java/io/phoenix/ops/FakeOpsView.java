package io.phoenix.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** An OpsView whose numbers change on every status call: realised PnL = 100 + call number. */
class FakeOpsView implements OpsView {
  final AtomicInteger statusCalls = new AtomicInteger();
  final AtomicInteger killCalls = new AtomicInteger();
  final AtomicReference<String> lastKillReason = new AtomicReference<>();
  private volatile KillSwitchState kill = KillSwitchState.off();

  @Override
  public CompletionStage<Status> status() {
    int n = statusCalls.incrementAndGet();
    SymbolView btc =
        new SymbolView(
            "BTCUSDT",
            true,
            true,
            50_000.0 + n,
            1.5,
            50_001.0 + n,
            2.5,
            49_999.5 + n,
            0.01,
            50_001.5 + n,
            0.01,
            0.25 + n / 1000.0,
            100.0 + n,
            -3.0 + n / 10.0,
            1.5,
            95.5 + n,
            0.0002,
            5.0,
            2.5,
            1.25,
            7,
            0.5,
            0);
    SymbolView eth =
        new SymbolView(
            "ETHUSDT",
            false,
            true,
            3000.0,
            10,
            3000.1,
            11,
            Double.NaN,
            0,
            Double.NaN,
            0,
            0,
            0,
            0,
            0,
            0,
            0.0002,
            5.0,
            Double.NaN,
            Double.NaN,
            0,
            0,
            0);
    return CompletableFuture.completedFuture(
        new Status(
            "test-node",
            System.currentTimeMillis(),
            1000L * n,
            kill,
            List.of(btc, eth),
            List.of(new FeedHealth("market-feed-0", true, 1000L * n, 1, 2, 0.004))));
  }

  @Override
  public CompletionStage<List<PositionView>> positions() {
    return CompletableFuture.completedFuture(
        List.of(new PositionView("BTCUSDT", 0.25, 50_000, 50_010, 12_502.5, 2.5, 100, -0.3)));
  }

  @Override
  public CompletionStage<List<OrderView>> orders() {
    return CompletableFuture.completedFuture(
        List.of(new OrderView("BTCUSDT", "phx-BTC-1", 42, "BUY", 49_999.5, 0.01, 0, "NEW", 1L)));
  }

  @Override
  public CompletionStage<RiskView> risk() {
    return CompletableFuture.completedFuture(
        new RiskView(kill, 97.0, -500, 12_502.5, 100_000, 0.12, 2, 0, Map.of("-2019", 3L)));
  }

  @Override
  public CompletionStage<KillSwitchState> kill(String reason) {
    killCalls.incrementAndGet();
    lastKillReason.set(reason);
    // as risk reports it: the trip reason, then the operator's text
    kill = new KillSwitchState(true, "OPERATOR: " + reason, System.currentTimeMillis());
    return CompletableFuture.completedFuture(kill);
  }

  @Override
  public CompletionStage<KillSwitchState> resume() {
    kill = KillSwitchState.off();
    return CompletableFuture.completedFuture(kill);
  }

  @Override
  public CompletionStage<ClusterView> cluster() {
    return CompletableFuture.completedFuture(
        new ClusterView(
            "akka://phoenix@127.0.0.1:25520",
            "akka://phoenix@127.0.0.1:25520",
            List.of(new MemberView("akka://phoenix@127.0.0.1:25520", "Up", true)),
            Map.of("main", List.of("akka://phoenix@127.0.0.1:25520"))));
  }
}
