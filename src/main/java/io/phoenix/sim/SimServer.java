package io.phoenix.sim;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.SharedKillSwitch;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.MarketModelConfig;
import io.phoenix.sim.engine.SimEngineConfig;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import io.phoenix.sim.engine.SimSymbolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Binance USD-M exchange simulator: one Akka HTTP server on loopback serving the REST
 * API ({@code /fapi/...}), market and user data streams ({@code /ws}, {@code /stream} under the
 * legacy root and {@code /public|/market|/private}), the WebSocket trading API ({@code
 * /ws-fapi/v1}) and the admin hooks ({@code /sim/admin/...}). The matching engine runs on one
 * dedicated thread ({@link EngineLoop}); HTTP and WebSocket work never blocks it.
 */
public final class SimServer {
  private static final Logger log = LoggerFactory.getLogger(SimServer.class);

  private final ServerBinding binding;
  private ReplayClock replayClock;
  private final String host;
  private final EngineLoop engine;
  private final FaultInjector faults;
  private final SimControl control;
  private final java.util.concurrent.atomic.LongAdder http2Requests;
  private final java.util.concurrent.atomic.LongAdder restRequests;

  private SimServer(
      ServerBinding binding,
      String host,
      EngineLoop engine,
      FaultInjector faults,
      SimControl.Parts parts,
      java.util.concurrent.atomic.LongAdder http2Requests,
      java.util.concurrent.atomic.LongAdder restRequests) {
    this.http2Requests = http2Requests;
    this.restRequests = restRequests;
    this.binding = binding;
    this.host = host;
    this.engine = engine;
    this.faults = faults;
    this.control = new SimControl(this, parts);
  }

  /** Starts the engine and binds the server; completes once it accepts connections. */
  public static CompletionStage<SimServer> start(ActorSystem<?> system, SimSettings settings) {
    return start(system, settings, settings.port(), null);
  }

  /**
   * {@link #start(ActorSystem, SimSettings)} on {@code port} instead of the configured one,
   * continuing a stopped predecessor's ids and trade history when {@code continueFrom} is given (a
   * restarted venue).
   */
  static CompletionStage<SimServer> start(
      ActorSystem<?> system,
      SimSettings settings,
      int port,
      io.phoenix.sim.engine.SimExchange.Continuation continueFrom) {
    Materializer mat = Materializer.matFromSystem(system);
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    List<SimSymbolSpec> specs = new ArrayList<>();
    int id = 0;
    for (SimSettings.SymbolSettings s : settings.symbols()) {
      Instrument in = s.instrument(id++);
      instruments.put(s.symbol(), in);
      specs.add(
          new SimSymbolSpec(
              in,
              s.baseAsset(),
              s.quoteAsset(),
              s.initialPriceTicks(),
              s.volatilityPerSqrtSecond(),
              s.fundingRate()));
    }
    SimSettings.ModelSettings m = settings.model();
    SimEngineConfig config =
        new SimEngineConfig(
            specs,
            settings.seed(),
            settings.makerFeeRate(),
            settings.takerFeeRate(),
            settings.fundingInterval().toMillis(),
            settings.initialWalletUsdt(),
            settings.defaultLeverage(),
            new MarketModelConfig(
                m.step().toMillis(),
                m.levelsPerSide(),
                m.levelQtySteps(),
                m.takerArrivalsPerSecond(),
                m.takerQtySteps(),
                m.sweepsPerSecond(),
                m.sweepMinBps(),
                m.sweepTailExponent(),
                m.sweepMaxBps(),
                m.sweepImpact()));

    FaultInjector faults = new FaultInjector(settings.faultDelay(), settings.clockSkew());
    ServerClock clock = () -> System.currentTimeMillis() + faults.clockSkewMillis();
    Wire wire = new Wire(Map.copyOf(instruments));
    StreamHub hub = new StreamHub(wire);
    ListenKeys keys = new ListenKeys(settings.listenKeyValidity().toMillis(), settings.seed());
    io.phoenix.sim.engine.RecordedMarket replay;
    try {
      replay = ReplayClock.load(settings, List.copyOf(instruments.values()));
    } catch (java.io.IOException | IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("phoenix.sim.replay: " + e.getMessage(), e));
    }
    EngineLoop engine =
        new EngineLoop(
            config, hub, keys, System::currentTimeMillis, settings.tick().toMillis(), replay);
    ReplayClock replayClock = ReplayClock.start(engine, replay);
    AtomicReference<SharedKillSwitch> kill = new AtomicReference<>(KillSwitches.shared("sim-ws-0"));
    int[] generation = {0};
    faults.bind(
        () -> {
          SharedKillSwitch old = kill.getAndSet(KillSwitches.shared("sim-ws-" + (++generation[0])));
          old.shutdown();
          hub.dropAll();
        },
        hub::requestGap,
        key ->
            engine
                .call(
                    (ex, now) -> {
                      boolean known = keys.expireNow(key);
                      if (known) {
                        hub.expireKey(key, now);
                      }
                      return known;
                    })
                .join());

