package io.phoenix.config;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * What the REST client needs: endpoint, credentials, recvWindow and transport knobs, read from
 * {@code phoenix.binance.*} (shared endpoint and key settings) and {@code phoenix.binance.rest.*}.
 * The key and secret never appear in {@link #toString()}.
 *
 * @param restUrl base URL without a trailing slash, e.g. {@code https://fapi.binance.com}
 * @param recvWindow sent with every signed request
 * @param requestTimeout after this long without a response the outcome is unknown
 * @param defaultRetryAfter back-off used on 429/418 when the response has no {@code Retry-After}
 * @param http2 use one multiplexed HTTP/2 connection instead of the HTTP/1.1 keep-alive pool
 * @param orderPool connections of the order-entry client (orders, cancels, amends, order queries)
 * @param backgroundPool connections of the client everything else uses (reconciliation, depth
 *     snapshots, keepalives, time sync); its own pool, so a burst there never queues an order
 */
public record BinanceRestSettings(
    String restUrl,
    String apiKey,
    String apiSecret,
    Duration recvWindow,
    Duration requestTimeout,
    Duration defaultRetryAfter,
    boolean http2,
    Pool orderPool,
    Pool backgroundPool) {

  /**
   * One HTTP/1.1 keep-alive connection pool.
   *
   * @param maxConnections connections to the venue; also the requests this client has in flight at
   *     once
   * @param queueSize requests waiting for a connection; beyond it a request is refused unsent
   */
  public record Pool(int maxConnections, int queueSize) {
    static Pool read(ConfigReader pool) {
      return new Pool(
          pool.intInRange("max-connections", 1, 64), pool.intInRange("queue-size", 1, 100_000));
    }
  }

  public static BinanceRestSettings create(ActorSystem<?> system) {
    return fromConfig(system.settings().config());
  }

  public static BinanceRestSettings fromConfig(Config config) {
    ConfigReader binance = new ConfigReader(config, "phoenix.binance");
    String url = binance.nonEmptyString("rest-url");
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null
          || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new SettingsException(binance.key("rest-url"), "must be an http(s) URL, was " + url);
      }
    } catch (IllegalArgumentException e) {
      throw new SettingsException(binance.key("rest-url"), "is not a URL: " + url);
    }
    Duration recvWindow = binance.positiveDuration("recv-window");
    if (recvWindow.toMillis() > 60_000) {
      throw new SettingsException(
          binance.key("recv-window"), "must be at most 60s (Binance's cap), was " + recvWindow);
    }
    ConfigReader rest = binance.at("rest");
    return new BinanceRestSettings(
        url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
        binance.optionalString("api-key"),
        binance.optionalString("api-secret"),
        recvWindow,
        rest.positiveDuration("request-timeout"),
        rest.positiveDuration("default-retry-after"),
        rest.bool("http2"),
        Pool.read(rest.at("order-pool")),
        Pool.read(rest.at("background-pool")));
  }

  /** Same settings with another base URL (tests pointing at a simulator on a free port). */
  public BinanceRestSettings withRestUrl(String url) {
    return new BinanceRestSettings(
        url,
        apiKey,
        apiSecret,
        recvWindow,
        requestTimeout,
        defaultRetryAfter,
        http2,
        orderPool,
        backgroundPool);
  }

  @Override
  public String toString() {
    return "BinanceRestSettings[restUrl="
        + restUrl
        + ", apiKey=***, apiSecret=***, recvWindow="
        + recvWindow
        + ", requestTimeout="
        + requestTimeout
        + ", defaultRetryAfter="
        + defaultRetryAfter
        + ", http2="
        + http2
        + ", orderPool="
        + orderPool
        + ", backgroundPool="
        + backgroundPool
        + "]";
  }
}
