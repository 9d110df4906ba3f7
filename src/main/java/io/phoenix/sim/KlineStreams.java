package io.phoenix.sim;

import io.phoenix.sim.engine.Kline;
import io.phoenix.sim.engine.KlineInterval;
import io.phoenix.sim.engine.KlineSource;
import io.phoenix.sim.engine.SimExchange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The kline and continuous-kline streams: which ones clients asked for, what each pushed last, and
 * the push itself. Binance pushes a kline at most every 250 ms and only when it changed, plus once
 * more with {@code x=true} when its interval closes; clients rely on that closing event.
 * Subscriptions arrive on connection threads, pushes run on the engine thread.
 */
final class KlineStreams {
  static final String KLINE = "@kline_";
  static final String CONTINUOUS_KLINE = "_perpetual@continuouskline_";
  static final long PUSH_MILLIS = 250;

  /** Where the pushes go: the hub's fan-out. */
  interface Publisher {
    boolean hasSubscribers(String name);

    void publish(String name, String payload);
  }

  /** One subscribed kline stream: its symbol, interval and what it pushed last. */
  private static final class Subscription {
    final String symbol;
    final KlineInterval interval;
    final boolean continuous;
    long lastOpen = -1;
    String lastPayload = "";

    Subscription(String symbol, KlineInterval interval, boolean continuous) {
      this.symbol = symbol;
      this.interval = interval;
      this.continuous = continuous;
    }
  }

  private final Wire wire;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private long nextPush;

  KlineStreams(Wire wire) {
    this.wire = wire;
  }

  /** True when a lower-cased stream name is a kline or continuous-kline name (valid or not). */
  static boolean isKline(String lowerCase) {
    return lowerCase.indexOf(KLINE) > 0 || lowerCase.indexOf(CONTINUOUS_KLINE) > 0;
  }

  /**
   * The canonical name of a kline stream ({@code lowerCase} as written, {@code asWritten} for the
   * interval, where {@code 1M} and {@code 1m} differ), remembered for the pushes; null when the
   * symbol or the interval is unknown.
   */
  String canonical(String lowerCase, String asWritten, Predicate<String> knownSymbol) {
    int continuousAt = lowerCase.indexOf(CONTINUOUS_KLINE);
    boolean continuous = continuousAt > 0;
    int at = continuous ? continuousAt : lowerCase.indexOf(KLINE);
    String marker = continuous ? CONTINUOUS_KLINE : KLINE;
    String symbol = lowerCase.substring(0, at).toUpperCase(java.util.Locale.ROOT);
    String code = asWritten.substring(at + marker.length());
    KlineInterval interval = KlineInterval.of(code);
    if (!knownSymbol.test(symbol) || interval == null) {
      return null;
    }
    String canonical = lowerCase.substring(0, at) + marker + code;
    subscriptions.computeIfAbsent(canonical, k -> new Subscription(symbol, interval, continuous));
    return canonical;
  }

  /** Engine thread: the live kline of each subscribed stream when it changed, and closed ones. */
  void flush(long now, SimExchange exchange, Publisher out) {
    if (now < nextPush || subscriptions.isEmpty()) {
      return;
    }
    nextPush = now - Math.floorMod(now, PUSH_MILLIS) + PUSH_MILLIS;
    for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
      if (!out.hasSubscribers(e.getKey())) {
        continue;
      }
      Subscription sub = e.getValue();
      List<Kline> ks = exchange.klines(sub.symbol, KlineSource.TRADE, sub.interval, -1, -1, 2);
      if (ks.isEmpty()) {
        continue;
      }
      Kline live = ks.get(ks.size() - 1);
      if (sub.lastOpen >= 0
          && live.openTime() != sub.lastOpen
          && ks.size() == 2
          && ks.get(0).openTime() == sub.lastOpen) {
        out.publish(e.getKey(), event(sub, ks.get(0), true, now));
      }
      String payload = event(sub, live, false, now);
      String body = payload.substring(payload.indexOf("\"k\""));
      if (live.openTime() != sub.lastOpen || !body.equals(sub.lastPayload)) {
        out.publish(e.getKey(), payload);
        sub.lastPayload = body;
        sub.lastOpen = live.openTime();
      }
    }
  }

  private String event(Subscription sub, Kline k, boolean closed, long now) {
    Json j = new Json().obj();
    if (sub.continuous) {
      j.str("e", "continuous_kline").num("E", now).str("ps", sub.symbol).str("ct", "PERPETUAL");
    } else {
      j.str("e", "kline").num("E", now).str("s", sub.symbol);
    }
    wire.klineObject(j, sub.symbol, sub.interval.code(), k, closed, !sub.continuous);
    return j.end().toString();
  }
}
