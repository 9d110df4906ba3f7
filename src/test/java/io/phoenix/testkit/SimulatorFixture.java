package io.phoenix.testkit;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.binance.rest.BinanceAccountRestApi;
import io.phoenix.binance.rest.BinanceRestClient;
import io.phoenix.binance.rest.RestExchangeInfo;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.ServerClock;
import io.phoenix.config.BinanceRestSettings;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import io.phoenix.sim.FaultInjector;
import io.phoenix.sim.SimServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded simulator for one integration-test class: register it as a static
 * {@code @RegisterExtension} field, take the class's {@link ActorTestKit} from {@link #testKit()}.
 * It starts the server on a free port before the class's own {@code @BeforeAll} methods and stops
 * it, then shuts the test kit down, after the class's {@code @AfterAll} methods, so a test's own
 * clients can be built on {@link #restUrl()} and closed while the server still answers.
 */
public final class SimulatorFixture implements BeforeAllCallback, AfterAllCallback {
  private static final long START_STOP_SECONDS = 20;

  private final Config config;
  private final ActorTestKit testKit;
  private SimServer server;

  private SimulatorFixture(String name, Config config) {
    this.config = config;
    this.testKit = ActorTestKit.create(name, config);
  }

  private static Config configOf(String overlay) {
    return ConfigFactory.parseString("phoenix.sim.port = 0")
        .withFallback(ConfigFactory.parseString(overlay))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /**
   * A fixture whose config is {@code overlay} (HOCON) over the application config, with the
   * simulator always on port 0. The actor system is named after the calling test class.
   */
  public static SimulatorFixture withConfig(String overlay) {
    Class<?> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    return new SimulatorFixture(caller.getSimpleName(), configOf(overlay));
  }

  /** A fixture with the application config and the simulator on port 0. */
  public static SimulatorFixture withDefaults() {
    Class<?> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    return new SimulatorFixture(caller.getSimpleName(), configOf(""));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server =
        SimServer.start(testKit.system(), SimSettings.fromConfig(config))
            .toCompletableFuture()
            .get(START_STOP_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (server != null) {
        server.stop().toCompletableFuture().get(START_STOP_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      testKit.shutdownTestKit();
    }
  }

  /** The full config the simulator and the test kit run with (overlay, port 0, application). */
  public Config config() {
    return config;
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  /**
   * The running server; only between the class's first {@code @BeforeAll} and last
   * {@code @AfterAll}.
   */
  public SimServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "simulator not started: register the fixture with @RegisterExtension on a static field");
    }
    return server;
  }

  public String restUrl() {
    return server().restUrl();
  }

  public String wsUrl() {
    return server().wsUrl();
  }

  /**
   * HOCON lines for a Phoenix node trading the three default symbols against this simulator (the
   * embedded one off), with the ops server on a free port; tests add their own lines.
   */
  /**
   * Quoter settings for tests that need fills within seconds: the default quotes sit 15 bps apart,
   * where the simulator's market reaches them a few times a minute; these quote at the fee floor (5
   * bps at its 2 bps maker fee), which it reaches about every two seconds per symbol.
   */
  public static final String QUOTER_FOR_FILLS =
      "phoenix.quoter { base-spread = 5, level-spacing = 0.4, volatility.spread-factor = 0.1, inventory.gamma = 0.5,"
          + " refresh-tolerance-bps = 0.3, min-quote-life = 500ms }\n";

  public String nodeSettings() {
    return "phoenix.sim.enabled = false\n"
        + "phoenix.symbols = [BTCUSDT, ETHUSDT, SOLUSDT]\n"
        + "phoenix.binance.rest-url = \""
        + restUrl()
        + "\"\n"
        + "phoenix.binance.ws-url = \""
        + wsUrl()
        + "\"\n"
        + "phoenix.binance.ws-api-url = \""
        + wsUrl()
        + "/ws-fapi/v1\"\n"
        + "phoenix.ops.port = 0\n"
        + "phoenix.cluster.port = 0\n"
        + "phoenix.cluster.management.port = 0\n";
  }

  /** A signed REST client for this simulator, keyed as {@code config} says, clock offset 0. */
  public BinanceRestClient restClient(Config config) {
    return BinanceRestClient.create(
        testKit.system(),
        BinanceRestSettings.fromConfig(config).withRestUrl(restUrl()),
        ServerClock.fixed(0));
  }

  /**
   * Depth snapshots of this simulator through a budgeted background client (a budget of its own:
   * the default limits), as the node fetches them.
   */
  public io.phoenix.binance.rest.DepthSnapshotClient snapshotClient() {
    io.phoenix.binance.rest.SharedRateBudget budget =
        new io.phoenix.binance.rest.SharedRateBudget(
            io.phoenix.binance.rest.RateBudget.binanceDefaults(), 0.1);
    return new io.phoenix.binance.rest.RestDepthSnapshotClient(
        BinanceRestClient.background(
            testKit.system(),
            BinanceRestSettings.fromConfig(config).withRestUrl(restUrl()),
            ServerClock.fixed(0),
            budget,
            (why, ms) -> {}));
  }

  /** {@link #restClient(Config)} with this fixture's own config (the simulator's default key). */
  public BinanceRestClient restClient() {
    return restClient(config);
  }

  /** The simulator's exchangeInfo, read through {@code client}. */
  public static RestExchangeInfo exchangeInfo(BinanceRestClient client) throws Exception {
    RestResult<RestExchangeInfo> r =
        client.exchangeInfo().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (!(r instanceof RestResult.Ok<RestExchangeInfo> ok)) {
      throw new AssertionError("exchangeInfo: " + r);
    }
    return ok.body();
  }

  /** The account API over {@code client} for {@code symbols} of the simulator's exchangeInfo. */
  public static BinanceAccountRestApi accountApi(BinanceRestClient client, List<String> symbols)
      throws Exception {
    Map<String, Instrument> bySymbol = new HashMap<>();
    exchangeInfo(client).instruments(symbols).forEach(i -> bySymbol.put(i.symbol(), i));
    return new BinanceAccountRestApi(client, bySymbol::get);
  }

  public FaultInjector faults() {
    return server().faults();
  }

  /**
   * Starts a second simulator with its own {@code overlay} (over the application config, port 0) on
   * this fixture's actor system, for a test that needs settings the shared one lacks; close it in
   * the test (try-with-resources).
   */
  public Extra startExtra(String overlay) throws Exception {
    SimServer extra =
        SimServer.start(testKit.system(), SimSettings.fromConfig(configOf(overlay)))
            .toCompletableFuture()
            .get(START_STOP_SECONDS, TimeUnit.SECONDS);
    return new Extra(extra);
  }

  /** A test-scoped simulator from {@link #startExtra}; closing stops it. */
  public record Extra(SimServer server) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      server.stop().toCompletableFuture().get(START_STOP_SECONDS, TimeUnit.SECONDS);
    }
  }
}
