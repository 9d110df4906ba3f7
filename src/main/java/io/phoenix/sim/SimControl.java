package io.phoenix.sim;

import akka.actor.typed.ActorSystem;
import io.phoenix.config.SimSettings;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a soak or a test needs from a running simulator beyond the wire protocol, without spending
 * the rate budget of a node on the same IP: one account's open orders, positions and new fills,
 * read in one task on the engine thread (a consistent snapshot); the rate limiter's refusal counts;
 * a listenKey expiry by account; and a venue restart. A restart stops the server and the engine,
 * and {@link #startSuccessor()} starts a fresh venue on the same port that has lost every order,
 * position, fill, listenKey and ban, but continues the order and trade ids, as a venue never hands
 * out an id twice.
 */
public final class SimControl {
  private static final Duration UNBIND_DEADLINE = Duration.ofSeconds(3);

  /** The server's parts the control reaches into; built by {@link SimServer#start}. */
  record Parts(ActorSystem<?> system, SimSettings settings, ListenKeys keys, StreamHub hub, RateLimiter limiter) {}

  /**
   * Refusals since this venue started.
   *
   * @param refused429 requests answered 429 (forced ones included)
   * @param forced refusals forced by {@link FaultInjector#rateLimited(int)}
   * @param refused418 requests answered 418 (the one that imposed a ban and those refused during it)
   * @param bans bans imposed
   */
  public record RateLimitCounts(long refused429, long forced, long refused418, long bans) {
    public static final RateLimitCounts NONE = new RateLimitCounts(0, 0, 0, 0);

    public RateLimitCounts plus(RateLimitCounts o) {
      return new RateLimitCounts(refused429 + o.refused429, forced + o.forced, refused418 + o.refused418, bans + o.bans);
    }
  }

  /**
   * One account at one moment of the engine.
   *
   * @param serverMillis the engine's clock when it was read
   * @param newFills the account's fills with a trade id above the one given per symbol, by symbol
   *     then trade id
   */
  public record AccountState(long serverMillis, List<SimOrder> openOrders, List<SimPosition> positions, List<SimFill> newFills) {}

  /** Injected request faults not consumed yet (see {@link FaultInjector}). */
  public record PendingFaults(int unknownOrders, int serverErrors, int rateLimited) {}

  /** What the venue held when its engine stopped, and the ids its successor continues from. */
  public record Stopped(int port, AccountState last, RateLimitCounts limits, SimExchange.NextIds ids) {}

  private final SimServer server;
  private final Parts parts;
  private volatile Stopped stopped;

  SimControl(SimServer server, Parts parts) {
    this.server = server;
    this.parts = parts;
  }

  /** {@code apiKey}'s open orders and positions, and its fills after {@code fillsAfter} (symbol to trade id; absent = all). */
  public CompletionStage<AccountState> account(String apiKey, Map<String, Long> fillsAfter) {
    return server.engine().call((ex, now) -> read(ex, now, apiKey, fillsAfter));
  }

  /** Expires {@code apiKey}'s listenKey now (its streams get {@code listenKeyExpired}); false when it has none. */
  public CompletionStage<Boolean> expireListenKey(String apiKey) {
    return server.engine().call((ex, now) -> {
      String key = parts.keys().keyOf(apiKey);
      if (key == null || !parts.keys().expireNow(key)) {
        return false;
      }
      parts.hub().expireKey(key, now);
      return true;
    });
  }

  public RateLimitCounts rateLimits() {
    return parts.limiter().counts();
  }

  public PendingFaults pendingFaults() {
    FaultInjector f = server.faults();
    return new PendingFaults(f.pendingUnknownOrders(), f.pendingServerErrors(), f.pendingRateLimited());
  }

  /**
   * Stops the venue: WebSockets dropped, server unbound (requests in progress get up to 3 s), then
   * the engine stops after reading {@code apiKey}'s last state, so no fill happens after the read.
   */
  public CompletionStage<Stopped> stop(String apiKey, Map<String, Long> fillsAfter) {
    server.faults().dropWebSockets();
    int port = server.port();
    return server.binding().terminate(UNBIND_DEADLINE)
        .thenCompose(terminated -> server.engine().callThenClose((ex, now) ->
            new Stopped(port, read(ex, now, apiKey, fillsAfter), rateLimits(), ex.nextIds())))
        .thenApply(s -> {
          stopped = s;
          return s;
        });
  }

  /** A fresh venue on the stopped one's port, continuing its ids; only after {@link #stop}. */
  public CompletionStage<SimServer> startSuccessor() {
    Stopped s = stopped;
    if (s == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the simulator was not stopped through SimControl.stop"));
    }
    return SimServer.start(parts.system(), parts.settings(), s.port(), s.ids());
  }

  private AccountState read(SimExchange ex, long now, String apiKey, Map<String, Long> fillsAfter) {
    List<SimFill> fills = new ArrayList<>();
    for (SimSettings.SymbolSettings s : parts.settings().symbols()) {
      long from = fillsAfter.getOrDefault(s.symbol(), 0L) + 1;
      while (true) {
        List<SimFill> page = ex.userTrades(apiKey, s.symbol(), from, -1, -1, 1000);
        fills.addAll(page);
        if (page.size() < 1000) {
          break;
        }
        from = page.get(page.size() - 1).tradeId() + 1;
      }
    }
    return new AccountState(now, ex.openOrders(apiKey, null), ex.positions(apiKey, null), List.copyOf(fills));
  }
}