    Auth auth = new Auth(settings.apiKeys(), settings.publicKeys());
    RateLimiter limiter = new RateLimiter(settings.rateLimits());
    SimApi api = new SimApi(settings, wire, engine, hub, clock);
    RestRoutes rest = new RestRoutes(api, auth, limiter, faults, clock, mat, hub.reaction());
    WsApi wsApi = new WsApi(api, auth, limiter, faults, clock, mat, hub.reaction());
    StreamRoutes streams = new StreamRoutes(hub, engine, mat, settings.clientBuffer());
    AdminApi admin = new AdminApi(faults, engine, wire, limiter, mat, hub.reaction());

    engine.call(
        (ex, now) -> {
          if (continueFrom != null) {
            ex.continueFrom(continueFrom);
          }
          for (String key : settings.apiKeys().keySet()) {
            ex.openAccount(key);
          }
          for (String key : settings.publicKeys().keySet()) {
            ex.openAccount(key);
          }
          return null;
        });

    akka.actor.ActorSystem classic = system.classicSystem();
    // No idle cut: Akka's idle-timeout also runs on upgraded connections, where Binance's rule is
    // ping/pong (WsConnections) and an idle socket that answers pings stays open.
    ServerSettings base =
        ServerSettings.create(
            com.typesafe.config.ConfigFactory.parseString(
                    "akka.http.server.idle-timeout = infinite\n"
                        + "akka.http.server.parsing.error-handler = \""
                        + BinanceParsingErrorHandler.class.getName()
                        + "\"")
                .withFallback(classic.settings().config()));
    ServerSettings serverSettings =
        base.withRemoteAddressAttribute(true)
            .withPreviewServerSettings(
                base.getPreviewServerSettings().withEnableHttp2(settings.http2()));
    WsConnections sockets =
        new WsConnections(
            base.getWebsocketSettings(),
            akka.event.Logging.getLogger(classic, SimServer.class),
            settings.pingInterval(),
            settings.pongTimeout(),
            settings.maxConnectionLife(),
            kill::get);

    java.util.concurrent.atomic.LongAdder http2Requests =
        new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder restRequests =
        new java.util.concurrent.atomic.LongAdder();
    akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        request -> {
          if ("HTTP/2.0".equals(request.protocol().value())) {
            http2Requests.increment();
          }
          String path = request.getUri().path();
          String ip =
              request
                  .getAttribute(AttributeKeys.remoteAddress)
                  .flatMap(a -> a.getAddress())
                  .map(a -> a.getHostAddress())
                  .orElse("127.0.0.1");
          if (path.startsWith("/sim/admin")) {
            return admin.handle(request);
          }
          WebSocketUpgrade upgrade =
              request.getAttribute(AttributeKeys.webSocketUpgrade).orElse(null);
          if (upgrade != null) {
            if (path.equals("/ws-fapi/v1")) {
              boolean rl =
                  !"false".equals(request.getUri().query().get("returnRateLimits").orElse("true"));
              return CompletableFuture.completedFuture(sockets.accept(upgrade, wsApi.flow(ip, rl)));
            }
            String rest0 = path;
            for (String prefix : new String[] {"/public", "/market", "/private"}) {
              if (path.startsWith(prefix + "/")) {
                rest0 = path.substring(prefix.length());
              }
            }
            return streams.handle(sockets, upgrade, rest0, request.getUri().query());
          }
          restRequests.increment();
          return rest.handle(request, ip);
        };

