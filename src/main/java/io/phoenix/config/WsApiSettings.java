package io.phoenix.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Order entry over Binance's WebSocket trading API ({@code phoenix.ws-api}, URL from
 * {@code phoenix.binance.ws-api-url}); see reference.conf.
 *
 * @param enabled whether the gateway sends order.place/modify/cancel/status over the WebSocket
 *     (everything else, and everything while disabled, goes over REST)
 * @param url the WS API endpoint
 * @param requestTimeout a request without a reply after this long is an unknown outcome
 * @param defaultRetryAfter back-off reported with a 429/418, which carries no Retry-After header here
 */
public record WsApiSettings(boolean enabled, String url, Duration requestTimeout, Duration defaultRetryAfter) {

  public static WsApiSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.ws-api");
    ConfigReader binance = new ConfigReader(config, "phoenix.binance");
    String url = binance.nonEmptyString("ws-api-url");
    if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
      throw new SettingsException(binance.key("ws-api-url"), "must be a ws:// or wss:// URL, was " + url);
    }
    return new WsApiSettings(r.bool("enabled"), url, r.positiveDuration("request-timeout"),
        r.positiveDuration("default-retry-after"));
  }

  public WsApiSettings withUrl(String newUrl) {
    return new WsApiSettings(enabled, newUrl, requestTimeout, defaultRetryAfter);
  }
}
