package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Order entry over Binance's WebSocket trading API ({@code phoenix.ws-api}, URL from {@code
 * phoenix.binance.ws-api-url}); see reference.conf.
 *
 * @param enabled {@code phoenix.gateway.transport = ws-api}: the gateway sends
 *     order.place/modify/cancel/status over the WebSocket (everything else, and everything while
 *     the session is down, goes over REST); {@code rest}: everything over REST
 * @param url the WS API endpoint
 * @param requestTimeout a request without a reply after this long is an unknown outcome
 * @param defaultRetryAfter back-off reported with a 429/418, which carries no Retry-After header
 *     here
 * @param reconnectMinBackoff first delay before reopening a dropped session, doubling per failure
 * @param reconnectMaxBackoff cap of that delay
 */
public record WsApiSettings(
    boolean enabled,
    String url,
    Duration requestTimeout,
    Duration defaultRetryAfter,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff) {

  public static WsApiSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.ws-api");
    ConfigReader binance = new ConfigReader(config, "phoenix.binance");
    String url = binance.nonEmptyString("ws-api-url");
    if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
      throw new SettingsException(
          binance.key("ws-api-url"), "must be a ws:// or wss:// URL, was " + url);
    }
    ConfigReader gateway = new ConfigReader(config, "phoenix.gateway");
    String transport = gateway.nonEmptyString("transport");
    if (!transport.equals("rest") && !transport.equals("ws-api")) {
      throw new SettingsException(
          gateway.key("transport"), "must be rest or ws-api, was " + transport);
    }
    Duration min = r.positiveDuration("reconnect-min-backoff");
    Duration max = r.positiveDuration("reconnect-max-backoff");
    if (max.compareTo(min) < 0) {
      throw new SettingsException(
          r.key("reconnect-max-backoff"), "must be at least reconnect-min-backoff");
    }
    return new WsApiSettings(
        transport.equals("ws-api"),
        url,
        r.positiveDuration("request-timeout"),
        r.positiveDuration("default-retry-after"),
        min,
        max);
  }

  public WsApiSettings withUrl(String newUrl) {
    return new WsApiSettings(
        enabled,
        newUrl,
        requestTimeout,
        defaultRetryAfter,
        reconnectMinBackoff,
        reconnectMaxBackoff);
  }

  /** Same settings with the transport chosen ({@code true} = ws-api). */
  public WsApiSettings withEnabled(boolean on) {
    return new WsApiSettings(
        on, url, requestTimeout, defaultRetryAfter, reconnectMinBackoff, reconnectMaxBackoff);
  }
}
