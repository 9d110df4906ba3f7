package io.phoenix.config;

import com.typesafe.config.Config;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.exchangemodel.QueueModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the embedded exchange simulator ({@code phoenix.sim}): where it listens, what it
 * lists, which keys it accepts, its market/account model, the limits it advertises and enforces,
 * the faults active from start-up and the WebSocket connection rules.
 */
public record SimSettings(
    String host,
    int port,
    long seed,
    Duration tick,
    List<SymbolSettings> symbols,
    Map<String, String> apiKeys,
    Map<String, String> publicKeys,
    double makerFeeRate,
    double takerFeeRate,
    Duration fundingInterval,
    double initialWalletUsdt,
    int defaultLeverage,
    ModelSettings model,
    RateLimitSettings rateLimits,
    Duration faultDelay,
    Duration clockSkew,
    Duration pingInterval,
    Duration pongTimeout,
    Duration maxConnectionLife,
    int clientBuffer,
    Duration listenKeyValidity,
    boolean http2,
    ReplaySettings replay) {

  /** One listed instrument; {@link #instrument(int)} gives the engine's view in ticks/steps. */
  public record SymbolSettings(
      String symbol,
      String baseAsset,
      String quoteAsset,
      String tickSize,
      String stepSize,
      String minPrice,
      String maxPrice,
      String minQty,
      String maxQty,
      double minNotional,
      int maxOpenOrders,
      double percentUp,
      double percentDown,
      String initialPrice,
      double volatilityPerSqrtSecond,
      String fundingRate) {

    public Instrument instrument(int id) {
      Scale price = Scale.of(tickSize);
      Scale qty = Scale.of(stepSize);
      return new Instrument(
          id,
          symbol,
          price,
          qty,
          price.parse(minPrice),
          price.parse(maxPrice),
          qty.parse(minQty),
          qty.parse(maxQty),
          minNotional,
          maxOpenOrders,
          percentUp,
          percentDown);
    }

    public long initialPriceTicks() {
      return Scale.of(tickSize).parse(initialPrice);
    }
  }

  public record ModelSettings(
      Duration step,
      int levelsPerSide,
      long levelQtySteps,
      double takerArrivalsPerSecond,
      long takerQtySteps,
      double sweepsPerSecond,
      double sweepMinBps,
      double sweepTailExponent,
      double sweepMaxBps,
      double sweepImpact) {}

  /**
   * Replay of recorded market data (hftbacktest raw format) in place of the synthetic model for the
   * symbols the recordings hold.
   *
   * @param files recordings; empty = every symbol follows the synthetic model
   * @param speed wall-clock speed factor (2 = twice as fast as recorded)
   * @param queue how the queue ahead of our resting orders shrinks (the backtester's model)
   * @param queuePower exponent of the probabilistic queue model
   */
  public record ReplaySettings(
      List<String> files, double speed, QueueModel queue, double queuePower) {
    public boolean enabled() {
      return !files.isEmpty();
    }
  }

  public record RateLimitSettings(
      int requestWeightPerMinute,
      int ordersPer10s,
      int ordersPerMinute,
      int banAfterViolations,
      Duration banWindow,
      Duration banDuration) {}

  public static SimSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.sim");
    List<SymbolSettings> symbols = new ArrayList<>();
    for (ConfigReader s : r.objectList("symbols")) {
      symbols.add(symbol(s));
    }
    if (symbols.isEmpty()) {
      throw new SettingsException(r.key("symbols"), "must list at least one symbol");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    Map<String, String> publicKeys = new LinkedHashMap<>();
    for (ConfigReader k : r.objectList("api-keys")) {
      String key = k.nonEmptyString("key");
      if (k.has("public-key") == k.has("secret")) {
        throw new SettingsException(
            k.key("key"), "needs exactly one of secret (HMAC) or public-key (Ed25519 or RSA)");
      }
      if (k.has("secret")) {
        keys.put(key, k.nonEmptyString("secret"));
      } else {
        String pem = k.nonEmptyString("public-key");
        if (PublicKeys.parse(pem) == null) {
          throw new SettingsException(
              k.key("public-key"), "is not an Ed25519 or RSA public key (X.509, PEM or base64)");
        }
        publicKeys.put(key, pem);
      }
    }
    if (keys.isEmpty()) {
      throw new SettingsException(r.key("api-keys"), "must list at least one HMAC key pair");
    }
    ConfigReader m = r.at("model");
    ConfigReader l = r.at("rate-limits");
    ConfigReader f = r.at("faults");
    return new SimSettings(
        r.nonEmptyString("host"),
        r.intInRange("port", 0, 65535),
        r.longAtLeast("seed", Long.MIN_VALUE),
        r.positiveDuration("tick"),
        List.copyOf(symbols),
        java.util.Collections.unmodifiableMap(keys),
        java.util.Collections.unmodifiableMap(publicKeys),
        r.doubleInRange("maker-fee-rate", -0.01, 0.01),
        r.doubleInRange("taker-fee-rate", -0.01, 0.01),
        r.positiveDuration("funding-interval"),
        r.doubleInRange("initial-wallet-usdt", 0, 1e12),
        r.intInRange("default-leverage", 1, 125),
        new ModelSettings(
            m.positiveDuration("step"),
            m.intInRange("levels-per-side", 1, 1000),
            m.longAtLeast("level-qty-steps", 1),
            m.doubleInRange("taker-arrivals-per-second", 0, 1000),
            m.longAtLeast("taker-qty-steps", 1),
            m.at("sweeps").doubleInRange("per-second", 0, 1000),
            m.at("sweeps").doubleInRange("min-bps", 0.01, 1e4),
            m.at("sweeps").doubleInRange("tail-exponent", 0.1, 10),
            sweepMax(m.at("sweeps")),
            m.at("sweeps").doubleInRange("impact", 0, 1)),
        new RateLimitSettings(
            l.intInRange("request-weight-per-minute", 1, 1_000_000_000),
            l.intInRange("orders-per-10s", 1, 1_000_000_000),
            l.intInRange("orders-per-minute", 1, 1_000_000_000),
            l.intInRange("ban-after-violations", 1, 1000),
            l.positiveDuration("ban-window"),
            l.positiveDuration("ban-duration")),
        nonNegative(f, "delay"),
        f.duration("clock-skew"),
        r.positiveDuration("ping-interval"),
        pongTimeout(r),
        r.positiveDuration("max-connection-life"),
        r.intInRange("client-buffer", 16, 1_000_000),
        r.positiveDuration("listen-key-validity"),
        r.bool("http2"),
        replay(r));
  }

  private static ReplaySettings replay(ConfigReader r) {
    List<String> files = new ArrayList<>();
    for (String f : r.stringList("replay")) {
      if (f.isBlank()) {
        throw new SettingsException(r.key("replay"), "holds an empty file name");
      }
      if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(f.trim()))) {
        throw new SettingsException(r.key("replay"), "file not readable: " + f.trim());
      }
      files.add(f.trim());
    }
    String queueText = r.string("replay-queue-model").trim().toUpperCase(java.util.Locale.ROOT);
    QueueModel queue;
    try {
      queue = QueueModel.valueOf(queueText);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(
          r.key("replay-queue-model"),
          "must be conservative or probabilistic, was " + r.string("replay-queue-model"));
    }
    return new ReplaySettings(
        List.copyOf(files),
        r.doubleInRange("replay-speed", 0.01, 1000),
        queue,
        r.doubleInRange("replay-queue-power", 0.01, 100));
  }

  private static SymbolSettings symbol(ConfigReader s) {
    SymbolSettings spec =
        new SymbolSettings(
            s.nonEmptyString("symbol"),
            s.nonEmptyString("base-asset"),
            s.nonEmptyString("quote-asset"),
            s.nonEmptyString("tick-size"),
            s.nonEmptyString("step-size"),
            s.nonEmptyString("min-price"),
            s.nonEmptyString("max-price"),
            s.nonEmptyString("min-qty"),
            s.nonEmptyString("max-qty"),
            s.doubleInRange("min-notional", 0, 1e9),
            s.intInRange("max-open-orders", 1, 100_000),
            s.doubleInRange("percent-up", 1, 100),
            s.doubleInRange("percent-down", 0, 1),
            s.nonEmptyString("initial-price"),
            s.doubleInRange("volatility-per-sqrt-second", 0, 1),
            s.nonEmptyString("funding-rate"));
    Scale price;
    Scale qty;
    try {
      price = Scale.of(spec.tickSize());
    } catch (IllegalArgumentException e) {
      throw new SettingsException(s.key("tick-size"), e.getMessage());
    }
    try {
      qty = Scale.of(spec.stepSize());
    } catch (IllegalArgumentException e) {
      throw new SettingsException(s.key("step-size"), e.getMessage());
    }
    requireCount(s, "min-price", price.parse(spec.minPrice()));
    requireCount(s, "max-price", price.parse(spec.maxPrice()));
    requireCount(s, "initial-price", price.parse(spec.initialPrice()));
    requireCount(s, "min-qty", qty.parse(spec.minQty()));
    requireCount(s, "max-qty", qty.parse(spec.maxQty()));
    try {
      Double.parseDouble(spec.fundingRate());
    } catch (NumberFormatException e) {
      throw new SettingsException(s.key("funding-rate"), "is not a decimal: " + spec.fundingRate());
    }
    return spec;
  }

  private static void requireCount(ConfigReader s, String name, long count) {
    if (count == Scale.INVALID || count < 0) {
      throw new SettingsException(
          s.key(name), "must be a non-negative multiple of the tick/step size");
    }
  }

  private static Duration pongTimeout(ConfigReader r) {
    Duration pong = r.positiveDuration("pong-timeout");
    if (pong.compareTo(r.positiveDuration("ping-interval")) <= 0) {
      throw new SettingsException(
          r.key("pong-timeout"), "must be longer than ping-interval, was " + pong);
    }
    return pong;
  }

  private static Duration nonNegative(ConfigReader r, String name) {
    Duration d = r.duration(name);
    if (d.isNegative()) {
      throw new SettingsException(r.key(name), "must not be negative, was " + d);
    }
    return d;
  }

  /** The documented local key pair, first entry of {@link #apiKeys()} by default. */
  public String firstApiKey() {
    return apiKeys.keySet().iterator().next();
  }

  private static double sweepMax(ConfigReader s) {
    double min = s.doubleInRange("min-bps", 0.01, 1e4);
    double max = s.doubleInRange("max-bps", 0.01, 1e4);
    if (max < min) {
      throw new SettingsException(
          s.key("max-bps"), "must be at least min-bps (" + min + "), was " + max);
    }
    return max;
  }
}