    return Http.get(classic)
        .newServerAt(settings.host(), port)
        .withSettings(serverSettings)
        .bind(handler)
        .thenApply(
            b -> {
              SimServer server =
                  new SimServer(
                      b,
                      settings.host(),
                      engine,
                      faults,
                      new SimControl.Parts(system, settings, keys, hub, limiter),
                      http2Requests,
                      restRequests);
              server.replayClock = replayClock;
              log.info("sim: listening on {}", server.restUrl());
              return server;
            })
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                engine.close();
                if (replayClock != null) {
                  replayClock.close();
                }
              }
            });
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** Base URL for REST, e.g. {@code http://127.0.0.1:8765}. */
  public String restUrl() {
    return "http://" + host + ":" + port();
  }

  /** Base URL for streams and the WS API, e.g. {@code ws://127.0.0.1:8765}. */
  public String wsUrl() {
    return "ws://" + host + ":" + port();
  }

  /**
   * Requests (REST, WebSocket upgrades and admin alike) that arrived over HTTP/2 (h2c) since start.
   */
  public long http2Requests() {
    return http2Requests.sum();
  }

  /**
   * REST API requests (not WebSocket upgrades, not /sim/admin) since start, over either protocol.
   */
  public long restRequests() {
    return restRequests.sum();
  }

  public FaultInjector faults() {
    return faults;
  }

  /**
   * Inspection of accounts and whole-venue faults (restart, listenKey expiry), for soaks and tests.
   */
  public SimControl control() {
    return control;
  }

  EngineLoop engine() {
    return engine;
  }

  ServerBinding binding() {
    return binding;
  }

  /** Unbinds, closes connections and stops the engine thread. */
  public CompletionStage<Void> stop() {
    faults.dropWebSockets();
    if (replayClock != null) {
      replayClock.close();
    }
    return binding
        .terminate(Duration.ofSeconds(3))
        .handle(
            (t, e) -> {
              engine.close();
              return null;
            });
  }

  /**
   * What a soak or a test needs from a running simulator beyond the wire protocol, without spending
   * the rate budget of a node on the same IP: one account's open orders, positions and new fills,
   * read in one task on the engine thread (a consistent snapshot); the rate limiter's refusal
   * counts; a listenKey expiry by account; and a venue restart. A restart stops the server and the
   * engine, and {@link #startSuccessor()} starts a fresh venue on the same port that has lost every
   * order, position, listenKey and ban, but continues the order and trade ids, as a venue never
   * hands out an id twice, and keeps every account's trade history ({@code userTrades}), as a real
   * exchange never forgets a trade.
   *
   * <p>Nested in the server: the server hands out its control and the control starts the successor
   * server, so the two are one unit.
   */
  public static final class SimControl {
    private static final Duration UNBIND_DEADLINE = Duration.ofSeconds(3);

    /** The server's parts the control reaches into; built by {@link SimServer#start}. */
    record Parts(
        ActorSystem<?> system,
        SimSettings settings,
        ListenKeys keys,
        StreamHub hub,
        RateLimiter limiter) {}

    /**
     * Refusals since this venue started.
     *
     * @param refused429 requests answered 429 (forced ones included)
     * @param forced refusals forced by {@link FaultInjector#rateLimited(int)}
     * @param refused418 requests answered 418 (the one that imposed a ban and those refused during
     *     it)
     * @param bans bans imposed
     */
    public record RateLimitCounts(long refused429, long forced, long refused418, long bans) {
      public static final RateLimitCounts NONE = new RateLimitCounts(0, 0, 0, 0);

      public RateLimitCounts plus(RateLimitCounts o) {
        return new RateLimitCounts(
            refused429 + o.refused429, forced + o.forced, refused418 + o.refused418, bans + o.bans);
      }
    }

    /**
     * One account at one moment of the engine.
     *
     * @param serverMillis the engine's clock when it was read
     * @param newFills the account's fills with a trade id above the one given per symbol, by symbol
     *     then trade id
     */
    public record AccountState(
        long serverMillis,
        List<SimOrder> openOrders,
        List<SimPosition> positions,
        List<SimFill> newFills) {}

    /** Injected request faults not consumed yet (see {@link FaultInjector}). */
    public record PendingFaults(int unknownOrders, int serverErrors, int rateLimited) {}

    /** What the venue held when its engine stopped, and the ids its successor continues from. */
    public record Stopped(
        int port, AccountState last, RateLimitCounts limits, SimExchange.Continuation next) {}

    private final SimServer server;
    private final Parts parts;
    private volatile Stopped stopped;

    SimControl(SimServer server, Parts parts) {
      this.server = server;
      this.parts = parts;
    }

    /**
     * {@code apiKey}'s open orders and positions, and its fills after {@code fillsAfter} (symbol to
     * trade id; absent = all).
     */
    public CompletionStage<AccountState> account(String apiKey, Map<String, Long> fillsAfter) {
      return server.engine().call((ex, now) -> read(ex, now, apiKey, fillsAfter));
    }

    /**
     * Expires {@code apiKey}'s listenKey now (its streams get {@code listenKeyExpired}); false when
     * it has none.
     */
    public CompletionStage<Boolean> expireListenKey(String apiKey) {
      return server
          .engine()
          .call(
              (ex, now) -> {
                String key = parts.keys().keyOf(apiKey);
                if (key == null || !parts.keys().expireNow(key)) {
                  return false;
                }
                parts.hub().expireKey(key, now);
                return true;
              });
    }

    public RateLimitCounts rateLimits() {
      RateLimiter.Counts c = parts.limiter().counts();
      return new RateLimitCounts(c.refused429(), c.forced(), c.refused418(), c.bans());
    }

    /**
     * The request weight {@code ip} has used in the current minute window, as the venue counts it
     * (all accounts on that IP together), by the venue's clock (skew included, as the windows are).
     */
    public int usedWeight(String ip) {
      return parts
          .limiter()
          .usedWeight(ip, System.currentTimeMillis() + server.faults().clockSkewMillis());
    }

    /** Request weight charged per endpoint since the venue started (every IP together). */
    public Map<String, Long> weightByEndpoint() {
      return parts.limiter().weightByEndpoint();
    }

    public PendingFaults pendingFaults() {
      FaultInjector f = server.faults();
      return new PendingFaults(
          f.pendingUnknownOrders(), f.pendingServerErrors(), f.pendingRateLimited());
    }

    /**
     * Stops the venue: WebSockets dropped, server unbound (requests in progress get up to 3 s),
     * then the engine stops after reading {@code apiKey}'s last state, so no fill happens after the
     * read.
     */
    public CompletionStage<Stopped> stop(String apiKey, Map<String, Long> fillsAfter) {
      server.faults().dropWebSockets();
      int port = server.port();
      return server
          .binding()
          .terminate(UNBIND_DEADLINE)
          .thenCompose(
              terminated ->
                  server
                      .engine()
                      .callThenClose(
                          (ex, now) ->
                              new Stopped(
                                  port,
                                  read(ex, now, apiKey, fillsAfter),
                                  rateLimits(),
                                  ex.continuation())))
          .thenApply(
              s -> {
                stopped = s;
                return s;
              });
    }

    /** A fresh venue on the stopped one's port, continuing its ids; only after {@link #stop}. */
    public CompletionStage<SimServer> startSuccessor() {
      Stopped s = stopped;
      if (s == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the simulator was not stopped through SimControl.stop"));
      }
      return SimServer.start(parts.system(), parts.settings(), s.port(), s.next());
    }

    private AccountState read(
        SimExchange ex, long now, String apiKey, Map<String, Long> fillsAfter) {
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
      return new AccountState(
          now, ex.openOrders(apiKey, null), ex.positions(apiKey, null), List.copyOf(fills));
    }
  }
}
