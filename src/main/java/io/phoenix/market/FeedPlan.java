package io.phoenix.market;

import io.phoenix.config.FeedSettings;
import io.phoenix.core.Instrument;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link MarketFeed} connection carries: a route, its symbols and which of their streams.
 *
 * @param name feed name for metrics, logs and child names (for example {@code public-0})
 * @param route URL path segment before {@code /stream}: {@code /public}, {@code /market}, or empty
 *     for the legacy unrouted URL
 * @param depth diff depth (the feed then keeps a synchronised book per symbol)
 */
public record FeedPlan(
    String name,
    String route,
    List<Instrument> instruments,
    boolean depth,
    boolean bookTicker,
    boolean aggTrade,
    boolean markPrice) {

  public FeedPlan {
    instruments = List.copyOf(instruments);
  }

  /** Splits {@code instruments} into connections as {@code settings} asks. */
  public static List<FeedPlan> plan(FeedSettings settings, List<Instrument> instruments) {
    List<FeedPlan> plans = new ArrayList<>();
    int group = 0;
    for (int from = 0;
        from < instruments.size();
        from += settings.symbolsPerConnection(), group++) {
      List<Instrument> chunk =
          instruments.subList(
              from, Math.min(instruments.size(), from + settings.symbolsPerConnection()));
      if (FeedSettings.ROUTING_LEGACY.equals(settings.routing())) {
        plans.add(new FeedPlan("stream-" + group, "", chunk, true, true, true, true));
      } else {
        plans.add(new FeedPlan("public-" + group, "/public", chunk, true, true, false, false));
        plans.add(new FeedPlan("market-" + group, "/market", chunk, false, false, true, true));
      }
    }
    return plans;
  }

  /** The combined-stream URL under {@code wsBase} ({@code phoenix.binance.ws-url}). */
  public String url(String wsBase, FeedSettings settings) {
    StringBuilder url =
        new StringBuilder(wsBase.endsWith("/") ? wsBase.substring(0, wsBase.length() - 1) : wsBase);
    url.append(route).append("/stream?streams=");
    boolean first = true;
    for (Instrument instrument : instruments) {
      String s = instrument.streamSymbol();
      if (depth) {
        first = append(url, first, s + settings.depthStreamSuffix());
      }
      if (bookTicker) {
        first = append(url, first, s + "@bookTicker");
      }
      if (aggTrade) {
        first = append(url, first, s + "@aggTrade");
      }
      if (markPrice) {
        first = append(url, first, s + "@markPrice@1s");
      }
    }
    return url.toString();
  }

  private static boolean append(StringBuilder url, boolean first, String stream) {
    if (!first) {
      url.append('/');
    }
    url.append(stream);
    return false;
  }
}
